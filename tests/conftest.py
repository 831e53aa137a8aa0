"""Fixtures: an application and a clean database per test, on SQLite or PostgreSQL.

Set HLM_TEST_DATABASE_URL to run the suite against PostgreSQL (what `make test` does for
its second pass). The schema is built once per session by the real migrations.
"""

import os

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from kiosk import create_app
from kiosk.extensions import db

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
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def make_app(database_url: str, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "tests",
        "RATELIMIT_ENABLED": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(overrides)
    return create_app(config)


def clear_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        clear_tables()
        yield app
        db.session.rollback()
        clear_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
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
