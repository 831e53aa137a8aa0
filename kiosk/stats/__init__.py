"""Indicators and exports for the contract's evaluation."""

from flask import Blueprint, Flask

bp = Blueprint("stats", __name__, url_prefix="/stats")

from . import models, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Register this area's CLI commands and hooks."""
    from . import (
        conversion,  # noqa: F401  (listens: freezes an unlinked card's conversion facts)
        profiles,  # noqa: F401  (listens: drops the finished months' visitor counts a write changes)
    )
    from .cli import generate_activity_command, stats_cli

    app.cli.add_command(stats_cli)
    app.cli.add_command(generate_activity_command)
