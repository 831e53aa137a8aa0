"""Conversion: cards met outside the walls and later seen at a structure's reception.

The exact definitions are in DESIGN.md (issue 14, notes/design-14.md): cohort, conversion
within 30/90/180 days, with or without a prior orientation, median delay, follow-through
of orientations. Visits are read, never written, here: the reception area owns them.
"""

from __future__ import annotations

import json
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..database import row_stamp
from ..extensions import db
from ..models import CheckIn, Event, utcnow
from ..orientation.models import Orientation
from ..reception.models import Visit
from . import summaries
from .indicators import Filters, event_ids_query
from .models import ConversionEvent, ConversionTrace
from .summaries import MAX_LISTED_EVENTS

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


@dataclass
class Part:
    """What one outreach event adds to the conversion figures: its cohort cards and its orientations.

    Every figure of `Conversion` is a sum of parts but two: the median (the parts keep their
    delays) and the follow-through, whose pairs (card, structure) count once over the events
    selected, at their first orientation (the parts keep their pairs). Windows that close with
    time alone are read from the range of the cohort's first contacts (`usable_at`).
    """

    cohort: int = 0
    first_met_at_reception: int = 0
    first_contacts: list | None = None  # [earliest, latest] first contact of the event's cohort cards
    # window -> [conversions, oriented, without orientation, cards, closed cohort, closed converted]
    windows: dict[int, list[int]] = field(default_factory=lambda: {n: [0] * 6 for n in WINDOWS})
    delays: list[float] = field(default_factory=list)
    converted_90: int = 0  # pairs (card, structure) converted within 90 days
    structures: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # the same, per structure
    pairs: dict[tuple, tuple[datetime, bool]] = field(default_factory=dict)  # (card, structure) -> (at, followed)
    # The pairs oriented at this event alone (no other event can count them): [pairs, followed, first, last
    # orientation], all in the rate or all still open when they were gathered.
    single: list | None = None
    without_card: int = 0  # orientations of participations without a card

    def see_first_contact(self, t0: datetime) -> None:
        if self.first_contacts is None:
            self.first_contacts = [t0, t0]
        else:
            self.first_contacts = [min(self.first_contacts[0], t0), max(self.first_contacts[1], t0)]

    def usable_at(self, now: datetime) -> bool:
        """Set the closed windows for `now`; False if a window closes partway through the cohort then."""
        ends = FOLLOW_THROUGH_DAYS * DAY
        if self.single and self.single[2] + ends <= now < self.single[3] + ends:
            return False  # some of its single pairs' 90 days are over, not all
        if self.first_contacts is None:
            return True
        earliest, latest = self.first_contacts
        for n, counts in self.windows.items():
            if latest + n * DAY <= now:
                counts[4], counts[5] = self.cohort, counts[3]
            elif earliest + n * DAY > now:
                counts[4] = counts[5] = 0
            else:
                return False
        return True

    def to_json(self) -> str:
        return json.dumps({
            "c": self.cohort, "f": self.first_met_at_reception,
            "t": [at.isoformat() for at in self.first_contacts] if self.first_contacts else None,
            "w": {str(n): counts for n, counts in self.windows.items()}, "d": self.delays, "v": self.converted_90,
            "s": list(self.structures.items()), "a": self.without_card,
            "p": [[card, structure_id, at.isoformat(), followed]
                  for (card, structure_id), (at, followed) in self.pairs.items()],
            "g": [*self.single[:2], self.single[2].isoformat(), self.single[3].isoformat()] if self.single else None,
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Part:
        data = json.loads(text)
        return cls(cohort=data["c"], first_met_at_reception=data["f"],
                   first_contacts=[datetime.fromisoformat(at) for at in data["t"]] if data["t"] else None,
                   windows={int(n): counts for n, counts in data["w"].items()}, delays=data["d"],
                   converted_90=data["v"], structures=defaultdict(int, data["s"]), without_card=data["a"],
                   pairs={(card, structure_id): (datetime.fromisoformat(at), followed)
                          for card, structure_id, at, followed in data["p"]},
                   single=[*data["g"][:2], *map(datetime.fromisoformat, data["g"][2:])] if data["g"] else None)


def compute_conversion(filters: Filters, *, now: datetime | None = None, stamp: dict | None = None) -> Conversion:
    """Compute the conversion indicators of the events the filters select (see DESIGN.md).

    Summed from each event's part: kept ones (every structure) while nothing recorded since
    touches them, the others computed (see `event_parts`). With a structure filter, every
    part is computed for that structure alone. `stamp`: database.row_stamp of at least the
    stamped tables, read before anything else by a caller that has one.
    """
    now = now or utcnow()
    events = _selected_events(filters)
    keys = {event_id: (theme or "", neighbourhood_id) for event_id, theme, neighbourhood_id in _rows(
        select(Event.id, Event.theme, Event.neighbourhood_id).where(Event.id.in_(events)))}
    if filters.structure_id:
        parts = event_parts(events.subquery(), now=now, structure_id=filters.structure_id)
    else:
        parts = _kept_parts(list(keys), events, now, stamp)
    return _sum(parts, keys, now)


def _sum(parts: dict[int, Part], keys: dict[int, tuple], now: datetime) -> Conversion:
    """Add up the parts of the events selected (keys: each event's format and neighbourhood, read now)."""
    result = Conversion()
    delays: list[float] = []
    pairs: dict[tuple, tuple[datetime, bool]] = {}
    for event_id, part in parts.items():
        result.cohort += part.cohort
        result.first_met_at_reception += part.first_met_at_reception
        for n, (conversions, oriented, without, cards, closed_cohort, closed_converted) in part.windows.items():
            window = result.windows[n]
            window.conversions += conversions
            window.oriented += oriented
            window.without_orientation += without
            window.cards += cards
            window.closed_cohort += closed_cohort
            window.closed_converted += closed_converted
        delays += part.delays
        if part.first_contacts is not None:  # the event has cohort cards (or had, first met at a reception)
            theme, neighbourhood_id = keys[event_id]
            for name, key in (("event", event_id), ("format", theme), ("neighbourhood", neighbourhood_id)):
                result.by[name][key][0] += part.cohort
                result.by[name][key][1] += part.converted_90
        for structure_id, count in part.structures.items():
            result.by["structure"][structure_id][1] += count
        result.orientations_without_card += part.without_card
        if part.single:
            _add_pairs(result, *part.single, now)  # all in the rate or all still open (a part is used only so)
        for pair, (at, followed) in part.pairs.items():
            if pair not in pairs or at < pairs[pair][0]:  # the first orientation among the events selected
                pairs[pair] = (at, followed)
    for window in result.windows.values():
        window.open_cohort = result.cohort - window.closed_cohort
    result.median_delay_days = round(statistics.median(delays), 1) if delays else None
    for at, followed in pairs.values():
        _add_pairs(result, 1, followed, at, at, now)
    return result


def event_parts(events, *, now: datetime, structure_id: int | None = None) -> dict[int, Part]:
    """Compute the part of each event of `events` (a list of ids or a subquery of them).

    The cohort is counted in SQL, per event and per closed window; only cards seen at a
    reception come back to Python (a year holds hundreds of thousands of first contacts and
    far fewer visits), with their first visit per structure.
    """
    event_ids = events if isinstance(events, list) else select(events.c.id)
    in_events = CheckIn.event_id.in_(event_ids)
    parts: dict[int, Part] = defaultdict(Part)
    cohort = select(CheckIn.card_id.label("card_id"), CheckIn.created_at.label("t0"),
                    CheckIn.event_id.label("event_id")).where(
        CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None), CheckIn.card_id.is_not(None), in_events).subquery()
    closed = [func.coalesce(func.sum(case((cohort.c.t0 <= now - n * DAY, 1), else_=0)), 0) for n in WINDOWS]
    for event_id, count, earliest, latest, *closed_counts in _rows(
            select(cohort.c.event_id, func.count(), func.min(cohort.c.t0), func.max(cohort.c.t0), *closed)
            .group_by(cohort.c.event_id)):
        part = parts[event_id]
        part.cohort += count
        part.first_contacts = [earliest, latest]
        for n, value in zip(WINDOWS, closed_counts, strict=True):
            part.windows[n][4] += int(value)
    # Each cohort card seen at a reception, with its first contact: its first visit at each structure.
    # Visits drive the join (far fewer than first contacts); each card has one live first seen.
    seen: dict[int, list] = {}
    for card_id, visited, first, t0, event_id in _rows(
            select(Visit.card_id, Visit.structure_id, func.min(Visit.created_at), CheckIn.created_at, CheckIn.event_id)
            .join(CheckIn, and_(CheckIn.card_id == Visit.card_id, CheckIn.first_seen.is_(True),
                                CheckIn.voided_at.is_(None)))
            .where(in_events)
            .group_by(Visit.card_id, Visit.structure_id, CheckIn.created_at, CheckIn.event_id)):
        seen.setdefault(card_id, [t0, event_id, {}])[2][visited] = first
    # Orientations of these cards: for many, those of every visiting card (cheaper to read than the cohort's).
    cards = list(seen) if len(seen) <= MAX_LISTED_EVENTS else select(Visit.card_id)
    oriented_at: dict[tuple[int, int], datetime] = {
        (card_id, oriented): first for card_id, oriented, first in _rows(
            select(CheckIn.card_id, Orientation.structure_id, func.min(Orientation.created_at))
            .join(CheckIn, CheckIn.id == Orientation.checkin_id)
            .where(CheckIn.card_id.in_(cards), CheckIn.voided_at.is_(None))
            .group_by(CheckIn.card_id, Orientation.structure_id))}
    for card_id, (t0, event_id, visits) in seen.items():
        part = parts[event_id]
        if min(visits.values()) < t0:  # first met at a reception: out of the cohort
            part.first_met_at_reception += 1
            part.cohort -= 1
            for n in WINDOWS:
                part.windows[n][4] -= t0 + n * DAY <= now
            continue
        firsts = {visited: (first, (card_id, visited) in oriented_at and oriented_at[(card_id, visited)] <= first)
                  for visited, first in visits.items()}
        _count_card(part, structure_id, t0, firsts, now)
    _count_traces(parts, event_ids, structure_id, now)
    _follow_through(parts, event_ids, structure_id, now)
    return parts


def _count_card(part: Part, structure_id: int | None, t0: datetime, firsts: dict[int, tuple[datetime, bool]],
                now: datetime) -> None:
    """Count one cohort card's conversions: its first visit (and whether it was oriented first) per structure."""
    converted_within = dict.fromkeys(WINDOWS, False)
    for visited, (first, oriented) in firsts.items():
        if structure_id and visited != structure_id:
            continue
        delay = first - t0
        if delay <= 180 * DAY:
            part.delays.append(delay / DAY)
        for n in WINDOWS:
            if delay <= n * DAY:
                counts = part.windows[n]
                counts[0] += 1
                counts[1] += oriented
                counts[2] += not oriented
                converted_within[n] = True
        if delay <= 90 * DAY:
            part.converted_90 += 1
            part.structures[visited] += 1
    for n in WINDOWS:
        part.windows[n][3] += converted_within[n]
        if t0 + n * DAY <= now:
            part.windows[n][5] += converted_within[n]


def _count_traces(parts: dict[int, Part], event_ids, structure_id: int | None, now: datetime) -> None:
    """Count the cohort cards unlinked since (erased or purged) from what was frozen of them."""
    in_events = ConversionTrace.event_id.in_(event_ids)
    cohort = list(_rows(
        select(ConversionTrace.card_key, ConversionTrace.event_id, ConversionTrace.at, ConversionTrace.first_visit_at)
        .where(ConversionTrace.kind == COHORT, in_events)))
    if not cohort:
        return
    firsts: dict = defaultdict(dict)
    for card_key, visited, first, oriented in _rows(
            select(ConversionTrace.card_key, ConversionTrace.structure_id, ConversionTrace.at, ConversionTrace.oriented)
            .where(ConversionTrace.kind == VISIT, ConversionTrace.card_key.in_([row.card_key for row in cohort]))):
        firsts[card_key][visited] = (first, oriented)
    for card_key, event_id, t0, first_visit_at in cohort:
        part = parts[event_id]
        if first_visit_at is not None and first_visit_at < t0:
            part.first_met_at_reception += 1
            continue
        part.cohort += 1
        part.see_first_contact(t0)
        for n in WINDOWS:
            part.windows[n][4] += t0 + n * DAY <= now
        _count_card(part, structure_id, t0, firsts[card_key], now)


def _follow_through(parts: dict[int, Part], event_ids, structure_id: int | None, now: datetime) -> None:
    """Each event's orientations: its first per card and structure, followed by a visit there within 90 days."""
    live = (CheckIn.event_id.in_(event_ids), CheckIn.voided_at.is_(None))
    # One read, driven by the events: each card's first orientation per structure, and (no card) the
    # orientations without one (a condition on the card alone would drive it by the card index).
    query = (select(CheckIn.event_id, CheckIn.card_id, Orientation.structure_id, func.min(Orientation.created_at),
                    func.count())
             .join(CheckIn, CheckIn.id == Orientation.checkin_id)
             .where(*live).group_by(CheckIn.event_id, CheckIn.card_id, Orientation.structure_id))
    traced = select(ConversionTrace.event_id, ConversionTrace.card_key, ConversionTrace.structure_id,
                    ConversionTrace.at, ConversionTrace.followed).where(
        ConversionTrace.kind == ORIENTATION, ConversionTrace.event_id.in_(event_ids))
    if structure_id:
        query = query.where(Orientation.structure_id == structure_id)
        traced = traced.where(ConversionTrace.structure_id == structure_id)
    # An unlinked card's orientations: its first per structure at the event, as if still linked (a
    # traced row was one orientation of a card, so not one without a card: taken back from those).
    for event_id, card_key, oriented, at, followed in _rows(traced):
        part = parts[event_id]
        part.without_card -= 1
        pair = (f"k{card_key.hex}", oriented)
        if pair not in part.pairs or at < part.pairs[pair][0]:
            part.pairs[pair] = (at, followed)
    by_pair: dict[tuple[int, int], list[tuple[int, datetime]]] = defaultdict(list)
    for event_id, card_id, oriented, at, count in _rows(query):
        if card_id is None:
            parts[event_id].without_card += count
            continue
        by_pair[(card_id, oriented)].append((event_id, at))
        parts[event_id].pairs[(card_id, oriented)] = (at, False)
    if by_pair:
        # Only the visits at a structure where the card was oriented at one of the events.
        for card_id, visited, at in _rows(
                select(Visit.card_id, Visit.structure_id, Visit.created_at).distinct()
                .join(CheckIn, CheckIn.card_id == Visit.card_id)
                .join(Orientation, and_(Orientation.checkin_id == CheckIn.id,
                                        Orientation.structure_id == Visit.structure_id))
                .where(*live)):
            for event_id, oriented_at in by_pair.get((card_id, visited), ()):
                if oriented_at <= at <= oriented_at + FOLLOW_THROUGH_DAYS * DAY:
                    parts[event_id].pairs[(card_id, visited)] = (oriented_at, True)
    _gather_single_pairs(parts, list({card for card, _structure in by_pair}), now)


def _gather_single_pairs(parts: dict[int, Part], cards: list[int], now: datetime) -> None:
    """Count together the pairs no other event can count (most of them): a part then keeps few pairs.

    A pair oriented at two events counts once, at the first orientation among the events
    selected: it stays listed. A pair of one event only is summed, when its event's such pairs
    are all in the rate or all open at `now` (a part is used later only in the same state).
    """
    shared = select(CheckIn.card_id, Orientation.structure_id).join(CheckIn, CheckIn.id == Orientation.checkin_id) \
        .where(CheckIn.voided_at.is_(None)).group_by(CheckIn.card_id, Orientation.structure_id) \
        .having(func.count(func.distinct(CheckIn.event_id)) > 1)
    if len(cards) <= MAX_LISTED_EVENTS:
        shared = shared.where(CheckIn.card_id.in_(cards))
    shared_pairs = {(card_id, structure_id) for card_id, structure_id in _rows(shared)}
    shared_pairs |= {(f"k{key.hex}", structure_id) for key, structure_id in _rows(
        select(ConversionTrace.card_key, ConversionTrace.structure_id).where(ConversionTrace.kind == ORIENTATION)
        .group_by(ConversionTrace.card_key, ConversionTrace.structure_id)
        .having(func.count(func.distinct(ConversionTrace.event_id)) > 1))}
    for part in parts.values():
        single = {pair: value for pair, value in part.pairs.items() if pair not in shared_pairs}
        if not single:
            continue
        first, last = min(at for at, _followed in single.values()), max(at for at, _followed in single.values())
        ends = FOLLOW_THROUGH_DAYS * DAY
        if first + ends <= now < last + ends:
            continue  # closing partway now: listed, each counted at its own time
        part.single = [len(single), sum(followed for _at, followed in single.values()), first, last]
        part.pairs = {pair: value for pair, value in part.pairs.items() if pair in shared_pairs}


def _add_pairs(result: Conversion, count: int, followed: int, first: datetime, last: datetime,
               now: datetime) -> None:
    """Count oriented pairs (card, structure) first oriented between `first` and `last`: in the rate
    once their 90 days are over (all of them: the caller never mixes closed and open ones)."""
    if last + FOLLOW_THROUGH_DAYS * DAY <= now:
        result.oriented_pairs += count
        result.followed_pairs += followed
    else:
        result.oriented_open += count
        ends = first + FOLLOW_THROUGH_DAYS * DAY
        if result.follow_through_changes_at is None or ends < result.follow_through_changes_at:
            result.follow_through_changes_at = ends


# The parts kept (`conversion_events`): valid while no row recorded since touches their event.
# Rows are added to four tables; a part depends on the rows of its event and of its cards.
STAMPED = (CheckIn, Orientation, Visit, ConversionTrace)


def touched_since(stamp: dict[str, list[int]], now_stamp: dict[str, list[int]]) -> set[int] | None:
    """The events whose part rows recorded since `stamp` may change; None: all of them (rows went or came late)."""
    if not isinstance(stamp, dict) or any(table.__tablename__ not in stamp for table in STAMPED):
        return None  # a stamp this version does not read
    for table in STAMPED:
        (highest, count), count_now = stamp[table.__tablename__], now_stamp[table.__tablename__][1]
        # The rows up to the old highest id are as many as then, unless one committed late or went.
        if count_now - db.session.execute(select(func.count()).select_from(table).where(table.id > highest)).scalar() \
                != count:
            return None
    checkins, orientations, visits, traces = (stamp[table.__tablename__][0] for table in STAMPED)
    events = set(db.session.execute(select(CheckIn.event_id).where(CheckIn.id > checkins).distinct()).scalars())
    events |= set(db.session.execute(select(ConversionTrace.event_id).where(ConversionTrace.id > traces)
                                     .distinct()).scalars())
    oriented = select(CheckIn.event_id, CheckIn.card_id).join(Orientation, Orientation.checkin_id == CheckIn.id) \
        .where(Orientation.id > orientations)
    cards = set()
    for event_id, card_id in db.session.execute(oriented):
        events.add(event_id)
        cards.add(card_id)
    # A card's visit or orientation moves its cohort event's part and those where it was oriented.
    cards |= set(db.session.execute(select(Visit.card_id).where(Visit.id > visits).distinct()).scalars())
    cards.discard(None)
    if len(cards) > MAX_LISTED_EVENTS:
        return None  # a batch (generated visits, say): computing every part again is as quick, and no long list
    if cards:
        events |= set(db.session.execute(select(CheckIn.event_id).where(CheckIn.card_id.in_(cards))
                                          .distinct()).scalars())
    return events


def _kept_parts(event_ids: list[int], selection, now: datetime, stamp: dict | None) -> dict[int, Part]:
    """Each event's part: kept if nothing touched it since and no window closes partway now, else computed and kept."""
    # Read first (or given by a caller that read it first): anything recorded after it is seen next time.
    stamp = {table.__tablename__: (stamp or row_stamp(*STAMPED))[table.__tablename__] for table in STAMPED}
    generation = summaries.change_generation()
    kept: dict[int, Part] = {}
    stamps: dict[str, list[int]] = defaultdict(list)
    for event_id, payload, stamped in db.session.execute(
            select(ConversionEvent.event_id, ConversionEvent.payload, ConversionEvent.stamp)
            .where(ConversionEvent.event_id.in_(selection))):
        part = Part.from_json(payload)
        if part.usable_at(now):
            kept[event_id] = part
            stamps[stamped].append(event_id)
    current = json.dumps(stamp, sort_keys=True)
    for stamped, ids in stamps.items():
        if stamped == current:
            continue
        touched = touched_since(json.loads(stamped), stamp)
        for event_id in ids if touched is None else touched.intersection(ids):
            del kept[event_id]
    missing = [event_id for event_id in event_ids if event_id not in kept]
    if not missing:
        return kept
    # A long list of ids is sent as the selection itself (bound parameters are limited).
    computed = event_parts(missing if len(missing) <= MAX_LISTED_EVENTS else selection.subquery(), now=now)
    computed = {event_id: computed.get(event_id) or Part() for event_id in missing}
    if generation == summaries.change_generation():  # no void, merge or unlink meanwhile in this process
        try:
            with db.session.begin_nested():
                for chunk in _chunks(missing):
                    db.session.execute(delete(ConversionEvent).where(ConversionEvent.event_id.in_(chunk)))
                db.session.execute(insert(ConversionEvent), [
                    {"event_id": event_id, "stamp": current, "computed_at": now, "payload": part.to_json()}
                    for event_id, part in computed.items()])
                # The parts kept and found untouched are as good as new: one delta to check next time.
                if len(stamps) > 1 or current not in stamps:
                    for chunk in _chunks(list(kept)):
                        db.session.execute(update(ConversionEvent).where(ConversionEvent.event_id.in_(chunk))
                                           .values(stamp=current))
        except IntegrityError:
            pass  # kept meanwhile by a concurrent request
    return {**kept, **computed}


def _chunks(ids: list[int]):
    # Bound parameters are limited (SQLite: 32,766): long lists go in slices.
    for start in range(0, len(ids), MAX_LISTED_EVENTS):
        yield ids[start:start + MAX_LISTED_EVENTS]


def forget_parts(event_ids=None) -> None:
    """Drop the kept parts of these events (a list or a select of ids), or all of them."""
    query = delete(ConversionEvent)
    if event_ids is not None:
        query = query.where(ConversionEvent.event_id.in_(event_ids))
    db.session.execute(query)


def _events_of_card(card_ids):
    return select(CheckIn.event_id).where(CheckIn.card_id.in_(card_ids))


@signals.checkin_voided.connect
@signals.checkin_merged.connect
def _on_checkin_changed(event_id, *, card_id=None, moved_events=(), **_extra) -> None:
    # A void or a late merge changes rows in place: a first seen moves, an orientation no longer counts.
    forget_parts([event_id, *moved_events])
    if card_id is not None:
        forget_parts(_events_of_card([card_id]))


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
    forget_parts(_events_of_card(card_ids))  # their pairs are named by the card, then by its trace's key
    freeze_conversions(card_ids)
