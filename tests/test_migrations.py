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


def _old_checkin(event, *, card=None, first_seen, created_at, voided_at=None) -> int:
    """Insert a check-in with the columns the old schema has (the model has more since)."""
    import uuid

    row = {"uuid": uuid.uuid4().hex, "event_id": event.id, "card_id": card.id if card else None,
           "created_at": created_at, "channel": "nocard", "language": "fr", "first_seen": first_seen,
           "needs_skipped": False, "childcare_children": 0, "childcare_age_bands": "", "accessibility": False,
           "voided_at": voided_at}
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("checkins")}
    row = {k: v for k, v in row.items() if k in columns}
    db.session.execute(sa.insert(sa.table("checkins", *map(sa.column, row))).values(row))
    return db.session.execute(sa.text("SELECT id FROM checkins WHERE uuid = :u"), {"u": row["uuid"]}).scalar_one()


def test_upgrading_moves_first_seen_off_voided_check_ins(app):
    """Data of the old rule: a voided first check-in kept first seen and the card's next one had none."""
    from datetime import timedelta

    from kiosk.models import CheckIn, utcnow

    from .factories import gen_card, gen_event

    downgrade(revision="f00b1946d3d0")
    event, card, now = gen_event(), gen_card(), utcnow()
    trial = _old_checkin(event, card=card, first_seen=True, voided_at=now, created_at=now - timedelta(hours=1))
    later = _old_checkin(gen_event(), card=card, first_seen=False, created_at=now)
    anonymous = _old_checkin(event, first_seen=True, created_at=now)  # an erased card's row keeps its flag
    db.session.commit()
    upgrade()
    db.session.expire_all()
    assert [db.session.get(CheckIn, c).first_seen for c in (trial, later, anonymous)] == [False, True, True]


def test_tables_others_point_to_are_rebuilt_on_a_database_holding_data(app):
    """SQLite rebuilds a table to alter it (users, checkins): rows of other tables point to them."""
    from kiosk.models import CheckIn, Event, User
    from kiosk.orientation.models import Orientation
    from kiosk.orientation.services import orient

    from .factories import gen_checkin, gen_event, gen_user

    event = gen_event()
    user = gen_user(structure=event.structure)
    event.created_by_id = user.id  # a row pointing to users (dropping it refuses)
    checkins = [gen_checkin(event) for _ in range(3)]
    orient(checkins[0], event.structure_id, author=user)  # one pointing to checkins (its drop cascades)
    db.session.commit()

    def counts():
        return [db.session.query(model).count() for model in (User, Event, CheckIn, Orientation)]

    before, ids = counts(), (user.id, [c.id for c in checkins])
    db.session.remove()
    downgrade(revision="a088e9b4ccc7")  # before the columns added to users and checkins
    upgrade()
    assert counts() == before
    assert db.session.get(User, ids[0]) is not None and all(db.session.get(CheckIn, i) for i in ids[1])
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # enforced again after
