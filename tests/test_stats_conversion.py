"""Conversion and structure-profile indicators against a hand-computed fixture (DESIGN.md, issue 14).

Fixed timestamps (naive UTC). Events of March 2025; "now" is 1 January 2026, so every
window of the cohort is over.

card 1  first seen at A (Cadre de vie), oriented to S1 there, visits S1 after 20 days and 40 days
card 2  first seen at A, no orientation, visits S2 after 120 days
card 3  first seen at B (Jeunesse), oriented to S1, never seen at a reception
card 4  first seen at B, visits S1 after 5 days, without orientation
card 5  seen at S1's reception on 1 March, first seen at A after: first met at a reception
card 6  first seen at an event of 2024: outside the period
an anonymous participant at A is oriented to S2: it cannot be followed
"""

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.models import Card, CheckIn
from kiosk.orientation.models import Orientation
from kiosk.reception.models import Visit
from kiosk.stats.conversion import compute_conversion
from kiosk.stats.indicators import Filters
from kiosk.stats.profiles import structure_profiles

from .factories import gen_card, gen_checkin, gen_event, gen_neighbourhood, gen_structure

NOW = datetime(2026, 1, 1, 12, 0)
A_AT = datetime(2025, 3, 10, 10, 0)
B_AT = datetime(2025, 3, 20, 15, 0)
MARCH_2025 = Filters(start=date(2025, 3, 1), end=date(2025, 3, 31))


def _visit(structure, card, at, **answers):
    item = Visit(uuid=uuid.uuid4(), structure_id=structure.id, card_id=card.id if card else None, created_at=at,
                 kind="first_contact", **answers)
    db.session.add(item)
    return item


def _orientation(checkin, structure, at):
    db.session.add(Orientation(checkin_id=checkin.id, structure_id=structure.id, created_at=at, source="animateur"))


@pytest.fixture
def world(app):
    n1, n2 = gen_neighbourhood(name="Sanitas"), gen_neighbourhood(name="La Rabaterie")
    s1, s2 = gen_structure(neighbourhood=n1), gen_structure(neighbourhood=n2)
    a = gen_event(structure=s1, neighbourhood=n1, theme="Cadre de vie", starts_at=A_AT,
                  ends_at=A_AT + timedelta(hours=2), status="closed")
    b = gen_event(structure=s2, neighbourhood=n2, theme="Jeunesse", starts_at=B_AT, ends_at=B_AT + timedelta(hours=2),
                  status="closed")
    old = gen_event(starts_at=datetime(2024, 6, 1, 10), ends_at=datetime(2024, 6, 1, 12), status="closed")
    cards = {i: gen_card() for i in range(1, 7)}
    c1 = gen_checkin(a, card=cards[1], first_seen=True, created_at=A_AT)
    gen_checkin(a, card=cards[2], first_seen=True, created_at=A_AT + timedelta(minutes=5))
    c3 = gen_checkin(b, card=cards[3], first_seen=True, created_at=B_AT)
    gen_checkin(b, card=cards[4], first_seen=True, created_at=B_AT + timedelta(minutes=1))
    gen_checkin(a, card=cards[5], first_seen=True, created_at=A_AT + timedelta(minutes=9))
    gen_checkin(old, card=cards[6], first_seen=True, created_at=datetime(2024, 6, 1, 10, 30))
    anonymous = gen_checkin(a, created_at=A_AT + timedelta(minutes=20))
    _orientation(c1, s1, A_AT + timedelta(minutes=1))
    _orientation(c3, s1, B_AT + timedelta(minutes=2))
    _orientation(anonymous, s2, A_AT + timedelta(minutes=21))
    _visit(s1, cards[1], A_AT + timedelta(days=20), age_band="26_40", gender="woman", residence="neighbourhood",
           residence_neighbourhood_id=n1.id)
    _visit(s1, cards[1], A_AT + timedelta(days=40))
    _visit(s2, cards[2], A_AT + timedelta(minutes=5, days=120))
    _visit(s1, cards[4], B_AT + timedelta(minutes=1, days=5), age_band="18_25")
    _visit(s1, cards[5], datetime(2025, 3, 1, 9, 0))
    _visit(s2, cards[5], datetime(2025, 4, 1, 9, 0))
    _visit(s1, cards[6], datetime(2025, 3, 25, 9, 0), gender="man")
    _visit(s1, None, datetime(2025, 3, 26, 9, 0), age_band="61_75", gender="skip")
    db.session.commit()
    return {"s1": s1, "s2": s2, "n1": n1, "a": a, "b": b}


