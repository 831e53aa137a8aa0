"""Check-in rules: cards, one participation per card and event, first seen, the kiosk lock.

Plain functions, no request object: routes read input, call one of these, render.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..codes import new_card_code
from ..database import begin_write
from ..events.services import EARLY, ON_TIME, checkin_timing
from ..extensions import db
from ..models import CHANNELS, Card, CheckIn, Event, utcnow
from .snapshots import EventSnapshot

# Outcomes of record_checkin(); the routes turn each into a screen and a status.
RECORDED = "recorded"
ALREADY_CHECKED_IN = "already_checked_in"  # this card already counts at this event
ALREADY_RECORDED = "already_recorded"  # the same submission came twice (replay, double tap)
EVENT_CLOSED = "event_closed"  # closed, or its times over, between the resident's first screen and their last
NOT_STARTED = "not_started"  # open, but too early: check-ins start CHECKIN_MARGIN_MINUTES before the event


MAX_COMPANIONS = 6  # the kiosk's last answer is "6 ou plus"


def companions_count(raw: object) -> int:
    """Return the number of companions a resident declared; raise ValueError if it is not one.

    Companions (DESIGN.md) are the people with a resident who do not check in: nothing but a
    number on the resident's check-in, added to the event's reach, never a participation.
    Nothing said is none.
    """
    if raw is None or raw == "":
        return 0
    text = str(raw)
    if not text.isdigit() or int(text) > MAX_COMPANIONS:
        raise ValueError(raw)
    return int(text)


@dataclass
class Answers:
    """What a resident answered. None means "not asked"; "skip" means "asked and skipped"."""

    first_time: str | None = None
    residence: str | None = None
    residence_neighbourhood_id: int | None = None
    age_band: str | None = None
    gender: str | None = None
    goes_to_structure: str | None = None
    heard_from: str | None = None
    needs_skipped: bool = False
    childcare_children: int = 0
    childcare_age_bands: str = ""
    interpreter_language: str | None = None
    accessibility: bool = False
    companions: int = 0

    def as_columns(self) -> dict:
        return asdict(self)


@dataclass
class CheckinResult:
    outcome: str
    checkin_id: int | None = None
    card_id: int | None = None

    @property
    def recorded(self) -> bool:
        return self.outcome == RECORDED

    @property
    def checkin(self) -> CheckIn | None:
        """The check-in row, loaded on demand (the kiosk itself never needs it)."""
        return db.session.get(CheckIn, self.checkin_id) if self.checkin_id is not None else None

    @property
    def card(self) -> Card | None:
        return db.session.get(Card, self.card_id) if self.card_id is not None else None


@dataclass(frozen=True)
class CardStanding:
    """A scanned card and what it already did: read in one query, as every card scan needs it."""

    card_id: int | None
    checked_in_here: bool  # holds a live check-in at this event: it must not count twice
    # Holds a live check-in anywhere. A voided one counts for nothing: a card whose only check-in
    # was voided (a kiosk test) is still new, first seen at its next check-in and not greeted back.
    ever_checked_in: bool


# The statements of a check-in, built once: building and keying a statement with its values
# cost SQLAlchemy more than running it. Parameters are bound at execution.
_cards, _checkins, _events = Card.__table__, CheckIn.__table__, Event.__table__


def _standing_columns(event_id) -> tuple:
    """The card's id, whether it counts at the event already, and whether it was ever checked in."""
    live = sa.select(_checkins.c.id).where(_checkins.c.card_id == _cards.c.id, _checkins.c.voided_at.is_(None))
    return _cards.c.id, live.where(_checkins.c.event_id == event_id).exists(), live.exists()


_CARD_ID = sa.select(_cards.c.id).where(_cards.c.code == sa.bindparam("code"))
_CARD_STANDING = sa.select(*_standing_columns(sa.bindparam("event"))).where(_cards.c.code == sa.bindparam("code"))
# Everything a check-in must know before it writes, in one statement: the event's status,
# whether this submission was already recorded, and the card's standing (NULLs without a card).
_BEFORE_WRITE = sa.select(
    _events.c.status, _events.c.starts_at, _events.c.ends_at,
    sa.select(_checkins.c.id).where(_checkins.c.uuid == sa.bindparam("uuid")).exists(),
    *_standing_columns(_events.c.id),
).select_from(_events.outerjoin(_cards, _cards.c.code == sa.bindparam("code"))).where(
    _events.c.id == sa.bindparam("event")).with_for_update(read=True, of=_events)
