"""The cache of settled events never changes a figure: it only saves scanning old check-ins."""

from datetime import date, datetime, timedelta

import pytest

from kiosk import signals
from kiosk.cards.services import erase_card, purge_unused_cards
from kiosk.extensions import db
from kiosk.models import CheckIn, EventSummary, Tally, utcnow
from kiosk.stand.services import void_checkin
from kiosk.stats import summaries
from kiosk.stats.indicators import Filters, compute

from . import factories

OLD = datetime(2025, 3, 10, 14, 0)


def _summarised() -> set[int]:
    return set(db.session.execute(db.select(EventSummary.event_id)).scalars())


def _figures(result):
    keys = ("participations", "newcomers_declared", "newcomers_first_seen", "far_from_structures", "children",
            "interpreting", "tallies", "returns", "distinct_cards", "actions")
    return {k: getattr(result, k) for k in keys} | {
        "breakdowns": {d: dict(c) for d, c in result.breakdowns.items()},
        "months": {m: (f.participations, f.tallies) for m, f in result.months.items()},
    }


@pytest.fixture
def history(app):
    old = factories.gen_event(starts_at=OLD, ends_at=OLD + timedelta(hours=3), status="closed")
    later = factories.gen_event(starts_at=OLD + timedelta(days=20), ends_at=OLD + timedelta(days=20, hours=2),
                                status="closed")
    recent = factories.gen_event(starts_at=utcnow() - timedelta(days=10),
                                 ends_at=utcnow() - timedelta(days=10) + timedelta(hours=2), status="closed")
    today = factories.gen_event(status="open")
    card = factories.gen_card()
    factories.gen_checkin(old, card=card, first_seen=True, first_time="yes", created_at=OLD,
                          childcare_children=2, interpreter_language="ar", age_band="26_40")
    factories.gen_checkin(old, goes_to_structure="no", language="xx", created_at=OLD)  # an unforeseen language
    factories.gen_checkin(later, card=card, created_at=OLD + timedelta(days=20))
    factories.gen_checkin(recent, gender="woman", created_at=recent.starts_at)
    factories.gen_checkin(today, first_time="yes")
    db.session.add(Tally(event=old, count=4))
    db.session.flush()
    return {"old": old, "later": later, "recent": recent, "today": today, "card": card}


def test_only_settled_events_are_summarised(history):
    compute(Filters())
    assert _summarised() == {history["old"].id, history["later"].id}


def test_figures_from_the_cache_equal_a_fresh_scan(history):
    first = _figures(compute(Filters()))
    assert _summarised()
    cached = _figures(compute(Filters()))
    summaries.forget()
    scanned = _figures(compute(Filters()))
    assert first == cached == scanned
    assert cached["returns"] == 1 and cached["tallies"] == 4
    assert cached["breakdowns"]["language"]["xx"] == 1


def _checkin_of(event) -> CheckIn:
    return db.session.execute(db.select(CheckIn).where(CheckIn.event_id == event.id)).scalar_one()


def test_a_correction_drops_the_summary_it_would_make_stale(history):
    compute(Filters())
    void_checkin(_checkin_of(history["later"]), by=factories.gen_user(), reason="Erreur de saisie")
    # The voided check-in was the card's return: both its event and the first one are recomputed.
    assert _summarised() == set()
    result = compute(Filters())
    assert (result.returns, result.participations) == (0, 4)


def test_erasing_or_purging_cards_drops_the_summaries_of_their_events(history):
    before = _figures(compute(Filters()))
    assert before["distinct_cards"] == 1 and before["returns"] == 1
    erase_card(history["card"].code)
    assert history["old"].id not in _summarised() and history["later"].id not in _summarised()
    assert _figures(compute(Filters())) == before  # aggregated statistics are kept
    purge_unused_cards(months=1, now=utcnow())
    assert _figures(compute(Filters())) == before


def test_a_tally_announced_on_an_event_drops_its_summary(history):
    # Tallies are counted on open events only; whoever changes one announces it all the same.
    compute(Filters())
    db.session.add(Tally(event=history["old"], count=3))
    signals.tally_changed.send(history["old"].id)
    assert history["old"].id not in _summarised()
    assert compute(Filters()).tallies == 7


def test_summaries_cached_meanwhile_by_another_request_are_not_an_error(history):
    compute(Filters())
    # A second request counted the same event at the same time and now tries to store it too.
    summaries.remember([history["old"].id], {history["old"].id: summaries.EventFigures(tallies=99)})
    assert _summarised() == {history["old"].id, history["later"].id}
    assert compute(Filters()).tallies == 4  # the first summary stands, with the true figure


def test_figures_scanned_while_a_correction_commits_are_not_kept(history):
    """A statistics page scans a settled event; a void of one of its check-ins commits meanwhile."""
    looking = summaries.iter_figures([history["later"].id])
    _event_id, scanned = next(looking)  # scanned, not stored yet
    assert scanned.scalars["participations"] == 1
    void_checkin(_checkin_of(history["later"]), by=factories.gen_user(), reason="Erreur de saisie")
    db.session.commit()
    list(looking)  # the page ends its loop, which would store what it scanned
    db.session.commit()
    assert history["later"].id not in _summarised()
    assert compute(Filters()).participations == 4


def test_a_kiosk_check_in_drops_the_summary_of_the_cards_first_event(history):
    """A card's check-in may be a return for the event that first saw it: that summary goes."""
    from .factories_checkin import record

    compute(Filters())
    assert record(history["today"], history["card"].code).recorded
    assert _summarised() == {history["later"].id}
    cached = _figures(compute(Filters()))
    summaries.forget()
    assert cached == _figures(compute(Filters()))


def test_totals_alone_match_the_full_computation_and_cache_nothing(app):
    from .factories_stats import gen_activity

    gen_activity(checkins=300, events=10)
    year = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))

    def totals(ind):
        return (ind.actions, ind.actions_with_residents, ind.participations, ind.reach, ind.distinct_cards,
                ind.newcomers_declared, ind.newcomers_first_seen, ind.far_from_structures, ind.companions,
                {month: figures.participations for month, figures in ind.months.items()})

    alone = compute(year, detail=False)
    assert db.session.execute(db.select(db.func.count()).select_from(EventSummary)).scalar() == 0
    assert alone.breakdowns == {} and alone.returns == 0
    full = compute(year)
    assert totals(alone) == totals(full) and alone.participations > 0 and full.breakdowns
    assert db.session.execute(db.select(db.func.count()).select_from(EventSummary)).scalar() == 10
    assert totals(compute(year, detail=False)) == totals(full)  # from the summaries kept meanwhile
