"""Migrations build the schema from empty, match the models, and go down and up again."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from kiosk.extensions import db


def test_migrated_schema_matches_the_models(app):
    # The session database was built from empty by `upgrade()` in conftest.
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_empty_then_upgrade_again(app):
    upgrade()  # idempotent: already at head
    downgrade(revision="base")
    names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    names = set(sa.inspect(db.engine).get_table_names())
    assert {"events", "checkins", "cards", "tallies", "neighbourhoods", "structures", "users"} <= names
