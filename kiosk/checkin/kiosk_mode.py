"""Leaving kiosk mode: only the animateur who opened it, with their PIN or password."""

from flask import current_app, redirect, request, session, url_for
from flask_login import login_user

from ..extensions import limiter
from ..i18n import _
from . import bp
from .context import KIOSK, Refusal, forget_resident, kiosk_binding, render_screen
from .services import unlocking_user


def _unlock_limit() -> str:
    return current_app.config["KIOSK_UNLOCK_RATE_LIMIT"]


def _too_many(_limit):
    raise Refusal(429, _("Trop d'essais. Attendez une minute avant de réessayer."))


@bp.route("/kiosk/<code>/unlock", methods=["GET", "POST"])
@limiter.limit(_unlock_limit, methods=["POST"], on_breach=_too_many)
def unlock(code: str):
    """Ask the animateur's PIN or password, then log them back in on the event page."""
    binding = kiosk_binding()
    if binding is None:
        return redirect(url_for("core.index"))
    if binding.event_code != code:
        return redirect(url_for("checkin.unlock", code=binding.event_code))
    error = None
    if request.method == "POST":
        user = unlocking_user(binding, request.form.get("secret", "")[:200])
        if user is not None:
            session.pop("kiosk", None)
            forget_resident()
            login_user(user)
            return redirect(url_for("events.show", code=code), 303)
        error = _("Code incorrect. Le kiosque reste verrouillé.")
    return render_screen("checkin/_unlock.html", 403 if error else 200, mode=KIOSK, code=code, event=None,
                         error=error)
