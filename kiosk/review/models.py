"""The review's cache: the exact figures of a settled year, computed once (DESIGN.md, issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class ReviewYear(db.Model):
    """One settled year's figures for one territory (0: all), as JSON, exact (shared versions hide after)."""

    __tablename__ = "review_years"
    __table_args__ = (UniqueConstraint("year", "neighbourhood_key", name="uq_review_years_year_neighbourhood"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    neighbourhood_key: Mapped[int] = mapped_column(Integer)  # a neighbourhood's id, 0 for every territory
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    figures: Mapped[str] = mapped_column(Text)
