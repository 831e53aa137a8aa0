"""The central server's answer to a stand's pull: what it needs to work offline, since its cursor."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_

from ..extensions import db
from ..i18n import LANGUAGES
from ..languages.mirror import published
from ..models import (
    Device,
    Event,
    Neighbourhood,
    Structure,
    SyncChange,
    User,
    event_partners,
    event_volunteers,
    utcnow,
)
from . import payloads
from .journal import LANGUAGE_KIND

# A stand keeps the events of its structure that are not over, and those of the last days
# (their report, a void after the close).
RECENT_EVENTS = timedelta(days=14)


def current_revision() -> int:
    return db.session.execute(db.select(func.coalesce(func.max(SyncChange.id), 0))).scalar_one()


def pull(device: Device, cursor: int | None) -> dict:
    """Return the changes since ``cursor`` (everything without one); one small query when none."""
    revision = current_revision()
    if cursor is not None and cursor == revision:
        return {"revision": revision, "unchanged": True}
    ids: dict[str, set[int]] | None = None
    if cursor is not None and 0 <= cursor < revision:
        rows = db.session.execute(
            db.select(SyncChange.kind, SyncChange.object_id).where(SyncChange.id > cursor)).all()
        if all(row.object_id is not None for row in rows):
            ids = {}
            for kind, object_id in rows:
                ids.setdefault(kind, set()).add(object_id)
    return {"revision": revision, "unchanged": False, "full": ids is None, **_documents(device, ids)}


def _select(model, ids, kind, *conditions):
    query = db.select(model).where(*conditions).order_by(model.id)
    if ids is not None:
        query = query.where(model.id.in_(ids.get(kind, set())))
    return db.session.execute(query).scalars()


def _documents(device: Device, ids) -> dict:
    since = utcnow() - RECENT_EVENTS
    # The events the stand's structure carries or co-runs as a partner (permissions: partners run the stand too).
    co_run = db.select(event_partners.c.event_id).where(event_partners.c.structure_id == device.structure_id)
    ours = (or_(Event.structure_id == device.structure_id, Event.id.in_(co_run)),
            or_(Event.status != "closed", Event.ends_at >= since))
    events = list(_select(Event, ids, "event", *ours))
    # Volunteers given one of these events log in on the stand: they come with their events.
    given = db.select(event_volunteers.c.user_id).join(Event, Event.id == event_volunteers.c.event_id).where(*ours)
    staff = list(_select(User, ids, "user", or_(User.structure_id == device.structure_id, User.id.in_(given))))
    if ids is not None and events:
        known = {u.id for u in staff}
        staff += [u for u in db.session.execute(
            db.select(User).join(event_volunteers, event_volunteers.c.user_id == User.id)
            .where(event_volunteers.c.event_id.in_([e.id for e in events]))).scalars().unique() if u.id not in known]
    # A language that changed goes whole (a few tens of KB): its deletions and un-approvals with it.
    languages = LANGUAGES if ids is None else [code for code in LANGUAGES if LANGUAGE_KIND + code in ids]
    return {
        "languages": [payloads.language_doc(code, *published(code)) for code in languages],
        "neighbourhoods": [payloads.neighbourhood_doc(n) for n in _select(Neighbourhood, ids, "neighbourhood")],
        "structures": [payloads.structure_doc(s) for s in _select(Structure, ids, "structure")],
        "users": [payloads.user_doc(u) for u in staff],
        "events": [payloads.event_doc(e) for e in events],
    }
