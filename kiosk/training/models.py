"""Training sessions and network meetings of the people who go out to residents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Structure, User, UuidMixin, utcnow

SESSION_KINDS = ("training", "network")
PARTICIPANT_ROLES = ("adulte_relais", "mediateur", "centre_social", "bailleur", "ville", "association", "autre")


class TrainingSession(UuidMixin, db.Model):
    """A training session or a meeting of the practitioners' network."""

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="training")
    theme: Mapped[str] = mapped_column(String(160))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)  # length of the session, per person
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()
    attendances: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="TrainingAttendance.id")

    @property
    def participants(self) -> int:
        return sum(a.count for a in self.attendances)


class TrainingAttendance(db.Model):
    """How many people of one structure and role took part in a session (no names)."""

    __tablename__ = "training_attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    structure_id: Mapped[int | None] = mapped_column(ForeignKey("structures.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)

    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    structure: Mapped[Structure | None] = relationship()
