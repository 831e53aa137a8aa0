"""The data model: the words of DESIGN.md as tables.

Every record a stand may later push to a central server carries a UUID, so pushes are
idempotent. Times are stored as naive UTC; templates convert them to the local zone.
Answers are plain strings from the vocabularies below; ``SKIP`` is a first-class answer
and ``None`` means the question was not asked (express mode, a known card).
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


SKIP = "skip"

# benevole: a volunteer or residents' council member, given events one by one;
# delegue: a State delegate (délégué·e du préfet), read-only over a territory.
ROLES = ("coordinator", "animateur", "benevole", "delegue")
# The four cities of the métropole with a politique de la ville team; a neighbourhood's
# commune names its city, and a coordinator's or delegate's city (None: the whole métropole)
# is their territory.
CITIES = ("Tours", "Saint-Pierre-des-Corps", "Joué-lès-Tours", "La Riche")
STRUCTURE_KINDS = ("centre_social", "association", "bailleur", "service_ville", "conseil_citoyen", "autre")
EVENT_STATUSES = ("draft", "open", "closed")
CHANNELS = ("camera", "scanner", "keypad", "phone", "nocard", "express")
FIRST_TIME = ("yes", "no", SKIP)
YES_NO = ("yes", "no", SKIP)
AGE_BANDS = ("under_18", "18_25", "26_40", "41_60", "61_75", "over_75", SKIP)
GENDERS = ("woman", "man", "other", SKIP)
HEARD_FROM = ("passing_by", "word_of_mouth", "poster", "structure", "school", "social_media", "other", SKIP)
CHILD_AGE_BANDS = ("0_2", "3_5", "6_11", "12_plus")


class UuidMixin:
    uuid: Mapped[uuid_module.UUID] = mapped_column(
        Uuid, unique=True, default=uuid_module.uuid4, nullable=False
    )


class Neighbourhood(UuidMixin, db.Model):
    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Official 2024 code (QN + 7 characters), entered by a coordinator; never invented.
    code: Mapped[str | None] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    commune: Mapped[str] = mapped_column(String(120), default="")
    is_qpv: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})" if self.commune else self.name


class Structure(UuidMixin, db.Model):
    __tablename__ = "structures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(30), default="association")
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    def __str__(self) -> str:
        return self.name


class User(UserMixin, UuidMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    # A short PIN lets an animateur leave kiosk mode without typing a password on a tablet.
    pin_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default="animateur")
    structure_id: Mapped[int | None] = mapped_column(ForeignKey("structures.id"))
    # Territory of a coordinator or a delegate: one of CITIES, or None for the whole métropole.
    city: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Raised at logout and at a password change: every session cookie made before then stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Wrong passwords in a row, and the time until which the account refuses to log in (backoff).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Translator ("traducteur·rice"), on top of the role: reviews and records the residents' screens.
    translator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    structure: Mapped[Structure | None] = relationship()

    def get_id(self) -> str:
        # What Flask-Login keeps in the session: the account and its session version.
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


event_partners = Table(
    "event_partners",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("structure_id", ForeignKey("structures.id"), primary_key=True),
)

# Volunteers (role "benevole") given an event: they open its kiosk, tally and see its live view.
event_volunteers = Table(
    "event_volunteers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(UuidMixin, db.Model):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short code for URLs and posters; opaque so events cannot be enumerated by id.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    theme: Mapped[str] = mapped_column(String(80), default="")
    place_label: Mapped[str] = mapped_column(String(160), default="")
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    structure_id: Mapped[int | None] = mapped_column(ForeignKey("structures.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    # Comma-separated codes of INTERPRETER_LANGUAGES covered on site.
    interpreter_languages: Mapped[str] = mapped_column(String(200), default="")
    childcare_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    express_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    structure: Mapped[Structure | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    partners: Mapped[list[Structure]] = relationship(secondary=event_partners)
    volunteers: Mapped[list[User]] = relationship(secondary=event_volunteers)

    @property
    def city(self) -> str:
        """The city of the event: its neighbourhood's commune ("" outside the four cities)."""
        return self.neighbourhood.commune if self.neighbourhood else ""

    @property
    def language_codes(self) -> list[str]:
        return [c for c in self.interpreter_languages.split(",") if c]

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Card(UuidMixin, db.Model):
    """A pseudonymous QR card: a random code and nothing else about its holder."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL")
    )
    # Drives retention: a card unused for RETENTION_MONTHS is unlinked from its check-ins.
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)


class CheckIn(UuidMixin, db.Model):
    """One check-in of one person at one event: a participation unless voided."""

    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_event_id_created_at", "event_id", "created_at"),
        Index("ix_checkins_card_id_created_at", "card_id", "created_at"),
        Index("ix_checkins_created_at", "created_at"),
        # A card counts once per event; voided check-ins do not block a new one.
        Index(
            "uq_checkins_event_card_live",
            "event_id",
            "card_id",
            unique=True,
            sqlite_where=text("card_id IS NOT NULL AND voided_at IS NULL"),
            postgresql_where=text("card_id IS NOT NULL AND voided_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(10), default="nocard")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    # A card's first check-in ever, fixed when it is made (DESIGN.md "first seen").
    first_seen: Mapped[bool] = mapped_column(Boolean, default=False)

    first_time: Mapped[str | None] = mapped_column(String(8))
    residence_neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id")
    )
    # "neighbourhood" (see residence_neighbourhood_id), "other" or SKIP.
    residence: Mapped[str | None] = mapped_column(String(16))
    age_band: Mapped[str | None] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(8))
    goes_to_structure: Mapped[str | None] = mapped_column(String(8))
    heard_from: Mapped[str | None] = mapped_column(String(16))

    needs_skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    childcare_children: Mapped[int] = mapped_column(Integer, default=0)
    childcare_age_bands: Mapped[str] = mapped_column(String(40), default="")
    interpreter_language: Mapped[str | None] = mapped_column(String(8))
    accessibility: Mapped[bool] = mapped_column(Boolean, default=False)
    # People with the resident who do not check in (DESIGN.md "companion"): a number in the
    # event's reach, never a participation, never a profile.
    companions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(200))

    event: Mapped[Event] = relationship()
    card: Mapped[Card | None] = relationship()
    residence_neighbourhood: Mapped[Neighbourhood | None] = relationship()

    @property
    def far_from_structures(self) -> bool:
        return self.goes_to_structure == "no"


class CardTrace(db.Model):
    """What the indicators keep of an unlinked card at one event, and nothing that says who.

    Erasure and retention unlink a card: its check-ins stay as anonymous participations
    (their answers feed the distributions) and these rows keep, apart from them, what the
    card-based indicators need. One row per event the card came to (live check-ins only),
    under a key drawn at random when unlinking that only says "the same card" (distinct
    cards); first seen and return are frozen then, when the card can no longer come back.
    """

    __tablename__ = "card_traces"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    card_key: Mapped[uuid_module.UUID] = mapped_column(Uuid)
    first_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    returned: Mapped[bool] = mapped_column(Boolean, default=False)


class Tally(UuidMixin, db.Model):
    """People reached on the stand who did not use the kiosk. Never carries a profile."""

    __tablename__ = "tallies"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()
    author: Mapped[User | None] = relationship()


class EventSummary(db.Model):
    """Cached figures of one settled event (closed, return window over): see stats/summaries.py.

    Disposable: deleting a row only makes the next statistics page scan that event again.
    """

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)


class KioskTablet(db.Model):
    """A browser bound to an event in kiosk mode, until its animateur unlocks it.

    Wrong PINs are counted here, per tablet: a resident at another tablet (or sharing the
    stand's Wi-Fi address) cannot lock the animateur out of this one.
    """

    __tablename__ = "kiosk_tablets"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    wrong_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditLog(db.Model):
    """Who did something sensitive, and when: raw exports, erasures, voids."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()


class Device(UuidMixin, db.Model):
    """A stand device enrolled on the central server: it pushes for one structure only.

    Central side. The enrolment code and the token are kept as SHA-256 digests: a copy of
    this table lets nobody push. A revoked device can push nothing more.
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    enrol_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrol_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the stand said at its last contact: the last outbox item received, its backlog.
    pushed_through: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_batch_digest: Mapped[str | None] = mapped_column(String(64))
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    backlog: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Device clock minus central clock at the last contact, in seconds (flagged beyond 2 minutes).
    clock_offset_seconds: Mapped[int | None] = mapped_column(Integer)

    structure: Mapped[Structure] = relationship()


class SyncBatch(db.Model):
    """One batch received from a device: its clock and ours, what it held (central side)."""

    __tablename__ = "sync_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    device_sent_at: Mapped[datetime] = mapped_column(DateTime)
    first_item: Mapped[int] = mapped_column(Integer)
    last_item: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)


class SyncChange(db.Model):
    """A change of what stands pull (central side): its id is the revision a stand's cursor holds."""

    __tablename__ = "sync_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OutboxItem(db.Model):
    """Something the stand recorded, waiting to be pushed (stand side).

    Written in the transaction of the record itself, so a check-in the kiosk confirmed is
    in the outbox even if the stand is killed the next instant. The payload is read from the
    record when the batch is built: a check-in voided meanwhile goes out voided.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_sent_at_id", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
