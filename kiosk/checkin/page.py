"""The page of the whole flow, in every kiosk language, rendered once and kept.

The page is the same for every resident of an event but for three values: the session's
CSRF token, the new flow's uuid and the latest answers shown on the welcome screen (read
from the database, kept SNAPSHOT_SECONDS). Each language's part is rendered with
placeholders for them and kept (PartCache) under what it is made of: the event's settings
as its snapshot reads them, the neighbourhoods, the version of the approved translations
and recordings (kiosk.languages.overrides), the app's version. A change to any of these
makes a new key: an approved translation shows on the next page. The parts of the other
languages are kept joined, so a page costs a few string replacements, not templates.

An oral language's screens are the French ones with its own recordings: on the kiosk's page,
which carries every language, its part is an empty <template data-base="fr"> with the URLs
of its recordings, and kiosk.js makes it from the French part (issue 15: the page carried
three more copies of the French). The long form shown again with a resident's answers is
rendered afresh.
"""

from __future__ import annotations

import json
import threading
import tomllib
import uuid
from pathlib import Path

from flask import current_app, g, make_response, render_template, url_for
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
from ..languages.overrides import store as overrides
from ..models import CHILD_AGE_BANDS
from ..security import policy_allowing
from ..static_files import static_files
from .context import PHONE, snapshots
from .flow import MULTI_STEPS, PROFILE_STEPS, STEPS
from .phone import phone_already_checked_in
from .questions import (
    CHILD_LESS,
    CHILDREN_HINT,
    CHOOSE_LANGUAGE,
    COMPANION_OPTIONS,
    COMPANIONS_HINT,
    COMPANIONS_TITLE,
    FIRST_TIME_HERE,
    HINTS,
    INTERPRETER_LANGUAGE,
    LARGE_TEXT,
    OPTIONS,
    READ_ALOUD,
    SKIP_ALL,
    TITLES,
    interpreter_default,
    interpreter_options,
    residence_options,
)

CSRF_SLOT = "__hlm_csrf__"
FLOW_SLOT = "__hlm_flow__"
ANSWERS_SLOT = "__hlm_answers__"
LIVE_SLOT, OTHERS_SLOT = "__hlm_live__", "__hlm_others__"
# A new release brings new templates: its parts are not the old ones.
APP_VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
# An event's kiosk page holds 13 parts (60 KB each) and, per page language, the others joined
# (600 KB): a few events open at once fit; keys of past versions are dropped with the rest.
MAX_KEPT_CHARACTERS = 48_000_000
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
    answers = welcome_answers(event)
    if submitted is None:
        live = cached_part(mode, event, lang).replace(CSRF_SLOT, generate_csrf()).replace(
            FLOW_SLOT, str(uuid.uuid4())).replace(ANSWERS_SLOT, answers, 1)
    else:
        live = _render_part(mode, event, lang, submitted=submitted, error_step=error_step, error=error,
                            csrf=generate_csrf(), flow=submitted.get("flow") or str(uuid.uuid4()),
                            answers=Markup(answers))
    # The others keep their placeholders: kiosk.js gives a language it shows the live part's token and a new uuid.
    others = "" if mode == PHONE else joined_others(mode, event, lang, answers)
    inlined = None
    if mode == PHONE:
        files = static_files()
        inlined = {"style": files.inline(INLINE_STYLE), "scripts": [files.inline(f) for f in INLINE_SCRIPTS]}
    # The parts go into the rendered page by a join: through the template, 600 KB would be copied
    # again at each step (Markup, escaping, Jinja's own join).
    shell = render_template(
        "checkin/flow.html", mode=mode, code=event.code, event=event, lang=lang, live=Markup(LIVE_SLOT),
        text_lang=html_lang(lang), dir=text_direction(lang), oral_languages=ORAL_LANGUAGES,
        others=Markup(OTHERS_SLOT), idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"], inlined=inlined,
        phone_done=mode == PHONE and phone_already_checked_in(event.code))
    head, rest = shell.split(LIVE_SLOT, 1)
    middle, tail = rest.split(OTHERS_SLOT, 1)
    response = make_response("".join((head, live, middle, others, tail)), status)
    if inlined:
        response.headers["Content-Security-Policy"] = policy_allowing(
            [script.csp_source for script in inlined["scripts"]], [inlined["style"].csp_source])
    return response


class PartCache:
    """Rendered parts of the page, under the key of what they are made of (one per application)."""

    def __init__(self):
        self._entries: dict[tuple, str] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, render) -> str:
        found = self._entries.get(key)
        if found is not None:
            return found
        value = render()
        with self._lock:
            if self._size + len(value) > MAX_KEPT_CHARACTERS:
                self._entries.clear()  # mostly keys of past events and versions, never asked again
                self._size = 0
            if key not in self._entries:
                self._size += len(value)
            self._entries[key] = value
        return value


def parts() -> PartCache:
    return current_app.extensions.setdefault("kiosk_parts", PartCache())


