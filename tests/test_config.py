from kiosk import create_app
from kiosk.config import load_secret_key, normalise_database_url


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
    from kiosk.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys")
            }
        db.engine.dispose()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_only_a_server_database_is_pinged_before_each_use(tmp_path):
    from kiosk.extensions import db

    sqlite = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "t"})
    postgres = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1/none", "SECRET_KEY": "t"})
    with sqlite.app_context():
        assert db.engine.pool._pre_ping is False
        db.engine.dispose()
    with postgres.app_context():
        assert db.engine.pool._pre_ping is True
