"""Languages and the translation shortcuts every module imports from here."""

from babel import Locale
from flask import g, has_request_context, session
from flask_babel import (
    get_translations,
    ngettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup

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


class LazyMessage(LazyString):
    """Flask-Babel's lazy string that also keeps its message, so a Catalogue can translate it."""

    def __init__(self, message: str, **variables):
        super().__init__(_, message, **variables)
        self.message = message
        self.variables = variables


def _l(message: str, **variables) -> LazyMessage:
    """Translate later, in the language of the request that shows the message."""
    return LazyMessage(message, **variables)


class Catalogue:
    """The translations of one request, looked up once.

    Flask-Babel looks the current translations up anew for every string: about 20 µs a
    message, 50 µs a {{ _() }} in a template, and a kiosk screen shows thirty. Build one
    once the request's language is settled, just before rendering.
    """

    def __init__(self):
        self.translations = get_translations()

    def __call__(self, text):
        """Translate a lazy message; anything else (a name, a number) is shown as it is."""
        if not isinstance(text, LazyMessage):
            return text
        translated = self.translations.ugettext(text.message)
        return translated % text.variables if text.variables else translated

    def template_functions(self) -> dict:
        """gettext and ngettext for a template's context, where {{ _() }} looks them up first.

        The same behaviour as the functions Jinja's i18n extension installs (escaping,
        formatting), with the translations at hand.
        """
        translations = self.translations

        @pass_context
        def gettext(context, message: str, **variables):
            translated = translations.ugettext(message)
            if context.eval_ctx.autoescape:
                translated = Markup(translated)
            return translated % variables

        @pass_context
        def plural_gettext(context, singular: str, plural: str, num: int, **variables):
            variables.setdefault("num", num)
            translated = translations.ungettext(singular, plural, num)
            if context.eval_ctx.autoescape:
                translated = Markup(translated)
            return translated % variables

        return {"gettext": gettext, "ngettext": plural_gettext}
