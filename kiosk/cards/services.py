"""Retention and erasure: what DESIGN.md's privacy rules promise residents.

Unlinking deletes the card; its check-ins stay, anonymous (card_id NULL). Their first-seen
flag was fixed when they were made and is kept, so published figures do not move.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from .. import signals
from ..codes import parse_card_code
from ..extensions import db
from ..models import AuditLog, Card, CheckIn, User, utcnow


def months_before(moment: datetime, months: int) -> datetime:
    """Return the same day `months` calendar months earlier (clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class PurgeReport:
    cutoff: datetime
    cards: int
    checkins: int


def expired_cards_query(cutoff: datetime):
    # A card never used (printed, never scanned) has no last use: its creation date counts.
    last_use = func.coalesce(Card.last_used_at, Card.created_at)
    return select(Card.id).where(last_use < cutoff)


def purge_unused_cards(*, months: int, now: datetime | None = None, dry_run: bool = False,
                       user: User | None = None) -> PurgeReport:
    """Unlink every card unused for `months` months from its check-ins."""
    cutoff = months_before(now or utcnow(), months)
    ids = expired_cards_query(cutoff)
    report = PurgeReport(
        cutoff=cutoff,
        cards=db.session.execute(select(func.count()).select_from(ids.subquery())).scalar_one(),
        checkins=db.session.execute(
            select(func.count()).select_from(CheckIn).where(CheckIn.card_id.in_(ids))
        ).scalar_one(),
    )
    if dry_run or not report.cards:
        return report
    signals.card_unlinked.send(None, card_ids=ids)  # before: the check-ins still name the cards
    db.session.execute(CheckIn.__table__.update().where(CheckIn.card_id.in_(ids)).values(card_id=None))
    db.session.execute(delete(Card).where(Card.id.in_(ids)))
    db.session.add(AuditLog(user=user, action="cards_purge",
                            detail=f"{report.cards} cartes, {report.checkins} passages, avant {cutoff:%Y-%m-%d}"))
    db.session.flush()
    return report


class UnknownCard(LookupError):
    pass


def erase_card(raw_code: str, *, user: User | None = None) -> int:
    """Erase one card on its holder's request; return how many check-ins became anonymous."""
    code = parse_card_code(raw_code)
    card = code and db.session.execute(select(Card).where(Card.code == code)).scalar_one_or_none()
    if not card:
        raise UnknownCard(raw_code)
    signals.card_unlinked.send(None, card_ids=[card.id])  # before: the check-ins still name the card
    count = db.session.execute(
        CheckIn.__table__.update().where(CheckIn.card_id == card.id).values(card_id=None)
    ).rowcount
    db.session.delete(card)
    # The log says that a card was erased, never which one: the code itself is personal data.
    db.session.add(AuditLog(user=user, action="card_erase", detail=f"{count} passages anonymisés"))
    db.session.flush()
    return count
