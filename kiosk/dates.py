"""Dates people type: only years we count ("0202" is a typing slip, 9999 overflows period arithmetic)."""

from __future__ import annotations

from datetime import date

from .i18n import _

YEARS = (2000, 2099)  # the years a typed date may name


def year_problem(day: date, typed: str) -> str | None:
    """Return a French message when the year of `day` (read from `typed`) is out of YEARS, else None."""
    if YEARS[0] <= day.year <= YEARS[1]:
        return None
    return _("« %(value)s » : choisissez une date entre %(first)s et %(last)s.",
             value=typed, first=YEARS[0], last=YEARS[1])
