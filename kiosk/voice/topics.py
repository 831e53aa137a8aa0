"""Topics: the list coordinators keep, the ones an event names, their labels in each language."""

from __future__ import annotations

import json

from flask_babel import force_locale, gettext

from ..checkin.icons import PICTOGRAMS as KIOSK_PICTOGRAMS
from ..extensions import db
from ..i18n import LANGUAGES, _l, force_language
from ..models import Event
from .models import Topic, event_topics

# The usual topics of the Contrat de ville; their labels are in the Babel catalogues.
DEFAULT_TOPICS: list[tuple[str, str]] = [
    (_l("Cadre de vie"), "map"),
    (_l("Propreté"), "repeat"),
    (_l("Sécurité"), "shield"),
    (_l("Jeunesse"), "child"),
    (_l("Santé"), "access"),
    (_l("Emploi"), "card"),
    (_l("Mobilité"), "walk"),
    (_l("Logement"), "house"),
    (_l("Projets d'habitants"), "star"),
]
PICTOGRAMS = tuple(sorted(KIOSK_PICTOGRAMS))


class TopicError(ValueError):
    """A topic that cannot be saved as given; the message says why, for the coordinator."""


def ensure_default_topics() -> int:
    """Add the usual topics where missing; return how many were added."""
    existing = {name for (name,) in db.session.execute(db.select(Topic.name))}
    added = 0
    for position, (label, pictogram) in enumerate(DEFAULT_TOPICS):
        with force_locale("fr"):
            name = str(label)
        if name not in existing:
            db.session.add(Topic(name=name, pictogram=pictogram, position=position))
            added += 1
    db.session.flush()
    return added


def save_topic(topic: Topic | None, *, name: str, pictogram: str, translations: dict[str, str],
               active: bool = True, position: int = 0) -> Topic:
    """Create or update a topic after checking its name and pictogram."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise TopicError("Le nom du sujet doit faire de 1 à 80 caractères.")
    if pictogram not in KIOSK_PICTOGRAMS:
        raise TopicError("Choisissez un pictogramme de la liste.")
    query = db.select(Topic.id).where(db.func.lower(Topic.name) == name.lower())
    if topic is not None:
        query = query.where(Topic.id != topic.id)
    if db.session.execute(query).first():
        raise TopicError("Un sujet porte déjà ce nom.")
    clean = {lang: " ".join(str(text).split())[:80] for lang, text in translations.items()
             if lang in LANGUAGES and lang != "fr" and str(text or "").strip()}
    if topic is None:
        topic = Topic()
        db.session.add(topic)
    topic.name, topic.pictogram, topic.active, topic.position = name, pictogram, active, position
    topic.translations = json.dumps(clean, ensure_ascii=False)
    db.session.flush()
    return topic


def topic_label(topic, lang: str) -> str:
    """Return the topic's label in a language: the coordinator's words, else the catalogue's."""
    own = topic.translation_map().get(lang)
    if own:
        return own
    with force_language(lang if lang in LANGUAGES else "fr"):
        return gettext(topic.name)


def active_topics() -> list[Topic]:
    return list(db.session.execute(
        db.select(Topic).where(Topic.active.is_(True)).order_by(Topic.position, Topic.name)).scalars())


def all_topics() -> list[Topic]:
    return list(db.session.execute(db.select(Topic).order_by(Topic.active.desc(), Topic.position, Topic.name))
                .scalars())


def event_topic_ids(event_id: int) -> list[int]:
    return [tid for (tid,) in db.session.execute(
        db.select(event_topics.c.topic_id).where(event_topics.c.event_id == event_id))]


def topics_for_event(event_id: int) -> list[Topic]:
    """Return the topics an event seeks views on; every active topic when it names none."""
    ids = event_topic_ids(event_id)
    if not ids:
        return active_topics()
    return list(db.session.execute(
        db.select(Topic).where(Topic.id.in_(ids), Topic.active.is_(True)).order_by(Topic.position, Topic.name)
    ).scalars())


def set_event_topics(event: Event, topic_ids: list[int]) -> list[int]:
    """Name the topics of an event (unknown ids are ignored); return the ids kept."""
    wanted = set(topic_ids)
    known = {tid for (tid,) in db.session.execute(db.select(Topic.id).where(Topic.id.in_(wanted)))} if wanted else set()
    db.session.execute(event_topics.delete().where(event_topics.c.event_id == event.id))
    if known:
        db.session.execute(event_topics.insert(), [{"event_id": event.id, "topic_id": t} for t in sorted(known)])
    db.session.flush()
    return sorted(known)
