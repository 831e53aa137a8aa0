"""Tables of the statistics area: what the conversion indicators keep of an unlinked card, and a cache."""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class ConversionTrace(db.Model):
    """One fact of an unlinked card's conversion, and nothing that says who (DESIGN.md, issue 14).

    Erasure and retention unlink a card; its visits lose it and its check-ins become anonymous.
    What the conversion figures need is frozen first, under a key drawn at random then (like
    card traces: it only says "the same card"), in three kinds of rows:
    - cohort: the card's first outreach contact (event_id, at = t0) and its first visit ever
      at any structure (first_visit_at; a card first met at a reception is in no cohort);
    - visit: its first visit at a structure at or after t0 (at), oriented there before or not;
    - orientation: its first orientation to a structure at one event (at), followed or not by
      a visit there within the follow-through window.
    """

    __tablename__ = "conversion_traces"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_key: Mapped[uuid_module.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(12))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    structure_id: Mapped[int | None] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    first_visit_at: Mapped[datetime | None] = mapped_column(DateTime)
    oriented: Mapped[bool] = mapped_column(Boolean, default=False)
    followed: Mapped[bool] = mapped_column(Boolean, default=False)


class VisitorMonth(db.Model):
    """A finished local month's visitor counts, every structure, exact (profiles.visitor_counts).

    JSON {structure id: [card visitors, anonymous visitors, met outside, visits]}. Dropped by the
    writes that can change a finished month (profiles.py listens); computed again when missing.
    """

    __tablename__ = "visitor_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # "YYYY-MM", local
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    counts: Mapped[str] = mapped_column(Text)


class ConversionEvent(db.Model):
    """One outreach event's part of the conversion figures, every structure, exact (conversion.Part as JSON).

    Kept while no row recorded since touches the event (`stamp`: the stamped tables' highest id
    and number of rows when it was computed); the writes that change rows in place drop it
    (conversion.py listens). Disposable: computed again when missing.
    """

    __tablename__ = "conversion_events"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
