"""The kiosk: residents check in by QR card, in their language, with their needs."""

from flask import Blueprint, Flask

bp = Blueprint("checkin", __name__)

from . import context, icons, kiosk_mode, phone, routes  # noqa: E402,F401
from .snapshots import SnapshotCache  # noqa: E402


def init_app(app: Flask) -> None:
    """Give this application its own copies of events and neighbourhoods."""
    app.extensions["kiosk_snapshots"] = SnapshotCache()
