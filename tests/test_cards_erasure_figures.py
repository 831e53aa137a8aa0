"""Erasure and retention keep every aggregate, and keep nothing that singles a resident out."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.cards.services import ERASED_REASON, erase_card, purge_unused_cards
from kiosk.extensions import db
from kiosk.models import AuditLog, Card, CheckIn, Event, utcnow
from kiosk.stand.services import void_checkin
from kiosk.stats.indicators import Filters, compute
from kiosk.stats.tables import build_report

from . import factories
from .factories_stats import gen_activity

REASON = "Mme Diallo, fauteuil roulant, s'est inscrite deux fois"


@pytest.fixture
def history(app):
    """A year of settled activity, plus two recent events where a card first seen comes back."""
    activity = gen_activity(checkins=300, events=10)
    now = utcnow()
    first = factories.gen_event(starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=20, hours=-2),
                                status="closed")
    second = factories.gen_event(structure=first.structure, starts_at=now - timedelta(days=5),
                                 ends_at=now - timedelta(days=5, hours=-2), status="closed")
    returning, once = factories.gen_card(last_used_at=now), factories.gen_card(last_used_at=now)
    factories.gen_checkin(first, card=returning, first_seen=True, first_time="yes", created_at=first.starts_at
                          + timedelta(minutes=17), accessibility=True, childcare_children=2,
                          childcare_age_bands="0_2,3_5", channel="camera")
    factories.gen_checkin(first, card=once, first_seen=True, created_at=first.starts_at + timedelta(minutes=40))
    factories.gen_checkin(second, card=returning, created_at=second.starts_at + timedelta(minutes=3))
    mistake = factories.gen_checkin(second, card=once, created_at=second.starts_at + timedelta(minutes=9))
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    void_checkin(mistake, by=coordinator, reason=REASON)
    db.session.commit()
    return {**activity, "events": (first, second), "returning": returning, "once": once}


def selections(history) -> list[Filters]:
    events = db.session.execute(select(Event.id)).scalars().all()
    return [Filters(), Filters(start=date(2025, 3, 1), end=date(2025, 8, 31)),
            *(Filters(neighbourhood_id=n.id) for n in history["neighbourhoods"]),
            *(Filters(event_id=e) for e in events)]


def snapshot(history) -> list:
    """Every indicator of many selections, exact and shared, as the pages and exports show them."""
    figures = []
    for filters in selections(history):
        indicators = compute(filters)
        figures.append((filters, indicators, build_report(indicators, shared=False),
                        build_report(indicators, shared=True)))
    db.session.commit()  # keeps the summaries of settled events, as a page would
    return figures


def test_every_figure_is_the_same_after_erasure_and_purge(history):
    before = snapshot(history)
    whole = before[0][1]
    assert whole.returns >= 1 and whole.distinct_cards >= 2 and whole.newcomers_first_seen >= 2
    assert snapshot(history) == before  # the cached summaries read the same as a scan

    erase_card(history["returning"].code)
    erase_card(history["once"].code)
    db.session.commit()
    assert snapshot(history) == before

    report = purge_unused_cards(months=12, now=datetime(2027, 6, 1))
    db.session.commit()
    assert report.cards > 10
    assert db.session.execute(select(func.count()).select_from(CheckIn).where(
        CheckIn.card_id.is_not(None))).scalar_one() == 0  # every card is gone...
    assert snapshot(history) == before  # ...and every figure stays


def test_erased_checkins_keep_nothing_that_singles_the_resident_out(history):
    first, second = history["events"]
    card_ids = [history["returning"].id, history["once"].id]
    ids = db.session.execute(select(CheckIn.id).where(CheckIn.card_id.in_(card_ids))).scalars().all()
    erase_card(history["returning"].code)
    erase_card(history["once"].code)
    db.session.commit()
    db.session.expire_all()

    checkins = db.session.execute(select(CheckIn).where(CheckIn.id.in_(ids))).scalars().all()
    assert len(checkins) == 4
    for checkin in checkins:
        assert checkin.card_id is None and checkin.first_seen is False
        assert checkin.created_at == checkin.event.starts_at  # the event, not the minute of arrival
        assert checkin.childcare_age_bands == ""
    # What the distributions count is kept: the answers of the anonymous participation.
    kept = next(c for c in checkins if c.event_id == first.id and c.accessibility)
    assert (kept.first_time, kept.childcare_children, kept.channel) == ("yes", 2, "camera")
    voided = next(c for c in checkins if c.voided_at is not None)
    assert voided.void_reason == ERASED_REASON
    logs = db.session.execute(select(AuditLog.detail)).scalars().all()
    assert logs and not any(REASON in detail for detail in logs)
    assert db.session.execute(select(func.count()).select_from(Card)).scalar_one() > 0  # others untouched


def test_purge_forgets_old_void_reasons_with_or_without_a_card(history):
    first, _second = history["events"]
    coordinator = factories.gen_user(role="coordinator")
    nocard = factories.gen_checkin(first, created_at=first.starts_at)
    db.session.commit()
    void_checkin(nocard, by=coordinator, reason=REASON)
    db.session.commit()
    purge_unused_cards(months=1, now=utcnow() + timedelta(days=400))
    db.session.commit()
    db.session.expire_all()
    reasons = db.session.execute(select(CheckIn.void_reason).where(CheckIn.voided_at.is_not(None))).scalars().all()
    assert reasons and set(reasons) == {ERASED_REASON}
    assert not any(REASON in d for d in db.session.execute(select(AuditLog.detail)).scalars())
