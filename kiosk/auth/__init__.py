"""Accounts: log in and out, roles, and the command that makes the first coordinator."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import cli, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    from ..extensions import login_manager
    from ..i18n import _l
    from .services import load_session_user

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    login_manager.user_loader(load_session_user)

    app.cli.add_command(cli.create_user)
