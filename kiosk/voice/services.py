"""What residents and animateurs give: a feedback on the action, a contribution.

Plain functions the routes and tests call; the caller commits. Each refusal is a VoiceError
whose ``reason`` the screens turn into a message in the resident's language.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from ..codes import parse_card_code
from ..extensions import db
from ..models import Card, CheckIn, Event, User, utcnow
from .audio import MIME_TYPES, AudioError, check_recording, store
from .models import CONTRIBUTION_CHANNELS, FEEDBACK_CHANNELS, RATINGS, TEXT_MAX, Contribution, Feedback, Topic
from .topics import topics_for_event

# A check-in gives the right to a feedback and contributions for this long after it.
AFTER_CHECKIN = timedelta(hours=3)


class VoiceError(ValueError):
    """A feedback or contribution refused. reason: unknown_checkin, already, closed, bad_rating,
    unknown_topic, empty, too_long, no_consent, unknown_card, or an AudioError reason."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def parse_uuid(raw) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(raw or "")[:40])
    except ValueError:
        return None


@dataclass(frozen=True)
class CheckinRef:
    uuid: uuid_module.UUID
    card_id: int | None


def recent_checkin(event_id: int, raw_uuid) -> CheckinRef:
    """Return the live check-in at this event that a resident's screen names, recent enough."""
    checkin_uuid = parse_uuid(raw_uuid)
    row = checkin_uuid and db.session.execute(
        db.select(CheckIn.uuid, CheckIn.card_id, CheckIn.created_at, CheckIn.voided_at)
        .where(CheckIn.uuid == checkin_uuid, CheckIn.event_id == event_id)).first()
    if not row or row.voided_at is not None or row.created_at < utcnow() - AFTER_CHECKIN:
        raise VoiceError("unknown_checkin", 409)
    return CheckinRef(row.uuid, row.card_id)


def _open_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.status != "open":
        raise VoiceError("closed", 410)
    return event


def has_feedback(checkin_uuid) -> bool:
    return db.session.execute(db.select(Feedback.id).where(Feedback.checkin_uuid == checkin_uuid)).first() is not None


def record_feedback(event_id: int, *, rating: str, channel: str, language: str = "fr",
                    checkin_uuid=None, author: User | None = None) -> Feedback:
    """Record one feedback: after a check-in (one per check-in), or by an animateur."""
    if rating not in RATINGS:
        raise VoiceError("bad_rating")
    if channel not in FEEDBACK_CHANNELS:
        raise VoiceError("bad_channel")
    _open_event(event_id)
    if checkin_uuid is not None and has_feedback(checkin_uuid):
        raise VoiceError("already", 409)
    feedback = Feedback(event_id=event_id, rating=rating, channel=channel, language=language,
                        checkin_uuid=checkin_uuid, author_id=author.id if author else None)
    db.session.add(feedback)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same check-in's feedback, sent twice at once
        raise VoiceError("already", 409) from None
    return feedback


def check_topic(event_id: int, raw_topic) -> Topic:
    """Return the topic chosen, if it is one this event offers."""
    try:
        topic_id = int(str(raw_topic or ""))
    except ValueError:
        raise VoiceError("unknown_topic") from None
    topic = next((t for t in topics_for_event(event_id) if t.id == topic_id), None)
    if topic is None:
        raise VoiceError("unknown_topic")
    return topic


def clean_text(raw: str | None) -> str | None:
    """Return the resident's text as typed (any script), trimmed; None when empty."""
    text = (raw or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX:
        raise VoiceError("too_long")
    return text or None


def card_id_for_code(raw_code: str | None) -> int | None:
    """Return the id of the card a typed code names; None if none was typed."""
    if not (raw_code or "").strip():
        return None
    code = parse_card_code(raw_code)
    card_id = code and db.session.execute(db.select(Card.id).where(Card.code == code)).scalar_one_or_none()
    if not card_id:
        raise VoiceError("unknown_card")
    return card_id


def record_contribution(event_id: int, *, submission, topic_id, channel: str, language: str = "fr",
                        text: str | None = None, audio: bytes | None = None, audio_seconds: str | None = None,
                        consent: bool = False, initiative: bool = False, card_id: int | None = None,
                        author: User | None = None) -> Contribution:
    """Record a contribution (text, voice or both) under its submission id; a replay is refused."""
    submission_uuid = parse_uuid(submission)
    if submission_uuid is None:
        raise VoiceError("stale")
    if channel not in CONTRIBUTION_CHANNELS:
        raise VoiceError("bad_channel")
    _open_event(event_id)
    if db.session.execute(db.select(Contribution.id).where(Contribution.uuid == submission_uuid)).first():
        raise VoiceError("already", 409)
    topic = check_topic(event_id, topic_id)
    text = clean_text(text)
    container = None
    if audio:
        if not consent:
            raise VoiceError("no_consent")
        try:
            container = check_recording(audio, audio_seconds)
        except AudioError as error:
            raise VoiceError(error.reason, 413 if error.reason == "too_big" else 400) from None
    if text is None and container is None:
        raise VoiceError("empty")
    contribution = Contribution(
        uuid=submission_uuid, event_id=event_id, topic_id=topic.id, channel=channel, language=language,
        text=text, initiative=bool(initiative), card_id=card_id, author_id=author.id if author else None)
    db.session.add(contribution)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise VoiceError("already", 409) from None
    if container is not None:
        contribution.audio_file = store(audio, container)
        contribution.audio_mime = MIME_TYPES[container]
        contribution.had_audio = True
    return contribution


def card_contributions(raw_code: str) -> list[Contribution] | None:
    """Return what a card's holder said, newest first; None if the code names no card."""
    code = parse_card_code(raw_code or "")
    card_id = code and db.session.execute(db.select(Card.id).where(Card.code == code)).scalar_one_or_none()
    if not card_id:
        return None
    return list(db.session.execute(db.select(Contribution).where(Contribution.card_id == card_id)
                                   .order_by(Contribution.created_at.desc())).scalars())


def unlink_cards(card_ids) -> None:
    """Forget which card said what (the card is erased or expired); the words stay anonymous."""
    db.session.execute(db.update(Contribution).where(Contribution.card_id.in_(card_ids)).values(card_id=None)
                       .execution_options(synchronize_session=False))
