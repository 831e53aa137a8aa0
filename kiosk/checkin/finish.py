"""The last step of a resident's flow: record the check-in, hand out a new card if asked."""

from flask import session

from ..models import Event
from .context import PHONE
from .flow import flow_uuid, to_answers
from .services import RECORDED, record_checkin, unique_card_code

PHONE_DONE = "phone_done"  # events this phone already checked in at (kept across resets)


def finish(event: Event, flow: dict, *, mode: str, language: str) -> dict:
    """Record the flow's check-in; return what the confirmation screen shows."""
    card_code = flow.get("card")
    new_card = None
    if card_code is None and flow["a"].get("card_offer") == "yes":
        card_code = new_card = unique_card_code()
    result = record_checkin(
        event, checkin_uuid=flow_uuid(flow), channel=flow["channel"], language=language,
        card_code=card_code, answers=to_answers(flow),
    )
    return {
        "outcome": result.outcome,
        "new_card": new_card if result.outcome == RECORDED else None,
        "greet": bool(flow.get("known")),
    }


def remember_phone_checkin(mode: str, event: Event, done: dict) -> None:
    """On a resident's phone, remember the event so the same phone is not counted twice."""
    if mode == PHONE and done["outcome"] == RECORDED:
        session[PHONE_DONE] = [*session.get(PHONE_DONE, [])[-9:], event.code]


def phone_already_checked_in(mode: str, event: Event) -> bool:
    return mode == PHONE and event.code in session.get(PHONE_DONE, [])
