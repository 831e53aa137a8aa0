"""The last step of a resident's flow: record the check-in, hand out a new card if asked."""

from ..models import Event
from .flow import flow_uuid, to_answers
from .services import RECORDED, record_checkin, unique_card_code


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
        "uuid": str(flow_uuid(flow)),
    }
