"""The resident's path through the questions, as plain functions over a small dict.

The page walks the resident through the questions itself and sends every answer once, at
the end (``read_submission``). The server walks the same path again here: each answer is
checked against the vocabularies of ``kiosk.models`` in the order it was asked, so a tampered
value raises AnswerError naming the step to send the resident back to, and nothing is stored.
"""

from __future__ import annotations

import uuid as uuid_module

from ..inputs import parse_id
from ..models import AGE_BANDS, CHILD_AGE_BANDS, FIRST_TIME, GENDERS, HEARD_FROM, SKIP, YES_NO
from .services import Answers, companions_count

PROFILE_STEPS = ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from")
NEEDS = ("childcare", "interpreter", "accessibility")
MAX_CHILDREN = 6
STEPS = (*PROFILE_STEPS, "needs", "children", "child_ages", "interpreter", "card_offer")
SINGLE_CHOICE = {
    "first_time": FIRST_TIME,
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "goes_to_structure": YES_NO,
    "heard_from": HEARD_FROM,
    # "Passer" means no card, as "Non merci" does: a resident who skips everything is checked in.
    "card_offer": ("yes", "link", "no", SKIP),
}
LINK_SCAN = "link_scan"  # the resident took a pre-printed card from the stand: scan it


class AnswerError(ValueError):
    """A submitted value is not one the question offers; ``step`` is the question at fault."""

    def __init__(self, value: object, step: str | None = None):
        super().__init__(value)
        self.step = step


class ProfileNeeded(Exception):
    """A card scanned at the start was never used: its holder answers the profile questions first."""


def new_flow(event_code: str, *, card: str | None = None, channel: str = "nocard",
             known: bool = False, express: bool = False) -> dict:
    """Start a resident's flow; its id becomes the check-in's uuid."""
    return {"id": str(uuid_module.uuid4()), "event": event_code, "card": card, "channel": channel,
            "known": known, "express": express, "a": {}}


def flow_uuid(flow: dict) -> uuid_module.UUID:
    return uuid_module.UUID(flow["id"])


def steps_for(flow: dict) -> list[str]:
    """Return the questions this resident is asked, in order, given what they answered so far."""
    if flow.get("express"):
        return []
    answers = flow["a"]
    steps = [] if flow.get("known") else list(PROFILE_STEPS)
    steps.append("needs")
    needs = answers.get("needs")
    if isinstance(needs, list):
        if "childcare" in needs:
            steps += ["children", "child_ages"]
        if "interpreter" in needs:
            steps.append("interpreter")
    if flow.get("card") is None:
        steps.append("card_offer")
    return steps


def next_step(flow: dict) -> str | None:
    """Return the next question, LINK_SCAN, or None when the check-in can be recorded."""
    for step in steps_for(flow):
        if step not in flow["a"]:
            return step
    if flow["a"].get("card_offer") == "link" and flow.get("card") is None:
        return LINK_SCAN
    return None


def apply_answer(flow: dict, step: str, answer: str, choices: list[str], *,
                 neighbourhood_ids: set[int], interpreter_codes: set[str]) -> None:
    """Check one submitted answer and keep it in the flow; raise AnswerError if it is not offered."""
    if step != next_step(flow) and step not in flow["a"]:
        raise AnswerError(step)
    if step in SINGLE_CHOICE:
        if answer not in SINGLE_CHOICE[step]:
            raise AnswerError(answer)
        value: object = answer
    elif step == "residence":
        value = _residence(answer, neighbourhood_ids)
    elif step == "needs":
        value = _multi(answer, choices, NEEDS)
    elif step == "child_ages":
        value = _multi(answer, choices, CHILD_AGE_BANDS)
    elif step == "children":
        value = _children(answer)
    elif step == "interpreter":
        if answer != SKIP and answer not in interpreter_codes:
            raise AnswerError(answer)
        value = answer
    else:
        raise AnswerError(step)
    flow["a"][step] = value
    # Changing an earlier answer drops the answers that depended on it.
    if step == "needs":
        for dependent in ("children", "child_ages", "interpreter"):
            flow["a"].pop(dependent, None)


def _residence(answer: str, neighbourhood_ids: set[int]) -> str:
    if answer in ("other", SKIP):
        return answer
    if answer.startswith("n:") and parse_id(answer[2:]) in neighbourhood_ids:
        return answer
    raise AnswerError(answer)


