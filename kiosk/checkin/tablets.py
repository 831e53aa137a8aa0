"""Kiosk tablets: a browser bound to one event, and who may unlock it with which secret.

The binding lives in the session cookie, which Flask signs: a resident cannot forge or
alter it. Wrong PINs are counted in the tablet's row, so a lockout holds for this tablet
only: nobody elsewhere on the stand's address can lock the animateur out of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auth.services import PIN_DIGITS, check_pin, verify_password
from ..extensions import db
from ..models import Event, KioskTablet, User

UNLOCKED = "unlocked"
WRONG = "wrong"
PIN_LOCKED = "pin_locked"  # too many wrong PINs on this tablet: only the password unlocks it now


@dataclass(frozen=True)
class KioskBinding:
    event_code: str
    user_id: int
    tablet_id: int


def bind_tablet(event: Event, user: User) -> dict:
    """Record a new kiosk tablet; return what the session keeps to bind the browser to it."""
    tablet = KioskTablet(event_id=event.id, user_id=user.id)
    db.session.add(tablet)
    db.session.flush()
    return {"e": event.code, "u": user.id, "t": tablet.id}


def read_kiosk_binding(value: object) -> KioskBinding | None:
    """Return the binding a session value holds, or None if it has not the expected shape."""
    if (isinstance(value, dict) and isinstance(value.get("e"), str) and type(value.get("u")) is int
            and type(value.get("t")) is int):
        return KioskBinding(event_code=value["e"], user_id=value["u"], tablet_id=value["t"])
    return None


def unlock_tablet(binding: KioskBinding, secret: str, *, pin_attempts: int, tablet_model=KioskTablet) -> str:
    """Check the PIN or password of the animateur who opened the tablet; the caller commits.

    A secret of exactly PIN_DIGITS digits is a PIN: after pin_attempts wrong ones the tablet
    refuses PINs and waits for the password, which goes through the account's own backoff.
    ``tablet_model``: another bound tablet with ``user_id`` and ``wrong_pins`` (kiosk/reception).
    """
    tablet = db.session.get(tablet_model, binding.tablet_id)
    user = db.session.get(User, binding.user_id)
    if user is None or not user.active or not secret or (tablet is not None and tablet.user_id != user.id):
        return WRONG
    if secret.isdigit() and len(secret) == PIN_DIGITS:
        # A tablet whose row is gone (its event deleted) still opens, with the password only.
        if tablet is None or tablet.wrong_pins >= pin_attempts:
            return PIN_LOCKED
        if not check_pin(user, secret):
            tablet.wrong_pins += 1
            return PIN_LOCKED if tablet.wrong_pins >= pin_attempts else WRONG
    elif not verify_password(user, secret):
        return WRONG
    if tablet is not None:
        db.session.delete(tablet)
    return UNLOCKED
