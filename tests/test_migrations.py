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


def test_upgrading_moves_first_seen_off_voided_check_ins(app):
    """Data of the old rule: a voided first check-in kept first seen and the card's next one had none."""
    from datetime import timedelta

    from kiosk.models import CheckIn, utcnow

    from .factories import gen_card, gen_checkin, gen_event

    downgrade(revision="f00b1946d3d0")
    event, card, now = gen_event(), gen_card(), utcnow()
    trial = gen_checkin(event, card=card, first_seen=True, voided_at=now, created_at=now - timedelta(hours=1))
    later = gen_checkin(gen_event(), card=card, first_seen=False, created_at=now)
    anonymous = gen_checkin(event, first_seen=True)  # an erased card's row keeps its flag
    db.session.commit()
    upgrade()
    db.session.expire_all()
    assert [db.session.get(CheckIn, c.id).first_seen for c in (trial, later, anonymous)] == [False, True, True]
