"""The stand's outbox: what waits to be pushed, and each item as the central server reads it."""

from __future__ import annotations

from sqlalchemy import func

from ..extensions import db
from ..models import CheckIn, Event, OutboxItem, Tally, utcnow
from . import payloads

_DOCUMENTS = {
    "checkin": (CheckIn, payloads.checkin_doc),
    "void": (CheckIn, payloads.void_doc),
    "tally": (Tally, payloads.tally_doc),
    "event": (Event, payloads.event_doc),
}


def pending(limit: int) -> list[OutboxItem]:
    return list(db.session.execute(
        db.select(OutboxItem).where(OutboxItem.sent_at.is_(None)).order_by(OutboxItem.id).limit(limit)).scalars())


def backlog() -> int:
    return db.session.execute(
        db.select(func.count(OutboxItem.id)).where(OutboxItem.sent_at.is_(None))).scalar_one()


def document(item: OutboxItem) -> dict:
    """The item with its record as it is now (a check-in voided since goes out voided)."""
    model, build = _DOCUMENTS[item.kind]
    record = db.session.execute(db.select(model).where(model.uuid == item.object_uuid)).scalar()
    # A record deleted since (demo data removed) goes as an empty batch slot: nothing to store.
    return {"id": item.id, "kind": item.kind, "data": build(record) if record is not None else None}


def mark_sent(through: int) -> int:
    """Mark every item up to ``through`` pushed; return how many were still waiting."""
    result = db.session.execute(db.update(OutboxItem).where(
        OutboxItem.id <= through, OutboxItem.sent_at.is_(None)).values(sent_at=utcnow()))
    return result.rowcount
