"""The synthetic activity agrees with DESIGN.md's definitions, recounted in plain SQL."""

from datetime import timedelta

from sqlalchemy import DateTime, Integer, text

from kiosk.demo import seed_demo
from kiosk.extensions import db
from kiosk.stats.indicators import Filters, compute

# A card's earliest check-in, and whether it is the one flagged first seen: no ORM, no app code.
EARLIEST_NOT_FLAGGED = text("""
    SELECT count(*) FROM checkins c
    WHERE c.card_id IS NOT NULL
      AND c.created_at = (SELECT min(e.created_at) FROM checkins e WHERE e.card_id = c.card_id)
      AND NOT c.first_seen
""")
FLAGGED_NOT_EARLIEST = text("""
    SELECT count(*) FROM checkins c
    WHERE c.first_seen
      AND c.created_at > (SELECT min(e.created_at) FROM checkins e WHERE e.card_id = c.card_id)
""")


def _returns_recounted() -> int:
    # The 90-day bound computed per row in Python keeps the SQL the same on both databases.
    rows = db.session.execute(text("""
        SELECT c.card_id, c.event_id, c.created_at FROM checkins c
        WHERE c.card_id IS NOT NULL AND c.voided_at IS NULL ORDER BY c.card_id, c.created_at
    """).columns(card_id=Integer, event_id=Integer, created_at=DateTime)).all()
    by_card: dict[int, list] = {}
    for card_id, event_id, at in rows:
        by_card.setdefault(card_id, []).append((event_id, at))
    returns = 0
    for visits in by_card.values():
        first_event, first_at = visits[0]
        if any(event != first_event and first_at < at <= first_at + timedelta(days=90)
               for event, at in visits[1:]):
            returns += 1
    return returns


def _scalar(query) -> int:
    return db.session.execute(query).scalar_one()


def test_demo_first_seen_is_each_cards_earliest_checkin_and_returns_match_a_recount(app):
    seed_demo()  # the full demo make run loads: the figures people see
    assert _scalar(EARLIEST_NOT_FLAGGED) == 0
    assert _scalar(FLAGGED_NOT_EARLIEST) == 0
    assert compute(Filters()).returns == _returns_recounted() > 0


def test_generate_activity_runs_after_seed_demo_and_keeps_first_seen_true(runner, app):
    seed_demo(checkins=300, events=12)
    # The same seed and number of events as the demo draws the same event codes.
    result = runner.invoke(args=["generate-activity", "--checkins", "2000", "--events", "12"])
    assert result.exit_code == 0, result.output
    assert _scalar(text("SELECT count(*) FROM events")) == 12 + 1 + 12
    assert _scalar(EARLIEST_NOT_FLAGGED) == 0
    assert _scalar(FLAGGED_NOT_EARLIEST) == 0
    assert compute(Filters()).returns == _returns_recounted()