# PostgreSQL: FOR SHARE above makes a close wait for this check-in's commit (SQLite ignores it:
# BEGIN IMMEDIATE does that job there). Locking the card first makes a second check-in of the
# same card wait, then read this one's: never two first seen.
_LOCK_CARD = sa.select(_cards.c.id).where(_cards.c.code == sa.bindparam("code")).with_for_update()
_INSERT_CARD = _cards.insert().returning(_cards.c.id)
_TOUCH_CARD = _cards.update().where(_cards.c.id == sa.bindparam("card")).values(last_used_at=sa.bindparam("now"))
_INSERT_CHECKIN = _checkins.insert().returning(_checkins.c.id)


def card_standing(code: str | None, event_id: int) -> CardStanding:
    if code is None:
        return CardStanding(None, False, False)
    row = db.session.execute(_CARD_STANDING, {"code": code, "event": event_id}).first()
    if row is None:
        return CardStanding(None, False, False)
    return CardStanding(row[0], bool(row[1]), bool(row[2]))


def _read_before_write(event_id: int, checkin_uuid: uuid_module.UUID,
                       card_code: str | None) -> tuple[str, bool, CardStanding]:
    """Return whether the event takes check-ins now (a timing or "closed"), whether this was recorded, the card."""
    begin_write()
    if card_code is not None:
        db.session.execute(_LOCK_CARD, {"code": card_code})
    status, starts_at, ends_at, replayed, card_id, here, ever = db.session.execute(
        _BEFORE_WRITE, {"event": event_id, "uuid": checkin_uuid, "code": card_code}).one()
    timing = checkin_timing(starts_at, ends_at) if status == "open" else "closed"
    return timing, bool(replayed), CardStanding(card_id, bool(here), bool(ever))


def unique_card_code() -> str:
    """Return a card code no card holds yet."""
    while True:
        code = new_card_code()
        if db.session.execute(_CARD_ID, {"code": code}).first() is None:
            return code


def card_made_by(checkin_uuid: uuid_module.UUID) -> str | None:
    """Return the code of the card this check-in handed out, if it made one.

    A retried submission (its answer lost on the way back) is told ALREADY_RECORDED: this
    shows its resident the new card they never saw. A card is made in the same statement
    time as its check-in, at its event.
    """
    return db.session.execute(
        sa.select(_cards.c.code).join(_checkins, _checkins.c.card_id == _cards.c.id).where(
            _checkins.c.uuid == checkin_uuid, _cards.c.created_at_event_id == _checkins.c.event_id,
            _cards.c.created_at == _checkins.c.created_at)).scalar()


def checkin_exists(checkin_uuid: uuid_module.UUID) -> bool:
    found = db.session.execute(db.select(CheckIn.id).where(CheckIn.uuid == checkin_uuid)).first()
    return found is not None