def test_conversions_within_30_90_and_180_days_with_and_without_orientation(world):
    result = compute_conversion(MARCH_2025, now=NOW)
    assert (result.cohort, result.first_met_at_reception) == (4, 1)
    summary = {n: (w.conversions, w.oriented, w.without_orientation, w.cards, w.closed_cohort, w.closed_converted)
               for n, w in result.windows.items()}
    assert summary == {30: (2, 1, 1, 2, 4, 2), 90: (2, 1, 1, 2, 4, 2), 180: (3, 1, 2, 3, 4, 3)}
    assert result.windows[180].rate == 0.75
    assert result.median_delay_days == 20.0  # delays 5, 20 and 120 days


def test_the_orientation_follow_through_rate(world):
    result = compute_conversion(MARCH_2025, now=NOW)
    # Card 1 oriented to S1 and seen there 20 days later; card 3 oriented and never seen.
    assert (result.oriented_pairs, result.followed_pairs, result.follow_through) == (2, 1, 0.5)
    assert result.orientations_without_card == 1


def test_conversions_by_format_neighbourhood_action_and_structure(world):
    result = compute_conversion(MARCH_2025, now=NOW)
    assert dict(result.by["format"]) == {"Cadre de vie": [2, 1], "Jeunesse": [2, 1]}
    assert dict(result.by["neighbourhood"]) == {world["n1"].id: [2, 1], world["b"].neighbourhood_id: [2, 1]}
    assert dict(result.by["event"]) == {world["a"].id: [2, 1], world["b"].id: [2, 1]}
    assert dict(result.by["structure"]) == {world["s1"].id: [0, 2]}


def test_the_structure_filter_names_the_visited_structure(world):
    result = compute_conversion(Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), structure_id=world["s2"].id),
                                now=NOW)
    assert [result.windows[n].conversions for n in (30, 90, 180)] == [0, 0, 1]
    assert (result.oriented_pairs, result.orientations_without_card) == (0, 1)


def test_windows_still_open_are_not_counted_as_failures(world):
    result = compute_conversion(MARCH_2025, now=B_AT + timedelta(days=60))
    # A's cards have had 70 days: their 30-day window is over, not their 90-day one; B's: 60 days.
    windows = result.windows
    assert (windows[30].closed_cohort, windows[90].closed_cohort, windows[90].open_cohort) == (4, 0, 4)
    assert result.windows[90].rate is None


def test_a_visit_is_never_an_outreach_participation(world):
    from kiosk.stats.indicators import compute

    assert compute(MARCH_2025).participations == 6  # five cards and the anonymous participant at A and B


def test_profiles_of_structure_publics_month_by_month(world):
    profiles = structure_profiles(date(2025, 3, 1), date(2025, 12, 31))
    march = profiles[world["s1"].id]["2025-03"]
    # Visitors of S1 in March: cards 1, 4, 5, 6 and one anonymous person.
    assert (march.card_visitors, march.anonymous_visitors, march.visitors, march.visits) == (4, 1, 5, 5)
    # Cards 1, 4 and 6 (met outside in 2024: before the visit, whatever the period); card 5 came here first.
    assert march.met_outside == 3
    assert march.answers["age_band"] == {"26_40": 1, "18_25": 1, "not_asked": 2, "61_75": 1}
    assert march.answers["gender"] == {"woman": 1, "man": 1, "not_asked": 2, "skip": 1}
    assert march.answers["residence"][f"n:{world['n1'].id}"] == 1
    april = profiles[world["s1"].id]["2025-04"]
    assert (april.card_visitors, april.met_outside) == (1, 1)  # card 1's second visit
    assert profiles[world["s2"].id]["2025-04"].met_outside == 0  # card 5: first met at a reception


def _snapshot(result):
    return (result.cohort, result.first_met_at_reception, result.median_delay_days, result.oriented_pairs,
            result.followed_pairs, result.oriented_open, result.orientations_without_card,
            {n: vars(w) for n, w in result.windows.items()},
            {name: {key: list(counts) for key, counts in keys.items()} for name, keys in result.by.items()})