def _multi(answer: str, choices: list[str], vocabulary: tuple[str, ...]) -> str | list[str]:
    if answer == SKIP:
        return SKIP
    if answer == "none":
        return []
    if answer != "ok" or any(c not in vocabulary for c in choices):
        raise AnswerError(answer)
    return [v for v in vocabulary if v in choices]


def _children(answer: str) -> int | str:
    if answer == SKIP:
        return SKIP
    if (children := parse_id(answer)) is not None and children <= MAX_CHILDREN:
        return children
    raise AnswerError(answer)


MULTI_STEPS = ("needs", "child_ages")


def read_submission(form, *, event_code: str, card: str | None, card_known: bool, express: bool,
                    long_form: bool, neighbourhood_ids: set[int], interpreter_codes: set[str]) -> dict:
    """Rebuild the resident's flow from the page's one submission, checking every answer.

    ``form`` is the posted MultiDict: one field per question (``needs`` and ``child_ages``
    list the boxes ticked, with ``<step>_do`` saying ok/none/skip). Questions the path does
    not reach are ignored. In the script's flow a question on the path must be answered;
    in the long form without JavaScript an unanswered question is a skip.
    Raise AnswerError (with the step) or ProfileNeeded.
    """
    flow_id = form.get("flow", "")
    try:
        flow_id = str(uuid_module.UUID(flow_id))
    except ValueError:
        raise AnswerError(flow_id, "start") from None
    linked = form.get("card_offer") == "link"
    known = card is not None and not linked and card_known
    flow = {"id": flow_id, "event": event_code, "card": None if linked else card, "channel": "nocard",
            "known": known, "express": express, "a": {}}
    if card is not None and not linked and not card_known and not express and not long_form and not any(
            form.get(step) for step in PROFILE_STEPS):
        raise ProfileNeeded()
    for _guard in range(len(STEPS) + 1):
        step = next_step(flow)
        if step is None:
            break
        if step == LINK_SCAN:
            if card is None:
                raise AnswerError("", LINK_SCAN)
            flow["card"] = card
            break
        _apply_submitted(flow, step, form, long_form=long_form, neighbourhood_ids=neighbourhood_ids,
                         interpreter_codes=interpreter_codes)
    if not express:  # asked on the needs screen, which every resident but the express ones sees
        try:
            flow["a"]["companions"] = companions_count(form.get("companions", "")[:4])
        except ValueError:
            raise AnswerError(form.get("companions"), "needs") from None
    return flow


def _apply_submitted(flow: dict, step: str, form, *, long_form: bool, neighbourhood_ids: set[int],
                     interpreter_codes: set[str]) -> None:
    if step in MULTI_STEPS:
        choices = form.getlist(step)[:10]
        answer = form.get(step + "_do") or ("ok" if choices else SKIP if long_form else "")
    else:
        answer = form.get(step, "")[:40] or (SKIP if long_form else "")
        choices = []
    if step == "card_offer" and answer == "link" and long_form:
        answer = "no"  # the long form has no card scanner: a card taken at the stand is typed at the top
    try:
        apply_answer(flow, step, answer, choices, neighbourhood_ids=neighbourhood_ids,
                     interpreter_codes=interpreter_codes)
    except AnswerError as error:
        raise AnswerError(answer, step) from error


def to_answers(flow: dict) -> Answers:
    """Turn a finished flow into the columns of a check-in; unasked questions stay None."""
    a = flow["a"]
    answers = Answers()
    if flow.get("express"):
        return answers
    if not flow.get("known"):
        for step in ("first_time", "age_band", "gender", "goes_to_structure", "heard_from"):
            setattr(answers, step, a.get(step, SKIP))
        residence = a.get("residence", SKIP)
        if residence.startswith("n:"):
            answers.residence = "neighbourhood"
            answers.residence_neighbourhood_id = int(residence[2:])
        else:
            answers.residence = residence
    answers.companions = a.get("companions", 0)
    needs = a.get("needs", SKIP)
    if needs == SKIP:
        answers.needs_skipped = True
        return answers
    answers.accessibility = "accessibility" in needs
    if "childcare" in needs:
        # Asking for childcare but skipping the count still means at least one child.
        children = a.get("children", SKIP)
        answers.childcare_children = children if isinstance(children, int) else 1
        ages = a.get("child_ages", SKIP)
        answers.childcare_age_bands = ",".join(ages) if isinstance(ages, list) else ""
    if "interpreter" in needs:
        # A skipped language still records the need; SKIP says the language was not given.
        answers.interpreter_language = a.get("interpreter", SKIP)
    return answers
