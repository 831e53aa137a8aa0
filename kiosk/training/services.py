"""Rules of training sessions and network meetings, and their indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..i18n import _
from ..models import Structure, User
from .models import PARTICIPANT_ROLES, SESSION_KINDS, TrainingAttendance, TrainingSession

MAX_ATTENDANCE_ROWS = 8


class TrainingError(ValueError):
    """A session that cannot be recorded as given; the message is for the coordinator."""


@dataclass(frozen=True)
class Attendance:
    structure_id: int | None
    role: str
    count: int


def save_session(item: TrainingSession | None, *, kind: str, theme: str, starts_on: date | None,
                 ends_on: date | None, hours: float | None, attendances: list[Attendance], notes: str = "",
                 author: User | None = None) -> TrainingSession:
    """Create or change a session with its participants by structure and role; the caller commits.

    Raise TrainingError, storing nothing, for dates out of order, no or impossible hours, an
    unknown kind, role or structure, or a negative count.
    """
    if kind not in SESSION_KINDS:
        raise TrainingError(_("Choisissez formation ou réunion du réseau."))
    if not (theme or "").strip():
        raise TrainingError(_("Indiquez le thème."))
    if starts_on is None or ends_on is None:
        raise TrainingError(_("Indiquez les dates de début et de fin."))
    if ends_on < starts_on:
        raise TrainingError(_("La date de fin (%(end)s) est avant la date de début (%(start)s).",
                              end=ends_on.strftime("%d/%m/%Y"), start=starts_on.strftime("%d/%m/%Y")))
    days = (ends_on - starts_on).days + 1
    if hours is None or not 0 < hours <= 24 * days:
        raise TrainingError(_("La durée doit être comprise entre 0 et %(n)s heures.", n=24 * days))
    for row in attendances:
        if row.role not in PARTICIPANT_ROLES:
            raise TrainingError(_("Rôle inconnu."))
        if row.count < 0 or row.count > 10_000:
            raise TrainingError(_("Le nombre de participants doit être positif."))
        if row.structure_id is not None and db.session.get(Structure, row.structure_id) is None:
            raise TrainingError(_("Structure inconnue."))
    item = item or TrainingSession(created_by_id=author.id if author else None)
    item.kind, item.theme, item.notes = kind, theme.strip(), (notes or "").strip()
    item.starts_on, item.ends_on, item.hours = starts_on, ends_on, float(hours)
    item.attendances = [TrainingAttendance(structure_id=r.structure_id, role=r.role, count=r.count)
                        for r in attendances if r.count]
    db.session.add(item)
    db.session.flush()
    return item


@dataclass
class TrainingFigures:
    """Indicators of the training plan over a period (DESIGN.md "formations")."""

    sessions: int = 0
    network_meetings: int = 0
    hours: float = 0.0  # hours of sessions held (not multiplied by participants)
    person_hours: float = 0.0
    people_trained: int = 0  # attendances at training sessions (one person at two sessions counts twice)
    network_attendances: int = 0
    structures: int = 0  # distinct structures represented, at sessions or meetings
    by_role: dict[str, int] | None = None


def training_figures(start: date, end: date) -> TrainingFigures:
    """Compute the training and network indicators for sessions starting between start and end (included)."""
    rows = list(db.session.execute(select(TrainingSession).where(
        TrainingSession.starts_on >= start, TrainingSession.starts_on <= end)).scalars())
    figures = TrainingFigures(by_role=dict.fromkeys(PARTICIPANT_ROLES, 0))
    for item in rows:
        people = item.participants
        if item.kind == "training":
            figures.sessions += 1
            figures.hours += item.hours
            figures.people_trained += people
            figures.person_hours += item.hours * people
        else:
            figures.network_meetings += 1
            figures.network_attendances += people
        for a in item.attendances:
            figures.by_role[a.role] += a.count
    ids = [item.id for item in rows]
    if ids:
        figures.structures = db.session.execute(select(func.count(func.distinct(TrainingAttendance.structure_id)))
                                                .where(TrainingAttendance.session_id.in_(ids))).scalar_one()
    return figures
