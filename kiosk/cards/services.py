"""Retention and erasure: what DESIGN.md's privacy rules promise residents.

Unlinking deletes the card. Its check-ins stay as anonymous participations, so every
answer still counts, but they lose what could single the resident out: the card, the
exact time (coarsened to the event's start), the children's age bands and the free-text
void reason, in the audit log too. What the card-based indicators need (distinct cards,
first seen, returns) is frozen first into card traces, so "aggregated statistics are
kept": every figure reads the same after as before.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from .. import signals
from ..codes import parse_card_code
from ..extensions import db
from ..models import AuditLog, Card, CardTrace, CheckIn, Event, User, utcnow
from ..stats import summaries

# Stored instead of a void reason once the check-in is anonymous: a reason is free text.
ERASED_REASON = "—"


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
    if dry_run:
        return report
    # Reasons typed when voiding follow the same retention, with or without a card.
    forget_void_reasons(db.session.execute(select(CheckIn.uuid).where(
        CheckIn.voided_at < cutoff, CheckIn.void_reason != ERASED_REASON)).scalars())
    if not report.cards:
        return report
    unlink_checkins(ids)
    db.session.execute(delete(Card).where(Card.id.in_(ids)))
    db.session.add(AuditLog(user=user, action="cards_purge",
                            detail=f"{report.cards} cartes, {report.checkins} passages, avant {cutoff:%Y-%m-%d}"))
    db.session.flush()
    return report


def mark_card_used(card_id: int, at: datetime) -> None:
    """Record that a card was used at this moment (a reception visit): retention counts from its last use.

    Only ever moves the last use forward, so a late or replayed record cannot shorten a card's life.
    """
    db.session.execute(update(Card).where(
        Card.id == card_id, (Card.last_used_at.is_(None)) | (Card.last_used_at < at)).values(last_used_at=at))


class UnknownCard(LookupError):
    pass


def erase_card(raw_code: str, *, user: User | None = None) -> int:
    """Erase one card on its holder's request; return how many check-ins became anonymous."""
    code = parse_card_code(raw_code)
    card = code and db.session.execute(select(Card).where(Card.code == code)).scalar_one_or_none()
    if not card:
        raise UnknownCard(raw_code)
    count = unlink_checkins(select(Card.id).where(Card.id == card.id))
    db.session.delete(card)
    # The log says that a card was erased, never which one: the code itself is personal data.
    db.session.add(AuditLog(user=user, action="card_erase", detail=f"{count} passages anonymisés"))
    db.session.flush()
    return count


def unlink_checkins(card_ids) -> int:
    """Make the check-ins of these cards (a select of ids) anonymous; return how many.

    The card's figures are frozen first into one trace per event: first seen as recorded,
    and whether the card came back within the return window (it never can again).
    """
    rows = db.session.execute(
        select(CheckIn.id, CheckIn.uuid, CheckIn.card_id, CheckIn.event_id, CheckIn.created_at,
               CheckIn.first_seen, CheckIn.voided_at)
        .where(CheckIn.card_id.in_(card_ids)).order_by(CheckIn.card_id, CheckIn.created_at)
    ).all()
    if not rows:
        return 0
    live = defaultdict(list)
    for row in rows:
        if row.voided_at is None:
            live[row.card_id].append(row)
    traces = []
    for checkins in live.values():
        key = uuid.uuid4()
        for c in checkins:
            returned = c.first_seen and any(
                o.event_id != c.event_id and c.created_at < o.created_at <= c.created_at + summaries.RETURN_WINDOW
                for o in checkins)
            traces.append({"event_id": c.event_id, "card_key": key, "first_seen": c.first_seen,
                           "returned": returned})
    if traces:
        db.session.execute(insert(CardTrace), traces)
    # The summaries would read the same; dropping them keeps the cache's rule simple.
    signals.card_unlinked.send(None, card_ids=sorted({row.card_id for row in rows}))  # the rows still name them
    forget_void_reasons([row.uuid for row in rows if row.voided_at is not None])
    ids = [row.id for row in rows]
    event_start = select(Event.starts_at).where(Event.id == CheckIn.event_id).scalar_subquery()
    for start in range(0, len(ids), 1000):
        db.session.execute(
            update(CheckIn.__table__).where(CheckIn.__table__.c.id.in_(ids[start:start + 1000]))
            .values(card_id=None, first_seen=False, created_at=event_start, childcare_age_bands="")
        )
    return len(ids)


def forget_void_reasons(checkin_uuids) -> None:
    """Replace the free-text reasons of these voided check-ins, and their copies in the audit log."""
    uuids = list(checkin_uuids)
    for start in range(0, len(uuids), 1000):
        chunk = uuids[start:start + 1000]
        db.session.execute(update(CheckIn.__table__).where(CheckIn.__table__.c.uuid.in_(chunk))
                           .values(void_reason=ERASED_REASON))
        for value in chunk:
            # The void's log line names the check-in; everything after the reason goes.
            for log in db.session.execute(select(AuditLog).where(
                    AuditLog.action == "checkin.void", AuditLog.detail.contains(f"checkin={value}"))).scalars():
                head, _sep, _reason = log.detail.partition(" reason=")
                log.detail = f"{head} reason={ERASED_REASON}"
