"""Profiles of structure publics, month by month (DESIGN.md, issue 14).

Among a structure's visitors in a local calendar month: how many cards were first met
outside the walls, and the declared age band, gender and residence (one answer per visitor).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased

from ..events.services import local_to_utc
from ..extensions import db
from ..models import CheckIn, Structure
from ..reception.models import Visit
from .indicators import month_key

PROFILE_DIMENSIONS = ("age_band", "gender", "residence")
NOT_ASKED = "not_asked"


@dataclass
class MonthProfile:
    card_visitors: int = 0
    anonymous_visitors: int = 0
    met_outside: int = 0
    visits: int = 0
    answers: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def visitors(self) -> int:
        return self.card_visitors + self.anonymous_visitors

    @property
    def met_outside_share(self) -> float | None:
        return self.met_outside / self.card_visitors if self.card_visitors else None


def _answer(visit_row, dim: str) -> str | None:
    if dim == "residence" and visit_row.residence == "neighbourhood":
        return f"n:{visit_row.residence_neighbourhood_id}"
    return getattr(visit_row, dim)


def structure_profiles(start: date, end: date, *, structure_id: int | None = None,
                       neighbourhood_id: int | None = None) -> dict[int, dict[str, MonthProfile]]:
    """Return, per structure and month ("YYYY-MM"), the profile of its visitors between start and end."""
    where = [Visit.created_at >= local_to_utc(datetime.combine(start, time.min)),
             Visit.created_at < local_to_utc(datetime.combine(end + timedelta(days=1), time.min))]
    if structure_id:
        where.append(Visit.structure_id == structure_id)
    if neighbourhood_id:
        where.append(Visit.structure_id.in_(select(Structure.id).where(Structure.neighbourhood_id == neighbourhood_id)))
    rows = db.session.execute(
        select(Visit.structure_id, Visit.card_id, Visit.created_at, Visit.age_band, Visit.gender, Visit.residence,
               Visit.residence_neighbourhood_id).where(*where).order_by(Visit.created_at, Visit.id)).all()
    # Each visiting card's first outreach contact (a subquery: a year holds too many cards for a list).
    first_contact: dict[int, datetime] = dict(db.session.execute(
        select(CheckIn.card_id, func.min(CheckIn.created_at)).where(
            CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None),
            CheckIn.card_id.in_(select(Visit.card_id).where(*where, Visit.card_id.is_not(None))))
        .group_by(CheckIn.card_id)).all())
    # And its first visit ever, at any structure: a card first met at a reception was not met outside.
    first_visit_ever: dict[int, datetime] = dict(db.session.execute(
        select(Visit.card_id, func.min(Visit.created_at))
        .where(Visit.card_id.in_(select(Visit.card_id).where(*where, Visit.card_id.is_not(None))))
        .group_by(Visit.card_id)).all())
    result: dict[int, dict[str, MonthProfile]] = defaultdict(dict)
    # (structure, month, card) -> [its first visit there that month, latest non-empty answer per dimension]
    cards: dict[tuple, list] = {}
    months_of_hours: dict[datetime, str] = {}  # the zone's offset is whole hours: one conversion per hour
    for row in rows:
        hour = row.created_at.replace(minute=0, second=0, microsecond=0)
        month = months_of_hours.get(hour) or months_of_hours.setdefault(hour, month_key(hour))
        profile = result[row.structure_id].setdefault(month, MonthProfile())
        profile.visits += 1
        if row.card_id is None:
            profile.anonymous_visitors += 1
            for dim in PROFILE_DIMENSIONS:
                profile.answers[dim][_answer(row, dim) or NOT_ASKED] += 1
            continue
        seen = cards.setdefault((row.structure_id, month, row.card_id), [row.created_at, {}])
        for dim in PROFILE_DIMENSIONS:
            if (value := _answer(row, dim)) is not None:
                seen[1][dim] = value  # rows come in time order: the last answer wins
    for (structure, month, card_id), (_first_visit, answers) in cards.items():
        profile = result[structure][month]
        profile.card_visitors += 1
        t0 = first_contact.get(card_id)
        profile.met_outside += t0 is not None and t0 < first_visit_ever[card_id]
        for dim in PROFILE_DIMENSIONS:
            profile.answers[dim][answers.get(dim, NOT_ASKED)] += 1
    return {s: dict(sorted(months.items())) for s, months in result.items()}


def local_months(start: date, end: date) -> list[tuple[str, datetime, datetime]]:
    """The local calendar months of [start, end], each ("YYYY-MM", its first UTC instant, the next month's)."""
    months = []
    first = date(start.year, start.month, 1)
    while first <= end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months.append((f"{first:%Y-%m}", local_to_utc(datetime.combine(max(first, start), time.min)),
                       local_to_utc(datetime.combine(min(following - timedelta(days=1), end) + timedelta(days=1),
                                                     time.min))))
        first = following
    return months


def visitor_counts(start: date, end: date, *,
                   neighbourhood_id: int | None = None) -> dict[int, dict[str, MonthProfile]]:
    """The visitor counts of structure_profiles (card and anonymous visitors, first met outside), without
    the answers, counted in the database: what the annual review needs over a year of visits."""
    months = local_months(start, end)
    where = [Visit.created_at >= months[0][1], Visit.created_at < months[-1][2]]
    if neighbourhood_id:
        where.append(Visit.structure_id.in_(select(Structure.id).where(Structure.neighbourhood_id == neighbourhood_id)))
    month = case(*[(Visit.created_at < upper, key) for key, _lower, upper in months[:-1]], else_=months[-1][0])
    earlier = aliased(Visit)
    first_visit_ever = select(func.min(earlier.created_at)).where(earlier.card_id == Visit.card_id) \
        .correlate(Visit).scalar_subquery()
    # A card first met outside: its first outreach contact comes before its first visit, at any structure.
    met_outside = exists().where(CheckIn.card_id == Visit.card_id, CheckIn.first_seen.is_(True),
                                 CheckIn.voided_at.is_(None), CheckIn.created_at < first_visit_ever)
    result: dict[int, dict[str, MonthProfile]] = defaultdict(dict)
    for structure_id, key, cards, anonymous, visits in db.session.execute(
            select(Visit.structure_id, month, func.count(func.distinct(Visit.card_id)),
                   func.coalesce(func.sum(case((Visit.card_id.is_(None), 1), else_=0)), 0), func.count())
            .where(*where).group_by(Visit.structure_id, month)):
        result[structure_id][key] = MonthProfile(card_visitors=cards, anonymous_visitors=anonymous, visits=visits)
    for structure_id, key, cards in db.session.execute(
            select(Visit.structure_id, month, func.count(func.distinct(Visit.card_id)))
            .where(*where, Visit.card_id.is_not(None), met_outside).group_by(Visit.structure_id, month)):
        result[structure_id][key].met_outside = cards
    return {s: dict(sorted(months.items())) for s, months in result.items()}
