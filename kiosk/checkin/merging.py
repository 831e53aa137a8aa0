"""Merging what stands pushed: check-ins and voids of a whole batch, as one server would have recorded them.

The rules (README "Merging", DESIGN.md "first seen"): a card counts once per event (the
earliest check-in of the card at the event stays, a later one is kept voided as a duplicate);
a void removes its check-in everywhere, and a duplicate made after that void counts again;
first seen is the card's earliest live check-in on any device.

A batch is merged set-wise: a few queries load the cards of the batch (locked, as a live
check-in locks its card) and every check-in of those cards or named by the batch; the items
are applied in their order to that picture in memory; then the differences are written in
bulk (cards, check-ins, updates) and the statistics summaries of the events touched dropped.
Item by item this cost about nine statements per check-in.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from .. import signals
from ..database import begin_write
from ..extensions import db
from ..models import CHANNELS, Card, CheckIn, utcnow
from .services import DUPLICATE_VOID_REASON, Answers

_cards, _checkins = Card.__table__, CheckIn.__table__


@dataclass
class PushedCheckin:
    """A check-in a stand confirmed, at the stand's time (possibly voided there since)."""

    uuid: uuid_module.UUID
    event_id: int
    created_at: datetime
    channel: str
    language: str
    card_code: str | None = None
    answers: Answers = field(default_factory=Answers)
    voided_at: datetime | None = None
    void_reason: str | None = None


@dataclass
class PushedVoid:
    """A void a stand made of a check-in it had pushed (or pushes in the same batch)."""

    uuid: uuid_module.UUID
    voided_at: datetime
    reason: str


@dataclass
class _Row:
    """A check-in as the batch leaves it; ``before`` is what the database holds (None: new)."""

    id: int | None
    uuid: uuid_module.UUID
    event_id: int
    card: str | None  # the card's code
    created_at: datetime
    voided_at: datetime | None
    void_reason: str | None
    first_seen: bool
    order: tuple  # settles ties of first seen as the database's ids would: new rows come last
    before: tuple | None = None
    columns: dict | None = None  # a new row's other columns

    def state(self) -> tuple:
        return self.voided_at, self.void_reason, self.first_seen

    @property
    def live(self) -> bool:
        return self.voided_at is None


@dataclass
class MergeResult:
    recorded: int = 0
    already_recorded: int = 0
    voided: int = 0
    events: set = field(default_factory=set)  # every event whose figures may have moved


