"""The last step of a resident's flow: record the check-in, hand out a new card if asked."""

from ..models import Event
from .flow import flow_uuid, to_answers
from .services import ALREADY_RECORDED, RECORDED, card_made_by, record_checkin, unique_card_code
from .snapshots import EventSnapshot


def finish(event: Event | EventSnapshot, flow: dict, *, language: str) -> dict:
    """Record the flow's check-in; return what the confirmation screen shows."""
    card_code = flow.get("card")
    new_card = None
    if card_code is None and flow["a"].get("card_offer") == "yes":
        card_code = new_card = unique_card_code()
    result = record_checkin(
        event, checkin_uuid=flow_uuid(flow), channel=flow["channel"], language=language,
        card_code=card_code, answers=to_answers(flow),
    )
    if result.outcome == ALREADY_RECORDED:
        # A retry whose first answer was lost: show the card the first attempt made.
        new_card = card_made_by(flow_uuid(flow))
    elif result.outcome != RECORDED:
        new_card = None
    return {"outcome": result.outcome, "new_card": new_card, "greet": bool(flow.get("known")), "uuid": flow["id"]}
