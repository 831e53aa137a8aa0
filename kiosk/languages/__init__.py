"""Languages of the kiosk as people of the neighbourhood make them: reviewed texts, recorded voices.

Translators (coordinators, and animateurs given the translator flag) review and approve the
resident-facing strings per language side by side with the French, and record each prompt
in the browser; the coverage report says where each language stands. Approved texts override
the shipped catalogue (overrides.OverridingDomain); recordings are served from the app.
"""

from flask import Blueprint, Flask

bp = Blueprint("languages", __name__)

from . import models, routes  # noqa: E402,F401  (models: the tables, for Alembic)
from .overrides import OverrideStore, OverridingDomain, refresh_if_stale  # noqa: E402


def init_app(app: Flask) -> None:
    from ..extensions import babel
    from . import cli, kiosk

    app.extensions["translation_overrides"] = OverrideStore()
    # Flask-Babel builds its default domain once (a cached property): ours replaces it.
    babel.domain_instance = OverridingDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.before_request(refresh_if_stale)
    app.before_request_funcs.setdefault(None, []).insert(0, routes.raise_prompt_limit)
    app.add_template_global(kiosk.prompt_audio, "prompt_audio")
    app.add_template_global(kiosk.resident_speaks_orally, "resident_speaks_orally")
    app.cli.add_command(cli.languages_group)
