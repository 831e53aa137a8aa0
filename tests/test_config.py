import pytest
import sqlalchemy as sa

from kiosk import create_app
from kiosk.config import load_secret_key, normalise_database_url
from kiosk.extensions import db


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(str(tmp_path))
    assert len(first) == 64
    assert load_secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_secret_key(str(tmp_path)) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_a_given_secret_key_writes_nothing_to_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"SECRET_KEY": "given", "TESTING": True}, instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "given"
    assert not (tmp_path / "secret_key").exists()
    generated = create_app({"TESTING": True}, instance_path=str(tmp_path / "other"))
    assert generated.config["SECRET_KEY"] == (tmp_path / "other" / "secret_key").read_text().strip()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_defaults_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "5")
    monkeypatch.setenv("RETENTION_MONTHS", "12")
    monkeypatch.setenv("PUBLIC_URL", "https://stand.example.org/")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SUPPRESSION_THRESHOLD"] == 5
    assert app.config["RETENTION_MONTHS"] == 12
    assert app.config["PUBLIC_URL"] == "https://stand.example.org"
    assert app.config["PORT"] == 5000
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/hors-les-murs.sqlite3")


def test_sqlite_is_durable(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "t"})
    with app.app_context():
        with db.engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys")
            }
        db.engine.dispose()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def _statements_sent_by_the_pool(app) -> list[str]:
    """Check a connection out twice and return what reached SQLite before our own query."""
    seen: list[str] = []
    with app.app_context():
        with db.engine.connect() as conn:
            conn.connection.dbapi_connection.set_trace_callback(seen.append)
        with db.engine.connect() as conn:  # the same pooled connection, checked out again
            conn.exec_driver_sql("SELECT 42")
            conn.connection.dbapi_connection.set_trace_callback(None)
        db.engine.dispose()
    return seen[: seen.index("SELECT 42")]


def test_a_sqlite_connection_is_not_pinged_before_each_use(tmp_path):
    # A file on this machine never drops a connection: a test query would be pure cost.
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "t"})
    assert not any("select 1" in s.lower() for s in _statements_sent_by_the_pool(app))


def test_a_server_connection_dropped_while_idle_is_replaced_unnoticed(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a server database only: set HLM_TEST_DATABASE_URL")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"})
    with app.app_context():
        with db.engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        # The server (a restart, an idle timeout) closes the pooled connection.
        admin = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
        db.engine.dispose()
