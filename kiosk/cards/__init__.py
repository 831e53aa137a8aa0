"""Cards and privacy: retention of unused cards and erasure on request."""

from flask import Blueprint, Flask

bp = Blueprint("cards", __name__, url_prefix="/admin/cards")

from . import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    from .cli import cards_group

    app.cli.add_command(cards_group)
