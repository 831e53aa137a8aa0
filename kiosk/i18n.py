"""Languages and the translation shortcuts every module imports from here."""

from babel import Locale
from flask import g, has_request_context, session
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_babel import ngettext  # noqa: F401

# Each language is named in its own script, so a resident finds theirs without reading French.
LANGUAGES: dict[str, str] = {
    "fr": "Français",
    "en": "English",
    "ar": "العربية",
}
RTL_LANGUAGES = {"ar"}

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
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    """Pick the kiosk language chosen by the resident, French otherwise."""
    override = g.get("locale")
    if override in LANGUAGES:
        return _LOCALES[override]
    if not has_request_context():  # CLI commands and tests speak French
        return _LOCALES["fr"]
    chosen = session.get("lang")
    return _LOCALES.get(chosen, _LOCALES["fr"]) if isinstance(chosen, str) else _LOCALES["fr"]


def text_direction(locale: str) -> str:
    return "rtl" if str(locale).split("_")[0] in RTL_LANGUAGES else "ltr"