class _Picture:
    """The batch's cards and their check-ins, in memory, changed item by item."""

    def __init__(self, now: datetime):
        self.now = now
        self.rows: dict = {}  # uuid -> _Row
        self.by_card: dict = {}  # code -> [_Row]
        self.cards: dict = {}  # code -> {"id", "new", "last_used_at", ...}
        self.touched: set = set()  # (event, card) pairs whose duplicates are settled again
        self.events: set = set()
        self.first_before: dict = {}  # code -> the event that first saw the card, before the batch
        self.voided: list = []  # rows voided by the batch's voids, in order

    def add(self, row: _Row) -> None:
        self.rows[row.uuid] = row
        if row.card is not None:
            self.by_card.setdefault(row.card, []).append(row)

    def first_event(self, card: str) -> int | None:
        live = [r for r in self.by_card.get(card, ()) if r.live]
        return min(live, key=lambda r: r.order).event_id if live else None

    def checkin(self, item: PushedCheckin, index: int, result: MergeResult) -> None:
        existing = self.rows.get(item.uuid)
        if existing is not None:
            result.already_recorded += 1
            if item.voided_at is not None:
                self.void(existing, item.voided_at, item.void_reason or "—")
            return
        card = item.card_code
        if card is not None:
            found = self.cards.get(card)
            if found is None:
                self.cards[card] = {"id": None, "new": True, "created_at": item.created_at,
                                    "created_at_event_id": item.event_id, "last_used_at": item.created_at}
            elif found["last_used_at"] is None or found["last_used_at"] < item.created_at:
                found["last_used_at"], found["used"] = item.created_at, True
            self.touched.add((item.event_id, card))
        columns = {"channel": item.channel, "language": item.language, **item.answers.as_columns()}
        # A check-in voided on its stand before it was pushed counts, until its void, as any other.
        self.add(_Row(None, item.uuid, item.event_id, card, item.created_at, item.voided_at,
                      item.void_reason or ("—" if item.voided_at else None), False,
                      (item.created_at, 1, index), columns=columns))
        self.events.add(item.event_id)
        result.recorded += 1

    def void(self, row: _Row, voided_at: datetime, reason: str) -> bool:
        """Void a check-in as its device did; a duplicate already set aside is voided for good."""
        if row.voided_at is not None and row.void_reason != DUPLICATE_VOID_REASON:
            return False
        row.voided_at, row.void_reason = voided_at, reason
        self.events.add(row.event_id)
        if row.card is not None:
            self.touched.add((row.event_id, row.card))
        return True

    def settle_duplicates(self) -> None:
        """Replay each touched card's check-ins at an event in time order, as one server took them.

        A check-in made while the card already counts there is a duplicate (kept, voided); a
        void ends the count of the check-in it voids, so the next one counts. The outcome
        depends on the records, not on the order their batches came in.
        """
        for event_id, card in self.touched:
            rows = [r for r in self.by_card[card] if r.event_id == event_id]
            steps = [(r.created_at, 1, str(r.uuid), r) for r in rows]
            steps += [(r.voided_at, 0, str(r.uuid), r) for r in rows
                      if r.voided_at is not None and r.void_reason != DUPLICATE_VOID_REASON]
            counting = None
            for _time, is_checkin, _uuid, row in sorted(steps, key=lambda s: s[:3]):
                if not is_checkin:
                    if counting is row:
                        counting = None
                    continue
                voided = row.voided_at is not None and row.void_reason != DUPLICATE_VOID_REASON
                if counting is None:
                    counting = row
                    if not voided:
                        row.voided_at, row.void_reason = None, None
                elif not voided and row.void_reason != DUPLICATE_VOID_REASON:
                    row.voided_at, row.void_reason = self.now, DUPLICATE_VOID_REASON
            self.events.add(event_id)

    def settle_first_seen(self) -> None:
        """First seen on each touched card's earliest live check-in, and on no other."""
        for card in {card for _event_id, card in self.touched}:
            rows = self.by_card.get(card, [])
            live = [r for r in rows if r.live]
            earliest = min(live, key=lambda r: r.order) if live else None
            for row in rows:
                row.first_seen = row is earliest
            # A return is counted at the first-seen event: it moves with the card's check-ins.
            self.events.update(e for e in (self.first_before.get(card), self.first_event(card)) if e is not None)


_ROW_COLUMNS = (_checkins.c.id, _checkins.c.uuid, _checkins.c.event_id, _checkins.c.card_id, _checkins.c.created_at,
                _checkins.c.voided_at, _checkins.c.void_reason, _checkins.c.first_seen)


def _load(picture: _Picture, codes: set, uuids: list) -> None:
    """Lock the batch's cards and load them, with every check-in they hold or the batch names."""
    named_cards = sa.select(_checkins.c.card_id).where(_checkins.c.uuid.in_(uuids)).scalar_subquery()
    lock = sa.select(_cards.c.id, _cards.c.code, _cards.c.last_used_at).where(
        sa.or_(_cards.c.code.in_(codes), _cards.c.id.in_(named_cards))).order_by(_cards.c.id)
    if db.session.connection().dialect.name == "postgresql":
        lock = lock.with_for_update(of=_cards)  # SQLite: BEGIN IMMEDIATE already holds the one write lock
    code_of = {}
    for card_id, code, last_used_at in db.session.execute(lock):
        code_of[card_id] = code
        picture.cards[code] = {"id": card_id, "new": False, "last_used_at": last_used_at}
    rows = db.session.execute(sa.select(*_ROW_COLUMNS).where(
        sa.or_(_checkins.c.uuid.in_(uuids), _checkins.c.card_id.in_(list(code_of))))).all()
    for id_, uuid, event_id, card_id, created_at, voided_at, void_reason, first_seen in rows:
        row = _Row(id_, uuid, event_id, code_of.get(card_id), created_at, voided_at, void_reason, first_seen,
                   (created_at, 0, id_))
        row.before = row.state()
        picture.add(row)
    for code in code_of.values():
        picture.first_before[code] = picture.first_event(code)


