"""Events: the outreach actions animateurs prepare, open and close."""

from flask import Blueprint, Flask

bp = Blueprint("events", __name__, url_prefix="/events")

from . import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    from .cli import events_group

    app.cli.add_command(events_group)
