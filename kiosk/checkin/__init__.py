"""The kiosk: residents check in by QR card, in their language, with their needs."""

from flask import Blueprint, Flask

bp = Blueprint("checkin", __name__)

from . import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Register this area's CLI commands and hooks."""
