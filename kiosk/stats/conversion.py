"""Conversion: cards met outside the walls and later seen at a structure's reception.

The exact definitions are in DESIGN.md (issue 14, notes/design-14.md): cohort, conversion
within 30/90/180 days, with or without a prior orientation, median delay, follow-through
of orientations. Visits are read, never written, here: the reception area owns them.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, insert, select

from .. import signals
from ..extensions import db
from ..models import CheckIn, Event, utcnow
from ..orientation.models import Orientation
from ..reception.models import Visit
from .indicators import Filters, event_ids_query
from .models import ConversionTrace

WINDOWS = (30, 90, 180)
COHORT, VISIT, ORIENTATION = "cohort", "visit", "orientation"  # kinds of ConversionTrace rows
FOLLOW_THROUGH_DAYS = 90
DAY = timedelta(days=1)


@dataclass
class Window:
    """Conversions within one window of N days."""

    days: int
    conversions: int = 0  # pairs (card, structure)
    oriented: int = 0
    without_orientation: int = 0
    cards: int = 0  # distinct converted cards, all cohort cards
    closed_cohort: int = 0  # cohort cards whose N-day window is over
    closed_converted: int = 0  # of them, converted within N days
    open_cohort: int = 0  # cohort cards whose window is still open

    @property
    def rate(self) -> float | None:
        return self.closed_converted / self.closed_cohort if self.closed_cohort else None


@dataclass
class Conversion:
    cohort: int = 0
    first_met_at_reception: int = 0  # cards of the selected events left out of the cohort
    windows: dict[int, Window] = field(default_factory=lambda: {n: Window(n) for n in WINDOWS})
    median_delay_days: float | None = None
    oriented_pairs: int = 0  # follow-through denominator: (card, structure) with a closed 90-day window
    followed_pairs: int = 0
    oriented_open: int = 0
    # When the first open pair's 90 days end (the follow-through figures change with time then alone).
    follow_through_changes_at: datetime | None = None
    orientations_without_card: int = 0
    # breakdown name -> key -> [cohort cards, conversions within 90 days]
    by: dict[str, dict] = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))

    @property
    def follow_through(self) -> float | None:
        return self.followed_pairs / self.oriented_pairs if self.oriented_pairs else None


def _rows(statement):
    """Rows of a plain select on the session's connection: the ORM's per-row wrapping costs about
    half the time of reading a hundred thousand rows (bench/stats.py), and nothing here is an entity."""
    return db.session.connection().execute(statement)


def _selected_events(filters: Filters):
    # The structure filter names the visited structure here, not the event's.
    return event_ids_query(replace(filters, structure_id=None))


def compute_conversion(filters: Filters, *, now: datetime | None = None) -> Conversion:
    """Compute the conversion indicators of the events the filters select (see DESIGN.md).

    The cohort is counted in SQL, per event and per closed window; only cards seen at a
    reception come back to Python (a year holds hundreds of thousands of first contacts and
    far fewer visits), with their first visit per structure.
    """
    now = now or utcnow()
    result = Conversion()
    events = _selected_events(filters).subquery()
    live_first = (CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None), CheckIn.card_id.is_not(None),
                  CheckIn.event_id.in_(select(events.c.id)))
    cohort = select(CheckIn.card_id.label("card_id"), CheckIn.created_at.label("t0"),
                    CheckIn.event_id.label("event_id")).where(*live_first).subquery()
    event_keys = {event_id: (theme or "", neighbourhood_id) for event_id, theme, neighbourhood_id in
                  _rows(select(Event.id, Event.theme, Event.neighbourhood_id)
                                     .where(Event.id.in_(select(events.c.id))))}
    closed = [func.coalesce(func.sum(case((cohort.c.t0 <= now - n * DAY, 1), else_=0)), 0) for n in WINDOWS]
    for event_id, count, *closed_counts in _rows(
            select(cohort.c.event_id, func.count(), *closed).group_by(cohort.c.event_id)):
        _add_cohort(result, event_id, event_keys[event_id], count, closed_counts)
    # Each cohort card seen at a reception, with its first contact: its first visit at each structure.
    # Visits drive the join (far fewer than first contacts); each card has one live first seen.
    seen: dict[int, list] = {}
    for card_id, structure_id, first, t0, event_id in _rows(
            select(Visit.card_id, Visit.structure_id, func.min(Visit.created_at), CheckIn.created_at, CheckIn.event_id)
            .join(CheckIn, and_(CheckIn.card_id == Visit.card_id, CheckIn.first_seen.is_(True),
                                CheckIn.voided_at.is_(None)))
            .where(CheckIn.event_id.in_(select(events.c.id)))
            .group_by(Visit.card_id, Visit.structure_id, CheckIn.created_at, CheckIn.event_id)):
        seen.setdefault(card_id, [t0, event_id, {}])[2][structure_id] = first
    # Orientations of every visiting card (a plain list of them is cheaper to read than the cohort's).
    oriented_at: dict[tuple[int, int], datetime] = {
        (card_id, structure_id): first for card_id, structure_id, first in _rows(
            select(CheckIn.card_id, Orientation.structure_id, func.min(Orientation.created_at))
            .join(CheckIn, CheckIn.id == Orientation.checkin_id)
            .where(CheckIn.card_id.in_(select(Visit.card_id)), CheckIn.voided_at.is_(None))
            .group_by(CheckIn.card_id, Orientation.structure_id))}
    delays: list[float] = []
    for card_id, (t0, event_id, visits) in seen.items():
        if min(visits.values()) < t0:  # first met at a reception: out of the cohort
            result.first_met_at_reception += 1
            _add_cohort(result, event_id, event_keys[event_id], -1,
                        [-1 if t0 + n * DAY <= now else 0 for n in WINDOWS])
            continue
        firsts = {structure_id: (first, (card_id, structure_id) in oriented_at
                                 and oriented_at[(card_id, structure_id)] <= first)
                  for structure_id, first in visits.items()}
        _count_card(result, filters, event_id, event_keys[event_id], t0, firsts, delays, now)
    _count_traces(result, events, filters, event_keys, delays, now)
    for window in result.windows.values():
        window.open_cohort = result.cohort - window.closed_cohort
    result.median_delay_days = round(statistics.median(delays), 1) if delays else None
    _follow_through(result, events, filters, now)
    return result


def _count_card(result: Conversion, filters: Filters, event_id: int, keys: tuple, t0: datetime,
                firsts: dict[int, tuple[datetime, bool]], delays: list[float], now: datetime) -> None:
    """Count one cohort card's conversions: its first visit (and whether it was oriented first) per structure."""
    theme, neighbourhood_id = keys
    breakdowns = (("event", event_id), ("format", theme), ("neighbourhood", neighbourhood_id))
    converted_within = dict.fromkeys(WINDOWS, False)
    for structure_id, (first, oriented) in firsts.items():
        if filters.structure_id and structure_id != filters.structure_id:
            continue
        delay = first - t0
        if delay <= 180 * DAY:
            delays.append(delay / DAY)
        for n in WINDOWS:
            if delay <= n * DAY:
                window = result.windows[n]
                window.conversions += 1
                window.oriented += oriented
                window.without_orientation += not oriented
                converted_within[n] = True
        if delay <= 90 * DAY:
            for name, key in (*breakdowns, ("structure", structure_id)):
                result.by[name][key][1] += 1
    for n in WINDOWS:
        window = result.windows[n]
        window.cards += converted_within[n]
        if t0 + n * DAY <= now:
            window.closed_converted += converted_within[n]


