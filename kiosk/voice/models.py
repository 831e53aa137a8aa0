"""The residents' voice: topics, feedback on the action, contributions and their follow-up.

A feedback names the check-in it follows by its UUID (one feedback per check-in) and nothing
else; a contribution names its event, its topic and the resident's card if they have one,
never a check-in or a feedback. Raw words (text, voice) stay with the staff; only a
staff-written paraphrase and answer are ever published.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Card, Event, Structure, User, UuidMixin, utcnow

RATINGS = ("good", "ok", "bad")  # three faces, each labelled
FEEDBACK_CHANNELS = ("kiosk", "phone", "animateur")
CONTRIBUTION_CHANNELS = ("kiosk", "phone", "animateur")
# reçue → transmise → en cours → réalisée / pas possible (with the reason) / déjà prévue
STATUSES = ("received", "transmitted", "in_progress", "done", "not_possible", "already_planned")
FINAL_STATUSES = ("done", "not_possible", "already_planned")
TEXT_MAX = 500


event_topics = Table(
    "event_topics",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(UuidMixin, db.Model):
    """What an event seeks residents' views on, with a pictogram of the kiosk's set."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # French, the source language
    pictogram: Mapped[str] = mapped_column(String(20), default="speech")
    # {"en": "...", "ar": "..."}: a coordinator's own words; otherwise the Babel catalogue.
    translations: Mapped[str] = mapped_column(Text, default="{}")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def translation_map(self) -> dict[str, str]:
        try:
            value = json.loads(self.translations or "{}")
        except ValueError:
            return {}
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and v.strip()} \
            if isinstance(value, dict) else {}

    def __str__(self) -> str:
        return self.name


class Feedback(UuidMixin, db.Model):
    """A resident's one-tap rating of the action they came to."""

    __tablename__ = "feedbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # The check-in it follows (kiosk, phone); None when an animateur recorded it for someone.
    checkin_uuid: Mapped[uuid_module.UUID | None] = mapped_column(Uuid, unique=True)
    rating: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(10), default="kiosk")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()


class Contribution(UuidMixin, db.Model):
    """What a resident wants to say about the neighbourhood, and what was done about it."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_event_id_created_at", "event_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(10), default="kiosk")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    initiative: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The resident's own words: never published, never exported.
    text: Mapped[str | None] = mapped_column(Text)
    # A voice message, a file under VOICE_DIR until transcribed or VOICE_RETENTION_DAYS.
    audio_file: Mapped[str | None] = mapped_column(String(80))
    audio_mime: Mapped[str | None] = mapped_column(String(40))
    had_audio: Mapped[bool] = mapped_column(Boolean, default=False)
    transcript: Mapped[str | None] = mapped_column(Text)  # staff: transcription / translation
    # Follow-up.
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    status_reason: Mapped[str | None] = mapped_column(String(300))
    assigned_structure_id: Mapped[int | None] = mapped_column(ForeignKey("structures.id", ondelete="SET NULL"))
    paraphrase: Mapped[str | None] = mapped_column(Text)  # staff-written, what is published
    answer: Mapped[str | None] = mapped_column(Text)  # public answer, plain French
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    first_answer_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()
    topic: Mapped[Topic] = relationship()
    card: Mapped[Card | None] = relationship()
    assigned_structure: Mapped[Structure | None] = relationship()
    author: Mapped[User | None] = relationship()
    changes: Mapped[list[ContributionChange]] = relationship(
        back_populates="contribution", order_by="ContributionChange.id", cascade="all, delete-orphan")

    @property
    def kind(self) -> str:
        return "voice" if self.had_audio else "text"


class ContributionChange(db.Model):
    """One dated, attributed change of a contribution's follow-up."""

    __tablename__ = "contribution_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # "status", "assign", "transcribe", "answer", "publish", "unpublish", "audio_purged"
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(String(16))  # the status after the change
    detail: Mapped[str] = mapped_column(String(300), default="")

    contribution: Mapped[Contribution] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship()
