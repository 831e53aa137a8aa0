"""Rules of activities and orientations: plain functions, no request inside."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, select

from ..extensions import db
from ..i18n import _
from ..models import Card, CheckIn, Event, Structure, User, event_partners, utcnow
from .models import ORIENTATION_SOURCES, Activity, Orientation

# How long after a check-in its resident may still answer the orientation question on the kiosk.
RESIDENT_WINDOW = timedelta(minutes=15)


class OrientationError(ValueError):
    """An orientation that cannot be recorded; the message is for the person who asked."""


def can_manage_structure(user: User, structure_id: int) -> bool:
    """Its own staff and the coordinators of its city (the rule: permissions.can_manage_structure)."""
    from ..permissions import can_manage_structure as rule

    return rule(user, structure_id)


def activities_of(structure_id: int, *, active_only: bool = True) -> list[Activity]:
    query = select(Activity).where(Activity.structure_id == structure_id)
    if active_only:
        query = query.where(Activity.active.is_(True))
    return list(db.session.execute(query.order_by(Activity.active.desc(), Activity.name)).scalars())


def save_activity(item: Activity | None, structure: Structure, *, name: str, schedule: str = "",
                  address: str = "", public: str = "", free: bool = True, active: bool = True) -> Activity:
    """Create an activity of a structure (item None) or change one; the caller commits."""
    item = item or Activity(structure_id=structure.id)
    item.name = name.strip()
    item.schedule = (schedule or "").strip()
    item.address = (address or "").strip()
    item.public = (public or "").strip()
    item.free = bool(free)
    item.active = bool(active)
    db.session.add(item)
    db.session.flush()
    return item


def structures_for_event(event_id: int) -> list[Structure]:
    """Active structures a stand may orient to: the event's own and partners first, then its neighbourhood's."""
    event = db.session.get(Event, event_id)
    partners = select(event_partners.c.structure_id).where(event_partners.c.event_id == event_id)
    rank = case(
        (Structure.id == event.structure_id, 0), (Structure.id.in_(partners), 1),
        (Structure.neighbourhood_id == event.neighbourhood_id, 2), else_=3)
    return list(db.session.execute(
        select(Structure).where(Structure.active.is_(True)).order_by(rank, Structure.name)).scalars())


def checkin_by_uuid(value: uuid_module.UUID | str) -> CheckIn | None:
    try:
        key = value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        return None
    return db.session.execute(select(CheckIn).where(CheckIn.uuid == key)).scalar_one_or_none()


def resident_may_orient(checkin: CheckIn | None, event_id: int, *, now=None) -> bool:
    """Say whether the resident at the kiosk may still orient this check-in (theirs, just made)."""
    now = now or utcnow()
    return (checkin is not None and checkin.event_id == event_id and checkin.voided_at is None
            and now - checkin.created_at <= RESIDENT_WINDOW)


def orient(checkin: CheckIn, structure_id: int | None, activity_id: int | None = None, *,
           source: str = "animateur", author: User | None = None) -> Orientation:
    """Record that this participation was pointed to a structure (and maybe one of its activities).

    One orientation per participation and structure: orienting again changes its activity.
    Raise OrientationError for a voided check-in, an unknown or inactive structure, or an
    activity that is not one of the structure's active ones. The caller commits.
    """
    if source not in ORIENTATION_SOURCES:
        raise OrientationError(_("Origine de l'orientation inconnue."))
    if checkin.voided_at is not None:
        raise OrientationError(_("Ce passage a été annulé : il ne peut pas être orienté."))
    structure = db.session.get(Structure, structure_id) if structure_id else None
    if structure is None:
        raise OrientationError(_("Choisissez une structure dans la liste."))
    if not structure.active:
        raise OrientationError(_("La structure « %(name)s » est désactivée : choisissez-en une autre.",
                                 name=structure.name))
    activity = None
    if activity_id:
        activity = db.session.get(Activity, activity_id)
        if activity is None or activity.structure_id != structure.id or not activity.active:
            raise OrientationError(_("Cette activité n'est pas proposée par cette structure."))
    item = db.session.execute(select(Orientation).where(
        Orientation.checkin_id == checkin.id, Orientation.structure_id == structure.id)).scalar_one_or_none()
    if item is None:
        item = Orientation(checkin_id=checkin.id, structure_id=structure.id, source=source,
                           author_id=author.id if author else None)
        db.session.add(item)
    if activity is not None or item.activity_id is None:
        item.activity_id = activity.id if activity else None
    db.session.flush()
    return item


def orientation_by_uuid(value) -> Orientation | None:
    try:
        key = value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        return None
    return db.session.execute(select(Orientation).where(Orientation.uuid == key)).scalar_one_or_none()


@dataclass(frozen=True)
class Slip:
    """What an orientation slip shows: where to go, when, and the resident's card if any."""

    structure: str
    activity: str | None
    address: str
    schedule: str
    public: str
    free: bool | None
    card_code: str | None
    language: str


def slip_for(orientation: Orientation) -> Slip:
    checkin = orientation.checkin
    card = db.session.get(Card, checkin.card_id) if checkin.card_id else None
    activity = orientation.activity
    structure = orientation.structure
    neighbourhood = structure.neighbourhood
    fallback_address = str(neighbourhood) if neighbourhood else ""
    return Slip(
        structure=structure.name,
        activity=activity.name if activity else None,
        address=(activity.address if activity and activity.address else fallback_address),
        schedule=activity.schedule if activity else "",
        public=activity.public if activity else "",
        free=activity.free if activity else None,
        card_code=card.code if card else None,
        language=checkin.language or "fr",
    )


def recent_participations(event_id: int, limit: int = 6) -> list[tuple[CheckIn, list[Orientation]]]:
    """The latest live check-ins of an event, each with its orientations, for the live view."""
    rows = list(db.session.execute(
        select(CheckIn).where(CheckIn.event_id == event_id, CheckIn.voided_at.is_(None))
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()).limit(limit)).scalars())
    oriented: dict[int, list[Orientation]] = {c.id: [] for c in rows}
    if rows:
        for item in db.session.execute(select(Orientation).where(Orientation.checkin_id.in_(oriented))).scalars():
            oriented[item.checkin_id].append(item)
    return [(c, oriented[c.id]) for c in rows]
