"""Synthetic, realistic activity: events with check-ins, newcomers, returns and needs.

Used by the demo data and by the statistics benchmark (which asks for a million rows), so
it writes with bulk inserts in batches and keeps only what it must in memory.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert

from ..codes import ALPHABET, new_card_code
from ..extensions import db
from ..models import (
    AGE_BANDS,
    CHILD_AGE_BANDS,
    HEARD_FROM,
    Card,
    CheckIn,
    Event,
    Neighbourhood,
    Structure,
    Tally,
    User,
    event_partners,
)

THEMES = ["Cadre de vie", "Santé", "Jeunesse", "Emploi", "Parentalité", "Sport", "Culture", "Propreté"]
PLACES = ["Pied de l'immeuble", "Place du marché", "Sortie d'école", "Parc", "Parvis du centre social",
          "Arrêt de tram", "Square"]
LANGS = ["ar", "ar", "ar", "tr", "en", "ru", "uk", "ps", "so", "es"]
BATCH = 5000


@dataclass
class GenerationResult:
    events: int = 0
    checkins: int = 0
    cards: int = 0
    tallies: int = 0
    event_ids: list[int] = field(default_factory=list)


def _weighted(rng: random.Random, options, weights):
    return rng.choices(options, weights=weights, k=1)[0]


def _answers(rng: random.Random, qpv_ids: list[int], returning: bool) -> dict:
    """Answers of one resident; about one question in eight is skipped."""

    def maybe(value):
        return "skip" if rng.random() < 0.12 else value

    residence_id = rng.choice(qpv_ids) if qpv_ids and rng.random() < 0.8 else None
    children = _weighted(rng, [0, 1, 2, 3], [70, 15, 10, 5])
    return {
        "first_time": maybe("no" if returning or rng.random() < 0.55 else "yes"),
        "residence": maybe("neighbourhood" if residence_id else "other"),
        "residence_neighbourhood_id": residence_id,
        "age_band": maybe(_weighted(rng, AGE_BANDS[:-1], [10, 18, 30, 25, 12, 5])),
        "gender": maybe(_weighted(rng, ["woman", "man", "other"], [58, 40, 2])),
        "goes_to_structure": maybe(_weighted(rng, ["yes", "no"], [55, 45])),
        "heard_from": maybe(_weighted(rng, HEARD_FROM[:-1], [35, 25, 12, 12, 8, 5, 3])),
        "childcare_children": children,
        "childcare_age_bands": ",".join(sorted(rng.sample(CHILD_AGE_BANDS, min(children, 2)))) if children else "",
        "interpreter_language": rng.choice(LANGS) if rng.random() < 0.18 else None,
        "accessibility": rng.random() < 0.05,
    }


def generate_activity(
    *,
    rng: random.Random,
    start: datetime,
    end: datetime,
    event_count: int,
    checkin_count: int,
    neighbourhoods: list[Neighbourhood],
    structures: list[Structure],
    author: User | None = None,
    progress=None,
) -> GenerationResult:
    """Insert closed events between start and end (naive UTC) and their check-ins."""
    result = GenerationResult()
    qpv_ids = [n.id for n in neighbourhoods if n.is_qpv] or [n.id for n in neighbourhoods]
    span = (end - start).total_seconds()
    starts = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(event_count))
    per_event = max(1, checkin_count // max(1, event_count))
    known_cards: list[tuple[int, datetime]] = []  # (card id, first seen) of cards in use
    used_codes: set[str] = set()
    next_card_id = (db.session.execute(db.select(db.func.max(Card.id))).scalar() or 0) + 1
    pending_checkins: list[dict] = []
    pending_cards: list[dict] = []
    remaining = checkin_count

    def flush():
        if pending_cards:
            db.session.execute(insert(Card), pending_cards)
            pending_cards.clear()
        if pending_checkins:
            db.session.execute(insert(CheckIn), pending_checkins)
            pending_checkins.clear()

    # Codes drawn from a seeded generator repeat from one run to the next: skip those taken.
    taken_codes = set(db.session.execute(db.select(Event.code)).scalars())
    for index, begins in enumerate(starts):
        begins = begins.replace(hour=rng.choice([8, 9, 13, 14, 15]), minute=rng.choice([0, 30]),
                                second=0, microsecond=0)
        ends = begins + timedelta(hours=rng.choice([2, 3, 4]))
        structure = rng.choice(structures)
        code = "".join(rng.choice(ALPHABET) for _ in range(8))
        while code in taken_codes:
            code = "".join(rng.choice(ALPHABET) for _ in range(8))
        taken_codes.add(code)
        event_id = db.session.execute(
            insert(Event).values(
                uuid=uuid.uuid4(), code=code, title=f"{rng.choice(THEMES)} — {rng.choice(PLACES).lower()}",
                theme=rng.choice(THEMES), place_label=rng.choice(PLACES),
                neighbourhood_id=structure.neighbourhood_id or rng.choice(qpv_ids),
                structure_id=structure.id, starts_at=begins, ends_at=ends,
                interpreter_languages="ar" if rng.random() < 0.5 else "", childcare_offered=rng.random() < 0.4,
                express_mode=False, status="closed", created_by_id=author.id if author else None,
                created_at=begins - timedelta(days=7), opened_at=begins, closed_at=ends,
            ).returning(Event.id)
        ).scalar_one()
        result.event_ids.append(event_id)
        partner = rng.choice(structures)
        if partner.id != structure.id:
            db.session.execute(insert(event_partners).values(event_id=event_id, structure_id=partner.id))
        # Spread what is left over the events still to come, with some noise.
        events_left = event_count - index
        n = remaining if events_left == 1 else min(remaining, max(0, int(rng.gauss(per_event, per_event / 3))))
        remaining -= n
        seen_here: set[int] = set()
        duration = (ends - begins).total_seconds()
        for _ in range(n):
            at = begins + timedelta(seconds=rng.random() * duration)
            card_id, first_seen, returning = None, False, False
            roll = rng.random()
            # Events of one day are not made in time order (their hours are drawn after
            # sorting): a card first seen later than `at` cannot be back yet.
            recent = [c for c in known_cards[-400:]
                      if c[0] not in seen_here and c[1] < at and (at - c[1]).days < 150]
            if roll < 0.25 and recent:
                card_id = rng.choice(recent)[0]
                returning = True
            elif roll < 0.65:
                code = new_card_code()
                while code in used_codes:
                    code = new_card_code()
                used_codes.add(code)
                card_id = next_card_id
                next_card_id += 1
                pending_cards.append({"id": card_id, "uuid": uuid.uuid4(), "code": code, "created_at": at,
                                      "created_at_event_id": event_id, "last_used_at": at})
                known_cards.append((card_id, at))
                first_seen = True
                result.cards += 1
            if card_id is not None:
                seen_here.add(card_id)
            row = {"uuid": uuid.uuid4(), "event_id": event_id, "card_id": card_id, "created_at": at,
                   "channel": _weighted(rng, ["camera", "scanner", "keypad", "phone", "nocard"], [30, 20, 8, 12, 30])
                   if card_id else "nocard",
                   "language": _weighted(rng, ["fr", "ar", "en"], [75, 20, 5]), "first_seen": first_seen,
                   "needs_skipped": False, "voided_at": None, "voided_by_id": None, "void_reason": None}
            row.update(_answers(rng, qpv_ids, returning))
            if returning:
                row.update(first_time=None, residence=None, residence_neighbourhood_id=None, age_band=None,
                           gender=None, goes_to_structure=None, heard_from=None)
            pending_checkins.append(row)
            result.checkins += 1
            if len(pending_checkins) >= BATCH:
                flush()
                if progress:
                    progress(result.checkins)
        tally_count = rng.choice([0, 0, 3, 5, 8, 12])
        if tally_count:
            db.session.execute(insert(Tally).values(uuid=uuid.uuid4(), event_id=event_id, count=tally_count,
                                                    created_at=ends - timedelta(minutes=10),
                                                    author_id=author.id if author else None))
            result.tallies += tally_count
        result.events += 1
    flush()
    # Cards keep their last use up to date, which retention relies on.
    db.session.execute(
        db.update(Card).values(
            last_used_at=db.select(db.func.max(CheckIn.created_at)).where(CheckIn.card_id == Card.id)
            .scalar_subquery()
        ).where(Card.id >= next_card_id - result.cards)
    )
    if db.engine.dialect.name == "postgresql":
        # Ids were given explicitly: move the sequence past them.
        db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('cards', 'id'), "
                                   "(SELECT COALESCE(MAX(id), 1) FROM cards))"))
    return result
