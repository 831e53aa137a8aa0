"""Retention and erasure: unused cards are unlinked, a card is erased on request."""

from datetime import datetime, timedelta

import pytest

from kiosk.cards.services import months_before, purge_unused_cards
from kiosk.codes import display_card_code
from kiosk.extensions import db
from kiosk.models import AuditLog, Card, CheckIn
from kiosk.stats.indicators import Filters, compute

from . import factories

NOW = datetime(2026, 11, 26, 12, 0)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 11, 26), 24, datetime(2024, 11, 26)),
        (datetime(2026, 3, 31), 1, datetime(2026, 2, 28)),
        (datetime(2026, 1, 15), 13, datetime(2024, 12, 15)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


@pytest.fixture
def cards(app):
    event = factories.gen_event(starts_at=NOW - timedelta(days=900), ends_at=NOW - timedelta(days=899))
    old = factories.gen_card(last_used_at=NOW - timedelta(days=24 * 31))
    recent = factories.gen_card(last_used_at=NOW - timedelta(days=30))
    never_used = factories.gen_card(created_at=NOW - timedelta(days=800), last_used_at=None)
    factories.gen_checkin(event, card=old, first_seen=True, first_time="yes")
    factories.gen_checkin(event, card=recent, first_seen=True)
    return {"old": old, "recent": recent, "never_used": never_used}


def test_purge_unlinks_only_cards_unused_for_the_retention_period(cards):
    before = compute(Filters())
    dry = purge_unused_cards(months=24, now=NOW, dry_run=True)
    assert (dry.cards, dry.checkins) == (2, 1)
    assert db.session.get(Card, cards["old"].id) is not None  # a dry run changes nothing

    report = purge_unused_cards(months=24, now=NOW)
    assert (report.cards, report.checkins) == (2, 1)
    remaining = db.session.execute(db.select(Card.id)).scalars().all()
    assert remaining == [cards["recent"].id]
    anonymous = db.session.execute(db.select(CheckIn).where(CheckIn.card_id.is_(None))).scalars().all()
    assert len(anonymous) == 1 and anonymous[0].first_time == "yes"
    # Aggregated statistics are kept.
    after = compute(Filters())
    assert (after.participations, after.newcomers_declared, after.newcomers_first_seen) == (
        before.participations, before.newcomers_declared, before.newcomers_first_seen)
    assert db.session.execute(db.select(AuditLog.action)).scalars().all() == ["cards_purge"]


def test_purge_command(runner, cards):
    db.session.commit()
    result = runner.invoke(args=["cards", "purge", "--dry-run", "--months", "1"])
    assert result.exit_code == 0, result.output
    assert "seraient dissociées" in result.output
    assert db.session.execute(db.select(db.func.count()).select_from(Card)).scalar() == 3


def test_erase_a_card_by_its_code(client, auth, cards):
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(coordinator)
    code = cards["old"].code  # the request deletes the row behind this object
    response = client.post("/admin/cards/", data={"code": display_card_code(code).lower()})
    assert response.status_code == 302
    assert db.session.execute(db.select(Card).where(Card.code == code)).first() is None
    log = db.session.execute(db.select(AuditLog)).scalar_one()
    assert log.action == "card_erase" and code not in log.detail


@pytest.mark.parametrize("code", ["", "ABCDE-FGHJ2", "https://example.org/x"])
def test_erase_refuses_unknown_or_malformed_codes(client, auth, cards, code):
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(coordinator)
    response = client.post("/admin/cards/", data={"code": code})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Saisissez le code" in body or "Aucune carte ne porte ce code" in body
    assert db.session.execute(db.select(db.func.count()).select_from(Card)).scalar() == 3


def test_only_coordinators_erase(client, auth, cards):
    animateur = factories.gen_user()
    db.session.commit()
    assert client.get("/admin/cards/").status_code == 302
    auth.login_as(animateur)
    assert client.post("/admin/cards/", data={"code": cards["old"].code}).status_code == 403
