"""A structure's reception: visits, with a card or without, on a bound tablet or a staff phone."""

from flask import Blueprint, Flask

from . import models  # noqa: F401  (tables of this area)

bp = Blueprint("reception", __name__, url_prefix="/reception")

from . import routes  # noqa: E402,F401
from .labels import template_labels  # noqa: E402

bp.context_processor(template_labels)


def init_app(app: Flask) -> None:
    from .lock import lock_reception

    app.before_request(lock_reception)
