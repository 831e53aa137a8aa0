"""Hors-les-murs: check-in kiosk and indicators for outreach events in priority neighbourhoods."""

import os

from flask import Flask, render_template
from flask_babel import get_locale

from . import config as config_module
from . import inputs, security, static_files
from .database import configure as configure_database
from .database import init_app as init_database
from .extensions import babel, compress, csrf, db, htmx, limiter, login_manager, migrate
from .i18n import LANGUAGES, select_locale, text_direction


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    # Only now do we know whether a key was given: never generate one on disk for nothing.
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.load_secret_key(app.instance_path)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")

    configure_database(app)
    db.init_app(app)
    # Batch mode lets later migrations alter SQLite tables, which cannot ALTER in place.
    migrate.init_app(
        app, db, directory=os.path.join(app.root_path, "..", "migrations"), render_as_batch=True
    )
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    init_database(app)
    inputs.init_app(app)
    static_files.init_app(app)

    from . import (
        accounts,
        auth,
        cards,
        checkin,
        core,
        demo,
        events,
        languages,
        orientation,
        places,
        reception,
        review,
        stand,
        stats,
        sync,
        training,
        voice,
    )

    for module in (core, auth, accounts, places, cards, events, checkin, stand, stats, sync, voice, orientation,
                   reception, training, review, languages):
        app.register_blueprint(module.bp)
    for module in (auth, demo, cards, events, checkin, stand, stats, sync, voice, reception, languages):
        module.init_app(app)

    @app.context_processor
    def inject_layout():
        locale = str(get_locale()).replace("_", "-")  # a lang attribute: "fa-AF", not Babel's "fa_AF"
        from . import permissions

        # Templates ask the same rules as the routes (perm.can_edit_event(current_user, event)…).
        return {"locale": locale, "text_dir": text_direction(locale), "LANGUAGES": LANGUAGES, "perm": permissions}

    security.init_app(app)
    register_error_pages(app)
    return app


def register_error_pages(app: Flask) -> None:
    for code in (400, 403, 404, 405, 410, 413, 429, 500):
        app.register_error_handler(code, lambda e, code=code: _error_page(e, code))


def _error_page(error, code: int):
    if code == 500:
        db.session.rollback()
    return render_template("errors/error.html", code=code, error=error), code
