"""Cache of a settled year's review figures, dropped on the writes that can still change it.

A year is *settled* once its last conversion window is over: 180 days (the longest window)
after the year's end, every cohort card's windows and every orientation's 90 days are closed,
and the year's visits are all in. Its figures can then change only through a write that
reaches back into it, each announced by a named signal (kiosk/signals.py): a void, a late
check-in merged from a stand, a tally, an event edited (or opened again), a card erased or
purged, a structure or neighbourhood changed. Training and the residents' voice are not cached (sessions can be
recorded late, contributions are answered for months): they are cheap and computed each time.

A year still moving (the current one, or the one before until it settles) is kept too, with a
*stamp*: the highest id and the number of check-ins, tallies, events, orientations, visits and
conversion traces (the conversion's parts reuse it: one reading). A new row
anywhere changes the stamp, so the next look computes again; the writes that change rows in
place (a void, a merge, an erasure, an event or reference edit) send the signals below, which
drop every such row. Its follow-through figures also move with time alone: the row holds until
the first open orientation's 90 days are over (`expires_at`). So a coordinator who reads the
review, prints it and downloads it waits once, not at each look.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import delete, extract, or_, select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..database import row_stamp
from ..extensions import db
from ..models import CheckIn, Event, Tally, utcnow
from ..orientation.models import Orientation
from ..reception.models import Visit
from ..stats.models import ConversionTrace
from .models import ReviewYear

SETTLED_AFTER = timedelta(days=181)  # the longest conversion window (180 days) and a day for time zones


def settled(year: int, now: datetime | None = None) -> bool:
    """Whether the year's figures can no longer change but through a signalled write.

    A check-in is recorded only at an open event: a year with none open takes no new one
    (opening an event again is an event change, which drops the cache).
    """
    if (now or utcnow()) < datetime.combine(date(year + 1, 1, 1), datetime.min.time()) + SETTLED_AFTER:
        return False
    return db.session.execute(select(Event.id).where(
        Event.status == "open", extract("year", Event.starts_at).in_([year - 1, year])).limit(1)).first() is None


def _key(neighbourhood_id: int | None) -> int:
    return neighbourhood_id or 0


def data_stamp() -> dict[str, list[int]]:
    """The highest id and the number of rows of every table the recorded figures read (conversion's included)."""
    return row_stamp(CheckIn, Tally, Event, Orientation, Visit, ConversionTrace)


def _text(stamp: dict | None) -> str | None:
    return json.dumps(stamp, sort_keys=True) if stamp is not None else None


def load(year: int, neighbourhood_id: int | None, *, now: datetime, stamp: dict | None = None) -> dict | None:
    """The kept figures: a settled year's (no stamp given), or a moving year's still valid at `now`."""
    row = db.session.execute(select(ReviewYear).where(
        ReviewYear.year == year, ReviewYear.neighbourhood_key == _key(neighbourhood_id))).scalar()
    if row is None or row.stamp != _text(stamp):
        return None
    if stamp is not None and not (row.computed_at <= now and (row.expires_at is None or now < row.expires_at)):
        return None
    return decode(json.loads(row.figures))


def store(year: int, neighbourhood_id: int | None, figures: dict, *, now: datetime, stamp: dict | None = None,
          expires_at: datetime | None = None) -> None:
    """Keep a year's figures in place of older ones; another request storing the same year first wins."""
    key = _key(neighbourhood_id)
    try:
        with db.session.begin_nested():
            db.session.execute(delete(ReviewYear).where(ReviewYear.year == year,
                                                        ReviewYear.neighbourhood_key == key))
            db.session.add(ReviewYear(year=year, neighbourhood_key=key, computed_at=now, stamp=_text(stamp),
                                      expires_at=expires_at, figures=json.dumps(encode(figures))))
    except IntegrityError:
        pass


def encode(figures: dict) -> dict:
    """JSON keeps no integer or None keys: the breakdowns travel as lists of [key, cohort, converted]."""
    out = dict(figures)
    out["_by"] = {name: [[key, *counts] for key, counts in keys.items()] for name, keys in figures["_by"].items()}
    return out


def decode(figures: dict) -> dict:
    figures["_by"] = {name: {key: counts for key, *counts in rows} for name, rows in figures["_by"].items()}
    return figures


def forget(years=None) -> None:
    """Drop the cached figures of these years (a select or a list) and of every moving year, or of every year."""
    query = delete(ReviewYear)
    if years is not None:
        query = query.where(or_(ReviewYear.year.in_(years), ReviewYear.stamp.is_not(None)))
    db.session.execute(query)


def _event_years(event_ids) -> object:
    # An event's local year may be the next one for an event on 31 December in the evening: both go.
    year = extract("year", Event.starts_at)
    return select(year).where(Event.id.in_(event_ids)).union(select(year + 1).where(Event.id.in_(event_ids)))


@signals.checkin_voided.connect
@signals.checkin_merged.connect
def _on_checkin_changed(event_id, *, moved_events=(), **_extra) -> None:
    forget(_event_years([event_id, *moved_events]))


@signals.tally_changed.connect
def _on_tally_changed(event_id, **_extra) -> None:
    forget(_event_years([event_id]))


@signals.event_changed.connect
def _on_event_changed(_event_id, **_extra) -> None:
    # An edit may move the event to another year or territory: the year it leaves is not known here.
    forget()


@signals.card_unlinked.connect
@signals.structure_changed.connect
@signals.neighbourhood_changed.connect
def _on_reference_changed(_sender, **_extra) -> None:
    # Rare writes that reach every year (a card's visits become anonymous, a territory moves).
    forget()
