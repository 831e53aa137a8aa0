"""The finished months' visitor counts kept for the annual review read exactly as computed afresh."""

import random
import uuid
from datetime import date, datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.models import Card, CheckIn
from kiosk.reception.models import Visit
from kiosk.stats.models import VisitorMonth
from kiosk.stats.profiles import cached_visitor_counts, visitor_counts

from .factories import gen_card, gen_checkin, gen_event, gen_neighbourhood, gen_structure, gen_user

NOW = datetime(2026, 1, 15, 12, 0)  # every month of 2025 is over
SPANS = ((date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 3, 15), date(2025, 11, 10)))


def _instant(rng, year=2025):
    return datetime(year, 1, 1) + timedelta(seconds=rng.random() * 365 * 86400)


@pytest.fixture(params=[1, 2, 3])
def world(app, request):
    rng = random.Random(request.param)
    n1, n2 = gen_neighbourhood(name="Sanitas"), gen_neighbourhood(name="La Rabaterie")
    structures = [gen_structure(neighbourhood=n1), gen_structure(neighbourhood=n2), gen_structure(neighbourhood=n1)]
    events = []
    for _ in range(4):
        at = _instant(rng)
        events.append(gen_event(neighbourhood=rng.choice([n1, n2]), starts_at=at, ends_at=at + timedelta(hours=2),
                                status="closed"))
    for _ in range(40):
        card = gen_card()
        if rng.random() < 0.8:
            gen_checkin(rng.choice(events), card=card, first_seen=True, created_at=_instant(rng))
        for _ in range(rng.randint(0, 4)):
            db.session.add(Visit(uuid=uuid.uuid4(), structure_id=rng.choice(structures).id, card_id=card.id,
                                 created_at=_instant(rng), kind="first_contact"))
    for _ in range(15):
        db.session.add(Visit(uuid=uuid.uuid4(), structure_id=rng.choice(structures).id, card_id=None,
                             created_at=_instant(rng), kind="first_contact"))
    db.session.commit()
    return {"n1": n1, "structures": structures, "rng": rng}


def _counts(profiles):
    return {s: {m: (p.card_visitors, p.anonymous_visitors, p.met_outside, p.visits) for m, p in months.items()}
            for s, months in profiles.items()}


def _same_cached_and_uncached(world, now=NOW):
    for start, end in SPANS:
        for kw in ({}, {"neighbourhood_id": world["n1"].id}):
            expected = _counts(visitor_counts(start, end, **kw))
            assert _counts(cached_visitor_counts(start, end, now=now, **kw)) == expected and expected
            db.session.commit()
            assert _counts(cached_visitor_counts(start, end, now=now, **kw)) == expected  # from the kept months


def _kept_months():
    return sorted(db.session.execute(db.select(VisitorMonth.month)).scalars())


def test_the_kept_months_read_the_same_as_the_counts_computed_afresh(world):
    _same_cached_and_uncached(world)
    assert _kept_months() == [f"2025-{m:02d}" for m in range(1, 13)]


def test_a_month_not_over_is_never_kept(world):
    _same_cached_and_uncached(world, now=datetime(2025, 7, 10))
    # 2025-06 ends on 30 June at 22:00 UTC (Paris); July is not over.
    assert _kept_months() == [f"2025-{m:02d}" for m in range(1, 7)]


def test_a_void_drops_the_kept_months_and_the_figures_stay_exact(world):
    from kiosk.stand.services import void_checkin

    _same_cached_and_uncached(world)
    checkin = db.session.execute(db.select(CheckIn).where(
        CheckIn.first_seen.is_(True), CheckIn.card_id.in_(db.select(Visit.card_id)))
        .order_by(CheckIn.id).limit(1)).scalar_one()
    void_checkin(checkin, by=gen_user(role="coordinator"), reason="doublon")
    db.session.commit()
    assert _kept_months() == []
    _same_cached_and_uncached(world)


def test_a_late_visit_drops_its_own_month_only_and_the_figures_stay_exact(world):
    from kiosk.reception.services import record_visit

    _same_cached_and_uncached(world)
    from kiosk.models import Event

    # A card first met outside in April, seen at a reception in May: recorded late (a past "now").
    card = gen_card()
    event = db.session.execute(db.select(Event).limit(1)).scalar_one()
    gen_checkin(event, card=card, first_seen=True, created_at=datetime(2025, 4, 1, 10, 0))
    db.session.commit()
    before = _counts(cached_visitor_counts(*SPANS[0], now=NOW))
    late = datetime(2025, 5, 14, 10, 0)
    record_visit(world["structures"][0].id, visit_uuid=uuid.uuid4(), card_code=card.code, kind="first_contact",
                 now=late)
    db.session.commit()
    assert "2025-05" not in _kept_months() and len(_kept_months()) == 11
    _same_cached_and_uncached(world)
    after = _counts(cached_visitor_counts(*SPANS[0], now=NOW))
    may = world["structures"][0].id
    assert after[may]["2025-05"][2] == before.get(may, {}).get("2025-05", (0, 0, 0, 0))[2] + 1  # met outside


def test_an_erasure_drops_the_kept_months_and_the_figures_stay_exact(world):
    from kiosk.cards.services import erase_card

    _same_cached_and_uncached(world)
    code = db.session.execute(db.select(Card.code).join(Visit, Visit.card_id == Card.id).limit(1)).scalar_one()
    erase_card(code)
    db.session.commit()
    assert _kept_months() == []
    _same_cached_and_uncached(world)
