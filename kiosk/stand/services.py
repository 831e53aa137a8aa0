"""Rules of the stand: tallies, their undo, voiding a check-in. Plain functions, no request."""

from __future__ import annotations

from .. import signals
from ..checkin.services import settle_first_seen
from ..database import begin_write
from ..extensions import db
from ..i18n import _
from ..models import AuditLog, CheckIn, Event, Tally, User, utcnow
from .queries import last_tally

TALLY_STEPS = (1, 5)
VOID_REASON_MAX = 200


class StandError(ValueError):
    """A stand rule was broken; the message is for the animateur."""


def add_tally(event: Event, *, count: int, author: User) -> Tally:
    """Count people reached on the stand who did not check in."""
    if event.status != "open":
        raise StandError(_("Les passages ne se comptent que pendant l'action ouverte."))
    if count not in TALLY_STEPS:
        raise StandError(_("On ajoute 1 ou 5 passages à la fois."))
    tally = Tally(event=event, count=count, author=author)
    db.session.add(tally)
    db.session.flush()
    signals.tally_changed.send(event.id, tally_uuid=tally.uuid)
    return tally


def undo_last_tally(event: Event, *, author: User) -> Tally:
    """Undo the author's latest tally at this event; it is kept, marked undone."""
    if event.status != "open":
        raise StandError(_("Les passages ne se comptent que pendant l'action ouverte."))
    tally = last_tally(event, author_id=author.id)
    if tally is None:
        raise StandError(_("Aucun passage à annuler."))
    tally.undone_at = utcnow()
    db.session.flush()
    signals.tally_changed.send(event.id, tally_uuid=tally.uuid)
    return tally


def void_checkin(checkin: CheckIn, *, by: User, reason: str) -> None:
    """Void a check-in made by mistake: kept, marked, excluded from every count, first seen included."""
    reason = (reason or "").strip()
    if not reason:
        raise StandError(_("Indiquez pourquoi ce passage est annulé."))
    begin_write()  # the check-in as it is now, not as the page read it: it is voided once
    db.session.refresh(checkin, with_for_update=True)
    if checkin.voided_at is not None:
        raise StandError(_("Ce passage est déjà annulé."))
    if checkin.event.status == "draft":
        raise StandError(_("Cette action n'a pas encore commencé."))
    checkin.voided_at = utcnow()
    checkin.voided_by_id = by.id
    checkin.void_reason = reason[:VOID_REASON_MAX]
    db.session.add(AuditLog(user_id=by.id, action="checkin.void",
                            detail=f"event={checkin.event.code} checkin={checkin.uuid} reason={checkin.void_reason}"))
    db.session.flush()
    moved = settle_first_seen(checkin.card_id) if checkin.card_id is not None else set()
    signals.checkin_voided.send(checkin.event_id, card_id=checkin.card_id, moved_events=sorted(moved),
                                checkin_uuid=checkin.uuid)


def merge_pushed_tally(*, tally_uuid, event_id: int, count: int, created_at, undone_at) -> None:
    """Keep a tally a stand counted (idempotent by UUID); an undo pushed later marks it undone."""
    begin_write()
    tally = db.session.execute(db.select(Tally).where(Tally.uuid == tally_uuid)).scalar()
    if tally is None:
        tally = Tally(uuid=tally_uuid, event_id=event_id, count=count, created_at=created_at)
        db.session.add(tally)
    elif tally.undone_at is not None or undone_at is None:
        return
    tally.undone_at = undone_at
    db.session.flush()
    signals.tally_changed.send(event_id, tally_uuid=tally_uuid)
