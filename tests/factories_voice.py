"""Factories for the residents' voice: topics, feedbacks, contributions, a small WAV."""

import io
import itertools
import struct
import uuid
import wave

from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.voice.models import Contribution, Feedback, Topic

_seq = itertools.count(1)


def gen_topic(**kw) -> Topic:
    values = {"name": f"Sujet {next(_seq)}", "pictogram": "map", "translations": "{}"}
    values.update(kw)
    topic = Topic(**values)
    db.session.add(topic)
    db.session.flush()
    return topic


def gen_feedback(event, **kw) -> Feedback:
    values = {"event_id": event.id, "rating": "good", "channel": "kiosk", "checkin_uuid": uuid.uuid4()}
    values.update(kw)
    item = Feedback(**values)
    db.session.add(item)
    db.session.flush()
    return item


def gen_contribution(event, topic=None, **kw) -> Contribution:
    values = {"event_id": event.id, "topic_id": (topic or gen_topic()).id, "channel": "kiosk",
              "text": "Il faudrait des bancs près de l'aire de jeux.", "created_at": utcnow()}
    values.update(kw)
    item = Contribution(**values)
    db.session.add(item)
    db.session.flush()
    return item


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """Return a mono 16-bit PCM WAV of a 440 Hz tone."""
    import math

    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()
