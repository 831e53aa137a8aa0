"""The central server takes a stand's batch: untrusted input, all of it stored or none of it.

A batch names the outbox items it holds (their ids on the stand, increasing); the device's
``pushed_through`` remembers the last one stored, so a batch already stored (a response
lost in a cut, a replay) is refused with 409 and the stand moves on. Every item is checked
(fields, vocabularies, sizes) and must concern the device's own structure; the merge itself
is the check-in area's rule (checkin.merging.merge_pushed), applied set-wise to each run of
check-ins and voids between the batch's other items.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..checkin.merging import PushedCheckin, PushedVoid, merge_pushed
from ..checkin.services import Answers
from ..database import begin_write
from ..events.services import mirror_event
from ..extensions import db
from ..models import CheckIn, Device, Event, Neighbourhood, Structure, SyncBatch, event_partners, utcnow
from ..stand.services import merge_pushed_tally
from . import payloads
from .payloads import PayloadError, field

INGEST_LOCK = 0x484C4D53  # "HLMS": the advisory lock that makes batches take turns


class SyncRefused(Exception):
    """A batch refused as a whole; status is the HTTP status, nothing of it was stored."""

    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


_PARSERS = {"event": payloads.parse_event, "checkin": payloads.parse_checkin,
            "void": payloads.parse_void, "tally": payloads.parse_tally}


def parse_batch(body, *, max_items: int) -> dict:
    """Check a batch's envelope and every item; raise SyncRefused (400, 413, 422)."""
    if not isinstance(body, dict):
        raise SyncRefused(400, "the body must be a JSON object")
    items = body.get("items")
    if not isinstance(items, list):
        raise SyncRefused(422, "items must be a list")
    if len(items) > max_items:
        raise SyncRefused(413, f"at most {max_items} items per batch")
    try:
        batch = {"sent_at": field(body, "sent_at", datetime), "backlog": field(body, "backlog", int),
                 "items": []}
        previous = 0
        for item in items:
            item_id = field(item, "id", int)
            kind = field(item, "kind", str, choices=tuple(_PARSERS))
            if item_id <= previous:
                raise PayloadError("item ids must increase")
            previous = item_id
            batch["items"].append((item_id, kind, _PARSERS[kind](item.get("data"))))
    except PayloadError as exc:
        raise SyncRefused(422, str(exc)) from None
    return batch


class _Scope:
    """Resolves the UUIDs of a batch, and refuses what is not the device's structure's."""

    def __init__(self, device: Device):
        self.device = device
        self.events: dict = {}
        self.structure_uuid = db.session.get(Structure, device.structure_id).uuid

    def event_id(self, event_uuid) -> int:
        """The event's id, if the device's structure carries it or co-runs it as a partner."""
        if event_uuid not in self.events:
            row = db.session.execute(
                db.select(Event.id, Event.structure_id).where(Event.uuid == event_uuid)).first()
            if row is None:
                raise SyncRefused(422, f"unknown event {event_uuid}")
            partner = db.session.execute(db.select(event_partners.c.event_id).where(
                event_partners.c.event_id == row[0], event_partners.c.structure_id == self.device.structure_id)).first()
            self.events[event_uuid] = (row[0], row[1] == self.device.structure_id or partner is not None)
        event_id, ours = self.events[event_uuid]
        if not ours:
            raise SyncRefused(403, "this event is not of the device's structure")
        return event_id

    def load_events(self, event_uuids) -> None:
        """Resolve many events in one query (those unknown stay unknown: event_id refuses them)."""
        wanted = {u for u in event_uuids if u not in self.events}
        if wanted:
            rows = db.session.execute(
                db.select(Event.uuid, Event.id, Event.structure_id).where(Event.uuid.in_(wanted))).all()
            co_run = set(db.session.execute(db.select(event_partners.c.event_id).where(
                event_partners.c.event_id.in_([row.id for row in rows]),
                event_partners.c.structure_id == self.device.structure_id)).scalars())
            for uuid, event_id, structure_id in rows:
                # As event_id keeps them: the id, and whether this device's structure runs or co-runs it.
                self.events[uuid] = (event_id, structure_id == self.device.structure_id or event_id in co_run)

    def known_checkins(self, checkin_uuids) -> set:
        """Which of these check-ins the central server holds; refuse any of another structure's event."""
        rows = db.session.execute(db.select(CheckIn.uuid, Event.uuid).join(Event, CheckIn.event_id == Event.id)
                                  .where(CheckIn.uuid.in_(set(checkin_uuids)))).all()
        self.load_events(event_uuid for _uuid, event_uuid in rows)
        if any(not self.events[event_uuid][1] for _uuid, event_uuid in rows):
            raise SyncRefused(403, "this check-in is not of the device's structure")
        return {uuid for uuid, _event_uuid in rows}

    @staticmethod
    def neighbourhood_ids(values) -> dict:
        wanted = {v for v in values if v is not None}
        if not wanted:
            return {}
        found = dict(db.session.execute(
            db.select(Neighbourhood.uuid, Neighbourhood.id).where(Neighbourhood.uuid.in_(wanted))).all())
        for value in wanted - set(found):
            raise SyncRefused(422, f"unknown neighbourhood {value}")
        return found

    def neighbourhood_id(self, value) -> int | None:
        return self.neighbourhood_ids([value]).get(value)


