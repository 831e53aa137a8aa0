"""The annual review of fiche T1.3: every indicator of the project sheet for a year and a territory."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/stats/bilan-annuel")

from . import routes  # noqa: E402,F401
