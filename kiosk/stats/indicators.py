"""The indicators of DESIGN.md, computed in one place for every screen and export.

Every figure but distinct cards is a sum over events: `summaries` gives each selected event's
counts (settled events from a cache, recent ones from one scan of their check-ins), and the
totals and the month-by-month evolution are rolled up from them here. Distinct cards need the
card history and get a query of their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from ..events.services import local_to_utc, utc_to_local
from ..extensions import db
from ..models import CardTrace, CheckIn, Event, Neighbourhood, event_partners
from . import summaries

# The answers every distribution is made of, in the order the pages show them.
DIMENSIONS = (
    "first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from",
    "channel", "language", "interpreter_language",
)


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
    city: str | None = None  # the city of the event's neighbourhood (a filter of the métropole)
    scope_city: str | None = None  # a city coordinator or delegate sees their city's events only


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
    companions: int = 0  # declared at check-in: reach only, never a participation
    returns: int = 0  # of the first-seen newcomers of this slice's events
    breakdowns: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def reach(self) -> int:
        """Participations, tallies and companions (DESIGN.md "reach")."""
        return self.participations + self.tallies + self.companions


@dataclass
class Indicators(Figures):
    actions: int = 0
    actions_with_residents: int = 0  # actions with at least one participation
    distinct_cards: int = 0
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
    for city in {filters.city, filters.scope_city} - {None}:
        query = query.where(Event.neighbourhood_id.in_(select(Neighbourhood.id).where(Neighbourhood.commune == city)))
    if filters.structure_id:
        partner = select(event_partners.c.event_id).where(
            event_partners.c.structure_id == filters.structure_id
        )
        query = query.where(or_(Event.structure_id == filters.structure_id, Event.id.in_(partner)))
    return query


def month_key(starts_at: datetime) -> str:
    """Return the local calendar month ("YYYY-MM") of a naive UTC time.

    In Python, not SQL: the month is the deployment's (TIMEZONE), and an event at 00:30 on
    the 1st in Paris is 22:30 or 23:30 UTC the day before. One conversion per event.
    """
    return utc_to_local(starts_at).strftime("%Y-%m")


def compute(filters: Filters, *, detail: bool = True) -> Indicators:
    """Compute every indicator for the events the filters select.

    Without `detail`, the totals only: the answers' distributions (breakdowns) and the returns
    of events not yet settled are left out, for a reader that shows neither (the annual review).
    """
    events = select(event_ids_query(filters).subquery().c.id)
    month_of = {event_id: month_key(starts_at) for event_id, starts_at in
                db.session.execute(select(Event.id, Event.starts_at).where(Event.id.in_(events)))}
    result = Indicators(actions=len(month_of))
    result.neighbourhood_names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    for event_id, item in summaries.iter_figures(events, detail=detail):
        result.actions_with_residents += item.scalars.get("participations", 0) > 0
        for figures in (result, result.months.setdefault(month_of[event_id], Figures())):
            for name, value in item.scalars.items():
                setattr(figures, name, getattr(figures, name) + value)
            figures.tallies += item.tallies
            if detail:  # a cached event has them, a scanned one not: none rather than some
                figures.returns += item.returns
                for (dim, answer), value in item.answers.items():
                    figures.breakdowns[dim][answer] += value
    result.distinct_cards = db.session.execute(
        select(func.count(func.distinct(CheckIn.card_id)))
        .where(CheckIn.voided_at.is_(None), CheckIn.card_id.is_not(None), CheckIn.event_id.in_(events))
    ).scalar_one() + db.session.execute(  # cards unlinked since: one key each, never a live card
        select(func.count(func.distinct(CardTrace.card_key))).where(CardTrace.event_id.in_(events))
    ).scalar_one()
    result.months = dict(sorted(result.months.items()))
    return result