def _merge_run(scope: _Scope, run: list) -> None:
    """Check the scope of a run of check-ins and voids, then merge them in one go."""
    checkins = [data for kind, data in run if kind == "checkin"]
    scope.load_events(data["event"] for data in checkins)
    places = scope.neighbourhood_ids(data["residence_neighbourhood"] for data in checkins)
    known, items, pushed = scope.known_checkins(data["uuid"] for _kind, data in run), [], set()
    for kind, data in run:
        if kind == "checkin":
            answers = Answers(residence_neighbourhood_id=places.get(data["residence_neighbourhood"]),
                              **data["answers"])
            items.append(PushedCheckin(
                uuid=data["uuid"], event_id=scope.event_id(data["event"]), created_at=data["created_at"],
                channel=data["channel"], language=data["language"], card_code=data["card"], answers=answers,
                voided_at=data["voided_at"], void_reason=data["void_reason"]))
            pushed.add(data["uuid"])
        else:
            if data["uuid"] not in known and data["uuid"] not in pushed:
                raise SyncRefused(422, f"unknown check-in {data['uuid']}")
            items.append(PushedVoid(uuid=data["uuid"], voided_at=data["voided_at"], reason=data["void_reason"]))
    merge_pushed(items)


def _apply(scope: _Scope, kind: str, data: dict) -> None:
    if kind == "event":
        known = db.session.execute(db.select(Event.id, Event.structure_id).where(Event.uuid == data["uuid"])).first()
        if known is not None and known[1] != scope.device.structure_id and scope.event_id(data["uuid"]):
            # A co-run event changed on a partner's stand (closed there by the clock): the carrying
            # structure and the central server own its settings and status, so it is not taken.
            return
        if data["structure"] != scope.structure_uuid:
            raise SyncRefused(403, "this event is not of the device's structure")
        existing = db.session.execute(db.select(Event.structure_id).where(Event.uuid == data["uuid"])).first()
        if existing is not None and existing[0] != scope.device.structure_id:
            raise SyncRefused(403, "this event is not of the device's structure")
        fields = {name: data[name] for name in ("title", "theme", "place_label", "starts_at", "ends_at",
                                                "interpreter_languages", "childcare_offered", "express_mode")}
        fields.update(neighbourhood_id=scope.neighbourhood_id(data["neighbourhood"]),
                      structure_id=scope.device.structure_id)
        mirror_event(fields, status=data["status"], opened_at=data["opened_at"], closed_at=data["closed_at"],
                     code=data["code"], uuid=data["uuid"], settings=False)
        scope.events.pop(data["uuid"], None)
    elif kind == "tally":
        merge_pushed_tally(tally_uuid=data["uuid"], event_id=scope.event_id(data["event"]), count=data["count"],
                           created_at=data["created_at"], undone_at=data["undone_at"])


def ingest(device: Device, body) -> dict:
    """Store a batch for the request to commit, or raise SyncRefused having stored nothing."""
    batch = parse_batch(body, max_items=current_app.config["SYNC_BATCH_MAX_ITEMS"])
    now = utcnow()
    begin_write()
    if db.session.connection().dialect.name == "postgresql":
        # One batch at a time: batches of different stands touch the same cards in any order
        # (deadlocks, a card created twice); in turn, each reads what the previous one stored.
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK})
    db.session.refresh(device, with_for_update=True)  # one batch of a device at a time
    if device.revoked_at is not None:
        raise SyncRefused(403, "revoked")
    items = batch["items"]
    if items and items[-1][0] <= device.pushed_through:
        raise SyncRefused(409, "already received", pushed_through=device.pushed_through)
    scope = _Scope(device)
    fresh = [item for item in items if item[0] > device.pushed_through]
    run: list = []  # consecutive check-ins and voids, merged together
    for _item_id, kind, data in fresh:
        if kind in ("checkin", "void"):
            run.append((kind, data))
            continue
        if run:
            _merge_run(scope, run)
            run = []
        _apply(scope, kind, data)
    if run:
        _merge_run(scope, run)
    offset = round((batch["sent_at"] - now).total_seconds())
    device.last_contact_at, device.backlog, device.clock_offset_seconds = now, batch["backlog"], offset
    if fresh:
        device.pushed_through = fresh[-1][0]
        db.session.add(SyncBatch(device_id=device.id, received_at=now, device_sent_at=batch["sent_at"],
                                 first_item=fresh[0][0], last_item=fresh[-1][0], items=len(fresh)))
    db.session.flush()
    return {"pushed_through": device.pushed_through, "stored": len(fresh), "clock_offset_seconds": offset}
