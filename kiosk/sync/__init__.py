"""Stands and the central server: device enrolment, pull, outbox and push, merging.

Central side: /api/sync/* for stands (token auth, no session, no CSRF) and the
coordinator's devices page. Stand side: the outbox, `flask stand ...` and the sync loop.
"""

from flask import Blueprint, Flask

bp = Blueprint("sync", __name__)

from . import journal, routes, setup  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Register this area's CLI commands, and exempt the token-authenticated API from CSRF."""
    from ..extensions import csrf
    from .cli import devices_cli, stand_cli

    csrf.exempt(routes.enrol_device)
    csrf.exempt(routes.push)
    app.cli.add_command(stand_cli)
    app.cli.add_command(devices_cli)
    app.jinja_env.globals["stand_sync_status"] = routes.stand_sync_status
