"""Merging stands' batches set-wise (checkin.merging): the central figures are one server's.

Several devices record check-ins and voids of overlapping cards at overlapping events, each at
its own times; their outbox items reach the central server in batches, the devices' batches
interleaved at random (each device's in order), a check-in sometimes carrying its void. The
figures the statistics count after merging are compared with tests.sync_support's independent
computation of what one server would have counted from the same records in time order.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest

from kiosk.checkin.merging import PushedCheckin, PushedVoid, merge_pushed
from kiosk.checkin.services import DUPLICATE_VOID_REASON, Answers
from kiosk.codes import new_card_code
from kiosk.extensions import db
from kiosk.models import Card, CheckIn, EventSummary, utcnow

from . import factories
from .sync_support import one_server_figures


def _figures(events) -> dict:
    from kiosk.stats.indicators import Filters, compute

    result = {}
    for event in events:
        ind = compute(Filters(event_id=event.id))
        if ind.participations:
            result[str(event.uuid)] = (ind.participations, ind.newcomers_first_seen, ind.distinct_cards)
    return result


def _device_records(rng, events, cards, start, count):
    """One device's outbox, oldest first: ("checkin", doc, void time or None) and ("void", uuid, time)."""
    outbox, actions = [], []
    when = start + timedelta(seconds=rng.randrange(600))
    for _ in range(count):
        when += timedelta(seconds=rng.randrange(1, 120))
        event = rng.choice(events)
        card = rng.choice(cards) if rng.random() < 0.85 else None
        checkin_uuid = uuid.uuid4()
        voided_at = when + timedelta(seconds=rng.randrange(1, 900)) if rng.random() < 0.12 else None
        actions.append((when, "checkin", str(checkin_uuid), str(event.uuid), card))
        doc = {"uuid": checkin_uuid, "event": event, "card": card, "created_at": when}
        # The void happened before the check-in was pushed (its document carries it) or after.
        carried = voided_at is not None and rng.random() < 0.5
        outbox.append(("checkin", doc, voided_at if carried else None))
        if voided_at is not None:
            actions.append((voided_at, "void", str(checkin_uuid)))
            outbox.append(("void", checkin_uuid, voided_at))
    return outbox, actions


def _item(record):
    kind, doc, voided_at = record
    if kind == "void":
        return PushedVoid(uuid=doc, voided_at=voided_at, reason="erreur")
    return PushedCheckin(uuid=doc["uuid"], event_id=doc["event"].id, created_at=doc["created_at"],
                         channel="keypad" if doc["card"] else "nocard", language="fr", card_code=doc["card"],
                         answers=Answers(first_time="yes"), voided_at=voided_at,
                         void_reason="erreur" if voided_at else None)


def _push_interleaved(rng, outboxes, *, max_batch):
    queues = [list(outbox) for outbox in outboxes]
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        size = rng.randint(1, max_batch)
        batch, queue[:size] = queue[:size], []
        merge_pushed([_item(record) for record in batch])
        db.session.commit()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_batches_from_several_devices_merge_as_one_server_would(app, seed):
    rng = random.Random(seed)
    home = factories.gen_structure()
    events = [factories.gen_event(structure=home, title=f"Action {i}") for i in range(4)]
    cards = [new_card_code() for _ in range(10)]
    start = utcnow() - timedelta(hours=3)
    outboxes, actions = [], []
    for _device in range(3):
        outbox, device_actions = _device_records(rng, events, cards, start, 60)
        outboxes.append(outbox)
        actions += device_actions
    db.session.commit()
    _push_interleaved(rng, outboxes, max_batch=25)
    expected = one_server_figures(actions)
    assert _figures(events) == expected
    # The data did hold cards counted twice at an event by two devices, and voids.
    duplicates = db.session.execute(db.select(db.func.count()).where(
        CheckIn.void_reason == DUPLICATE_VOID_REASON)).scalar_one()
    assert duplicates > 0
    # first_seen is exactly each card's earliest live check-in.
    for card in db.session.execute(db.select(Card)).scalars():
        rows = db.session.execute(db.select(CheckIn).where(CheckIn.card_id == card.id)
                                  .order_by(CheckIn.created_at, CheckIn.id)).scalars().all()
        live = [r for r in rows if r.voided_at is None]
        assert [r.first_seen for r in rows] == [bool(live) and r is live[0] for r in rows]
        assert card.last_used_at == max(r.created_at for r in rows)
    # Everything pushed again (a stand that lost its answers), in other batches: nothing moves.
    before = db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar_one()
    _push_interleaved(random.Random(seed + 100), outboxes, max_batch=60)
    assert db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar_one() == before
    assert _figures(events) == expected


def test_a_whole_history_in_one_batch_merges_as_item_by_item(app):
    rng = random.Random(7)
    home = factories.gen_structure()
    events = [factories.gen_event(structure=home, title=f"Action {i}") for i in range(3)]
    cards = [new_card_code() for _ in range(6)]
    start = utcnow() - timedelta(hours=2)
    outboxes, actions = [], []
    for _device in range(2):
        outbox, device_actions = _device_records(rng, events, cards, start, 40)
        outboxes.append(outbox)
        actions += device_actions
    db.session.commit()
    merge_pushed([_item(record) for outbox in outboxes for record in outbox])
    db.session.commit()
    assert _figures(events) == one_server_figures(actions)


def test_a_pushed_checkin_drops_the_summaries_of_settled_events_it_moves(app):
    home = factories.gen_structure()
    early, late = (factories.gen_event(structure=home, title=t) for t in ("Tôt", "Tard"))
    card = new_card_code()
    now = utcnow()
    merge_pushed([PushedCheckin(uuid=uuid.uuid4(), event_id=late.id, created_at=now - timedelta(minutes=5),
                                channel="keypad", language="fr", card_code=card)])
    for event in (early, late):
        db.session.add(EventSummary(event_id=event.id, payload="{}"))
    db.session.commit()
    # An earlier check-in of the card at another event: first seen moves there, from the late one.
    merge_pushed([PushedCheckin(uuid=uuid.uuid4(), event_id=early.id, created_at=now - timedelta(hours=1),
                                channel="keypad", language="fr", card_code=card)])
    db.session.commit()
    assert db.session.execute(db.select(db.func.count()).select_from(EventSummary)).scalar_one() == 0
    assert _figures([early, late]) == {str(early.uuid): (1, 1, 1), str(late.uuid): (1, 0, 1)}
