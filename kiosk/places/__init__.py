"""Neighbourhoods (QPV) and partner structures, managed by coordinators."""

from flask import Blueprint

bp = Blueprint("places", __name__, url_prefix="/admin")

from . import routes  # noqa: E402,F401
