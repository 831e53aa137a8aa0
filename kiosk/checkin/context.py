"""What every kiosk view shares: the event it serves, the screens it renders, the kiosk lock."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, session, url_for
from flask_babel import format_date, format_time, refresh
from flask_login import current_user

from ..events.services import EARLY, LATE, checkin_timing
from ..fragments import render_page_or_fragment
from ..i18n import (
    LANGUAGES,
    WRITTEN_LANGUAGES,
    _,
    browser_language,
    force_language,
    html_lang,
    resident_language,
    text_direction,
)
from . import bp
from .snapshots import EventSnapshot, SnapshotCache
from .tablets import KioskBinding, read_kiosk_binding

KIOSK = "kiosk"  # a tablet of the stand, bound to the event
PHONE = "e"  # the resident's own phone, from the event poster
RESIDENT_KEYS = ("flow", "done", "lang")  # what a reset forgets
# Endpoints a locked tablet may reach without the animateur's PIN.
# The recorded prompts (issue 15) are the kiosk's own sounds: a locked tablet plays them.
OPEN_ENDPOINTS = {"static", "core.healthz", "languages.audio"}


class Refusal(Exception):
    """Stop a kiosk view with a screen for the resident: a message and a 4xx status.

    ``others`` holds the message in other languages, for a resident who has not chosen one yet.
    """

    def __init__(self, status: int, message: str, others: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.others = others or []


def kiosk_binding() -> KioskBinding | None:
    return read_kiosk_binding(session.get("kiosk"))


def forget_resident(*, keep_language: bool = False) -> None:
    """Drop everything of the current resident; the kiosk binding stays."""
    for key in RESIDENT_KEYS:
        if not (keep_language and key == "lang"):
            session.pop(key, None)
    refresh()


@bp.before_request
def fresh_locale():
    """Read the resident's language anew: it changes between two screens, never within one."""
    refresh()


def snapshots() -> SnapshotCache:
    return current_app.extensions["kiosk_snapshots"]


def language() -> str:
    """The resident's language code ("prs", not Babel's "fa_AF"; "snk", not the French it shows)."""
    return resident_language()


def channel_for(mode: str, channel: str) -> str:
    return "phone" if mode == PHONE else channel


def find_event(code: str) -> EventSnapshot | None:
    """Return the event a code in a URL names, however it was typed (case, spaces)."""
    code = code.strip().upper()
    return snapshots().event(code) if len(code) <= 12 else None


def canonical_code(code: str) -> str:
    """Return the event's stored code, so that every spelling of it shares one key."""
    event = find_event(code)
    return event.code if event is not None else code.strip().upper()


def load_event(mode: str, code: str) -> EventSnapshot:
    """Return the open event a kiosk view serves; redirect (abort) or raise Refusal otherwise."""
    event = find_event(code)
    if event is None:
        raise Refusal(404, _("Nous ne trouvons pas ce stand. Vérifiez le code sur l'affiche."))
    if code != event.code and request.method == "GET":
        # Every later form and flow then carries the stored code, not this spelling of it.
        # The query string is dropped: no kiosk screen reads one, and its keys could clash with url_for's.
        abort(redirect(url_for(request.endpoint, **{**(request.view_args or {}), "code": event.code}), 301))
    if mode == KIOSK:
        binding = kiosk_binding()
        if binding is None:
            if not current_user.is_authenticated:
                abort(redirect(url_for("auth.login", next=request.path)))
            # Binding logs the animateur out, so only their own button (a form post) does it, never a link.
            abort(redirect(url_for("events.show", code=event.code)))
        elif binding.event_code != event.code:
            abort(redirect(url_for("checkin.welcome", mode=KIOSK, code=binding.event_code)))
    if event.status == "closed":
        raise Refusal(410, _("Ce stand est fermé. Merci et à bientôt !"))
    if mode == KIOSK and not snapshots().tablet_allowed(binding.user_id, event.id):
        # The one who opened this tablet lost the event (partner removed, account moved or
        # closed): residents stop here; the tablet unlocks with their PIN as before.
        raise Refusal(403, _("Cette tablette ne marche plus pour ce stand. Demandez à l'équipe du stand."))
    if not event.is_open:
        raise Refusal(409, _("Ce stand ouvre plus tard."))
    refuse_outside_times(event)
    return event


def refuse_outside_times(event: EventSnapshot, timing: str | None = None) -> None:
    """Refuse a check-in before the event's window opens or after it closes, in the resident's language."""
    timing = timing or checkin_timing(event.starts_at, event.ends_at)
    if timing == LATE:
        raise Refusal(410, *_in_resident_languages(lambda: _("Ce stand est fermé. Merci et à bientôt !")))
    if timing == EARLY:
        raise Refusal(409, *_in_resident_languages(lambda: " ".join((
            _("Ce stand ouvre plus tard."),
            _("Il ouvre le %(day)s à %(time)s.", day=format_date(event.starts_at, "EEEE d MMMM"),
              time=format_time(event.starts_at, "HH:mm"))))))


def _in_resident_languages(message) -> tuple[str, list[dict]]:
    """The message in the resident's language; before they chose one, in the browser's
    language first, then in every other written kiosk language."""
    if session.get("lang") in LANGUAGES:
        return message(), []
    first = browser_language()
    with force_language(first):
        main = message()
    others = []
    for code in WRITTEN_LANGUAGES:
        if code != first:
            with force_language(code):
                text = message()
            if text != main and all(text != line["text"] for line in others):  # no line twice
                others.append({"lang": html_lang(code), "dir": text_direction(code), "text": text})
    return main, others


def render_screen(fragment: str, status: int = 200, **context):
    """Render a kiosk screen: the fragment alone for htmx, the whole page otherwise."""
    context.setdefault("idle_seconds", current_app.config["KIOSK_IDLE_SECONDS"])
    return render_page_or_fragment("checkin/page.html", fragment, status, fragment=fragment, **context)


@bp.errorhandler(Refusal)
def refused(error: Refusal):
    """Show why a resident cannot go on, in their language."""
    return problem_screen(error.status, error.message, error.others)


def problem_screen(status: int, message: str, others: list[dict] | None = None):
    args = request.view_args or {}
    # Where the event itself is missing, closed or not ours, "back to the welcome screen" leads nowhere.
    return render_screen("checkin/_problem.html", status, message=message, others=others or [],
                         home=status not in (403, 404, 410),
                         mode=args.get("mode", KIOSK if "kiosk" in session else PHONE), code=args.get("code", ""))


@bp.before_app_request
def lock_kiosk():
    """Send a tablet in kiosk mode back to its unlock screen on any staff page."""
    if "kiosk" not in session:
        return None
    binding = kiosk_binding()
    if binding is None:  # not of the expected shape (an older version's): drop it, and the resident's state
        session.pop("kiosk", None)
        forget_resident()
        return None
    endpoint = request.endpoint or ""
    if endpoint in OPEN_ENDPOINTS or not endpoint:
        return None
    if endpoint.startswith("checkin."):
        if (request.view_args or {}).get("mode") != PHONE:
            return None
        # A locked tablet serves its own kiosk only, not the phone flow of any event.
        return redirect(url_for("checkin.welcome", mode=KIOSK, code=binding.event_code))
    return redirect(url_for("checkin.unlock", code=binding.event_code))


@bp.after_request
def no_store(response):
    """Keep the previous resident's screens out of every cache, the back button included."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
