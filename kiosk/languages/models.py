"""Translations reviewed by people of the neighbourhood, and the prompts they recorded.

A TranslationText is a person's text for one resident-facing French string in one language:
"draft" while it is being written, "approved" once a translator approved it; only approved
text overrides the shipped catalogue on the residents' screens. A PromptRecording is one
spoken prompt (a question, an answer, a screen) in one language, a file under PROMPT_DIR
named by its content's hash, so a kiosk may keep it for ever.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import User, utcnow

DRAFT = "draft"
APPROVED = "approved"


class TranslationText(db.Model):
    __tablename__ = "translation_texts"
    __table_args__ = (UniqueConstraint("language", "msgid_key", name="uq_translation_texts_language_msgid_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    # A hash of the French msgid: an index on the text itself would be too long for some engines.
    msgid_key: Mapped[str] = mapped_column(String(40))
    msgid: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class PromptRecording(db.Model):
    __tablename__ = "prompt_recordings"
    __table_args__ = (UniqueConstraint("language", "prompt_key", name="uq_prompt_recordings_language_prompt_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    prompt_key: Mapped[str] = mapped_column(String(60))  # "q:first_time", "a:gender:woman", "s:start"
    file: Mapped[str] = mapped_column(String(80))  # <sha256 prefix>.<container>, immutable
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # made by a machine for the demo
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
