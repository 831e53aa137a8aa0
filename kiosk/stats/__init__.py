"""Indicators and exports for the contract's evaluation."""

from flask import Blueprint, Flask

bp = Blueprint("stats", __name__, url_prefix="/stats")

from . import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Register this area's CLI commands and hooks."""
