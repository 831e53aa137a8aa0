"""The annual review of fiche T1.3: every indicator of the project sheet for a year and a territory."""

from flask import Blueprint

from . import cache, models  # noqa: F401  (this area's table; its cache listens to the signals on import)

bp = Blueprint("review", __name__, url_prefix="/stats/bilan-annuel")

from . import routes  # noqa: E402,F401