SELECTIONS = [
    (MARCH_2025, NOW),
    (MARCH_2025, B_AT + timedelta(days=60)),  # some windows still open
    (Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), structure_id=1), NOW),
    (Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), theme="Jeunesse"), NOW),
]


def test_conversions_are_kept_when_the_cards_are_erased_and_nothing_points_to_them(world):
    from kiosk.cards.services import erase_card
    from kiosk.models import Card
    from kiosk.stats.models import ConversionTrace

    selections = [(replace(f, structure_id=world["s1"].id) if f.structure_id else f, now) for f, now in SELECTIONS]
    before = [_snapshot(compute_conversion(f, now=now)) for f, now in selections]
    codes = db.session.execute(db.select(Card.code).order_by(Card.id)).scalars().all()
    for code in codes[:5]:  # cards 1 to 5: the converted, the oriented never seen, the one first met at a reception
        erase_card(code)
        db.session.commit()
    assert db.session.execute(db.select(Visit.card_id).where(Visit.card_id.is_not(None))).scalars().all() \
        == [db.session.execute(db.select(Card.id)).scalar_one()]  # only card 6's visit still names a card
    assert [_snapshot(compute_conversion(f, now=now)) for f, now in selections] == before
    # The traces keep a random key per card and no card id, code or time of a check-in of its own.
    columns = set(ConversionTrace.__table__.columns.keys())
    assert not {"card_id", "code", "checkin_id"} & columns
    assert len(set(db.session.execute(db.select(ConversionTrace.card_key)).scalars())) == 5


def test_without_the_traces_an_erasure_would_change_the_figures(world):
    """The test above can fail: the live computation alone loses an erased card's conversion."""
    from kiosk.cards.services import erase_card
    from kiosk.models import Card
    from kiosk.stats.models import ConversionTrace

    before = compute_conversion(MARCH_2025, now=NOW)
    erase_card(db.session.execute(db.select(Card.code).order_by(Card.id)).scalars().first())  # card 1
    db.session.execute(db.delete(ConversionTrace))
    db.session.commit()
    after = compute_conversion(MARCH_2025, now=NOW)
    assert (after.cohort, after.windows[30].cards) == (before.cohort - 1, before.windows[30].cards - 1)


@pytest.mark.parametrize("neighbourhood", [None, "n1"])
def test_the_visitor_counts_in_sql_match_the_profiles(world, neighbourhood):
    from kiosk.stats.profiles import visitor_counts

    kw = {"neighbourhood_id": world[neighbourhood].id} if neighbourhood else {}
    for start, end in ((date(2025, 3, 1), date(2025, 12, 31)), (date(2025, 3, 15), date(2025, 4, 10))):
        expected = {s: {m: (p.card_visitors, p.anonymous_visitors, p.met_outside, p.visits) for m, p in months.items()}
                    for s, months in structure_profiles(start, end, **kw).items()}
        counted = {s: {m: (p.card_visitors, p.anonymous_visitors, p.met_outside, p.visits) for m, p in months.items()}
                   for s, months in visitor_counts(start, end, **kw).items()}
        assert counted == expected and expected


# Each event's part is kept (conversion_events) and reused while nothing recorded since touches it.
# The third: A's 30 days closing; the last: 45 days later, the 90 days of A's orientations (one at A, one
# two days on) closing (kept while all open, read when some are over).
MOMENTS = [NOW, B_AT + timedelta(days=60), A_AT + timedelta(days=30, minutes=3), A_AT + timedelta(days=46)]


def _kept_and_fresh(selections):
    from kiosk.stats.conversion import forget_parts

    kept = [_snapshot(compute_conversion(f, now=now)) for f, now in selections]
    db.session.commit()
    fresh = []
    for f, now in selections:
        forget_parts()  # each one computed from the rows alone
        fresh.append(_snapshot(compute_conversion(f, now=now)))
    db.session.commit()
    return kept, fresh


def _recomputed(monkeypatch):
    from kiosk.stats import conversion

    calls = []
    original = conversion.event_parts
    monkeypatch.setattr(conversion, "event_parts",
                        lambda events, **kw: calls.append(sorted(events)) or original(events, **kw))
    return calls


