"""Home page and health check."""

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from sqlalchemy import text

from .. import permissions
from ..extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    """Send staff to their events, everyone else to the login page."""
    if current_user.is_authenticated:
        # The State's delegates read figures, never event pages: their home is the statistics.
        return redirect(url_for(permissions.home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Report whether the application and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure of the database is the answer here
        db.session.rollback()
        return jsonify(status="error", database="error", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
