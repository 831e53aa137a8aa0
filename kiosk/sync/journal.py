"""Who records what for the sync, from the signals of the areas that write.

On a stand, every record the central server must receive goes into the outbox in the
transaction that writes it. On the central server, every change of what stands pull is
numbered in ``sync_changes``: the number is the revision a stand's pull cursor holds.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app

from .. import signals
from ..extensions import db
from ..models import Event, OutboxItem, SyncChange

# True while a stand applies what it pulled: those writes come from the central server.
_mirroring: ContextVar[bool] = ContextVar("hlm_sync_mirroring", default=False)


@contextmanager
def mirroring():
    token = _mirroring.set(True)
    try:
        yield
    finally:
        _mirroring.reset(token)


def _role() -> str:
    return current_app.config.get("ROLE", "stand")


def _to_outbox(kind: str, object_uuid) -> None:
    if object_uuid is None or _role() != "stand" or _mirroring.get():
        return
    db.session.add(OutboxItem(kind=kind, object_uuid=object_uuid))
    db.session.flush()


def _to_changes(kind: str, object_id) -> None:
    if _role() == "central":
        db.session.add(SyncChange(kind=kind, object_id=object_id))
        db.session.flush()


@signals.checkin_recorded.connect
def _on_checkin(_event_id, *, checkin_uuid=None, **_extra) -> None:
    _to_outbox("checkin", checkin_uuid)


@signals.checkin_voided.connect
def _on_void(_event_id, *, checkin_uuid=None, **_extra) -> None:
    _to_outbox("void", checkin_uuid)


@signals.tally_changed.connect
def _on_tally(_event_id, *, tally_uuid=None, **_extra) -> None:
    _to_outbox("tally", tally_uuid)


@signals.event_changed.connect
def _on_event(event_id, **_extra) -> None:
    if _role() == "stand" and not _mirroring.get():
        _to_outbox("event", db.session.execute(db.select(Event.uuid).where(Event.id == event_id)).scalar())
    _to_changes("event", event_id)


@signals.neighbourhood_changed.connect
def _on_neighbourhood(neighbourhood_id, **_extra) -> None:
    _to_changes("neighbourhood", neighbourhood_id)


@signals.structure_changed.connect
def _on_structure(structure_id, **_extra) -> None:
    _to_changes("structure", structure_id)


@signals.account_changed.connect
def _on_account(user_id, **_extra) -> None:
    _to_changes("user", user_id)


LANGUAGE_KIND = "language:"  # + the language's code (object_id 0): a stand pulls that language whole


@signals.language_changed.connect
def _on_language(code, **_extra) -> None:
    _to_changes(LANGUAGE_KIND + code, 0)
