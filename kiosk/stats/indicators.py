"""The indicators of DESIGN.md, computed in one place for every screen and export.

One scan counts the live check-ins of each selected event under every known answer at once
(conditional sums); an answer nobody foresaw (a new language) sends its dimension to a plain
GROUP BY. All of it is per event, and the totals and the month-by-month evolution are rolled
up from the events in Python. Returns and distinct cards need the card history and get a
query each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from ..events.services import local_to_utc
from ..extensions import db
from ..i18n import INTERPRETER_LANGUAGES, LANGUAGES
from ..models import (
    AGE_BANDS,
    CHANNELS,
    FIRST_TIME,
    GENDERS,
    HEARD_FROM,
    SKIP,
    YES_NO,
    CheckIn,
    Event,
    Neighbourhood,
    Tally,
    event_partners,
)

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


# Every answer is counted by a conditional sum in one scan grouped by event, so what comes
# back grows with the number of events, never with the number of check-ins.
VOCABULARIES = {
    "first_time": FIRST_TIME, "age_band": AGE_BANDS, "gender": GENDERS, "goes_to_structure": YES_NO,
    "heard_from": HEARD_FROM, "channel": CHANNELS,
}


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _scalar_columns() -> dict:
    return {
        "participations": func.count(),
        "newcomers_declared": _count_if(CheckIn.first_time == "yes"),
        "newcomers_first_seen": _count_if(CheckIn.first_seen.is_(True)),
        "far_from_structures": _count_if(CheckIn.goes_to_structure == "no"),
        "childcare_participations": _count_if(CheckIn.childcare_children > 0),
        "children": func.coalesce(func.sum(CheckIn.childcare_children), 0),
        "accessibility": _count_if(CheckIn.accessibility.is_(True)),
        "interpreting": _count_if(CheckIn.interpreter_language.is_not(None)),
    }


def _answer_columns(neighbourhood_ids) -> dict:
    """(dimension, answer) -> conditional count, for every answer known in advance."""
    columns = {}
    for dim, vocabulary in VOCABULARIES.items():
        column = getattr(CheckIn, dim)
        for answer in vocabulary:
            columns[(dim, answer)] = _count_if(column == answer)
        columns[(dim, NOT_ASKED)] = _count_if(column.is_(None))
    for nid in neighbourhood_ids:
        columns[("residence", f"n{nid}")] = _count_if(
            and_(CheckIn.residence == "neighbourhood", CheckIn.residence_neighbourhood_id == nid))
    columns[("residence", "neighbourhood")] = _count_if(
        and_(CheckIn.residence == "neighbourhood", CheckIn.residence_neighbourhood_id.is_(None)))
    for answer in ("other", SKIP):
        columns[("residence", answer)] = _count_if(CheckIn.residence == answer)
    columns[("residence", NOT_ASKED)] = _count_if(CheckIn.residence.is_(None))
    for code in LANGUAGES:
        columns[("language", code)] = _count_if(CheckIn.language == code)
    for code in INTERPRETER_LANGUAGES:
        columns[("interpreter_language", code)] = _count_if(CheckIn.interpreter_language == code)
    return columns


# What each open dimension must add up to; anything missing is an answer nobody foresaw
# (a new language, say), and that dimension is then counted again by a plain GROUP BY.
OPEN_DIMENSIONS = {
    "residence": ("participations", ("residence", "residence_neighbourhood_id")),
    "language": ("participations", ("language",)),
    "interpreter_language": ("interpreting", ("interpreter_language",)),
}


def compute(filters: Filters) -> Indicators:
    """Compute every indicator for the events the filters select."""
    events = event_ids_query(filters).subquery()
    live = and_(CheckIn.voided_at.is_(None), CheckIn.event_id.in_(select(events.c.id)))
    month_of = dict(db.session.execute(
        select(Event.id, _month_key(Event.starts_at)).where(Event.id.in_(select(events.c.id)))
    ).all())
    result = Indicators()
    result.neighbourhood_names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())

    def slices(event_id):
        return result, result.months.setdefault(month_of[event_id], Figures())

    scalars, answers = _scalar_columns(), _answer_columns(sorted(result.neighbourhood_names))
    labelled = [c.label(f"c{i}") for i, c in enumerate([*scalars.values(), *answers.values()])]
    unforeseen = set()
    for event_id, *values in db.session.execute(
        select(CheckIn.event_id, *labelled).where(live).group_by(CheckIn.event_id)
    ):
        counted = Counter()
        for figures in slices(event_id):
            for name, value in zip(scalars, values, strict=False):
                setattr(figures, name, getattr(figures, name) + value)
            for (dim, answer), value in zip(answers, values[len(scalars):], strict=True):
                if value:
                    figures.breakdowns[dim][answer] += value
        for (dim, _answer), value in zip(answers, values[len(scalars):], strict=True):
            counted[dim] += value
        by_name = dict(zip(scalars, values, strict=False))
        unforeseen |= {dim for dim, (total, _c) in OPEN_DIMENSIONS.items() if counted[dim] != by_name[total]}

    for dim in unforeseen:
        for figures in (result, *result.months.values()):
            figures.breakdowns[dim].clear()
        columns = [getattr(CheckIn, name) for name in OPEN_DIMENSIONS[dim][1]]
        query = select(CheckIn.event_id, *columns, func.count()).where(live).group_by(CheckIn.event_id, *columns)
        if dim == "interpreter_language":
            query = query.where(CheckIn.interpreter_language.is_not(None))
        for event_id, *keys, n in db.session.execute(query):
            key = _residence_key(*keys) if dim == "residence" else (keys[0] or NOT_ASKED)
            for figures in slices(event_id):
                figures.breakdowns[dim][key] += n

    for event_id, total in db.session.execute(
        select(Tally.event_id, func.sum(Tally.count))
        .where(Tally.undone_at.is_(None), Tally.event_id.in_(select(events.c.id)))
        .group_by(Tally.event_id)
    ):
        for figures in slices(event_id):
            figures.tallies += total or 0

    result.actions = len(month_of)
    result.distinct_cards = db.session.execute(
        select(func.count(func.distinct(CheckIn.card_id))).where(live, CheckIn.card_id.is_not(None))
    ).scalar_one()
    result.returns = count_returns(events)
    result.months = dict(sorted(result.months.items()))
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

