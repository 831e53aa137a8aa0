"""Profiles of structure publics, month by month (DESIGN.md, issue 14).

Among a structure's visitors in a local calendar month: how many cards were first met
outside the walls, and the declared age band, gender and residence (one answer per visitor).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import signals
from ..events.services import local_to_utc
from ..extensions import db
from ..models import CheckIn, Structure, utcnow
from ..reception.models import Visit
from .indicators import month_key
from .models import VisitorMonth

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
    # A CASE needs one WHEN: a single month gets the (always true) test of its own upper bound.
    month = case(*[(Visit.created_at < upper, key) for key, _lower, upper in months[:-1]]
                 or [(Visit.created_at < months[-1][2], months[-1][0])], else_=months[-1][0])
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


def cached_visitor_counts(start: date, end: date, *, neighbourhood_id: int | None = None,
                          now: datetime | None = None) -> dict[int, dict[str, MonthProfile]]:
    """visitor_counts, the same figures, with each finished whole month computed once and kept.

    A finished month is kept for every structure; the territory is applied when reading, with
    the structures' neighbourhoods of today, as visitor_counts does.
    """
    now = now or utcnow()
    whole, partial = [], []  # partial: cut by start or end, or not over yet
    for key, _lower, upper in local_months(start, end):
        first = date(int(key[:4]), int(key[5:]), 1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        span = (max(first, start), min(following - timedelta(days=1), end))
        is_whole = span == (first, following - timedelta(days=1))
        (whole if is_whole and upper <= now else partial).append((key, span))
    kept = _load_months([key for key, _span in whole])
    missing = [(key, span) for key, span in whole if key not in kept]
    if missing:
        computed = visitor_counts(missing[0][1][0], missing[-1][1][1])
        for key, _span in missing:
            kept[key] = {s: months[key] for s, months in computed.items() if key in months}
            _store_month(key, kept[key])
    result: dict[int, dict[str, MonthProfile]] = defaultdict(dict)
    allowed = None
    if neighbourhood_id:
        allowed = set(db.session.execute(select(Structure.id).where(Structure.neighbourhood_id == neighbourhood_id))
                      .scalars())
    for key, _span in whole:
        for structure_id, profile in kept[key].items():
            if allowed is None or structure_id in allowed:
                result[structure_id][key] = profile
    for _key, (lower, upper) in partial:
        for structure_id, months in visitor_counts(lower, upper, neighbourhood_id=neighbourhood_id).items():
            result[structure_id].update(months)
    return {s: dict(sorted(months.items())) for s, months in result.items()}


def _load_months(keys: list[str]) -> dict[str, dict[int, MonthProfile]]:
    if not keys:
        return {}
    return {month: {int(structure_id): MonthProfile(card_visitors=cards, anonymous_visitors=anonymous,
                                                    met_outside=met, visits=visits)
                    for structure_id, (cards, anonymous, met, visits) in json.loads(counts).items()}
            for month, counts in db.session.execute(
                select(VisitorMonth.month, VisitorMonth.counts).where(VisitorMonth.month.in_(keys)))}


def _store_month(key: str, profiles: dict[int, MonthProfile]) -> None:
    """Keep a finished month's counts; another request storing the same month first wins."""
    counts = {structure_id: [p.card_visitors, p.anonymous_visitors, p.met_outside, p.visits]
              for structure_id, p in profiles.items()}
    try:
        with db.session.begin_nested():
            db.session.add(VisitorMonth(month=key, counts=json.dumps(counts)))
    except IntegrityError:
        pass


def forget_months(months: list[str] | None = None) -> None:
    """Drop the kept visitor counts of these months ("YYYY-MM"), or of every month."""
    query = delete(VisitorMonth)
    if months is not None:
        query = query.where(VisitorMonth.month.in_(months))
    db.session.execute(query)


@signals.visit_recorded.connect
def _on_visit_recorded(_structure_id, *, at=None, **_extra) -> None:
    # A visit changes its own month only: a card's first visit ever is not moved by a later one.
    forget_months([month_key(at)] if at is not None else None)


@signals.checkin_voided.connect
@signals.checkin_merged.connect
@signals.event_changed.connect
@signals.card_unlinked.connect
@signals.structure_changed.connect
def _on_reference_changed(_sender, **_extra) -> None:
    # A first seen moved (void, late merge, an event moved in time), a card's visits made anonymous, a
    # structure changed: any month may change. Tallies (no card) and neighbourhoods (a filter applied
    # when the months are read) do not reach the counts, so they keep them.
    forget_months()
