"""Whether this database holds the demo: every page says so while it does."""

from __future__ import annotations

import time

from flask import Flask, current_app

from ..extensions import db
from ..models import User

DEMO_DOMAIN = "demo.hors-les-murs.fr"
# Pages ask at most this often; the removal command runs in another process than the server.
RECHECK_SECONDS = 5.0


def is_demo_email(email: str) -> bool:
    return email.strip().lower().endswith("@" + DEMO_DOMAIN)


def demo_present() -> bool:
    """Return True while an account of the demo exists (the demo is removed as a whole)."""
    query = db.select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}")).limit(1)
    return db.session.execute(query).first() is not None


def demo_marker() -> bool:
    """Return demo_present(), asked again after RECHECK_SECONDS: one query per page is too many."""
    state = current_app.extensions.setdefault("hlm_demo", {"at": None, "present": False})
    now = time.monotonic()
    if state["at"] is None or now - state["at"] > RECHECK_SECONDS:
        state["present"], state["at"] = demo_present(), now
    return state["present"]


def forget_presence(app: Flask) -> None:
    """Make the next page ask again (seeding and removal call this in their process)."""
    app.extensions.get("hlm_demo", {})["at"] = None


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_demo_marker():
        return {"demo_data": demo_marker}
