"""The resident's path: which questions, in which order, and which answers are accepted."""

import pytest

from kiosk.checkin.flow import (
    LINK_SCAN,
    PROFILE_STEPS,
    AnswerError,
    apply_answer,
    new_flow,
    next_step,
    steps_for,
    to_answers,
)

IDS = {"neighbourhood_ids": {7, 8}, "interpreter_codes": {"ar", "tr"}}


def answer(flow, step, value, choices=()):
    apply_answer(flow, step, value, list(choices), **IDS)


def test_a_newcomer_is_asked_the_profile_then_needs_then_the_card():
    flow = new_flow("EVT")
    assert steps_for(flow) == [*PROFILE_STEPS, "needs", "card_offer"]


def test_a_known_card_is_asked_only_the_needs_of_the_day():
    flow = new_flow("EVT", card="X", known=True)
    assert steps_for(flow) == ["needs"]


def test_express_mode_asks_nothing():
    assert next_step(new_flow("EVT", express=True)) is None


def test_childcare_and_interpreter_open_their_own_questions():
    flow = new_flow("EVT", card="X", known=True)
    answer(flow, "needs", "ok", ["childcare", "interpreter"])
    assert steps_for(flow) == ["needs", "children", "child_ages", "interpreter"]
    answer(flow, "children", "2")
    answer(flow, "child_ages", "ok", ["3_5"])
    answer(flow, "interpreter", "ar")
    assert next_step(flow) is None


def test_taking_a_pre_printed_card_asks_for_its_scan():
    flow = new_flow("EVT")
    for step in PROFILE_STEPS:
        answer(flow, step, "skip")
    answer(flow, "needs", "none")
    answer(flow, "card_offer", "link")
    assert next_step(flow) == LINK_SCAN


@pytest.mark.parametrize("step, value, choices", [
    ("first_time", "maybe", ()),
    ("residence", "n:99", ()),
    ("residence", "n:abc", ()),
])
def test_a_tampered_answer_is_refused_and_not_kept(step, value, choices):
    flow = new_flow("EVT")
    for earlier in PROFILE_STEPS[:PROFILE_STEPS.index(step)]:
        answer(flow, earlier, "skip")
    with pytest.raises(AnswerError):
        answer(flow, step, value, choices)
    assert step not in flow["a"]


def test_tampered_needs_children_and_languages_are_refused():
    flow = new_flow("EVT", card="X", known=True)
    with pytest.raises(AnswerError):
        answer(flow, "needs", "ok", ["jetpack"])
    answer(flow, "needs", "ok", ["childcare", "interpreter"])
    for bad in ("0", "7", "-1", "2.5", ""):
        with pytest.raises(AnswerError):
            answer(flow, "children", bad)
    answer(flow, "children", "1")
    with pytest.raises(AnswerError):
        answer(flow, "child_ages", "ok", ["99_100"])
    answer(flow, "child_ages", "skip")
    with pytest.raises(AnswerError):
        answer(flow, "interpreter", "xx")


def test_a_question_cannot_be_answered_out_of_turn():
    flow = new_flow("EVT")
    with pytest.raises(AnswerError):
        answer(flow, "gender", "woman")


def test_a_skipped_language_still_records_the_need():
    flow = new_flow("EVT", card="X", known=True)
    answer(flow, "needs", "ok", ["interpreter", "childcare"])
    answer(flow, "children", "skip")
    answer(flow, "child_ages", "skip")
    answer(flow, "interpreter", "skip")
    answers = to_answers(flow)
    assert answers.interpreter_language == "skip"
    assert answers.childcare_children == 1  # asked for childcare: at least one child
    assert answers.needs_skipped is False


def test_the_neighbourhood_of_residence_is_kept_by_id():
    flow = new_flow("EVT")
    answer(flow, "first_time", "yes")
    answer(flow, "residence", "n:8")
    answers = to_answers(flow)
    assert (answers.residence, answers.residence_neighbourhood_id) == ("neighbourhood", 8)