def _count_traces(result: Conversion, events, filters: Filters, event_keys: dict, delays: list[float],
                  now: datetime) -> None:
    """Count the cohort cards unlinked since (erased or purged) from what was frozen of them."""
    cohort = list(_rows(
        select(ConversionTrace.card_key, ConversionTrace.event_id, ConversionTrace.at, ConversionTrace.first_visit_at)
        .where(ConversionTrace.kind == COHORT, ConversionTrace.event_id.in_(select(events.c.id)))))
    if not cohort:
        return
    firsts: dict = defaultdict(dict)
    for card_key, structure_id, first, oriented in _rows(
            select(ConversionTrace.card_key, ConversionTrace.structure_id, ConversionTrace.at, ConversionTrace.oriented)
            .where(ConversionTrace.kind == VISIT, ConversionTrace.card_key.in_([row.card_key for row in cohort]))):
        firsts[card_key][structure_id] = (first, oriented)
    for card_key, event_id, t0, first_visit_at in cohort:
        if first_visit_at is not None and first_visit_at < t0:
            result.first_met_at_reception += 1
            continue
        _add_cohort(result, event_id, event_keys[event_id], 1, [t0 + n * DAY <= now for n in WINDOWS])
        _count_card(result, filters, event_id, event_keys[event_id], t0, firsts[card_key], delays, now)


