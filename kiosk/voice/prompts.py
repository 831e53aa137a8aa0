"""What the residents' voice screens read aloud: their keys in the kiosk's recorded prompts (issue 15).

The feedback's question and its three faces, the topics' question and each topic tile can be
recorded in a language like the check-in's questions and answers; the speaker button plays the
recordings, else reads the words with the browser's voice, else says nothing. A topic's key is
its UUID: renaming a topic keeps its recordings.
"""

from __future__ import annotations

from ..extensions import db
from ..i18n import _l, resident_language
from ..languages.kiosk import prompt_audio
from .faces import FACE_LABELS
from .models import RATINGS, Topic

FEEDBACK_KEY = "s:feedback"
TOPICS_KEY = "s:voice_topics"
# The French words of the screens' questions; the same msgids as their templates.
QUESTIONS = {FEEDBACK_KEY: _l("Comment était ce stand pour vous ?"),
             TOPICS_KEY: _l("De quoi voulez-vous parler ?")}


def face_key(rating: str) -> str:
    return f"a:feedback:{rating}"


def topic_key(topic: Topic) -> str:
    return f"t:{topic.uuid}"


def voice_prompts() -> list[tuple[str, object]]:
    """(key, French words) of every prompt of these screens one may record: active topics included."""
    prompts: list[tuple[str, object]] = [(FEEDBACK_KEY, QUESTIONS[FEEDBACK_KEY])]
    prompts += [(face_key(rating), FACE_LABELS[rating]) for rating in RATINGS]
    prompts.append((TOPICS_KEY, QUESTIONS[TOPICS_KEY]))
    topics = db.session.execute(db.select(Topic).where(Topic.active.is_(True))
                                .order_by(Topic.position, Topic.name)).scalars()
    prompts += [(topic_key(topic), topic.name) for topic in topics]
    return prompts


def feedback_audio() -> str:
    """The recordings of the feedback's question then of each face, in the resident's language."""
    return prompt_audio(resident_language(), FEEDBACK_KEY, *(face_key(r) for r in RATINGS))


def topics_audio(topics) -> str:
    """The recordings of the topics' question then of each topic shown, in the resident's language."""
    return prompt_audio(resident_language(), TOPICS_KEY, *(topic_key(t) for t in topics))
