"""Engine settings that make the embedded SQLite durable and consistent; work after a commit."""

from collections.abc import Callable

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from .extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the live view read while a kiosk writes; FULL survives a power cut on the stand.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def configure(app: Flask) -> None:
    """Adjust the engine options to the backend, before the engine is made."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine never drops a connection: no test query before each use.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_app(app: Flask) -> None:
    """Attach SQLite pragmas to the engine once it exists."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine: Engine = db.engine
        event.listen(engine, "connect", _sqlite_pragmas)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction of the request's session commits.

    Registered on this one session, at the write that needs it (never on every Session):
    a cache dropped before the commit could be refilled from the old rows meanwhile.
    """
    event.listen(db.session(), "after_commit", lambda _session: callback(), once=True)


def begin_write() -> None:
    """Make the session's transaction a writer from here on: what it reads next stays true until it commits.

    pysqlite opens a transaction only at the first write, so on SQLite the reads before it are
    not part of it: BEGIN IMMEDIATE takes the database's one write lock now (waiting up to
    busy_timeout, never failing on a reader), and the reads after it see what the commit will
    keep. On PostgreSQL the statements lock the rows they rely on instead (FOR SHARE / FOR UPDATE).
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def row_stamp(*tables) -> dict[str, list[int]]:
    """{table name: [highest id, number of rows]}: any new row changes it (a cache's validity).

    The number is there for PostgreSQL, where a transaction may commit a row whose id is below
    one committed before it: the highest id alone would miss it. Two index reads per table.
    """
    columns = []
    for table in tables:
        columns += [select(func.max(table.id)).scalar_subquery(),
                    select(func.count()).select_from(table).scalar_subquery()]
    values = [value or 0 for value in db.session.execute(select(*columns)).one()]
    return {table.__tablename__: values[2 * i:2 * i + 2] for i, table in enumerate(tables)}
