"""Demo data of the residents' voice: topics, feedbacks, contributions at every status."""

from __future__ import annotations

import random
from datetime import timedelta

from ..extensions import db
from ..models import Event, Structure
from .followup import assign, change_status, set_published, transcribe, write_answer
from .models import RATINGS, Contribution, Feedback, Topic
from .topics import ensure_default_topics, set_event_topics

# (topic, what the resident said, paraphrase, answer, status, reason, initiative)
SAMPLES = [
    ("Propreté", "Les poubelles débordent tous les lundis devant le 12, ça attire les rats.",
     "Les poubelles débordent le lundi.", "La ville ajoute un passage le lundi soir.", "done", None, False),
    ("Cadre de vie", "Il n'y a pas de bancs près de l'aire de jeux, les mamans restent debout.",
     "Il manque des bancs près de l'aire de jeux.", "Le bailleur installe 3 bancs en avril.", "in_progress",
     None, False),
    ("Jeunesse", "أريد نشاطات للشباب في المساء، ليس هناك شيء بعد الساعة السادسة",
     "Les jeunes veulent des activités le soir.", "La maison des jeunes ouvre le mardi jusqu'à 21 h.",
     "transmitted", None, False),
    ("Sécurité", "L'éclairage du passage derrière l'école est cassé depuis l'hiver.",
     "Le passage derrière l'école n'est pas éclairé.", "Ce n'est pas possible tout de suite.", "not_possible",
     "Le passage appartient à un propriétaire privé. La ville lui a écrit.", False),
    ("Mobilité", "Le bus 4 ne passe plus le dimanche matin.",
     "Le bus 4 ne passe plus le dimanche matin.", "C'était déjà prévu : le bus revient le dimanche en mai.",
     "already_planned", None, False),
    ("Projets d'habitants", "Je voudrais faire un jardin partagé au pied de la tour avec les voisins.",
     "Des habitants veulent créer un jardin partagé.", None, "received", None, True),
    ("Santé", "Appelez-moi au 06 12 34 56 78 pour le médecin qui ne prend plus de patients.",
     None, None, "received", None, False),
]


def seed_voice_demo(rng: random.Random, *, today: Event, author, now) -> None:
    """Add topics to the open event, feedbacks to past events, and one contribution per status."""
    ensure_default_topics()
    topics = {t.name: t for t in db.session.execute(db.select(Topic)).scalars()}
    set_event_topics(today, [topics[n].id for n in ("Cadre de vie", "Propreté", "Jeunesse", "Projets d'habitants")])
    past = list(db.session.execute(db.select(Event).where(Event.status == "closed", Event.id != today.id)
                                   .order_by(Event.starts_at.desc()).limit(20)).scalars())
    for event in past:
        for _ in range(rng.randint(3, 15)):
            db.session.add(Feedback(event_id=event.id, rating=rng.choices(RATINGS, weights=(6, 3, 1))[0],
                                    channel=rng.choice(("kiosk", "phone", "animateur")),
                                    created_at=event.starts_at + timedelta(minutes=rng.randint(5, 120))))
    partner = db.session.execute(db.select(Structure).where(Structure.kind == "service_ville")).scalars().first()
    same_quarter = [e for e in past if e.neighbourhood_id == today.neighbourhood_id] or past
    for i, (topic, text, paraphrase, answer, status, reason, initiative) in enumerate(SAMPLES):
        event = same_quarter[i % len(same_quarter)] if same_quarter else today
        created = event.starts_at + timedelta(minutes=30)
        item = Contribution(event_id=event.id, topic_id=topics[topic].id, text=text, created_at=created,
                            channel=rng.choice(("kiosk", "phone")), initiative=initiative,
                            language="ar" if any("\u0600" <= c <= "\u06ff" for c in text) else "fr")
        db.session.add(item)
        db.session.flush()
        if item.language == "ar":
            transcribe(item, "Je veux des activités pour les jeunes le soir ; il n'y a rien après 18 h.", user=author)
        if status != "received" and partner is not None:
            assign(item, partner, user=author)
        if status not in ("received", "transmitted"):
            change_status(item, status, user=author, reason=reason or "")
        if paraphrase:
            write_answer(item, paraphrase=paraphrase, answer=answer or "", user=author)
            if answer:
                set_published(item, True, user=author)
        # The history happened over the weeks after the stand, not all at once today.
        for step, change in enumerate(item.changes, start=1):
            change.created_at = created + timedelta(days=3 * step + i)
        if item.first_answer_at:
            item.first_answer_at = created + timedelta(days=3 + i)
        if item.done_at:
            item.done_at = created + timedelta(days=6 + i)
    db.session.flush()