def _write(picture: _Picture) -> None:
    connection = db.session.connection()
    new_cards = [{"uuid": uuid_module.uuid4(), "code": code, "created_at": card["created_at"],
                  "created_at_event_id": card["created_at_event_id"], "last_used_at": card["last_used_at"]}
                 for code, card in picture.cards.items() if card["new"]]
    if new_cards:
        for card_id, code in connection.execute(_cards.insert().returning(_cards.c.id, _cards.c.code), new_cards):
            picture.cards[code]["id"] = card_id
    used = [{"b_id": card["id"], "b_last_used_at": card["last_used_at"]}
            for card in picture.cards.values() if card.get("used") and not card["new"]]
    if used:
        connection.execute(_cards.update().where(_cards.c.id == sa.bindparam("b_id"))
                           .values(last_used_at=sa.bindparam("b_last_used_at")), used)
    changed = [row for row in picture.rows.values() if row.id is not None and row.state() != row.before]
    # At most one live check-in per card and event at every statement (a unique index): first
    # the rows that end voided, then the new ones, last the duplicates that count again.
    reviving = [row for row in changed if row.live and row.before[0] is not None]
    _update(connection, [row for row in changed if row not in reviving])
    new = [{"uuid": row.uuid, "event_id": row.event_id, "card_id": picture.cards[row.card]["id"] if row.card else None,
            "created_at": row.created_at, "first_seen": row.first_seen, "voided_at": row.voided_at,
            "void_reason": row.void_reason, **row.columns}
           for row in picture.rows.values() if row.id is None]
    if new:
        connection.execute(_checkins.insert(), new)
    _update(connection, reviving)


def _update(connection, rows: list[_Row]) -> None:
    if rows:
        connection.execute(
            _checkins.update().where(_checkins.c.id == sa.bindparam("b_id")).values(
                voided_at=sa.bindparam("b_voided_at"), void_reason=sa.bindparam("b_void_reason"),
                first_seen=sa.bindparam("b_first_seen")),
            [{"b_id": r.id, "b_voided_at": r.voided_at, "b_void_reason": r.void_reason,
              "b_first_seen": r.first_seen} for r in rows])


def merge_pushed(items: list[PushedCheckin | PushedVoid]) -> MergeResult:
    """Merge a batch's check-ins and voids, in their order, for the request to commit.

    Idempotent by check-in UUID: a check-in already here is left as it is (a void it carries
    is applied). The event's status is not checked: the stand took the check-in while the
    event was open there. A void of a check-in unknown here is skipped (the caller refuses it).
    """
    for item in items:
        if isinstance(item, PushedCheckin) and item.channel not in CHANNELS:
            raise ValueError(f"unknown channel {item.channel!r}")
    result = MergeResult()
    if not items:
        return result
    begin_write()
    picture = _Picture(utcnow())
    _load(picture, {i.card_code for i in items if isinstance(i, PushedCheckin) and i.card_code is not None},
          [i.uuid for i in items])
    for index, item in enumerate(items):
        if isinstance(item, PushedCheckin):
            picture.checkin(item, index, result)
        else:
            row = picture.rows.get(item.uuid)
            if row is not None and picture.void(row, item.voided_at, item.reason):
                picture.voided.append(row)
    picture.settle_duplicates()
    picture.settle_first_seen()
    _write(picture)
    result.events, result.voided = picture.events, len(picture.voided)
    moved = sorted(picture.events)
    # The events touched are known here, first-seen events included: the listeners need no card.
    for row in picture.voided:
        signals.checkin_voided.send(row.event_id, card_id=None, moved_events=moved, checkin_uuid=row.uuid)
    if moved:
        signals.checkin_merged.send(moved[0], card_id=None, moved_events=moved[1:])
    return result
