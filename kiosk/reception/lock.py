"""A reception tablet: a browser bound to one structure's reception, left with the staff member's PIN.

Like a kiosk tablet (checkin/tablets.py, whose unlock rule it reuses), the binding lives in
the signed session; its own key ("reception") so that one browser is never both.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for

from ..checkin.tablets import KioskBinding
from ..extensions import db
from ..models import Structure, User
from .models import ReceptionTablet

SESSION_KEY = "reception"
OPEN_ENDPOINTS = {"static", "core.healthz", "reception.screen", "reception.unlock"}


def bind_reception(structure: Structure, user: User) -> dict:
    """Record a new reception tablet; return what the session keeps to bind the browser to it."""
    tablet = ReceptionTablet(structure_id=structure.id, user_id=user.id)
    db.session.add(tablet)
    db.session.flush()
    return {"s": structure.id, "u": user.id, "t": tablet.id}


def reception_binding() -> KioskBinding | None:
    """Return the session's reception binding (event_code holds the structure id), or None."""
    value = session.get(SESSION_KEY)
    if isinstance(value, dict) and all(type(value.get(k)) is int for k in ("s", "u", "t")):
        return KioskBinding(event_code=str(value["s"]), user_id=value["u"], tablet_id=value["t"])
    return None


def bound_structure_id() -> int | None:
    binding = reception_binding()
    return int(binding.event_code) if binding else None


def lock_reception():
    """Keep a bound reception tablet on its own reception screen: anything else asks for the PIN."""
    if SESSION_KEY not in session:
        return None
    structure_id = bound_structure_id()
    if structure_id is None:
        session.pop(SESSION_KEY, None)
        return None
    endpoint = request.endpoint or ""
    if not endpoint or endpoint in {"static", "core.healthz"}:
        return None
    if endpoint in OPEN_ENDPOINTS and (request.view_args or {}).get("structure_id") == structure_id:
        return None
    return redirect(url_for("reception.unlock", structure_id=structure_id))
