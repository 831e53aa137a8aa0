"""The indicators of DESIGN.md, computed in one place for every screen and export.

One scan groups the live check-ins of the selected events by every answer at once; the
scalars, the distributions and the month-by-month evolution are all rolled up from those
groups in Python, so a new breakdown costs no new query. Returns and distinct cards need
the card history and get a query each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from ..events.services import local_to_utc
from ..extensions import db
from ..models import CheckIn, Event, Neighbourhood, Tally, event_partners

RETURN_WINDOW = timedelta(days=90)
# The answers every distribution is made of, in the order the pages show them.
DIMENSIONS = (
    "first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from",
    "channel", "language", "interpreter_language",
)
NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class Filters:
    """What to count. Dates are local calendar days, both ends included."""

    start: date | None = None
    end: date | None = None
    neighbourhood_id: int | None = None
    structure_id: int | None = None  # the event's own structure or one of its partners
    theme: str | None = None
    event_id: int | None = None
    scope_structure_id: int | None = None  # an animateur sees their structure's events only


@dataclass
class Figures:
    """Counts for one slice (the whole selection or one month)."""

    participations: int = 0
    newcomers_declared: int = 0
    newcomers_first_seen: int = 0
    far_from_structures: int = 0
    childcare_participations: int = 0
    children: int = 0
    accessibility: int = 0
    interpreting: int = 0
    tallies: int = 0
    breakdowns: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def reach(self) -> int:
        return self.participations + self.tallies


@dataclass
class Indicators(Figures):
    actions: int = 0
    distinct_cards: int = 0
    returns: int = 0
    months: dict[str, Figures] = field(default_factory=dict)
    neighbourhood_names: dict[int, str] = field(default_factory=dict)

    def share(self, count: int) -> float | None:
        """Share of participations, or None when there are none."""
        return count / self.participations if self.participations else None


def event_ids_query(filters: Filters):
    """Select the ids of the events the filters designate (drafts are not actions)."""
    query = select(Event.id).where(Event.status != "draft")
    if filters.start:
        query = query.where(Event.starts_at >= local_to_utc(datetime.combine(filters.start, time.min)))
    if filters.end:
        end = datetime.combine(filters.end + timedelta(days=1), time.min)
        query = query.where(Event.starts_at < local_to_utc(end))
    if filters.neighbourhood_id:
        query = query.where(Event.neighbourhood_id == filters.neighbourhood_id)
    if filters.theme:
        query = query.where(Event.theme == filters.theme)
    if filters.event_id:
        query = query.where(Event.id == filters.event_id)
    if filters.scope_structure_id:
        query = query.where(Event.structure_id == filters.scope_structure_id)
    if filters.structure_id:
        partner = select(event_partners.c.event_id).where(
            event_partners.c.structure_id == filters.structure_id
        )
        query = query.where(or_(Event.structure_id == filters.structure_id, Event.id.in_(partner)))
    return query


def _month_key(column):
    # Literal formats, not bound parameters: PostgreSQL must see the GROUP BY expression
    # as the very same one as the selected column.
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.strftime(literal_column("'%Y-%m'"), column)


def _residence_key(residence: str | None, neighbourhood_id: int | None) -> str:
    if residence == "neighbourhood" and neighbourhood_id:
        return f"n{neighbourhood_id}"
    return residence or NOT_ASKED


def _add(figures: Figures, row, n: int) -> None:
    figures.participations += n
    if row.first_time == "yes":
        figures.newcomers_declared += n
    if row.first_seen:
        figures.newcomers_first_seen += n
    if row.goes_to_structure == "no":
        figures.far_from_structures += n
    if row.childcare_children:
        figures.childcare_participations += n
        figures.children += row.childcare_children * n
    if row.accessibility:
        figures.accessibility += n
    if row.interpreter_language:
        figures.interpreting += n
    for dim in DIMENSIONS:
        if dim == "residence":
            key = _residence_key(row.residence, row.residence_neighbourhood_id)
        elif dim == "interpreter_language":
            if not row.interpreter_language:
                continue
            key = row.interpreter_language
        else:
            key = getattr(row, dim) or NOT_ASKED
        figures.breakdowns[dim][key] += n


def compute(filters: Filters) -> Indicators:
    """Compute every indicator for the events the filters select."""
    events = event_ids_query(filters).subquery()
    live = and_(CheckIn.voided_at.is_(None), CheckIn.event_id.in_(select(events.c.id)))
    month = _month_key(Event.starts_at).label("month")
    group_columns = [
        month, CheckIn.first_seen, CheckIn.first_time, CheckIn.residence, CheckIn.residence_neighbourhood_id,
        CheckIn.age_band, CheckIn.gender, CheckIn.goes_to_structure, CheckIn.heard_from, CheckIn.channel,
        CheckIn.language, CheckIn.interpreter_language, CheckIn.accessibility, CheckIn.childcare_children,
    ]
    rows = db.session.execute(
        select(*group_columns, func.count().label("n"))
        .select_from(CheckIn).join(Event, Event.id == CheckIn.event_id)
        .where(live).group_by(*group_columns)
    ).all()

    result = Indicators()
    for row in rows:
        _add(result, row, row.n)
        _add(result.months.setdefault(row.month, Figures()), row, row.n)

    for month_key, total in db.session.execute(
        select(_month_key(Event.starts_at), func.sum(Tally.count))
        .join(Event, Event.id == Tally.event_id)
        .where(Tally.undone_at.is_(None), Tally.event_id.in_(select(events.c.id)))
        .group_by(_month_key(Event.starts_at))
    ):
        result.tallies += total or 0
        result.months.setdefault(month_key, Figures()).tallies += total or 0

    result.actions = db.session.execute(select(func.count()).select_from(events)).scalar_one()
    result.distinct_cards = db.session.execute(
        select(func.count(func.distinct(CheckIn.card_id))).where(live, CheckIn.card_id.is_not(None))
    ).scalar_one()
    result.returns = count_returns(events)
    result.months = dict(sorted(result.months.items()))
    result.neighbourhood_names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    return result


def _plus_return_window(column):
    if db.engine.dialect.name == "postgresql":
        return column + RETURN_WINDOW
    # SQLite keeps datetimes as "YYYY-MM-DD HH:MM:SS.ffffff" text: shift the date part and
    # keep the microseconds, so the bound compares exactly (90 days to the microsecond).
    return func.strftime("%Y-%m-%d %H:%M:%S", column, f"+{RETURN_WINDOW.days} days").op("||")(
        func.substr(column, 20, 7)
    )


def count_returns(events) -> int:
    """First-seen cards of the selection checked in again at a later event within 90 days."""
    later = aliased(CheckIn)
    came_back = exists().where(
        later.card_id == CheckIn.card_id,
        later.voided_at.is_(None),
        later.event_id != CheckIn.event_id,
        later.created_at > CheckIn.created_at,
        later.created_at <= _plus_return_window(CheckIn.created_at),
    )
    return db.session.execute(
        select(func.count()).where(
            CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None), CheckIn.card_id.is_not(None),
            CheckIn.event_id.in_(select(events.c.id)), came_back,
        )
    ).scalar_one()

