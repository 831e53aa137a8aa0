"""The kiosk: residents check in by QR card, in their language, with their needs."""

import os

from flask import Blueprint, Flask

bp = Blueprint("checkin", __name__)

from . import context, icons, kiosk_mode, phone, routes  # noqa: E402,F401
from .snapshots import SnapshotCache  # noqa: E402

DEFAULTS = {
    # An idle kiosk goes back to the welcome screen after this many seconds.
    "KIOSK_IDLE_SECONDS": 45,
    # The confirmation stays this long (longer when a new card is shown, to photograph it).
    "KIOSK_CONFIRM_SECONDS": 8,
    "KIOSK_CARD_SECONDS": 60,
    "KIOSK_UNLOCK_RATE_LIMIT": "5 per minute",
    # Wrong PINs a tablet accepts before only the password unlocks it.
    "KIOSK_PIN_ATTEMPTS": 5,
    # Posts of one phone (its cookie) at one event's self check-in.
    "PHONE_RATE_LIMIT": "40 per 10 minutes",
    # Phone check-ins from one address at one event: a stand's Wi-Fi or a carrier puts many
    # phones behind one address, so this is a ceiling against a script, not a per-person limit.
    "PHONE_ADDRESS_RATE_LIMIT": "60 per 10 minutes",
}


def init_app(app: Flask) -> None:
    """Register this area's settings, overridable from the environment."""
    for key, default in DEFAULTS.items():
        value = os.environ.get(key, "").strip()
        if isinstance(default, int):
            value = int(value) if value.isdigit() and int(value) > 0 else None
        app.config.setdefault(key, value or default)
    app.extensions["kiosk_snapshots"] = SnapshotCache()
