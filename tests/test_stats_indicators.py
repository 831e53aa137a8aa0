"""Each indicator of DESIGN.md on a small hand-built data set whose answers are known."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from kiosk.extensions import db
from kiosk.models import Tally
from kiosk.stats.indicators import Filters, compute

from . import factories

T0 = datetime(2026, 3, 10, 14, 0)  # naive UTC, like the database


def event_at(when: datetime, **kw):
    return factories.gen_event(starts_at=when, ends_at=when + timedelta(hours=3), status="closed", **kw)


def checkin(event, at=None, **kw):
    return factories.gen_checkin(event, created_at=at or event.starts_at + timedelta(minutes=5), **kw)


@pytest.fixture
def world(app):
    sanitas = factories.gen_neighbourhood(name="Sanitas")
    europe = factories.gen_neighbourhood(name="Europe")
    home = factories.gen_structure(neighbourhood=sanitas)
    partner = factories.gen_structure(neighbourhood=europe)
    first = event_at(T0, structure=home, neighbourhood=sanitas, theme="Santé")
    second = event_at(T0 + timedelta(days=30), structure=partner, neighbourhood=europe, theme="Jeunesse",
                      partners=[home])
    card_a, card_b = factories.gen_card(), factories.gen_card()
    # First event: a newcomer first seen who also declares it, a declared newcomer without card,
    # a far-from-structures resident with two children, one voided check-in.
    checkin(first, card=card_a, first_seen=True, first_time="yes", goes_to_structure="yes", age_band="26_40")
    checkin(first, first_time="yes", goes_to_structure="no", childcare_children=2, interpreter_language="ar",
            age_band="skip", gender="woman", residence="neighbourhood", residence_neighbourhood_id=sanitas.id)
    checkin(first, card=card_b, first_seen=True, first_time="no", voided_at=T0, void_reason="erreur")
    # Second event: card A comes back (a return), card B's real first check-in.
    checkin(second, card=card_a, first_seen=False, accessibility=True, channel="camera")
    checkin(second, card=card_b, first_seen=True, first_time="skip", goes_to_structure="skip")
    db.session.add_all([Tally(event=first, count=7), Tally(event=second, count=3, undone_at=T0)])
    db.session.flush()
    return {"first": first, "second": second, "sanitas": sanitas, "europe": europe, "home": home,
            "partner": partner, "card_a": card_a}


def test_counts_on_the_hand_built_set(world):
    result = compute(Filters())
    assert result.actions == 2
    assert result.participations == 4  # the voided one is excluded
    assert result.newcomers_declared == 2
    assert result.newcomers_first_seen == 2  # card A at event 1, card B at event 2
    assert result.far_from_structures == 1
    assert result.distinct_cards == 2
    assert result.returns == 1
    assert result.tallies == 7  # the undone tally is not counted
    assert result.reach == 11
    assert (result.childcare_participations, result.children) == (1, 2)
    assert result.accessibility == 1
    assert result.breakdowns["interpreter_language"] == {"ar": 1}


def test_skipped_and_not_asked_are_told_apart(world):
    result = compute(Filters())
    assert result.breakdowns["age_band"] == {"26_40": 1, "skip": 1, "not_asked": 2}
    assert result.breakdowns["first_time"] == {"yes": 2, "skip": 1, "not_asked": 1}
    assert result.breakdowns["residence"][f"n{world['sanitas'].id}"] == 1


def test_tallies_are_in_reach_but_never_in_profiles(world):
    result = compute(Filters())
    assert sum(result.breakdowns["gender"].values()) == result.participations
    assert result.reach - result.participations == 7


def test_month_by_month(world):
    months = compute(Filters()).months
    assert list(months) == ["2026-03", "2026-04"]
    assert (months["2026-03"].participations, months["2026-03"].tallies) == (2, 7)
    assert months["2026-04"].newcomers_first_seen == 1


@pytest.mark.parametrize(
    ("filters", "participations"),
    [
        (lambda w: Filters(neighbourhood_id=w["europe"].id), 2),
        (lambda w: Filters(structure_id=w["home"].id), 4),  # own event + partner of the second
        (lambda w: Filters(structure_id=w["partner"].id), 2),
        (lambda w: Filters(scope_structure_id=w["home"].id), 2),
        (lambda w: Filters(theme="Santé"), 2),
        (lambda w: Filters(event_id=w["second"].id), 2),
        (lambda w: Filters(start=date(2026, 4, 1)), 2),
        (lambda w: Filters(end=date(2026, 3, 10)), 2),
        (lambda w: Filters(start=date(2027, 1, 1)), 0),
    ],
)
def test_filters(world, filters, participations):
    assert compute(filters(world)).participations == participations


def test_drafts_are_not_actions(world):
    factories.gen_event(status="draft")
    assert compute(Filters()).actions == 2


def test_a_card_counts_once_per_event(world):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        checkin(world["first"], card=world["card_a"])


@pytest.mark.parametrize(
    ("delay", "returned"),
    [
        (timedelta(days=90), True),
        (timedelta(days=90, seconds=1), False),
        (timedelta(days=90, microseconds=1), False),
        (timedelta(days=1), True),
    ],
)
def test_return_window_boundaries(app, delay, returned):
    first = event_at(T0)
    card = factories.gen_card()
    seen = checkin(first, card=card, first_seen=True, at=T0 + timedelta(minutes=1, microseconds=250))
    later = event_at(seen.created_at + delay - timedelta(minutes=5))
    checkin(later, card=card, at=seen.created_at + delay)
    assert compute(Filters(event_id=first.id)).returns == int(returned)


def test_a_second_check_in_at_the_same_event_is_not_a_return(app):
    event = event_at(T0)
    card = factories.gen_card()
    checkin(event, card=card, first_seen=True, voided_at=T0)
    checkin(event, card=card, at=T0 + timedelta(minutes=30))
    assert compute(Filters()).returns == 0


def test_a_voided_return_is_not_a_return(app):
    first, later = event_at(T0), event_at(T0 + timedelta(days=10))
    card = factories.gen_card()
    checkin(first, card=card, first_seen=True)
    checkin(later, card=card, voided_at=T0)
    assert compute(Filters()).returns == 0


def test_every_profile_distribution_adds_up_to_the_participations(world):
    result = compute(Filters())
    for dim, counts in result.breakdowns.items():
        if dim != "interpreter_language":
            assert sum(counts.values()) == result.participations == 4, dim
    assert result.breakdowns["channel"] == {"nocard": 3, "camera": 1}
    assert result.breakdowns["language"] == {"fr": 4}
    assert result.breakdowns["goes_to_structure"] == {"yes": 1, "no": 1, "skip": 1, "not_asked": 1}


def test_needs_and_newcomers_per_month(world):
    months = compute(Filters()).months
    march, april = months["2026-03"], months["2026-04"]
    assert (march.childcare_participations, march.children, march.interpreting) == (1, 2, 1)
    assert (april.accessibility, april.newcomers_declared, april.far_from_structures) == (1, 0, 0)
    assert march.breakdowns["age_band"] == {"26_40": 1, "skip": 1}
    assert april.breakdowns["first_time"] == {"skip": 1, "not_asked": 1}


def test_an_answer_nobody_foresaw_is_still_counted(world):
    checkin(world["second"], language="wo", interpreter_language="wo", residence="neighbourhood",
            residence_neighbourhood_id=world["europe"].id)
    result = compute(Filters())
    assert result.breakdowns["language"] == {"fr": 4, "wo": 1}
    assert result.breakdowns["interpreter_language"] == {"ar": 1, "wo": 1}
    assert result.breakdowns["residence"][f"n{world['europe'].id}"] == 1
    assert result.months["2026-04"].breakdowns["language"] == {"fr": 2, "wo": 1}
