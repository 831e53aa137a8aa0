"""Synthetic activities, orientations, visits and trainings, for the demo and the benchmarks.

Writes with bulk inserts, after kiosk/demo/generator.py made the events and check-ins: it
reads the check-ins made with a card and orients, then brings to a reception, some of them.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from .. import signals
from ..extensions import db
from ..models import AGE_BANDS, GENDERS, CheckIn, Event, Structure
from ..orientation.models import Activity, Orientation
from ..training.models import PARTICIPANT_ROLES, TrainingAttendance, TrainingSession
from .models import VISIT_KINDS, Visit

ACTIVITIES = [
    ("Atelier couture", "mardi 14 h – 16 h", "Adultes"),
    ("Aide aux devoirs", "lundi et jeudi 16 h 30 – 18 h", "Enfants 6-11 ans"),
    ("Café des parents", "vendredi 8 h 30 – 10 h", "Parents"),
    ("Atelier de français", "mercredi 9 h – 11 h", "Adultes"),
    ("Permanence accès aux droits", "jeudi 9 h – 12 h", "Tout public"),
    ("Sport en famille", "samedi 10 h – 12 h", "Familles"),
]
TRAINING_THEMES = ["Aller vers les habitants", "Accueillir sans interprète", "Animer un stand", "Mobiliser les jeunes",
                   "Égalité femmes-hommes dans l'espace public"]
BATCH = 5000


def generate_structure_activity(*, rng: random.Random, start: datetime, end: datetime, structures: list[Structure],
                                orientation_share: float = 0.15, visits: int | None = None,
                                trainings: bool = True) -> dict:
    """Add activities, orientations of carded check-ins, visits and trainings between start and end."""
    counts = {"activities": 0, "orientations": 0, "visits": 0, "trainings": 0}
    activities: dict[int, list[int]] = {}
    for structure in structures:
        place = structure.neighbourhood.name if structure.neighbourhood else "Tours"
        for name, schedule, public in rng.sample(ACTIVITIES, 2):
            activity_id = db.session.execute(insert(Activity).values(
                uuid=uuid.uuid4(), structure_id=structure.id, name=name, schedule=schedule, public=public,
                address=f"{rng.randint(1, 40)} rue du quartier, {place}",
                free=rng.random() < 0.8, active=True, created_at=start).returning(Activity.id)).scalar_one()
            activities.setdefault(structure.id, []).append(activity_id)
            counts["activities"] += 1
    structure_ids = [s.id for s in structures]
    rows = db.session.execute(
        select(CheckIn.id, CheckIn.card_id, CheckIn.created_at, CheckIn.first_seen, Event.structure_id)
        .join(Event, Event.id == CheckIn.event_id)
        .where(CheckIn.card_id.is_not(None), CheckIn.voided_at.is_(None), CheckIn.created_at >= start,
               CheckIn.created_at < end))
    orientations, pending_visits = [], []
    target = visits
    oriented_visits = 0

    def visit(structure_id, card_id, at, kind=None) -> bool:
        if at >= end:
            return False  # not yet: a visit is never in the future
        pending_visits.append({
            "uuid": uuid.uuid4(), "structure_id": structure_id, "card_id": card_id, "created_at": at,
            "kind": kind or rng.choices(VISIT_KINDS, weights=[50, 25, 25])[0],
            "activity_id": rng.choice(activities[structure_id]) if rng.random() < 0.5 else None,
            "age_band": rng.choice(AGE_BANDS) if rng.random() < 0.6 else None,
            "gender": rng.choice(GENDERS) if rng.random() < 0.6 else None,
            "residence": None, "residence_neighbourhood_id": None, "recorded_by_id": None})
        return True

    def flush():
        if orientations:
            db.session.execute(insert(Orientation), orientations)
            counts["orientations"] += len(orientations)
            orientations.clear()
        if pending_visits:
            db.session.execute(insert(Visit), pending_visits)
            counts["visits"] += len(pending_visits)
            pending_visits.clear()

    first_seen_cards = []
    for checkin_id, card_id, at, first_seen, event_structure in rows:
        if first_seen:
            first_seen_cards.append((card_id, at))
        if rng.random() < orientation_share:
            structure_id = event_structure if rng.random() < 0.6 else rng.choice(structure_ids)
            oriented_at = at + timedelta(minutes=2)
            orientations.append({"uuid": uuid.uuid4(), "checkin_id": checkin_id, "structure_id": structure_id,
                                 "activity_id": rng.choice(activities[structure_id]) if rng.random() < 0.7 else None,
                                 "source": rng.choice(["animateur", "resident"]), "author_id": None,
                                 "created_at": oriented_at})
            if rng.random() < 0.45:
                oriented_visits += visit(structure_id, card_id, oriented_at + timedelta(
                    days=rng.choice([3, 8, 15, 25, 40, 70, 120]), hours=rng.randint(0, 8)))
        if len(orientations) + len(pending_visits) >= BATCH:
            flush()
    # Cards never oriented that find a structure anyway, and people without a card.
    extra = (target - oriented_visits) if target is not None else len(first_seen_cards) // 12
    span = (end - start).total_seconds()
    added = attempts = 0
    # A target is met exactly (a visit that would fall after `end` is drawn again), within reason.
    while added < extra and attempts < (3 * extra if target is not None else extra):
        attempts += 1
        if first_seen_cards and rng.random() < 0.7:
            card_id, at = rng.choice(first_seen_cards)
            added += visit(rng.choice(structure_ids), card_id, at + timedelta(days=rng.randint(1, 200)))
        else:
            added += visit(rng.choice(structure_ids), None, start + timedelta(seconds=rng.random() * span))
        if len(pending_visits) >= BATCH:
            flush()
    flush()
    signals.visit_recorded.send(None, at=None)  # visits at past times: every month they fall in
    if trainings:
        counts["trainings"] = _trainings(rng, start.date(), end.date(), structure_ids)
    return counts


def _trainings(rng: random.Random, start: date, end: date, structure_ids: list[int]) -> int:
    days = max(1, (end - start).days)
    made = 0
    for kind, count in (("training", max(1, days // 45)), ("network", max(1, days // 90))):
        for _ in range(count):
            begins = start + timedelta(days=rng.randrange(days))
            length = rng.choice([0, 0, 1]) if kind == "training" else 0
            session = TrainingSession(kind=kind, theme=rng.choice(TRAINING_THEMES), starts_on=begins,
                                      ends_on=begins + timedelta(days=length),
                                      hours=rng.choice([3, 6, 7]) * (length + 1) if kind == "training" else 2.5)
            session.attendances = [TrainingAttendance(structure_id=rng.choice(structure_ids), role=role,
                                                      count=rng.randint(1, 6))
                                   for role in rng.sample(PARTICIPANT_ROLES, 3)]
            db.session.add(session)
            made += 1
    db.session.flush()
    return made
