"""Languages and the translation shortcuts every module imports from here.

The kiosk's languages are listed once, in KIOSK_LANGUAGES: everything else (the welcome
screen's buttons, the page's <template> per language, the translators' pages, the coverage
report, the tests) reads them from here. A language's code is what URLs, the session and the
database hold; its Babel locale names its catalogue (Dari is "prs" for us, "fa_AF" for Babel,
which does not know "prs"). An oral language has no catalogue: its screens show the French
text, for the animateur, and speak from recordings made by people of the neighbourhood.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from babel import Locale
from flask import g, has_request_context, request, session
from flask_babel import (
    force_locale,
    ngettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # in URLs, the session, the database
    name: str  # in its own script, so a resident finds theirs without reading French
    french: str  # for the staff's pages
    babel: str  # the Babel locale of its catalogue; "fr" for an oral language
    rtl: bool = False
    oral: bool = False  # spoken from recordings, French text underneath for the animateur


KIOSK_LANGUAGES: tuple[Language, ...] = (
    Language("fr", "Français", "français", "fr"),
    Language("ar", "العربية", "arabe", "ar", rtl=True),
    Language("kab", "Taqbaylit", "kabyle (tamazight)", "kab"),
    Language("tr", "Türkçe", "turc", "tr"),
    Language("pt", "Português", "portugais", "pt"),
    Language("ro", "Română", "roumain", "ro"),
    Language("ru", "Русский", "russe", "ru"),
    Language("uk", "Українська", "ukrainien", "uk"),
    Language("prs", "دری", "dari", "fa_AF", rtl=True),
    Language("en", "English", "anglais", "en"),
    Language("snk", "Soninkanxaane", "soninké", "fr", oral=True),
    Language("bm", "Bamanankan", "bambara", "fr", oral=True),
    Language("wo", "Wolof", "wolof", "fr", oral=True),
)
LANGUAGE_BY_CODE: dict[str, Language] = {language.code: language for language in KIOSK_LANGUAGES}
LANGUAGES: dict[str, str] = {language.code: language.name for language in KIOSK_LANGUAGES}
# Languages with a catalogue of their own (French is the source): what translators write.
WRITTEN_LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in KIOSK_LANGUAGES if not lang.oral)
ORAL_LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in KIOSK_LANGUAGES if lang.oral)
RTL_LANGUAGES = {lang.code for lang in KIOSK_LANGUAGES if lang.rtl}
_RTL_BABEL = {Locale.parse(lang.babel).language for lang in KIOSK_LANGUAGES if lang.rtl}

# Languages an interpreter may be asked for; a service need, never an origin.
INTERPRETER_LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "en": "English",
    "tr": "Türkçe",
    "ru": "Русский",
    "uk": "Українська",
    "ps": "پښتو",
    "fa": "فارسی",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "es": "Español",
    "pt": "Português",
    "ro": "Română",
    "sq": "Shqip",
    "zh": "中文",
    "lsf": "LSF (langue des signes)",
}


# Parsed once: Flask-Babel parses a code it is given on every request, and parsing checks
# the locale data file on disk each time.
_LOCALES = {lang.code: Locale.parse(lang.babel) for lang in KIOSK_LANGUAGES}


def babel_locale(code: str) -> Locale:
    """The Babel locale of a kiosk language's catalogue; another code as Babel reads it (a
    poster's Spanish line), raising UnknownLocaleError or ValueError for one it does not know."""
    locale = _LOCALES.get(code)
    return locale if locale is not None else Locale.parse(code)


@contextmanager
def force_language(code: str):
    """Render in a kiosk language, by its code ("prs", "snk"), not its Babel locale."""
    with force_locale(babel_locale(code)):
        yield


# What browsers send for a kiosk language whose code they do not use: a Dari speaker's phone
# says "fa-AF" (or "fa"), never "prs".
_BROWSER_ALIASES = {"fa-AF": "prs", "fa": "prs"}


def browser_language() -> str:
    """The kiosk language the browser asks for (Accept-Language), French otherwise."""
    if not has_request_context():
        return "fr"
    best = request.accept_languages.best_match([*WRITTEN_LANGUAGES, *_BROWSER_ALIASES])
    return _BROWSER_ALIASES.get(best, best) if best else "fr"


def resident_language() -> str:
    """The resident's language code: chosen (this request, the session), else the browser's."""
    override = g.get("locale")
    if override in LANGUAGES:
        return override
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in LANGUAGES else browser_language()


# Resident pages outside the kiosk's blueprint: a card holder checking what they said, from any phone.
RESIDENT_ENDPOINTS = {"voice.card_status"}


def select_locale() -> Locale:
    """Pick the kiosk language chosen by the resident; before a choice, the browser's on the
    resident's pages (Accept-Language), French on the staff's."""
    override = g.get("locale")
    if override in LANGUAGES:
        return _LOCALES[override]
    if not has_request_context():  # CLI commands and tests speak French
        return _LOCALES["fr"]
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in _LOCALES:
        return _LOCALES[chosen]
    if (request.endpoint or "").startswith("checkin.") or request.endpoint in RESIDENT_ENDPOINTS:
        return _LOCALES[browser_language()]
    return _LOCALES["fr"]


def text_direction(locale: str) -> str:
    """"rtl" for Arabic and Dari, by kiosk code ("prs") or Babel locale ("fa_AF")."""
    code = str(locale)
    if code in LANGUAGE_BY_CODE:
        return "rtl" if code in RTL_LANGUAGES else "ltr"
    return "rtl" if code.replace("-", "_").split("_")[0] in _RTL_BABEL else "ltr"


def html_lang(code: str) -> str:
    """The lang attribute of a language's text: an oral language's screens show French."""
    language = LANGUAGE_BY_CODE.get(code)
    if language is None:
        return str(code).replace("_", "-")
    return "fr" if language.oral else language.code if language.code != "prs" else "fa-AF"