def test_a_kept_part_is_reused_until_a_row_recorded_since_touches_its_event(world, monkeypatch):
    compute_conversion(MARCH_2025, now=NOW)
    db.session.commit()
    calls = _recomputed(monkeypatch)
    before = _snapshot(compute_conversion(MARCH_2025, now=NOW))
    assert calls == []
    # Card 3 (oriented to S1 at B, never seen) comes to S1: B's part alone is computed again.
    card3 = db.session.execute(db.select(CheckIn.card_id).where(CheckIn.event_id == world["b"].id)
                               .order_by(CheckIn.created_at)).scalars().first()
    _visit(world["s1"], db.session.get(Card, card3), B_AT + timedelta(days=30))
    db.session.commit()
    after = compute_conversion(MARCH_2025, now=NOW)
    assert calls == [[world["b"].id]]
    assert (after.followed_pairs, after.windows[30].cards) == (before[4] + 1, before[7][30]["cards"] + 1)


@pytest.mark.parametrize("moment", MOMENTS)
def test_kept_parts_give_the_figures_computed_afresh_after_every_kind_of_write(world, moment):
    from kiosk.cards.services import erase_card
    from kiosk.stand.services import void_checkin

    from .factories import gen_user

    # Four minutes on, a window closing partway through A's first contacts has closed for one card more.
    selections = [(MARCH_2025, moment), (MARCH_2025, moment + timedelta(minutes=4)),
                  (MARCH_2025, moment + timedelta(days=45)), (replace(MARCH_2025, theme="Jeunesse"), moment)]
    checkins = db.session.execute(db.select(CheckIn).where(CheckIn.card_id.is_not(None))
                                  .order_by(CheckIn.id)).scalars().all()
    c1, c2, c3, c4 = checkins[:4]

    def visit_card3():
        _visit(world["s1"], c3.card, B_AT + timedelta(days=30))

    def orient_card2():
        _orientation(c2, world["s2"], A_AT + timedelta(days=2))

    def new_event():
        at = datetime(2025, 3, 28, 14)
        event = gen_event(structure=world["s2"], starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
        newcomer = gen_checkin(event, card=gen_card(), first_seen=True, created_at=at)
        _visit(world["s2"], newcomer.card, at + timedelta(days=3))

    def orient_card3_again():  # the same pair (card 3, S1) at a second action: counted once
        at = datetime(2025, 3, 25, 10)
        event = gen_event(structure=world["s1"], starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
        _orientation(gen_checkin(event, card=c3.card, created_at=at), world["s1"], at + timedelta(minutes=1))

    def void_card4():
        void_checkin(c4, by=gen_user(role="coordinator"), reason="doublon")

    def erase_card1():
        erase_card(c1.card.code)

    compute_conversion(MARCH_2025, now=moment)
    db.session.commit()
    for write in (visit_card3, orient_card2, new_event, orient_card3_again, void_card4, erase_card1):
        write()
        db.session.commit()
        kept, fresh = _kept_and_fresh(selections)
        assert kept == fresh, write.__name__


def test_a_pair_oriented_at_two_actions_counts_once_at_its_first_orientation(world):
    c3 = db.session.execute(db.select(CheckIn).where(CheckIn.event_id == world["b"].id)
                            .order_by(CheckIn.created_at)).scalars().first()
    at = datetime(2025, 3, 25, 10)
    event = gen_event(structure=world["s1"], starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
    _orientation(gen_checkin(event, card=c3.card, created_at=at), world["s1"], at + timedelta(minutes=1))
    _visit(world["s1"], c3.card, at + timedelta(days=100))  # 96 days after B's orientation, 100 after this one
    db.session.commit()
    for _look in range(2):  # computed, then from the kept parts
        result = compute_conversion(MARCH_2025, now=NOW)
        db.session.commit()
        # (card 1, S1) followed; (card 3, S1) once, at B: its visit came after 90 days.
        assert (result.oriented_pairs, result.followed_pairs) == (2, 1)
    # Each action alone counts the pair at its own orientation.
    for alone in (event.id, world["b"].id):
        result = compute_conversion(replace(MARCH_2025, event_id=alone), now=NOW)
        assert (result.oriented_pairs, result.followed_pairs) == (1, 0)
