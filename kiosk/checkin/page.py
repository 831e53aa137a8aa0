"""The page of the whole flow, in every kiosk language, rendered once and kept a few seconds.

The page is the same for every resident of an event but for two values: the session's
CSRF token and the new flow's uuid. Each language's part is rendered once per
SNAPSHOT_SECONDS with placeholders for both (kept with the event's snapshot, dropped with
it when the event or a neighbourhood changes), so a page costs string replacements, not
templates. The long form shown again with a resident's answers is rendered afresh.
"""

from __future__ import annotations

import uuid

from flask import current_app, g, make_response, render_template
from flask_babel import refresh
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..i18n import (
    LANGUAGES,
    ORAL_LANGUAGES,
    RTL_LANGUAGES,
    force_language,
    html_lang,
    resident_language,
    text_direction,
)
from ..languages.kiosk import prompt_audio
from ..models import CHILD_AGE_BANDS
from ..security import policy_allowing
from ..static_files import static_files
from .context import PHONE, snapshots
from .flow import MULTI_STEPS, PROFILE_STEPS, STEPS
from .phone import phone_already_checked_in
from .questions import (
    COMPANION_OPTIONS,
    COMPANIONS_HINT,
    COMPANIONS_TITLE,
    HINTS,
    LARGE_TEXT,
    OPTIONS,
    READ_ALOUD,
    SKIP_ALL,
    TITLES,
    interpreter_options,
    residence_options,
)

CSRF_SLOT = "__hlm_csrf__"
FLOW_SLOT = "__hlm_flow__"
# On a resident's phone the page brings its style and script inside it: over 3G each extra
# round trip costs up to 2 s, and a phone comes once, cold. htmx, needed at the final submit
# only, loads alongside, deferred (kiosk.js posts by itself if it has not come yet). A kiosk tablet
# keeps the files, cached a year under their hashed names.
INLINE_STYLE = "css/kiosk.css"
INLINE_SCRIPTS = ("js/scanner.js", "js/kiosk.js", "js/app.js")
# Which answer makes a question part of the path; the page's script reads these too.
WHEN = {"children": "needs:childcare", "child_ages": "needs:childcare", "interpreter": "needs:interpreter"}
assert set(CHILD_AGE_BANDS) == {value for value, _label, _icon in OPTIONS["child_ages"]}


def page_language() -> str:
    """The resident's language if they chose one, else the browser's, else French."""
    return resident_language()


def flow_page(mode: str, event, *, submitted=None, error_step: str | None = None, error: str | None = None,
              status: int = 200):
    """Render the whole flow; with ``submitted``, the long form again with the resident's answers."""
    lang = page_language()
    g.locale = lang
    refresh()
    # A phone gets its resident's language only, the others when asked (language_part): ten
    # languages weigh 50 KB compressed, a second 2-second round trip over Slow 3G. The rare
    # resident who switches pays one request; everyone else loads a fifth of it.
    codes = [lang] if mode == PHONE else list(LANGUAGES)
    parts = {code: cached_part(mode, event, code) for code in codes if submitted is None or code != lang}
    if submitted is None:
        live = parts[lang].replace(CSRF_SLOT, generate_csrf()).replace(FLOW_SLOT, str(uuid.uuid4()))
    else:
        live = _render_part(mode, event, lang, submitted=submitted, error_step=error_step, error=error,
                            csrf=generate_csrf(), flow=submitted.get("flow") or str(uuid.uuid4()))
    others = [(code, text_direction(code), html_lang(code), Markup(parts[code])) for code in codes if code != lang]
    inlined = None
    if mode == PHONE:
        files = static_files()
        inlined = {"style": files.inline(INLINE_STYLE), "scripts": [files.inline(f) for f in INLINE_SCRIPTS]}
    html = render_template(
        "checkin/flow.html", mode=mode, code=event.code, event=event, lang=lang, live=Markup(live),
        text_lang=html_lang(lang), dir=text_direction(lang), oral_languages=ORAL_LANGUAGES,
        others=others, idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"], inlined=inlined,
        phone_done=mode == PHONE and phone_already_checked_in(event.code))
    response = make_response(html, status)
    if inlined:
        response.headers["Content-Security-Policy"] = policy_allowing(
            [script.csp_source for script in inlined["scripts"]], [inlined["style"].csp_source])
    return response


def cached_part(mode: str, event, lang: str) -> str:
    """One language's part with its placeholders, rendered once per snapshot."""
    return snapshots().rendered(f"page:{event.code}:{mode}:{lang}", lambda: _render_part(mode, event, lang))


def language_part(mode: str, event, lang: str):
    """A language's part as a <template>, for a page that did not carry it (a phone)."""
    part = cached_part(mode, event, lang).replace(CSRF_SLOT, generate_csrf()).replace(FLOW_SLOT, str(uuid.uuid4()))
    html = Markup('<template data-lang="{}" data-dir="{}" data-text-lang="{}">{}</template>').format(
        lang, text_direction(lang), html_lang(lang), Markup(part))
    return make_response(html)


def _render_part(mode: str, event, lang: str, *, submitted=None, error_step=None, error=None,
                 csrf: str = CSRF_SLOT, flow: str = FLOW_SLOT) -> str:
    config = current_app.config
    with force_language(lang):
        return render_template(
            "checkin/includes/flow_part.html", mode=mode, code=event.code, event=event, lang=lang,
            dir=text_direction(lang), languages=LANGUAGES, steps=[] if event.express_mode else _steps(event, lang),
            oral_languages=ORAL_LANGUAGES, rtl_languages=RTL_LANGUAGES,
            csrf=csrf, flow=flow, submitted=submitted, error_step=error_step, error=error,
            controller=config["DATA_CONTROLLER_NAME"], contact=config["DATA_CONTROLLER_CONTACT"],
            months=config["RETENTION_MONTHS"], words=WORDS)


# Lines of the page that are not a question's own (questions.py holds them for the catalogue).
WORDS = {"companions_title": COMPANIONS_TITLE, "companions_hint": COMPANIONS_HINT, "skip_all": SKIP_ALL,
         "large_text": LARGE_TEXT, "read_aloud": READ_ALOUD}


def _steps(event, lang: str) -> list[dict]:
    steps = []
    for step in STEPS:
        if step == "residence":
            options = residence_options(snapshots().qpv_neighbourhoods())
        elif step == "interpreter":
            options = interpreter_options(event)
        else:
            options = OPTIONS[step]
        steps.append({"step": step, "title": TITLES[step], "hint": HINTS.get(step), "options": options,
                      "multi": step in MULTI_STEPS, "profile": step in PROFILE_STEPS, "when": WHEN.get(step),
                      "audio": _step_audio(lang, step, options),
                      "companions": COMPANION_OPTIONS if step == "needs" else None})
    return steps


def _step_audio(lang: str, step: str, options) -> str:
    """The recordings of a question, then of each of its answers, then of "Passer" (issue 15)."""
    keys = [f"q:{step}", *(f"a:{step}:{value}" for value, _label, _icon in options), "a:skip"]
    return prompt_audio(lang, *keys)