def record_checkin(
    event: Event | EventSnapshot,
    *,
    checkin_uuid: uuid_module.UUID,
    channel: str,
    language: str,
    card_code: str | None = None,
    answers: Answers | None = None,
) -> CheckinResult:
    """Record one participation, for the request to commit; never count a card twice at one event.

    ``checkin_uuid`` is fixed when the resident's flow starts, so a replayed final
    submission hits the unique uuid and is answered ALREADY_RECORDED. ``first_seen`` is
    set here: True iff the card has no live check-in yet. The event's status and times are
    read here, not taken from ``event``: the screens work from a copy a few seconds old.

    Sends ``checkin_recorded`` before the commit: the statistics cache drops what the
    check-in makes stale, in the same transaction.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    for _attempt in range(2):
        try:
            return _record_once(event.id, checkin_uuid, channel, language, card_code, answers or Answers())
        except IntegrityError:
            # Another tablet wrote what we read as missing (a card's first use, or this very
            # submission). PostgreSQL reads per statement, so the second attempt sees it.
            db.session.rollback()
    # Still refused after a fresh read: the database's unique indexes decide.
    if checkin_exists(checkin_uuid):
        return CheckinResult(ALREADY_RECORDED)
    card_id = db.session.execute(_CARD_ID, {"code": card_code}).scalar() if card_code else None
    return CheckinResult(ALREADY_CHECKED_IN, card_id=card_id)


def _record_once(event_id: int, checkin_uuid: uuid_module.UUID, channel: str, language: str,
                 card_code: str | None, answers: Answers) -> CheckinResult:
    # One transaction from the first read to the commit: what is read (the event still open,
    # the card never seen) is still true when the row is written.
    timing, replayed, standing = _read_before_write(event_id, checkin_uuid, card_code)
    if replayed:
        return CheckinResult(ALREADY_RECORDED)
    if timing == EARLY:
        return CheckinResult(NOT_STARTED)
    if timing != ON_TIME:  # closed, or its times over: nobody closed it yet
        return CheckinResult(EVENT_CLOSED)
    card_id = standing.card_id
    if standing.checked_in_here:
        return CheckinResult(ALREADY_CHECKED_IN, card_id=card_id)
    first_seen = card_code is not None and not standing.ever_checked_in
    now = utcnow()
    checkin = {"uuid": checkin_uuid, "event_id": event_id, "created_at": now, "channel": channel,
               "language": language, "first_seen": first_seen, **answers.as_columns()}
    new_card = card_code is not None and card_id is None
    if new_card:
        card_id = db.session.execute(_INSERT_CARD, {
            "uuid": uuid_module.uuid4(), "code": card_code, "created_at": now,
            "created_at_event_id": event_id, "last_used_at": now}).scalar_one()
    elif card_id is not None:
        db.session.execute(_TOUCH_CARD, {"card": card_id, "now": now})
    checkin_id = db.session.execute(_INSERT_CHECKIN, {**checkin, "card_id": card_id}).scalar_one()
    signals.checkin_recorded.send(event_id, card_id=card_id, returning=standing.ever_checked_in,
                                  checkin_uuid=checkin_uuid)
    return CheckinResult(RECORDED, checkin_id=checkin_id, card_id=card_id)


def settle_first_seen(card_id: int) -> set[int]:
    """Mark the card's earliest live check-in first seen, and no other; return the events whose figures this moves.

    Called when a check-in of the card is voided: a voided check-in counts for nothing, so if
    it was the card's first, the next one becomes the first (DESIGN.md "first seen").
    """
    begin_write()
    db.session.execute(sa.select(_cards.c.id).where(_cards.c.id == card_id).with_for_update())
    rows = db.session.execute(
        sa.select(CheckIn.id, CheckIn.event_id, CheckIn.first_seen, CheckIn.voided_at)
        .where(CheckIn.card_id == card_id).order_by(CheckIn.created_at, CheckIn.id)).all()
    earliest = next((row for row in rows if row.voided_at is None), None)
    cleared = [row for row in rows if row.first_seen and row is not earliest]
    if cleared:
        db.session.execute(sa.update(CheckIn).where(CheckIn.id.in_([row.id for row in cleared]))
                           .values(first_seen=False))
    moved = {row.event_id for row in cleared}
    if earliest is not None and not earliest.first_seen:
        db.session.execute(sa.update(CheckIn).where(CheckIn.id == earliest.id).values(first_seen=True))
        moved.add(earliest.event_id)
    # A return is counted at the first-seen event: its figures depend on every check-in of the card.
    return moved | ({earliest.event_id} if earliest is not None else set())


# A check-in pushed by a stand for a card that already counts at the event (recorded on
# another device, offline): kept, voided with this reason, as one server would have refused it.
# Merging pushed check-ins and voids: checkin/merging.py.
DUPLICATE_VOID_REASON = "Doublon : carte déjà enregistrée à cette action sur un autre appareil"
