"""Check-in rules: one participation per card and event, first seen, skips, express mode."""

import uuid

from kiosk.checkin.flow import new_flow, to_answers
from kiosk.checkin.services import (
    ALREADY_CHECKED_IN,
    ALREADY_RECORDED,
    RECORDED,
    Answers,
    record_checkin,
)
from kiosk.checkin.tablets import UNLOCKED, bind_tablet, read_kiosk_binding, unlock_tablet
from kiosk.extensions import db
from kiosk.models import SKIP, Card, CheckIn, utcnow

from .factories import PASSWORD, gen_checkin, gen_event
from .factories_checkin import PIN, gen_kiosk_setup, new_card_code, record


def count_checkins(event=None) -> int:
    query = db.select(db.func.count(CheckIn.id))
    if event is not None:
        query = query.where(CheckIn.event_id == event.id)
    return db.session.execute(query).scalar()


def test_a_card_scanned_twice_at_one_event_counts_once(app):
    _user, event = gen_kiosk_setup()
    code = new_card_code()
    assert record(event, code).outcome == RECORDED
    second = record(event, code, channel="camera")
    assert second.outcome == ALREADY_CHECKED_IN
    assert count_checkins(event) == 1


def test_the_same_card_counts_again_at_another_event(app):
    _user, event = gen_kiosk_setup()
    later = gen_event(structure=event.structure)
    code = new_card_code()
    record(event, code)
    assert record(later, code).outcome == RECORDED
    assert count_checkins() == 2


def test_a_voided_check_in_does_not_block_a_new_one(app):
    _user, event = gen_kiosk_setup()
    code = new_card_code()
    first = record(event, code).checkin
    first.voided_at = utcnow()
    db.session.commit()
    assert record(event, code).outcome == RECORDED


def test_a_replayed_submission_is_recorded_once(app):
    _user, event = gen_kiosk_setup()
    same = uuid.uuid4()
    kwargs = {"checkin_uuid": same, "channel": "nocard", "language": "ar", "answers": Answers(first_time="yes")}
    assert record_checkin(event, **kwargs).outcome == RECORDED
    assert record_checkin(event, **kwargs).outcome == ALREADY_RECORDED
    assert count_checkins(event) == 1


def test_first_seen_is_a_cards_first_check_in_ever_and_nothing_else(app):
    _user, event = gen_kiosk_setup()
    later = gen_event(structure=event.structure)
    code = new_card_code()
    first = record(event, code, answers=Answers(first_time="no")).checkin
    again = record(later, code, answers=Answers(first_time="yes")).checkin
    without_card = record(event, None, channel="nocard", answers=Answers(first_time="yes")).checkin
    # First seen and declared first time are two measures; neither is derived from the other.
    assert (first.first_seen, first.first_time) == (True, "no")
    assert (again.first_seen, again.first_time) == (False, "yes")
    assert (without_card.first_seen, without_card.card_id) == (False, None)


def test_a_pre_printed_card_without_check_ins_is_first_seen(app):
    _user, event = gen_kiosk_setup()
    card = Card(code=new_card_code())
    db.session.add(card)
    db.session.commit()
    assert record(event, card.code).checkin.first_seen is True


def test_a_valid_code_never_seen_becomes_a_card_created_at_this_event(app):
    _user, event = gen_kiosk_setup()
    code = new_card_code()
    result = record(event, code)
    card = db.session.execute(db.select(Card).where(Card.code == code)).scalar_one()
    assert card.created_at_event_id == event.id
    assert card.last_used_at is not None
    assert result.checkin.card_id == card.id


def test_each_check_in_updates_the_cards_last_use(app):
    _user, event = gen_kiosk_setup()
    later = gen_event(structure=event.structure)
    code = new_card_code()
    record(event, code)
    card = db.session.execute(db.select(Card).where(Card.code == code)).scalar_one()
    card.last_used_at = utcnow().replace(year=2020)
    db.session.commit()
    record(later, code)
    db.session.refresh(card)
    assert card.last_used_at.year > 2020


