"""Kiosk mode: the animateur binds a tablet to an event, and only they leave it, with their PIN or password."""

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, login_required, logout_user

from ..auth.login import start_session
from ..events.services import get_event_by_code
from ..extensions import db, limiter
from ..i18n import _
from ..models import User
from ..permissions import can_run_event
from . import bp
from .context import KIOSK, Refusal, forget_resident, kiosk_binding, render_screen
from .tablets import PIN_LOCKED, UNLOCKED, bind_tablet, unlock_tablet


def _unlock_limit() -> str:
    return current_app.config["KIOSK_UNLOCK_RATE_LIMIT"]


def _tablet_key() -> str:
    # Per tablet, not per address: a stand's tablets and phones often share one.
    binding = kiosk_binding()
    return f"tablet:{binding.tablet_id}" if binding else f"address:{request.remote_addr}"


def _too_many(_limit):
    raise Refusal(429, _("Trop d'essais. Attendez une minute avant de réessayer."))


@bp.post("/kiosk/<code>/open")
@login_required
def open_kiosk(code: str):
    """Bind this tablet to the event and log the animateur out: residents use it now."""
    event = get_event_by_code(code)
    if event is None or not can_run_event(current_user, event):
        raise Refusal(403, _("Ce kiosque ne peut pas être ouvert avec ce compte."))
    if not event.is_open:
        raise Refusal(409, _("Ouvrez d'abord l'action pour lancer le kiosque."))
    session["kiosk"] = bind_tablet(event, current_user)
    db.session.commit()
    logout_user()  # this browser only: the animateur's other sessions (the live view) go on
    forget_resident()
    return redirect(url_for("checkin.welcome", mode=KIOSK, code=event.code), 303)


@bp.route("/kiosk/<code>/unlock", methods=["GET", "POST"])
@limiter.limit(_unlock_limit, key_func=_tablet_key, methods=["POST"], on_breach=_too_many)
def unlock(code: str):
    """Ask the animateur's PIN or password, then log them back in on the event page."""
    binding = kiosk_binding()
    if binding is None:
        return redirect(url_for("core.index"))
    if binding.event_code != code:
        return redirect(url_for("checkin.unlock", code=binding.event_code))
    error = None
    if request.method == "POST":
        secret = request.form.get("secret", "")[:200]
        outcome = unlock_tablet(binding, secret, pin_attempts=current_app.config["KIOSK_PIN_ATTEMPTS"])
        db.session.commit()  # the tablet's count of wrong PINs, or its end
        if outcome == UNLOCKED:
            session.pop("kiosk", None)
            forget_resident()
            start_session(db.session.get(User, binding.user_id))
            return redirect(url_for("events.show", code=code), 303)
        error = (_("Trop de codes PIN faux sur cette tablette. Déverrouillez-la avec votre mot de passe.")
                 if outcome == PIN_LOCKED else _("Code incorrect. Le kiosque reste verrouillé."))
    return render_screen("checkin/_unlock.html", 403 if error else 200, mode=KIOSK, code=code, event=None,
                         error=error)
