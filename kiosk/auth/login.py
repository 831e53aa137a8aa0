"""Starting a staff session in this browser: the one way every login goes."""

from flask import current_app, g, session
from flask_login import login_user

from ..models import User


def start_session(user: User) -> None:
    """Log the user in with a fresh CSRF token: a token seen before the login is worth nothing after it."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    session.pop(field, None)
    g.pop(field, None)
    login_user(user)
