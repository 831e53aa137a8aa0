"""Staff accounts: coordinators manage them; everyone sets their own password and kiosk PIN."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import routes  # noqa: E402,F401
