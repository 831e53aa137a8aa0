"""Read-only copies of events, kept a few seconds, for the screens that read them on every tap.

A kiosk screen needs its event's status and settings on each request, and one ORM query
cost more than everything else the screen does. The copy lives SNAPSHOT_SECONDS at most and
is dropped as soon as this process commits a change to any event, so closing an event from
the stand ends its kiosks at once; another server process sees the change within
SNAPSHOT_SECONDS. Writes never trust a copy: record_checkin re-reads the status in its
transaction.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Event

SNAPSHOT_SECONDS = 3.0
_MAX_ENTRIES = 512  # codes are looked up only once they resolved to an event; this bounds a wrong config
_CHANGED = "events_changed"


@dataclass(frozen=True, slots=True)
class EventSnapshot:
    """What the resident's screens need of an event: no relationship, nothing lazy."""

    id: int
    code: str
    title: str
    status: str
    express_mode: bool
    language_codes: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def of(cls, event: Event) -> EventSnapshot:
        return cls(id=event.id, code=event.code, title=event.title, status=event.status,
                   express_mode=bool(event.express_mode), language_codes=tuple(event.language_codes))


class SnapshotCache:
    """Event snapshots by code, for one application (each has its own database)."""

    def __init__(self, seconds: float = SNAPSHOT_SECONDS):
        self.seconds = seconds
        self._entries: dict[str, tuple[float, EventSnapshot]] = {}
        self._generation = 0
        self._lock = threading.Lock()
        _CACHES.add(self)

    def get(self, code: str) -> EventSnapshot | None:
        """Return the event with this code, from the copy if it is fresh, else from the database."""
        entry = self._entries.get(code)
        now = time.monotonic()
        if entry is not None and entry[0] > now:
            return entry[1]
        generation = self._generation
        event = db.session.execute(db.select(Event).where(Event.code == code)).scalar_one_or_none()
        if event is None:
            return None
        snapshot = EventSnapshot.of(event)
        with self._lock:
            # A change committed while we read makes what we read stale: do not keep it.
            if generation == self._generation:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._entries.clear()
                self._entries[code] = (now + self.seconds, snapshot)
        return snapshot

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()


_CACHES: weakref.WeakSet[SnapshotCache] = weakref.WeakSet()


def _note_event_changes(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, Event) for group in (session.new, session.dirty, session.deleted) for obj in group):
        session.info[_CHANGED] = True


def _drop_snapshots(session: Session) -> None:
    # A flag left by a flush that was rolled back costs one needless drop later, nothing more.
    if session.info.pop(_CHANGED, False):
        # Events change a few times a day: dropping every copy keeps this simple and safe.
        for cache in list(_CACHES):
            cache.clear()


sa_event.listen(Session, "before_flush", _note_event_changes)
sa_event.listen(Session, "after_commit", _drop_snapshots)
