"""Per-event figures: the one scan over check-ins, and the cache of settled events.

An event is *settled* once it is closed and its 90-day return window is over: nothing
recorded from then on can change its figures, except a correction (a voided check-in) or
the unlinking of cards (retention, erasure). The writes announce those changes (kiosk.signals)
and this module, the cache's one owner, drops the summaries they make stale.
So the statistics of years of history read one small row per settled event, and only the
recent events are scanned. The cache is disposable: any row may be deleted at any time.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import signals
from ..database import after_commit
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
    CardTrace,
    CheckIn,
    Event,
    EventSummary,
    Neighbourhood,
    Tally,
    utcnow,
)

RETURN_WINDOW = timedelta(days=90)
# Check-ins may be stamped a little after the event's planned end; wait a day more.
SETTLE_MARGIN = timedelta(days=1)
NOT_ASKED = "not_asked"
# Up to this many events to scan are sent as a list of ids, beyond it as a subquery.
MAX_LISTED_EVENTS = 5000
SCALARS = (
    "participations", "newcomers_declared", "newcomers_first_seen", "far_from_structures",
    "childcare_participations", "children", "accessibility", "interpreting", "companions",
)
# Every answer is counted by a conditional sum in one scan grouped by event, so what comes
# back grows with the number of events, never with the number of check-ins.
VOCABULARIES = {
    "first_time": FIRST_TIME, "age_band": AGE_BANDS, "gender": GENDERS, "goes_to_structure": YES_NO,
    "heard_from": HEARD_FROM, "channel": CHANNELS,
}
# What each open dimension must add up to; anything missing is an answer nobody foresaw
# (a new language, say), and that dimension is then counted again by a plain GROUP BY.
OPEN_DIMENSIONS = {
    "residence": ("participations", ("residence", "residence_neighbourhood_id")),
    "language": ("participations", ("language",)),
    "interpreter_language": ("interpreting", ("interpreter_language",)),
}


@dataclass
class EventFigures:
    """What one event adds to every total: counts, answers, tallies and returns."""

    scalars: Counter = field(default_factory=Counter)
    answers: Counter = field(default_factory=Counter)  # (dimension, answer) -> count
    tallies: int = 0
    returns: int = 0

    def to_json(self) -> str:
        return json.dumps({"s": dict(self.scalars), "a": [[d, a, n] for (d, a), n in self.answers.items()],
                           "t": self.tallies, "r": self.returns}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> EventFigures:
        data = json.loads(text)
        return cls(Counter(data["s"]), Counter({(d, a): n for d, a, n in data["a"]}), data["t"], data["r"])


def residence_key(residence: str | None, neighbourhood_id: int | None) -> str:
    if residence == "neighbourhood" and neighbourhood_id:
        return f"n{neighbourhood_id}"
    return residence or NOT_ASKED


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _scalar_columns() -> list:
    return [
        func.count(),
        _count_if(CheckIn.first_time == "yes"),
        _count_if(CheckIn.first_seen.is_(True)),
        _count_if(CheckIn.goes_to_structure == "no"),
        _count_if(CheckIn.childcare_children > 0),
        func.coalesce(func.sum(CheckIn.childcare_children), 0),
        _count_if(CheckIn.accessibility.is_(True)),
        _count_if(CheckIn.interpreter_language.is_not(None)),
        func.coalesce(func.sum(CheckIn.companions), 0),
    ]


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


def scan(event_ids, *, detail: bool = True) -> dict[int, EventFigures]:
    """Count the live check-ins, tallies and returns of the events selected by `event_ids`.

    Without `detail`, the counts alone (no answers, no returns): a fifth of the work, for a
    reader that needs only totals (the annual review). Such figures are never cached.
    """
    live = and_(CheckIn.voided_at.is_(None), CheckIn.event_id.in_(event_ids))
    neighbourhoods = sorted(db.session.execute(select(Neighbourhood.id)).scalars())
    answers = _answer_columns(neighbourhoods) if detail else {}
    columns = [c.label(f"c{i}") for i, c in enumerate([*_scalar_columns(), *answers.values()])]
    figures: dict[int, EventFigures] = {}
    unforeseen: dict[str, set[int]] = {}
    for event_id, *values in db.session.execute(
        select(CheckIn.event_id, *columns).where(live).group_by(CheckIn.event_id)
    ):
        item = figures[event_id] = EventFigures(Counter(dict(zip(SCALARS, values, strict=False))))
        counted = Counter()
        for key, value in zip(answers, values[len(SCALARS):], strict=True):
            counted[key[0]] += value
            if value:
                item.answers[key] = value
        for dim, (total, _columns) in OPEN_DIMENSIONS.items() if detail else ():
            if counted[dim] != item.scalars[total]:
                unforeseen.setdefault(dim, set()).add(event_id)

    for dim, ids in unforeseen.items():
        for event_id in ids:
            for key in [k for k in figures[event_id].answers if k[0] == dim]:
                del figures[event_id].answers[key]
        group = [getattr(CheckIn, name) for name in OPEN_DIMENSIONS[dim][1]]
        query = (select(CheckIn.event_id, *group, func.count())
                 .where(live, CheckIn.event_id.in_(sorted(ids))).group_by(CheckIn.event_id, *group))
        if dim == "interpreter_language":
            query = query.where(CheckIn.interpreter_language.is_not(None))
        for event_id, *keys, n in db.session.execute(query):
            key = residence_key(*keys) if dim == "residence" else (keys[0] or NOT_ASKED)
            figures[event_id].answers[(dim, key)] += n

    for event_id, total in db.session.execute(
        select(Tally.event_id, func.sum(Tally.count))
        .where(Tally.undone_at.is_(None), Tally.event_id.in_(event_ids)).group_by(Tally.event_id)
    ):
        figures.setdefault(event_id, EventFigures()).tallies = total or 0

    for event_id, n in db.session.execute(returns_by_event(event_ids)) if detail else ():
        figures.setdefault(event_id, EventFigures()).returns = n

    # Unlinked cards (erasure, retention) left their first seen and returns in traces.
    for event_id, first_seen, returned in db.session.execute(
        select(CardTrace.event_id, _count_if(CardTrace.first_seen.is_(True)), _count_if(CardTrace.returned.is_(True)))
        .where(CardTrace.event_id.in_(event_ids)).group_by(CardTrace.event_id)
    ):
        item = figures.setdefault(event_id, EventFigures())
        item.scalars["newcomers_first_seen"] += first_seen
        item.returns += returned
    return figures


def _plus_return_window(column):
    if db.engine.dialect.name == "postgresql":
        return column + RETURN_WINDOW
    # SQLite keeps datetimes as "YYYY-MM-DD HH:MM:SS.ffffff" text: shift the date part and
    # keep the microseconds, so the bound compares exactly (90 days to the microsecond).
    return func.strftime("%Y-%m-%d %H:%M:%S", column, f"+{RETURN_WINDOW.days} days").op("||")(
        func.substr(column, 20, 7)
    )


def returns_by_event(event_ids):
    """First-seen cards of each event checked in again at a later event within 90 days."""
    later = aliased(CheckIn)
    came_back = exists().where(
        later.card_id == CheckIn.card_id,
        later.voided_at.is_(None),
        later.event_id != CheckIn.event_id,
        later.created_at > CheckIn.created_at,
        later.created_at <= _plus_return_window(CheckIn.created_at),
    )
    return (
        select(CheckIn.event_id, func.count())
        .where(CheckIn.first_seen.is_(True), CheckIn.voided_at.is_(None), CheckIn.card_id.is_not(None),
               CheckIn.event_id.in_(event_ids), came_back)
        .group_by(CheckIn.event_id)
    )


def iter_figures(event_ids, *, detail: bool = True):
    """Yield (event id, figures) of the selected events: settled ones cached, the rest scanned.

    Without `detail`, the events scanned have their counts only (see scan) and none is cached.

    Cached rows are read one by one, so memory stays flat however long the history. The
    summaries of events that settled since the last call are then added to the session
    (flushed, not committed): the caller's commit keeps them, a rollback forgets them.
    Iterate to the end.
    """
    seen = _changes.generation
    pending = select(Event.id).where(Event.id.in_(event_ids), Event.id.not_in(select(EventSummary.event_id)))
    pending_ids = db.session.execute(pending).scalars().all()
    # A short list of ids lets PostgreSQL use the event index instead of a full scan.
    fresh = scan(pending_ids if len(pending_ids) <= MAX_LISTED_EVENTS else pending, detail=detail)
    settled = db.session.execute(
        pending.where(Event.status == "closed", Event.ends_at < utcnow() - RETURN_WINDOW - SETTLE_MARGIN)
    ).scalars().all()
    cached = db.session.execute(
        select(EventSummary.event_id, EventSummary.payload).where(EventSummary.event_id.in_(event_ids))
    )
    for event_id, payload in cached:
        yield event_id, EventFigures.from_json(payload)
    yield from fresh.items()
    if detail:
        remember(settled, fresh, seen=seen)


def remember(event_ids, figures: dict[int, EventFigures], *, seen: int | None = None) -> None:
    """Cache the figures of these settled events, unless another request just did.

    :param seen: the change generation read before scanning: if a change to figures was
        made or committed since, what was scanned may be stale and is not kept (it would
        be kept for good). The next look scans again.
    """
    if not event_ids or (seen is not None and seen != _changes.generation):
        return
    try:
        with db.session.begin_nested():
            db.session.add_all(
                EventSummary(event_id=event_id, payload=figures.get(event_id, EventFigures()).to_json())
                for event_id in event_ids
            )
    except IntegrityError:
        pass  # cached meanwhile by a concurrent request: theirs are as good as ours


def forget(event_ids=None) -> None:
    """Drop the summaries of these events (a select or a list of ids), or all of them."""
    query = delete(EventSummary)
    if event_ids is not None:
        query = query.where(EventSummary.event_id.in_(event_ids))
    db.session.execute(query)


class _Changes:
    """Counts the changes to figures this process made or committed (a generation)."""

    def __init__(self):
        self._ticks = itertools.count(1)
        self.generation = 0

    def bump(self) -> None:
        self.generation = next(self._ticks)  # itertools.count is safe across threads


_changes = _Changes()


def change_generation() -> int:
    """The generation of changes to figures in this process: a cache filled by a long read checks it did not move."""
    return _changes.generation


def forget_changed(event_ids) -> None:
    """Drop the summaries a change to these events makes stale, in the change's transaction.

    A scan running meanwhile read the figures before the change: the generation moves now
    and again once the change commits, so that scan's summaries are not stored.
    """
    forget(event_ids)
    _changes.bump()
    after_commit(_changes.bump)


def _first_event_of(card_ids):
    """The event that first saw each card: a later check-in of the card may be its return."""
    return select(CheckIn.event_id).where(CheckIn.card_id.in_(card_ids), CheckIn.first_seen.is_(True))


@signals.checkin_recorded.connect
def _on_checkin_recorded(_event_id, *, card_id=None, returning=False, **_extra) -> None:
    # The event itself is open, so it has no summary: only settled (closed) events do.
    if card_id is not None and returning:
        forget_changed(_first_event_of([card_id]))


@signals.checkin_voided.connect
def _on_checkin_voided(event_id, *, card_id=None, moved_events=(), **_extra) -> None:
    # moved_events: where the card's first seen moved to or from (checkin.services.settle_first_seen).
    forget_changed([event_id, *moved_events])
    if card_id is not None:
        forget_changed(_first_event_of([card_id]))


@signals.checkin_merged.connect
def _on_checkin_merged(event_id, *, card_id=None, moved_events=(), **_extra) -> None:
    # A stand's check-in may land in an event closed (and summarised) meanwhile.
    forget_changed([event_id, *moved_events])
    if card_id is not None:
        forget_changed(_first_event_of([card_id]))


@signals.tally_changed.connect
def _on_tally_changed(event_id, **_extra) -> None:
    forget_changed([event_id])


@signals.card_unlinked.connect
def _on_card_unlinked(_sender, *, card_ids, **_extra) -> None:
    # Distinct cards and returns of the events where these cards checked in change.
    forget_changed(select(CheckIn.event_id).where(CheckIn.card_id.in_(card_ids)))
