"""The animateur's stand: live view, tallies, posters and cards to print, event report."""

from flask import Blueprint, Flask

bp = Blueprint("stand", __name__, url_prefix="/events")

from . import routes  # noqa: E402,F401
from .labels import template_labels  # noqa: E402

bp.context_processor(template_labels)


def init_app(app: Flask) -> None:
    """Register this area's CLI commands and hooks."""
