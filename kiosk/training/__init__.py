"""Training sessions and network meetings, recorded by coordinators."""

from flask import Blueprint

from . import models  # noqa: F401  (tables of this area)

bp = Blueprint("training", __name__, url_prefix="/admin/training")

from . import routes  # noqa: E402,F401
from .labels import template_labels  # noqa: E402

bp.context_processor(template_labels)