def _made_of(mode: str, event) -> tuple:
    """What every part of an event's page depends on, but its language."""
    from ..demo.presence import demo_marker  # here: the demo package imports areas that import this one
    return (mode, event.code, event.title, bool(event.express_mode), tuple(event.language_codes),
            snapshots().qpv_neighbourhoods(), overrides().version, APP_VERSION, bool(demo_marker()))


def _kept(key: tuple, render) -> str:
    # Templates read again from disk as they change (debug): nothing is kept longer than a snapshot.
    if current_app.jinja_env.auto_reload:
        return snapshots().rendered(repr(key), render)
    return parts().get(key, render)


def cached_part(mode: str, event, lang: str) -> str:
    """One language's part with its placeholders."""
    return _kept(("part", lang, *_made_of(mode, event)), lambda: _render_part(mode, event, lang))


def joined_others(mode: str, event, lang: str, answers: str) -> str:
    """The <template> of every kiosk language but ``lang``, joined, with the welcome screen's
    ``answers``; the oral ones made from the French."""
    def join() -> str:
        pieces = []
        for code in LANGUAGES:
            if code == lang:
                continue
            if code in ORAL_LANGUAGES:
                pieces.append(Markup('<template data-lang="{}" data-base="fr" data-dir="{}" data-text-lang="{}" '
                                     'data-recordings="{}"></template>').format(
                    code, text_direction(code), html_lang(code), json.dumps(_recordings(code), sort_keys=True)))
            else:
                pieces.append(Markup('<template data-lang="{}" data-dir="{}" data-text-lang="{}">{}</template>').format(
                    code, text_direction(code), html_lang(code), Markup(cached_part(mode, event, code))))
        return "".join(pieces).replace(ANSWERS_SLOT, answers)

    return _kept(("others", lang, answers, *_made_of(mode, event)), join)


def _recordings(code: str) -> dict[str, str]:
    """The URL of each recorded prompt of a language, by its key (data-audio-keys in the part)."""
    return {key: url_for("languages.audio", name=name) for key, name in overrides().recordings.get(code, {}).items()}


def welcome_answers(event) -> str:
    """The latest answers the welcome screen shows (voice), the same in every language."""
    return snapshots().rendered(f"answers:{event.code}", lambda: render_template(
        "voice/includes/welcome_answers.html", event=event))


def language_part(mode: str, event, lang: str):
    """A language's part as a <template>, for a page that did not carry it (a phone)."""
    part = cached_part(mode, event, lang).replace(CSRF_SLOT, generate_csrf()).replace(
        FLOW_SLOT, str(uuid.uuid4())).replace(ANSWERS_SLOT, welcome_answers(event), 1)
    html = Markup('<template data-lang="{}" data-dir="{}" data-text-lang="{}">{}</template>').format(
        lang, text_direction(lang), html_lang(lang), Markup(part))
    return make_response(html)


def _render_part(mode: str, event, lang: str, *, submitted=None, error_step=None, error=None,
                 csrf: str = CSRF_SLOT, flow: str = FLOW_SLOT, answers: Markup = Markup(ANSWERS_SLOT)) -> str:
    config = current_app.config
    with force_language(lang):
        return render_template(
            "checkin/includes/flow_part.html", mode=mode, code=event.code, event=event, lang=lang,
            dir=text_direction(lang), languages=LANGUAGES, steps=[] if event.express_mode else _steps(event, lang),
            oral_languages=ORAL_LANGUAGES, rtl_languages=RTL_LANGUAGES,
            csrf=csrf, flow=flow, submitted=submitted, error_step=error_step, error=error,
            controller=config["DATA_CONTROLLER_NAME"], contact=config["DATA_CONTROLLER_CONTACT"],
            months=config["RETENTION_MONTHS"], words=WORDS, child_ages=OPTIONS["child_ages"], welcome_answers=answers,
            interpreter_default=interpreter_default(lang))


# Lines of the page that are not a question's own (questions.py holds them for the catalogue).
WORDS = {"companions_title": COMPANIONS_TITLE, "companions_hint": COMPANIONS_HINT, "skip_all": SKIP_ALL,
         "large_text": LARGE_TEXT, "read_aloud": READ_ALOUD, "first_time_here": FIRST_TIME_HERE,
         "children_hint": CHILDREN_HINT, "child_less": CHILD_LESS, "interpreter_language": INTERPRETER_LANGUAGE,
         "choose_language": CHOOSE_LANGUAGE, "childcare": OPTIONS["needs"][0][1]}


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
                      "audio_keys": _audio_keys(step, options),
                      "companions": COMPANION_OPTIONS if step == "needs" else None})
    return steps


def _audio_keys(step: str, options) -> list[str]:
    """The recordings of a question, then of each of its answers, then of "Passer" (issue 15)."""
    return [f"q:{step}", *(f"a:{step}:{value}" for value, _label, _icon in options), "a:skip"]
