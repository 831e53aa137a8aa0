"""The review's cache: the exact figures of a year, computed once while nothing changes them (DESIGN.md, issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class ReviewYear(db.Model):
    """One year's figures for one territory (0: all), as JSON, exact (shared versions hide after).

    A settled year's row has no stamp. A year still moving has one: the figures hold while the
    recorded rows are the same (`stamp`: highest ids and counts) and until the first follow-through window closes after
    `computed_at` (`expires_at`).
    """

    __tablename__ = "review_years"
    __table_args__ = (UniqueConstraint("year", "neighbourhood_key", name="uq_review_years_year_neighbourhood"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    neighbourhood_key: Mapped[int] = mapped_column(Integer)  # a neighbourhood's id, 0 for every territory
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # the moment the figures are of
    figures: Mapped[str] = mapped_column(Text)
    stamp: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