def test_skipped_answers_are_stored_as_skip_and_unasked_as_none(app):
    _user, event = gen_kiosk_setup()
    newcomer = new_flow(event.code)
    asked = ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from", "needs",
             "card_offer")
    newcomer["a"] = dict.fromkeys(asked, SKIP)
    checkin = record(event, None, channel="nocard", answers=to_answers(newcomer)).checkin
    for column in ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from"):
        assert getattr(checkin, column) == SKIP
    assert checkin.needs_skipped is True
    assert checkin.residence_neighbourhood_id is None

    known = new_flow(event.code, card=new_card_code(), known=True)
    known["a"] = {"needs": []}
    checkin = record(event, known["card"], answers=to_answers(known)).checkin
    for column in ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from"):
        assert getattr(checkin, column) is None
    assert checkin.needs_skipped is False


def test_express_mode_asks_nothing_and_stores_nothing_but_the_check_in(app):
    _user, event = gen_kiosk_setup(express_mode=True)
    flow = new_flow(event.code, channel="express", express=True)
    checkin = record(event, None, channel="express", answers=to_answers(flow)).checkin
    assert checkin.channel == "express"
    for column in ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from",
                   "interpreter_language"):
        assert getattr(checkin, column) is None
    assert (checkin.childcare_children, checkin.accessibility) == (0, False)


def test_needs_are_stored_as_answered(app):
    _user, event = gen_kiosk_setup()
    flow = new_flow(event.code)
    flow["a"] = {"needs": ["childcare", "interpreter", "accessibility"], "children": 2,
                 "child_ages": ["0_2", "6_11"], "interpreter": "ar"}
    answers = to_answers(flow)
    assert (answers.childcare_children, answers.childcare_age_bands) == (2, "0_2,6_11")
    assert (answers.interpreter_language, answers.accessibility) == ("ar", True)


def test_an_existing_check_in_without_card_never_blocks_another(app):
    _user, event = gen_kiosk_setup()
    gen_checkin(event)
    assert record(event, None, channel="nocard").outcome == RECORDED


def test_a_race_on_the_same_card_is_settled_by_the_database(app):
    """Two tablets pass the "already checked in?" check at once: the unique index keeps one."""
    from dataclasses import replace
    from unittest import mock

    from kiosk.checkin import services

    _user, event = gen_kiosk_setup()
    code = new_card_code()
    record(event, code)
    db.session.commit()  # the other tablet's check-in
    read = services._read_before_write

    def read_before_the_other_tablet_wrote(*args):
        status, replayed, standing = read(*args)
        return status, replayed, replace(standing, checked_in_here=False)

    with mock.patch("kiosk.checkin.services._read_before_write", read_before_the_other_tablet_wrote):
        assert record(event, code).outcome == ALREADY_CHECKED_IN
    assert count_checkins(event) == 1


def test_a_check_in_is_kept_only_when_its_request_commits(app):
    """The service writes; the request decides: a failure after it leaves no trace."""
    _user, event = gen_kiosk_setup()
    code = new_card_code()
    assert record(event, code).outcome == RECORDED
    db.session.rollback()
    assert count_checkins(event) == 0
    assert db.session.execute(db.select(Card).where(Card.code == code)).first() is None
    assert record(event, code).outcome == RECORDED  # the same card, first seen after all
    db.session.commit()
    assert count_checkins(event) == 1


def test_a_replayed_submission_leaves_the_first_one_standing_in_the_same_transaction(app):
    _user, event = gen_kiosk_setup()
    same = uuid.uuid4()
    first = record_checkin(event, checkin_uuid=same, channel="keypad", language="fr", card_code=new_card_code())
    again = record_checkin(event, checkin_uuid=same, channel="keypad", language="fr", card_code=new_card_code())
    assert (first.outcome, again.outcome) == (RECORDED, ALREADY_RECORDED)
    db.session.commit()
    assert count_checkins(event) == 1


def test_only_the_animateur_who_opened_the_kiosk_unlocks_it_with_their_pin_or_password(app):
    user, event = gen_kiosk_setup()

    def attempt(secret: str) -> str:
        binding = read_kiosk_binding(bind_tablet(event, user))
        return unlock_tablet(binding, secret, pin_attempts=5)

    assert attempt(PIN) == UNLOCKED
    assert attempt(PASSWORD) == UNLOCKED
    for wrong in ("", "000000", PASSWORD + "x"):
        assert attempt(wrong) != UNLOCKED
    user.active = False
    assert attempt(PIN) != UNLOCKED
