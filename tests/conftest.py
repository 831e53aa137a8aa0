"""Fixtures: one application for the session, a clean database per test, SQLite or PostgreSQL.

Set HLM_TEST_DATABASE_URL to run the suite against PostgreSQL (what `make test` does for
its second pass). The schema is built once per session by the real migrations.

Each request a test makes runs in its own application context, hence its own database
session and identity map, as in production; the test's own context (where factories
write and where it reads results) stands for "everything before and after the request".
"""

import os
import re
import tempfile

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from kiosk import create_app
from kiosk.demo.presence import forget_presence
from kiosk.extensions import db, limiter

from . import factories

PG_URL_ENV = "HLM_TEST_DATABASE_URL"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def reset_database(url: str) -> None:
    """Drop everything so that migrations start from empty."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()


def postgres_reachable(url: str) -> bool:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get(PG_URL_ENV)
    if url:
        if not postgres_reachable(url):
            message = f"PostgreSQL is unreachable at {url}"
            if running_in_ci():
                pytest.fail(message + " (CI=true: this run must not skip it)", pytrace=False)
            pytest.skip(message)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "tests"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


class RequestClient(FlaskClient):
    """A test client that serves every request in a fresh application context.

    What the test wrote before the request is committed first: a request only ever sees
    committed rows, and committing expires the test's objects, so reading them after the
    request loads what the request did rather than a copy from before it.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        # Buffered, so that a streamed body is produced inside the request's context.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self, path: str) -> str:
        """Return the CSRF token of the page at this path, as a browser would read it."""
        html = self.get(path).text
        match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
            r'name="csrf_token" value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


class CommandRunner(FlaskCliRunner):
    """A CLI runner whose every command runs in a fresh application context, as from a shell."""

    def invoke(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.app.app_context():
            return super().invoke(*args, **kwargs)


def make_app(database_url: str, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "tests",
        "RATELIMIT_ENABLED": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "VOICE_DIR": tempfile.mkdtemp(prefix="hlm-voice-"),  # voice messages the tests record
        "PROMPT_DIR": tempfile.mkdtemp(prefix="hlm-prompts-"),  # prompts the tests record (issue 15)
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = RequestClient
    app.test_cli_runner_class = CommandRunner
    return app


def clear_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="session")
def shared_app(database_url):
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app):
    """The session's application, as new: empty tables and caches, no rate counted, its config."""
    app = shared_app
    config = dict(app.config)
    limiter.reset()
    app.extensions["kiosk_snapshots"].clear()
    app.extensions["translation_overrides"].expire()  # a previous test's approved texts (issue 15)
    forget_presence(app)
    with app.app_context():
        clear_tables()
        yield app
        db.session.rollback()
        clear_tables()
        db.session.remove()
    app.config.clear()
    app.config.update(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_client(app):
    """A client of the application with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def login_as(self, user):
        return self.login(user.email)

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