def _add_cohort(result: Conversion, event_id: int, keys: tuple, count: int, closed_counts) -> None:
    """Count (or, with negative counts, take back) cohort cards of one event."""
    theme, neighbourhood_id = keys
    result.cohort += count
    for name, key in (("event", event_id), ("format", theme), ("neighbourhood", neighbourhood_id)):
        result.by[name][key][0] += count
    for n, closed in zip(WINDOWS, closed_counts, strict=True):
        result.windows[n].closed_cohort += int(closed)


def _follow_through(result: Conversion, events, filters: Filters, now: datetime) -> None:
    """Orientations of the selected events' check-ins, followed by a visit there within 90 days."""
    in_events = (CheckIn.event_id.in_(select(events.c.id)), CheckIn.voided_at.is_(None))
    query = (select(CheckIn.card_id, Orientation.structure_id, func.min(Orientation.created_at))
             .join(CheckIn, CheckIn.id == Orientation.checkin_id)
             .where(*in_events, CheckIn.card_id.is_not(None)).group_by(CheckIn.card_id, Orientation.structure_id))
    if filters.structure_id:
        query = query.where(Orientation.structure_id == filters.structure_id)
    pairs = {(card_id, structure_id): at for card_id, structure_id, at in _rows(query)}
    anonymous = select(func.count()).select_from(Orientation).join(CheckIn, CheckIn.id == Orientation.checkin_id) \
        .where(*in_events, CheckIn.card_id.is_(None))
    if filters.structure_id:
        anonymous = anonymous.where(Orientation.structure_id == filters.structure_id)
    traced = select(ConversionTrace.card_key, ConversionTrace.structure_id, ConversionTrace.at,
                    ConversionTrace.followed).where(ConversionTrace.kind == ORIENTATION,
                                                    ConversionTrace.event_id.in_(select(events.c.id)))
    if filters.structure_id:
        traced = traced.where(ConversionTrace.structure_id == filters.structure_id)
    # An unlinked card's orientations: its first per structure among the selected events, as if still linked.
    traced_pairs: dict[tuple, tuple[datetime, bool]] = {}
    traced_rows = 0
    for card_key, structure_id, at, followed in _rows(traced):
        traced_rows += 1
        if (card_key, structure_id) not in traced_pairs or at < traced_pairs[(card_key, structure_id)][0]:
            traced_pairs[(card_key, structure_id)] = (at, followed)
    # Their check-ins are anonymous now, but they were not orientations without a card.
    result.orientations_without_card = db.session.execute(anonymous).scalar_one() - traced_rows
    for at, followed in traced_pairs.values():
        _add_pair(result, at, followed, now)
    if not pairs:
        return
    followed = set()
    # Only the visits at a structure where the card was oriented at one of the selected events.
    for card_id, structure_id, at in _rows(
            select(Visit.card_id, Visit.structure_id, Visit.created_at).distinct()
            .join(CheckIn, CheckIn.card_id == Visit.card_id)
            .join(Orientation, and_(Orientation.checkin_id == CheckIn.id,
                                    Orientation.structure_id == Visit.structure_id))
            .where(*in_events)):
        oriented = pairs.get((card_id, structure_id))
        if oriented is not None and oriented <= at <= oriented + FOLLOW_THROUGH_DAYS * DAY:
            followed.add((card_id, structure_id))
    for pair, at in pairs.items():
        _add_pair(result, at, pair in followed, now)


