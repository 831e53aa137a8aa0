"""A check-in is one transaction from its first read to its commit, on SQLite and PostgreSQL.

Real threads, each with its own application context (its own session and connection), as
two tablets, or a tablet and the animateur's phone, are. To make the race happen every time,
one check-in is held just before its first write, with everything read, while the other
side acts; then it goes on.
"""

from __future__ import annotations

import itertools
import threading
import uuid

from sqlalchemy import event as sa_event

from kiosk.checkin.services import EVENT_CLOSED, RECORDED, Answers, record_checkin
from kiosk.events.services import close_event
from kiosk.extensions import db
from kiosk.models import Card, CheckIn, Event, utcnow

from .factories import gen_event
from .factories_checkin import gen_kiosk_setup, new_card_code, record

# How long the held check-in lets the other side act. When the check-in is one transaction
# the other side cannot finish meanwhile (it waits for the lock): the hold just runs out.
HOLD_SECONDS = 1.5
JOIN_SECONDS = 30
_names = itertools.count()


class Thread:
    """work() in a thread with its own application context; its result or its exception kept."""

    def __init__(self, app, work, *, done: threading.Event | None = None):
        self.result = self.error = None
        self.name = f"tablet-{next(_names)}"

        def run():
            with app.app_context():
                try:
                    self.result = work()
                except Exception as exc:  # noqa: BLE001 - the test reports it
                    self.error = exc
                finally:
                    db.session.remove()
                    if done is not None:
                        done.set()

        self.thread = threading.Thread(target=run, name=self.name, daemon=True)

    def start(self) -> Thread:
        self.thread.start()
        return self

    def join(self):
        self.thread.join(JOIN_SECONDS)
        assert not self.thread.is_alive(), f"{self.name} never ended"
        if self.error is not None:
            raise self.error
        return self.result


def hold_before_first_write(thread_name: str, other_side_done: threading.Event) -> threading.Event:
    """Hold that thread just before its first INSERT until the other side is done (or the hold runs out)."""
    held = threading.Event()

    def before(_conn, _cursor, statement, *_args):
        if (threading.current_thread().name == thread_name and not held.is_set()
                and statement.lstrip().upper().startswith("INSERT")):
            held.set()
            other_side_done.wait(HOLD_SECONDS)

    sa_event.listen(db.engine, "before_cursor_execute", before)
    return held


def checkin_at(event_id: int, code: str | None):
    def work():
        outcome = record_checkin(db.session.get(Event, event_id), checkin_uuid=uuid.uuid4(), channel="keypad",
                                 language="fr", card_code=code, answers=Answers()).outcome
        db.session.commit()  # as the request does once record_checkin returns
        return outcome
    return work


def count_checkins(event_id: int) -> int:
    return db.session.execute(db.select(db.func.count(CheckIn.id)).where(CheckIn.event_id == event_id)).scalar()


def card_checkins(code: str) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.execute(db.select(CheckIn).join(Card).where(Card.code == code)).scalars())


def test_a_check_in_racing_the_close_counts_before_it_or_is_refused(app):
    _user, event = gen_kiosk_setup()
    event_id = event.id
    closed = threading.Event()
    tablet = Thread(app, checkin_at(event_id, None))
    held = hold_before_first_write(tablet.name, closed)
    tablet.start()
    assert held.wait(JOIN_SECONDS)

    def close_then_count():
        close_event(db.session.get(Event, event_id))
        db.session.commit()
        return count_checkins(event_id)  # what the report shows right after the close

    closer = Thread(app, close_then_count, done=closed).start()
    counted_at_close = closer.join()
    outcome = tablet.join()

    db.session.expire_all()
    event = db.session.get(Event, event_id)
    rows = list(db.session.execute(db.select(CheckIn).where(CheckIn.event_id == event_id)).scalars())
    assert event.status == "closed"
    assert outcome in (RECORDED, EVENT_CLOSED)
    assert len(rows) == (1 if outcome == RECORDED else 0)
    assert count_checkins(event_id) == counted_at_close, "the closed event's figures changed after its close"
    assert all(row.created_at <= event.closed_at for row in rows), "a check-in was recorded after the close"


def test_two_first_uses_of_one_new_card_at_once_count_one_first_seen(app):
    _user, one = gen_kiosk_setup()
    other = gen_event(structure=one.structure)
    db.session.commit()
    code = new_card_code()
    other_done = threading.Event()
    first = Thread(app, checkin_at(one.id, code))
    held = hold_before_first_write(first.name, other_done)
    first.start()
    assert held.wait(JOIN_SECONDS)
    second = Thread(app, checkin_at(other.id, code), done=other_done).start()

    assert (first.join(), second.join()) == (RECORDED, RECORDED)
    rows = card_checkins(code)
    assert len(rows) == 2
    assert sum(row.first_seen for row in rows) == 1
    assert next(row for row in rows if row.first_seen).created_at == min(row.created_at for row in rows)


def test_two_first_uses_of_a_card_whose_only_check_in_was_voided_count_one_first_seen(app):
    _user, one = gen_kiosk_setup()
    other, trial = gen_event(structure=one.structure), gen_event(structure=one.structure)
    code = new_card_code()
    record(trial, code).checkin.voided_at = utcnow()  # "essai du kiosque"
    db.session.commit()
    other_done = threading.Event()
    first = Thread(app, checkin_at(one.id, code))
    held = hold_before_first_write(first.name, other_done)
    first.start()
    assert held.wait(JOIN_SECONDS)
    second = Thread(app, checkin_at(other.id, code), done=other_done).start()

    assert (first.join(), second.join()) == (RECORDED, RECORDED)
    live = [row for row in card_checkins(code) if row.voided_at is None]
    assert len(live) == 2
    assert sum(row.first_seen for row in live) == 1


def test_many_tablets_at_once_count_each_card_once_per_event_and_first_seen_once(app):
    """Six tablets at three events, the same ten cards: no error, no double count, one first seen."""
    _user, event = gen_kiosk_setup()
    events = [event.id, gen_event(structure=event.structure).id, gen_event(structure=event.structure).id]
    db.session.commit()
    codes = [new_card_code() for _ in range(10)]

    def tablet(n):
        def work():
            outcomes = []
            for i in range(12):
                event_id = events[(n + i) % len(events)]
                outcomes.append(checkin_at(event_id, codes[(n * 7 + i) % len(codes)])())
                outcomes.append(checkin_at(event_id, None)())
            return outcomes
        return work

    threads = [Thread(app, tablet(n)).start() for n in range(6)]
    outcomes = [outcome for thread in threads for outcome in thread.join()]

    db.session.expire_all()
    rows = list(db.session.execute(db.select(CheckIn)).scalars())
    assert len(rows) == outcomes.count(RECORDED)
    with_card = [(row.event_id, row.card_id) for row in rows if row.card_id is not None]
    assert len(with_card) == len(set(with_card))
    for card_id in {card for _event, card in with_card}:
        assert sum(row.first_seen for row in rows if row.card_id == card_id) == 1
