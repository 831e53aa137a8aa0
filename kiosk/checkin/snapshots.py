"""Read-only copies, kept a few seconds, of what the resident's screens read on every tap.

A kiosk screen needs its event's status and settings (and, on one question, the list of
neighbourhoods); one ORM query cost more than everything else the screen does. A copy lives
SNAPSHOT_SECONDS at most and every copy is dropped as soon as a change to an event or a
neighbourhood, announced by its service (kiosk.signals), commits in this process: closing an
event from the stand ends its kiosks at once; another server process sees the change within
SNAPSHOT_SECONDS. Writes never trust a copy: record_checkin re-reads the event's status in
its transaction.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from .. import signals
from ..database import after_commit
from ..extensions import db
from ..models import Event, User
from ..places.services import active_neighbourhoods

SNAPSHOT_SECONDS = 3.0
_MAX_ENTRIES = 512  # only codes of real events are kept; this bounds the dict all the same
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EventSnapshot:
    """What the resident's screens need of an event: no relationship, nothing lazy."""

    id: int
    code: str
    title: str
    status: str
    express_mode: bool
    language_codes: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def of(cls, event: Event) -> EventSnapshot:
        return cls(id=event.id, code=event.code, title=event.title, status=event.status,
                   express_mode=bool(event.express_mode), language_codes=tuple(event.language_codes),
                   starts_at=event.starts_at, ends_at=event.ends_at)


@dataclass(frozen=True, slots=True)
class NeighbourhoodSnapshot:
    id: int
    name: str


class SnapshotCache:
    """The copies of one application (each has its own database)."""

    def __init__(self, seconds: float = SNAPSHOT_SECONDS):
        self.seconds = seconds
        self._entries: dict[tuple[str, str], tuple[float, object]] = {}
        self._generation = 0
        self._lock = threading.Lock()
        _CACHES.add(self)

    def event(self, code: str) -> EventSnapshot | None:
        """Return the event with this code (None if there is none)."""

        def load() -> EventSnapshot | None:
            event = db.session.execute(db.select(Event).where(Event.code == code)).scalar_one_or_none()
            return EventSnapshot.of(event) if event is not None else None

        return self._get(("event", code), load)

    def tablet_allowed(self, user_id: int, event_id: int) -> bool:
        """Whether the account that bound a kiosk tablet may still run its event (permissions.can_run_event)."""
        from ..permissions import can_run_event

        def load() -> bool:
            user, event = db.session.get(User, user_id), db.session.get(Event, event_id)
            return bool(user is not None and event is not None and can_run_event(user, event))

        return self._get(("tablet", f"{user_id}:{event_id}"), load)

    def qpv_neighbourhoods(self) -> tuple[NeighbourhoodSnapshot, ...]:
        """Return the active QPV neighbourhoods, in the order the residence question lists them."""
        return self._get(("qpv", ""), lambda: tuple(
            NeighbourhoodSnapshot(n.id, n.name) for n in active_neighbourhoods(qpv_only=True)))

    def rendered(self, key: str, render: Callable[[], str]) -> str:
        """Return a piece of page built from these copies, built again when they are dropped."""
        return self._get(("rendered", key), render)

    def _get(self, key: tuple[str, str], load: Callable[[], T]) -> T:
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] > now:
            return entry[1]  # type: ignore[return-value]
        generation = self._generation
        value = load()
        if value is None:  # unknown codes are not kept: anyone can type them
            return value
        with self._lock:
            # A change committed while we read makes what we read stale: do not keep it.
            if generation == self._generation:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()


_CACHES: weakref.WeakSet[SnapshotCache] = weakref.WeakSet()


def _drop_every_copy() -> None:
    # Events and neighbourhoods change a few times a day: dropping every copy is simple and safe.
    for cache in list(_CACHES):
        cache.clear()


@signals.event_changed.connect
@signals.neighbourhood_changed.connect
@signals.account_changed.connect
@signals.structure_changed.connect
def _drop_once_committed(_sender, **_changes) -> None:
    # Not before: a copy taken between now and the commit would hold the old rows. A copy
    # read while the commit lands is not kept either (SnapshotCache._get checks the generation).
    after_commit(_drop_every_copy)
