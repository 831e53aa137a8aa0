"""Visits at a structure's reception (DESIGN.md "accueil"): never an outreach participation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Card, Neighbourhood, Structure, UuidMixin, utcnow

VISIT_KINDS = ("first_contact", "registration", "participation")


class Visit(UuidMixin, db.Model):
    """One person seen at a structure's reception, with a card or without one."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_structure_id_created_at", "structure_id", "created_at"),
        Index("ix_visits_card_id_created_at", "card_id", "created_at"),
        Index("ix_visits_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="first_contact")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    # The kiosk's optional profile answers (same vocabularies, SKIP first-class, None: not asked).
    age_band: Mapped[str | None] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(8))
    residence: Mapped[str | None] = mapped_column(String(16))
    residence_neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    structure: Mapped[Structure] = relationship()
    card: Mapped[Card | None] = relationship()
    residence_neighbourhood: Mapped[Neighbourhood | None] = relationship()


class ReceptionTablet(db.Model):
    """A browser bound to a structure's reception until its staff member unlocks it (PIN counted here)."""

    __tablename__ = "reception_tablets"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    wrong_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
