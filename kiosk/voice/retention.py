"""Residents' words follow the card retention rule: kept RETENTION_MONTHS, then forgotten."""

from __future__ import annotations

from datetime import datetime

from ..cards.services import months_before
from ..extensions import db
from ..models import utcnow
from .audio import delete_audio
from .models import Contribution, ContributionChange


def forget_old_words(*, months: int, now: datetime | None = None, dry_run: bool = False) -> int:
    """Blank the resident's own text and its transcript after ``months``; return how many.

    The staff's paraphrase, the status, its history and the answer stay: they are the
    follow-up, not the resident's words. The card link goes too.
    """
    cutoff = months_before(now or utcnow(), months)
    rows = list(db.session.execute(db.select(Contribution).where(
        Contribution.created_at < cutoff,
        (Contribution.text.is_not(None)) | (Contribution.transcript.is_not(None))
        | (Contribution.audio_file.is_not(None)) | (Contribution.card_id.is_not(None)))).scalars())
    if dry_run:
        return len(rows)
    for contribution in rows:
        contribution.text = None
        contribution.transcript = None
        contribution.card_id = None
        delete_audio(contribution)
        contribution.changes.append(ContributionChange(action="forgotten", status=contribution.status,
                                                       detail=f"texte effacé après {months} mois"))
    db.session.flush()
    return len(rows)
