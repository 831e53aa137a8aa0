"""Check-in rules: cards, one participation per card and event, first seen, the kiosk lock.

Plain functions, no request object: routes read input, call one of these, render.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import asdict, dataclass, field

from sqlalchemy.exc import IntegrityError

from ..codes import new_card_code
from ..extensions import db
from ..models import CHANNELS, Card, CheckIn, Event, User, utcnow
from .snapshots import EventSnapshot

# Outcomes of record_checkin(); the routes turn each into a screen and a status.
RECORDED = "recorded"
ALREADY_CHECKED_IN = "already_checked_in"  # this card already counts at this event
ALREADY_RECORDED = "already_recorded"  # the same submission came twice (replay, double tap)
EVENT_CLOSED = "event_closed"  # closed between the resident's first screen and their last


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

    def as_columns(self) -> dict:
        return asdict(self)


@dataclass
class CheckinResult:
    outcome: str
    checkin: CheckIn | None = None
    card: Card | None = None
    extra: dict = field(default_factory=dict)

    @property
    def recorded(self) -> bool:
        return self.outcome == RECORDED


def find_card(code: str) -> Card | None:
    return db.session.execute(db.select(Card).where(Card.code == code)).scalar_one_or_none()


@dataclass(frozen=True)
class CardStanding:
    """A scanned card and what it already did: read in one query, as every card scan needs it."""

    card: Card | None
    checked_in_here: bool  # holds a live check-in at this event: it must not count twice
    ever_checked_in: bool  # any check-in, voided ones too: a card without any is "first seen"


def card_standing(code: str | None, event_id: int) -> CardStanding:
    if code is None:
        return CardStanding(None, False, False)
    here = (db.select(CheckIn.id)
            .where(CheckIn.card_id == Card.id, CheckIn.event_id == event_id, CheckIn.voided_at.is_(None))
            .exists())
    ever = db.select(CheckIn.id).where(CheckIn.card_id == Card.id).exists()
    row = db.session.execute(db.select(Card, here, ever).where(Card.code == code)).first()
    if row is None:
        return CardStanding(None, False, False)
    return CardStanding(row[0], bool(row[1]), bool(row[2]))


def unique_card_code() -> str:
    """Return a card code no card holds yet."""
    while True:
        code = new_card_code()
        if find_card(code) is None:
            return code


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
    """Record one participation and commit; never count a card twice at one event.

    ``checkin_uuid`` is fixed when the resident's flow starts, so a replayed final
    submission hits the unique uuid and is answered ALREADY_RECORDED. ``first_seen`` is
    set here, once: True iff this is the card's first check-in ever. The event's status is
    read here, not taken from ``event``: the screens work from a copy a few seconds old.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    replayed = db.select(CheckIn.id).where(CheckIn.uuid == checkin_uuid).exists()
    status, replayed = db.session.execute(db.select(Event.status, replayed).where(Event.id == event.id)).one()
    if replayed:
        return CheckinResult(ALREADY_RECORDED)
    if status != "open":
        return CheckinResult(EVENT_CLOSED)
    answers = answers or Answers()
    # Read everything first, then write in one flush: SQLite's write lock is held only for
    # the inserts and the commit, not while Python works between two statements.
    standing = card_standing(card_code, event.id)
    card = standing.card
    if standing.checked_in_here:
        return CheckinResult(ALREADY_CHECKED_IN, card=card)
    first_seen = card_code is not None and not standing.ever_checked_in
    if card_code is not None and card is None:
        card = Card(code=card_code, created_at_event_id=event.id)
        db.session.add(card)
    if card is not None:
        card.last_used_at = utcnow()
    checkin = CheckIn(
        uuid=checkin_uuid, event_id=event.id, card=card, channel=channel, language=language,
        first_seen=first_seen, **answers.as_columns(),
    )
    db.session.add(checkin)
    try:
        db.session.commit()
    except IntegrityError:
        # Two tablets, or two taps, raced past the checks above: the database decides.
        db.session.rollback()
        if checkin_exists(checkin_uuid):
            return CheckinResult(ALREADY_RECORDED)
        return CheckinResult(ALREADY_CHECKED_IN, card=find_card(card_code) if card_code else None)
    return CheckinResult(RECORDED, checkin=checkin, card=card)


# The kiosk binding: which event a tablet serves and which animateur may unlock it. It lives
# in the session cookie, which Flask signs: a resident cannot forge or alter it.


@dataclass(frozen=True)
class KioskBinding:
    event_code: str
    user_id: int


def kiosk_binding_value(event: Event | EventSnapshot, user: User) -> dict:
    """Return what the session keeps to bind this browser to the event until the animateur unlocks it."""
    return {"e": event.code, "u": user.id}


def read_kiosk_binding(value: object) -> KioskBinding | None:
    """Return the binding a session value holds, or None if it has not the expected shape."""
    if isinstance(value, dict) and isinstance(value.get("e"), str) and type(value.get("u")) is int:
        return KioskBinding(event_code=value["e"], user_id=value["u"])
    return None
