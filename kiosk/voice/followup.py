"""The staff's follow-up of contributions: who may see which, and every dated, attributed change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_

from .. import permissions
from ..extensions import db
from ..models import Event, Structure, User, utcnow
from .audio import delete_audio
from .models import STATUSES, Contribution, ContributionChange

REASON_REQUIRED = ("not_possible",)
PARAPHRASE_MAX = 600
ANSWER_MAX = 1000

# What looks like personal data in a resident's words: the board flags it before anyone
# paraphrases or publishes. Broad on purpose: a false flag costs a glance, a miss a leak.
_PHONE = re.compile(r"(?:\+|00)?\d(?:[\s.\-/]?\d){8,13}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
_ADDRESS = re.compile(
    r"\b\d{1,4}\s*(?:bis|ter)?\s*,?\s*(?:rue|avenue|av\.?|bd|boulevard|allée|allee|place|impasse|chemin|"
    r"route|quai|square|cours|résidence|residence|bâtiment|batiment|bat\.?|escalier|appartement|appt)\b"
    r"|\b(?:bâtiment|batiment|bât\.?|escalier|appartement|appt|porte)\s*[A-Z0-9]{1,4}\b"
    r"|\b\d{5}\s+[A-ZÉÈa-zéè]",
    re.IGNORECASE)


def privacy_flags(text: str | None) -> list[str]:
    """Return what a text seems to contain: "phone", "email", "address" (in that order)."""
    if not text:
        return []
    flags = []
    if _PHONE.search(text):
        flags.append("phone")
    if _EMAIL.search(text):
        flags.append("email")
    if _ADDRESS.search(text):
        flags.append("address")
    return flags


class FollowUpError(ValueError):
    """A change refused; the message is for the staff member, in French."""


@dataclass(frozen=True)
class BoardFilters:
    neighbourhood_id: int | None = None
    topic_id: int | None = None
    status: str | None = None
    structure_id: int | None = None  # the event's structure or the one it is assigned to
    initiative: bool = False


def visible_contributions(user: User):
    """Select the contributions a staff member may read (rule: permissions.contributions_condition)."""
    query = db.select(Contribution).join(Event, Event.id == Contribution.event_id)
    return query.where(permissions.contributions_condition(user, Contribution))


def can_read(user: User, contribution: Contribution) -> bool:
    return permissions.can_read_contribution(user, contribution)


def board(user: User, filters: BoardFilters, *, limit: int = 200) -> list[Contribution]:
    """Return the contributions on a staff member's board, newest first."""
    query = visible_contributions(user)
    if filters.neighbourhood_id:
        query = query.where(Event.neighbourhood_id == filters.neighbourhood_id)
    if filters.topic_id:
        query = query.where(Contribution.topic_id == filters.topic_id)
    if filters.status in STATUSES:
        query = query.where(Contribution.status == filters.status)
    if filters.structure_id:
        query = query.where(or_(Event.structure_id == filters.structure_id,
                                Contribution.assigned_structure_id == filters.structure_id))
    if filters.initiative:
        query = query.where(Contribution.initiative.is_(True))
    return list(db.session.execute(query.order_by(Contribution.created_at.desc()).limit(limit)).scalars())


def _log(contribution: Contribution, user: User | None, action: str, detail: str = "") -> None:
    contribution.changes.append(ContributionChange(
        user_id=user.id if user else None, action=action, status=contribution.status, detail=detail[:300],
        created_at=utcnow()))


def change_status(contribution: Contribution, status: str, *, user: User | None, reason: str = "") -> None:
    """Move a contribution to a status; "pas possible" needs its reason."""
    reason = " ".join((reason or "").split())[:300]
    if status not in STATUSES:
        raise FollowUpError("Ce statut n'existe pas.")
    if status in REASON_REQUIRED and not reason:
        raise FollowUpError("Dites pourquoi ce n'est pas possible : la raison sera publiée avec la réponse.")
    if status == contribution.status and reason == (contribution.status_reason or ""):
        return
    now = utcnow()
    contribution.status = status
    contribution.status_reason = reason or None
    # DESIGN.md: the first answer is the first status change after "reçue".
    if status != "received" and contribution.first_answer_at is None:
        contribution.first_answer_at = now
    if status == "done" and contribution.done_at is None:
        contribution.done_at = now
    _log(contribution, user, "status", reason)


def assign(contribution: Contribution, structure: Structure | None, *, user: User | None) -> None:
    """Hand a contribution to a partner structure or city service (or take it back)."""
    if (structure.id if structure else None) == contribution.assigned_structure_id:
        return
    contribution.assigned_structure_id = structure.id if structure else None
    _log(contribution, user, "assign", structure.name if structure else "—")
    if structure is not None and contribution.status == "received":
        change_status(contribution, "transmitted", user=user)


def transcribe(contribution: Contribution, transcript: str, *, user: User | None) -> None:
    """Keep the staff's transcription (and translation) of a voice message, then delete the audio."""
    transcript = (transcript or "").strip()
    if not transcript:
        raise FollowUpError("Écrivez la transcription avant de valider.")
    contribution.transcript = transcript[:5000]
    had_file = contribution.audio_file is not None
    delete_audio(contribution)
    _log(contribution, user, "transcribe", "message vocal supprimé" if had_file else "")


def write_answer(contribution: Contribution, *, paraphrase: str, answer: str, user: User | None) -> None:
    """Keep the staff's paraphrase (what is published instead of the resident's words) and answer."""
    paraphrase = (paraphrase or "").strip()
    answer = (answer or "").strip()
    if len(paraphrase) > PARAPHRASE_MAX or len(answer) > ANSWER_MAX:
        raise FollowUpError(f"Au plus {PARAPHRASE_MAX} caractères pour la reformulation, {ANSWER_MAX} pour la réponse.")
    if (paraphrase or None, answer or None) == (contribution.paraphrase, contribution.answer):
        return
    contribution.paraphrase = paraphrase or None
    contribution.answer = answer or None
    if not paraphrase and contribution.published:
        contribution.published = False
        _log(contribution, user, "unpublish", "reformulation effacée")
    _log(contribution, user, "answer")


def set_published(contribution: Contribution, published: bool, *, user: User | None) -> None:
    """Publish a contribution's paraphrase and answer on the neighbourhood page, or withdraw them."""
    if published and not contribution.paraphrase:
        raise FollowUpError("Rien n'est publié sans une reformulation écrite par l'équipe.")
    if published == contribution.published:
        return
    contribution.published = published
    _log(contribution, user, "publish" if published else "unpublish")