def _add_pair(result: Conversion, at: datetime, followed: bool, now: datetime) -> None:
    """Count one oriented pair (card, structure): in the rate once its 90 days are over."""
    ends = at + FOLLOW_THROUGH_DAYS * DAY
    if ends <= now:
        result.oriented_pairs += 1
        result.followed_pairs += followed
    else:
        result.oriented_open += 1
        if result.follow_through_changes_at is None or ends < result.follow_through_changes_at:
            result.follow_through_changes_at = ends


def freeze_conversions(card_ids) -> None:
    """Keep, without the cards, what the conversion figures need of these cards (a list or a select of ids).

    Called while their check-ins and visits still name them, just before they are unlinked:
    every conversion figure reads the same after as before (DESIGN.md, issue 14).
    """
    first_contact = {card_id: (t0, event_id) for card_id, t0, event_id in db.session.execute(
        select(CheckIn.card_id, CheckIn.created_at, CheckIn.event_id).where(
            CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None), CheckIn.card_id.in_(card_ids)))}
    if not first_contact:
        return
    visits: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for card_id, structure_id, at in db.session.execute(
            select(Visit.card_id, Visit.structure_id, Visit.created_at).where(Visit.card_id.in_(card_ids))):
        visits[card_id].append((structure_id, at))
    orientations: dict[int, list[tuple[int, int, datetime]]] = defaultdict(list)
    for card_id, event_id, structure_id, at in db.session.execute(
            select(CheckIn.card_id, CheckIn.event_id, Orientation.structure_id, func.min(Orientation.created_at))
            .join(CheckIn, CheckIn.id == Orientation.checkin_id)
            .where(CheckIn.card_id.in_(card_ids), CheckIn.voided_at.is_(None))
            .group_by(CheckIn.card_id, CheckIn.event_id, Orientation.structure_id)):
        orientations[card_id].append((event_id, structure_id, at))
    rows = []
    for card_id, (t0, event_id) in first_contact.items():
        key = uuid.uuid4()
        seen = visits.get(card_id, [])
        first_visit = min((at for _structure, at in seen), default=None)
        rows.append({"card_key": key, "kind": COHORT, "event_id": event_id, "structure_id": None, "at": t0,
                     "first_visit_at": first_visit, "oriented": False, "followed": False})
        oriented_at: dict[int, datetime] = {}
        for _event, structure_id, at in orientations.get(card_id, []):
            oriented_at[structure_id] = min(at, oriented_at.get(structure_id, at))
        if first_visit is None or first_visit >= t0:
            firsts: dict[int, datetime] = {}
            for structure_id, at in seen:
                firsts[structure_id] = min(at, firsts.get(structure_id, at))
            rows += [{"card_key": key, "kind": VISIT, "event_id": event_id, "structure_id": structure_id, "at": at,
                      "first_visit_at": None, "followed": False,
                      "oriented": structure_id in oriented_at and oriented_at[structure_id] <= at}
                     for structure_id, at in firsts.items()]
        for oriented_event, structure_id, at in orientations.get(card_id, []):
            followed = any(s == structure_id and at <= v <= at + FOLLOW_THROUGH_DAYS * DAY for s, v in seen)
            rows.append({"card_key": key, "kind": ORIENTATION, "event_id": oriented_event,
                         "structure_id": structure_id, "at": at, "first_visit_at": None, "oriented": False,
                         "followed": followed})
    db.session.execute(insert(ConversionTrace), rows)


@signals.card_unlinked.connect
def _on_card_unlinked(_sender, *, card_ids, **_extra) -> None:
    freeze_conversions(card_ids)
