"""Read side of the stand: what the live view shows besides the indicators."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CheckIn, Event, Tally, utcnow

# Children brought in this long ago are taken to be on the stand "now".
NEEDS_WINDOW = timedelta(minutes=45)
LATEST_LIMIT = 12
# The live panel is re-sent at least this often even when nothing changed, so "now" moves.
REFRESH_BUCKET_SECONDS = 300


def version_fingerprint(event: Event, *, now: datetime | None = None) -> str:
    """Fingerprint what the live panel shows, in one small query on two indexed columns.

    Any new check-in or tally changes a count and a maximum id; a void or an undo changes
    a maximum time. The event status and a five-minute bucket complete it.
    """
    checkins = select(
        literal("c"), func.count(CheckIn.id), func.max(CheckIn.id), func.max(CheckIn.voided_at)
    ).where(CheckIn.event_id == event.id)
    tallies = select(
        literal("t"), func.count(Tally.id), func.max(Tally.id), func.max(Tally.undone_at)
    ).where(Tally.event_id == event.id)
    rows = db.session.execute(union_all(checkins, tallies)).all()
    now = now or utcnow()
    parts = sorted(str(tuple(row)) for row in rows)
    parts += [event.status, str(int(now.timestamp()) // REFRESH_BUCKET_SECONDS)]
    return hashlib.blake2s("|".join(parts).encode(), digest_size=8).hexdigest()


def latest_checkins(event: Event, limit: int | None = LATEST_LIMIT) -> list[CheckIn]:
    """The most recent check-ins of the event, voided ones included, newest first."""
    query = (select(CheckIn).where(CheckIn.event_id == event.id)
             .options(selectinload(CheckIn.residence_neighbourhood))
             .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()))
    return list(db.session.execute(query.limit(limit) if limit else query).scalars())


@dataclass
class NeedsNow:
    """What the stand must provide right now: children to look after, interpreters, access."""

    children: int = 0
    childcare_age_bands: Counter = field(default_factory=Counter)
    interpreters: Counter = field(default_factory=Counter)
    accessibility: int = 0
    since: datetime | None = None

    @property
    def any(self) -> bool:
        return bool(self.children or self.interpreters or self.accessibility)


def needs_now(event: Event, *, now: datetime | None = None) -> NeedsNow:
    """Needs declared by the live check-ins of the last NEEDS_WINDOW."""
    since = (now or utcnow()) - NEEDS_WINDOW
    rows = db.session.execute(
        select(
            CheckIn.childcare_children, CheckIn.childcare_age_bands,
            CheckIn.interpreter_language, CheckIn.accessibility,
        ).where(
            CheckIn.event_id == event.id, CheckIn.voided_at.is_(None), CheckIn.created_at >= since,
        )
    ).all()
    result = NeedsNow(since=since)
    for children, bands, language, accessibility in rows:
        result.children += children or 0
        result.childcare_age_bands.update(b for b in (bands or "").split(",") if b)
        if language:
            result.interpreters[language] += 1
        if accessibility:
            result.accessibility += 1
    return result


def last_tally(event: Event, author_id: int | None = None) -> Tally | None:
    """The most recent tally of the event that is not undone, by one author if given."""
    query = select(Tally).where(Tally.event_id == event.id, Tally.undone_at.is_(None))
    if author_id is not None:
        query = query.where(Tally.author_id == author_id)
    return db.session.execute(query.order_by(Tally.id.desc()).limit(1)).scalar_one_or_none()


def checkin_of_event(event: Event, uuid) -> CheckIn | None:
    return db.session.execute(
        select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.uuid == uuid)
    ).scalar_one_or_none()
