"""Activities of structures, and orientations of participations to them (DESIGN.md "orientation")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CheckIn, Structure, User, UuidMixin, utcnow

ORIENTATION_SOURCES = ("animateur", "resident")


class Activity(UuidMixin, db.Model):
    """One activity a structure offers: what an orientation can point a resident to."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    # Free text, as a structure writes it: "mardi et jeudi, 14 h – 16 h".
    schedule: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    public: Mapped[str] = mapped_column(String(160), default="")
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    structure: Mapped[Structure] = relationship()

    def __str__(self) -> str:
        return self.name


class Orientation(UuidMixin, db.Model):
    """A participation pointed to a structure, and maybe one of its activities, on the stand."""

    __tablename__ = "orientations"
    __table_args__ = (
        # One orientation per participation and structure: a second tap changes the activity.
        Index("uq_orientations_checkin_structure", "checkin_id", "structure_id", unique=True),
        Index("ix_orientations_structure_id_created_at", "structure_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="animateur")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    checkin: Mapped[CheckIn] = relationship()
    structure: Mapped[Structure] = relationship()
    activity: Mapped[Activity | None] = relationship()
    author: Mapped[User | None] = relationship()
