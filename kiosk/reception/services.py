"""Rules of a structure's reception: record a visit, recognise a card met outside the walls.

A visit is never a check-in: it lives in its own table, counts in no outreach indicator,
and only the conversion and structure-profile indicators (stats/conversion.py) read it.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import signals
from ..cards.services import mark_card_used
from ..codes import parse_card_code
from ..extensions import db
from ..i18n import _
from ..models import AGE_BANDS, GENDERS, SKIP, Card, CheckIn, Event, Neighbourhood, Structure, utcnow
from ..orientation.models import Activity, Orientation
from .models import VISIT_KINDS, Visit

# The same card at the same reception within this delay is one visit recorded twice.
DUPLICATE_WINDOW = timedelta(minutes=1)
RECORDED = "recorded"
DUPLICATE = "duplicate"


class ReceptionError(ValueError):
    """A visit that cannot be recorded; the message is for the reception staff."""


@dataclass
class Profile:
    """The optional profile answers, as the kiosk asks them (None: not asked, SKIP: skipped)."""

    age_band: str | None = None
    gender: str | None = None
    residence: str | None = None  # "neighbourhood", "other" or SKIP
    residence_neighbourhood_id: int | None = None


@dataclass
class CardHistory:
    """What the reception learns of a card: met outside the walls, oriented here, seen here before."""

    first_checkin_at: datetime | None = None
    first_neighbourhood: str | None = None
    outreach_participations: int = 0
    orientations_here: list[str] = field(default_factory=list)  # activity names, or "" for the structure
    visits_here: int = 0

    @property
    def met_outside(self) -> bool:
        return self.first_checkin_at is not None


@dataclass
class VisitResult:
    outcome: str
    visit: Visit
    history: CardHistory | None


def parse_profile(age_band: str | None, gender: str | None, residence: str | None) -> Profile:
    """Read the optional answers of the reception form; raise ReceptionError for a value not offered."""
    profile = Profile()
    if age_band:
        if age_band not in AGE_BANDS:
            raise ReceptionError(_("Tranche d'âge inconnue."))
        profile.age_band = age_band
    if gender:
        if gender not in GENDERS:
            raise ReceptionError(_("Réponse inconnue pour le genre."))
        profile.gender = gender
    if residence:
        if residence in ("other", SKIP):
            profile.residence = residence
        elif residence.startswith("n:") and residence[2:].isascii() and residence[2:].isdecimal() \
                and len(residence) < 14:
            neighbourhood = db.session.get(Neighbourhood, int(residence[2:]))
            if neighbourhood is None or not neighbourhood.active:
                raise ReceptionError(_("Quartier inconnu."))
            profile.residence, profile.residence_neighbourhood_id = "neighbourhood", neighbourhood.id
        else:
            raise ReceptionError(_("Quartier inconnu."))
    return profile


def find_card(raw: str) -> Card:
    """Return the card a scanned or typed code names; raise ReceptionError if it is not one we know."""
    code = parse_card_code(raw)
    if code is None:
        raise ReceptionError(_("Ce code n'est pas un code de carte valide. "
                               "Vérifiez-le ou enregistrez la visite sans carte."))
    card = db.session.execute(select(Card).where(Card.code == code)).scalar_one_or_none()
    if card is None:
        raise ReceptionError(_("Cette carte n'est pas connue : elle n'a jamais servi sur un stand. "
                               "Enregistrez la visite sans carte."))
    return card


def card_history(card_id: int, structure_id: int) -> CardHistory:
    """Say where this card was first met outside the walls and whether it was oriented here."""
    history = CardHistory()
    live = (CheckIn.card_id == card_id, CheckIn.voided_at.is_(None))
    first = db.session.execute(
        select(CheckIn.created_at, Neighbourhood.name).join(Event, Event.id == CheckIn.event_id)
        .join(Neighbourhood, Neighbourhood.id == Event.neighbourhood_id)
        .where(*live).order_by(CheckIn.created_at).limit(1)).first()
    if first is not None:
        history.first_checkin_at, history.first_neighbourhood = first
        history.outreach_participations = db.session.execute(
            select(func.count()).select_from(CheckIn).where(*live)).scalar_one()
    history.orientations_here = [name or "" for (name,) in db.session.execute(
        select(Activity.name).select_from(Orientation).join(CheckIn, CheckIn.id == Orientation.checkin_id)
        .outerjoin(Activity, Activity.id == Orientation.activity_id)
        .where(*live, Orientation.structure_id == structure_id).order_by(Orientation.created_at))]
    history.visits_here = db.session.execute(select(func.count()).select_from(Visit).where(
        Visit.card_id == card_id, Visit.structure_id == structure_id)).scalar_one()
    return history


def record_visit(structure_id: int, *, visit_uuid: uuid_module.UUID, card_code: str | None, kind: str,
                 activity_id: int | None = None, profile: Profile | None = None, user_id: int | None = None,
                 now: datetime | None = None) -> VisitResult:
    """Record one visit at a structure's reception; the caller commits.

    Idempotent by its uuid (a form sent twice), and the same card at the same reception
    within DUPLICATE_WINDOW is the visit already recorded: nothing is stored again.
    Raise ReceptionError for an inactive structure, an unknown kind, activity or card.
    """
    now = now or utcnow()
    structure = db.session.get(Structure, structure_id)
    if structure is None or not structure.active:
        raise ReceptionError(_("Cette structure est désactivée : l'accueil ne peut pas enregistrer de visite."))
    if kind not in VISIT_KINDS:
        raise ReceptionError(_("Choisissez le type de visite."))
    if activity_id is not None:
        activity = db.session.get(Activity, activity_id)
        if activity is None or activity.structure_id != structure.id:
            raise ReceptionError(_("Cette activité n'est pas proposée par cette structure."))
    card = find_card(card_code) if card_code and card_code.strip() else None
    same = db.session.execute(select(Visit).where(Visit.uuid == visit_uuid)).scalar_one_or_none()
    if same is not None:
        if same.structure_id != structure.id:
            raise ReceptionError(_("Ce formulaire a déjà servi ailleurs. Rechargez la page."))
        return VisitResult(DUPLICATE, same, card_history(card.id, structure.id) if card else None)
    if card is not None:
        recent = db.session.execute(select(Visit).where(
            Visit.card_id == card.id, Visit.structure_id == structure.id,
            Visit.created_at > now - DUPLICATE_WINDOW).order_by(Visit.created_at.desc()).limit(1)).scalar_one_or_none()
        if recent is not None:
            return VisitResult(DUPLICATE, recent, card_history(card.id, structure.id))
    profile = profile or Profile()
    visit = Visit(uuid=visit_uuid, structure_id=structure.id, card_id=card.id if card else None, created_at=now,
                  kind=kind, activity_id=activity_id, age_band=profile.age_band, gender=profile.gender,
                  residence=profile.residence, residence_neighbourhood_id=profile.residence_neighbourhood_id,
                  recorded_by_id=user_id)
    db.session.add(visit)
    if card is not None:
        mark_card_used(card.id, now)  # a card seen only at receptions stays alive as long as it is used
    db.session.flush()
    signals.visit_recorded.send(structure.id, at=now)
    return VisitResult(RECORDED, visit, card_history(card.id, structure.id) if card else None)


def visits_today(structure_id: int, *, since: datetime, limit: int = 30) -> list[Visit]:
    """This structure's latest visits since a moment: a reception never lists another structure's."""
    return list(db.session.execute(
        select(Visit).where(Visit.structure_id == structure_id, Visit.created_at >= since)
        .order_by(Visit.created_at.desc(), Visit.id.desc()).limit(limit)).scalars())
