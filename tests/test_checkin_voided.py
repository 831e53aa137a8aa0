"""A voided check-in counts for nothing, everywhere: greeting, questions, first seen, figures."""

from datetime import timedelta
from html import unescape

from kiosk.checkin.services import RECORDED, card_standing
from kiosk.codes import QR_PREFIX
from kiosk.extensions import db
from kiosk.models import CheckIn, utcnow
from kiosk.stand.services import void_checkin
from kiosk.stats.indicators import Filters, compute

from .factories import gen_card, gen_checkin, gen_event, gen_user
from .factories_checkin import checkins, kiosk_resident, new_card_code, record

TRIAL = "Essai du kiosque"


def void(checkin: CheckIn, by) -> None:
    void_checkin(checkin, by=by, reason=TRIAL)
    db.session.commit()


def test_a_card_voided_as_a_kiosk_trial_is_not_greeted_back_and_is_asked_its_profile(client):
    kiosk = kiosk_resident(client)
    code = new_card_code()
    void(record(kiosk.event, code).checkin, kiosk.user)

    asked = kiosk.submit({"needs": ("none", [])}, card=QR_PREFIX + code, channel="scanner")
    assert asked.status_code == 409 and 'data-send-back="first_time"' in asked.text
    done = kiosk.submit({"first_time": "yes", "needs": ("none", [])}, card=QR_PREFIX + code, channel="scanner",
                        profile=True)
    assert done.status_code == 200 and "Bon retour" not in unescape(done.text)
    [live] = [c for c in checkins(kiosk.event) if c.voided_at is None]
    assert (live.first_seen, live.first_time) == (True, "yes")


def test_the_standing_of_a_card_ignores_its_voided_check_ins(app):
    kiosk_user = gen_user()
    event = gen_event(structure=kiosk_user.structure)
    code = new_card_code()
    void(record(event, code).checkin, kiosk_user)
    standing = card_standing(code, event.id)
    assert standing.card_id is not None
    assert (standing.checked_in_here, standing.ever_checked_in) == (False, False)


def test_first_seen_moves_to_the_cards_earliest_live_check_in_when_its_first_is_voided(app):
    user = gen_user()
    first, second, third = (gen_event(structure=user.structure) for _ in range(3))
    code = new_card_code()
    trial = record(first, code).checkin
    kept = record(second, code).checkin
    assert (trial.first_seen, kept.first_seen) == (True, False)

    void(trial, user)
    db.session.refresh(trial)
    db.session.refresh(kept)
    assert (trial.first_seen, kept.first_seen) == (False, True)
    assert compute(Filters(event_id=second.id)).newcomers_first_seen == 1
    assert compute(Filters(event_id=first.id)).newcomers_first_seen == 0

    void(kept, user)  # every check-in of the card voided: nothing of it was seen
    assert record(third, code).checkin.first_seen is True
    assert sum(c.first_seen for c in db.session.execute(db.select(CheckIn)).scalars()) == 1


def test_voiding_a_later_check_in_leaves_first_seen_where_it_is(app):
    user = gen_user()
    first, second = gen_event(structure=user.structure), gen_event(structure=user.structure)
    code = new_card_code()
    kept = record(first, code).checkin
    later = record(second, code).checkin
    void(later, user)
    db.session.refresh(kept)
    assert (kept.first_seen, later.first_seen) == (True, False)
    assert record(second, code).outcome == RECORDED


def test_voiding_in_a_settled_event_moves_its_cached_figures(app):
    """Settled events' figures are cached; a void drops the summaries of every event it moves."""
    user = gen_user()
    long_ago = utcnow() - timedelta(days=200)
    first = gen_event(structure=user.structure, status="closed", starts_at=long_ago,
                      ends_at=long_ago + timedelta(hours=2))
    second = gen_event(structure=user.structure, status="closed", starts_at=long_ago + timedelta(days=10),
                       ends_at=long_ago + timedelta(days=10, hours=2))
    card = gen_card()
    trial = gen_checkin(first, card=card, first_seen=True, created_at=long_ago + timedelta(minutes=5))
    gen_checkin(second, card=card, created_at=long_ago + timedelta(days=10, minutes=5))
    db.session.commit()
    before = compute(Filters())
    db.session.commit()  # the two settled events' summaries are kept
    assert (before.newcomers_first_seen, before.returns, before.participations) == (1, 1, 2)

    void(trial, user)
    after = compute(Filters())
    assert (after.newcomers_first_seen, after.returns, after.participations) == (1, 0, 1)
    assert compute(Filters(event_id=second.id)).newcomers_first_seen == 1
    assert compute(Filters(event_id=first.id)).newcomers_first_seen == 0
