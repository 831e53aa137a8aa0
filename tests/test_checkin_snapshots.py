"""The kiosk's short-lived copies of events and neighbourhoods: fresh after a change, never trusted by a write."""

import time
from html import unescape

from kiosk.checkin.services import EVENT_CLOSED, RECORDED
from kiosk.checkin.snapshots import NeighbourhoodSnapshot, SnapshotCache
from kiosk.events.services import close_event
from kiosk.extensions import db
from kiosk.models import Event
from kiosk.places.services import save_neighbourhood

from .factories_checkin import checkins, gen_kiosk_setup, kiosk_resident, record


def _set_status_behind_the_orm(event, status):
    """Change the row as another server process would: no ORM flush in this one."""
    db.session.execute(db.update(Event).where(Event.id == event.id).values(status=status),
                       execution_options={"synchronize_session": False})
    db.session.commit()


def test_a_snapshot_holds_what_the_screens_need(app):
    _user, event = gen_kiosk_setup(express_mode=True, interpreter_languages="ar,tr")
    snapshot = SnapshotCache().event(event.code)
    assert (snapshot.id, snapshot.code, snapshot.title) == (event.id, event.code, event.title)
    assert snapshot.is_open and snapshot.express_mode and snapshot.language_codes == ("ar", "tr")
    assert SnapshotCache().event("ZZZZZZ") is None


def test_a_change_committed_here_drops_every_copy_at_once(app):
    _user, event = gen_kiosk_setup()
    cache = SnapshotCache(seconds=3600)
    assert cache.event(event.code).is_open
    close_event(event)
    assert cache.event(event.code).is_open, "not committed yet: the copy may stay"
    db.session.commit()
    assert cache.event(event.code).status == "closed"


def test_a_change_from_another_process_is_seen_once_the_copy_expires(app):
    _user, event = gen_kiosk_setup()
    cache = SnapshotCache(seconds=0.2)
    assert cache.event(event.code).is_open
    _set_status_behind_the_orm(event, "closed")
    assert cache.event(event.code).is_open  # this process was not told: the copy is still fresh
    time.sleep(0.25)
    assert cache.event(event.code).status == "closed"


def test_a_neighbourhood_added_here_is_offered_at_once(app):
    cache = SnapshotCache(seconds=3600)
    before = cache.qpv_neighbourhoods()
    added = save_neighbourhood(None, name="Les Tilleuls", commune="Tours", code=None, is_qpv=True, active=True)
    assert cache.qpv_neighbourhoods() == before, "not committed yet: the copy may stay"
    db.session.commit()
    assert NeighbourhoodSnapshot(added.id, "Les Tilleuls") in cache.qpv_neighbourhoods()


def test_a_copy_read_while_a_change_commits_is_not_kept(app, monkeypatch):
    _user, event = gen_kiosk_setup()
    cache = SnapshotCache(seconds=3600)
    read = db.session.execute

    def read_then_another_thread_commits(*args, **kwargs):
        result = read(*args, **kwargs)
        cache.clear()  # what a commit touching an event does, between our read and our keeping it
        return result

    monkeypatch.setattr(db.session, "execute", read_then_another_thread_commits)
    assert cache.event(event.code).is_open
    monkeypatch.undo()
    _set_status_behind_the_orm(event, "closed")
    # Had the copy been kept, it would be served for the next hour.
    assert cache.event(event.code).status == "closed"


def test_a_write_reads_the_status_itself_and_refuses_a_closed_event(app):
    _user, event = gen_kiosk_setup()
    snapshot = SnapshotCache().event(event.code)
    _set_status_behind_the_orm(event, "closed")
    assert snapshot.is_open
    assert record(snapshot).outcome == EVENT_CLOSED
    assert checkins(event) == []


def test_a_write_through_a_snapshot_records_as_through_the_event(app):
    _user, event = gen_kiosk_setup()
    assert record(SnapshotCache().event(event.code)).outcome == RECORDED
    assert len(checkins(event)) == 1


def test_an_event_closed_by_another_process_mid_flow_refuses_the_last_answer(client):
    kiosk = kiosk_resident(client, express_mode=False)
    assert kiosk.page().status_code == 200  # the page was loaded while the event was open
    _set_status_behind_the_orm(kiosk.event, "closed")
    response = kiosk.submit({"card_offer": "no"}, lang="en")
    assert response.status_code == 410
    assert "This stand is closed" in unescape(response.text)
    assert checkins(kiosk.event) == []
    with client.session_transaction() as session:
        assert "flow" not in session and "done" not in session
