"""What every kiosk view shares: the event it serves, the screens it renders, the kiosk lock."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, session, url_for
from flask_babel import get_locale, refresh
from flask_login import current_user, logout_user

from ..events.services import get_event_by_code
from ..fragments import render_page_or_fragment
from ..i18n import Catalogue, _
from ..models import Event
from ..permissions import can_manage_event
from . import bp
from .services import KioskBinding, kiosk_binding_value, read_kiosk_binding
from .snapshots import EventSnapshot, SnapshotCache

KIOSK = "kiosk"  # a tablet of the stand, bound to the event
PHONE = "e"  # the resident's own phone, from the event poster
RESIDENT_KEYS = ("flow", "done", "lang")  # what a reset forgets
# Endpoints a locked tablet may reach without the animateur's PIN.
OPEN_ENDPOINTS = {"static", "core.healthz"}


class Refusal(Exception):
    """Stop a kiosk view with a screen for the resident: a message and a 4xx status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def kiosk_binding() -> KioskBinding | None:
    return read_kiosk_binding(session.get("kiosk"))


def bind_kiosk(event: Event) -> None:
    """Bind this browser to the event and log the animateur out: residents use it now.

    Only the binding remembers who opened the kiosk; their PIN or password logs them back in.
    """
    session["kiosk"] = kiosk_binding_value(event, current_user)
    logout_user()
    forget_resident()


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
    return str(get_locale())


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
        raise Refusal(404, _("Cette action n'existe pas. Vérifiez le code sur l'affiche."))
    if code != event.code and request.method == "GET":
        # Every later form and flow then carries the stored code, not this spelling of it.
        # The query string is dropped: no kiosk screen reads one, and its keys could clash with url_for's.
        abort(redirect(url_for(request.endpoint, **{**(request.view_args or {}), "code": event.code}), 301))
    if mode == KIOSK:
        binding = kiosk_binding()
        if binding is None:
            if not current_user.is_authenticated:
                abort(redirect(url_for("auth.login", next=request.path)))
            managed = get_event_by_code(event.code)  # who may open it depends on its structure
            if managed is None or not can_manage_event(current_user, managed):
                raise Refusal(403, _("Ce kiosque ne peut pas être ouvert avec ce compte."))
            if not managed.is_open:
                raise Refusal(409, _("Ouvrez d'abord l'action pour lancer le kiosque."))
            bind_kiosk(managed)
        elif binding.event_code != event.code:
            abort(redirect(url_for("checkin.welcome", mode=KIOSK, code=binding.event_code)))
    if event.status == "closed":
        raise Refusal(410, _("Cette action est terminée. Merci et à bientôt !"))
    if not event.is_open:
        raise Refusal(409, _("Cette action n'a pas encore commencé."))
    return event


def render_screen(fragment: str, status: int = 200, *, catalogue: Catalogue | None = None, **context):
    """Render a kiosk screen: the fragment alone for htmx, the whole page otherwise."""
    context.setdefault("idle_seconds", current_app.config["KIOSK_IDLE_SECONDS"])
    context.update((catalogue or Catalogue()).template_functions())
    return render_page_or_fragment("checkin/page.html", fragment, status, fragment=fragment, **context)


@bp.errorhandler(Refusal)
def refused(error: Refusal):
    """Show why a resident cannot go on, in their language."""
    return problem_screen(error.status, error.message)


def problem_screen(status: int, message: str):
    args = request.view_args or {}
    # Where the event itself is missing, closed or not ours, "back to the welcome screen" leads nowhere.
    return render_screen("checkin/_problem.html", status, message=message, home=status not in (403, 404, 410),
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
    if endpoint.startswith("checkin.") or endpoint in OPEN_ENDPOINTS or not endpoint:
        return None
    return redirect(url_for("checkin.unlock", code=binding.event_code))


@bp.after_request
def no_store(response):
    """Keep the previous resident's screens out of every cache, the back button included."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
