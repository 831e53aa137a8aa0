"""Stands and the central server, over real sockets: enrolment, pull, push, merging like one server."""

from __future__ import annotations

import json
import os
import random
import stat
import uuid
from datetime import timedelta

import pytest

from kiosk.auth.services import authenticate
from kiosk.checkin.services import Answers, record_checkin
from kiosk.extensions import db
from kiosk.models import CheckIn, Device, Event, OutboxItem, Tally, User, utcnow
from kiosk.stand.services import add_tally, undo_last_tally, void_checkin
from kiosk.sync import client

from .sync_support import (
    CentralServer,
    Stand,
    app_for,
    central_database_url,
    central_figures,
    clear,
    migrate,
    one_server_figures,
    seed_central,
    stand_actions,
)


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """The central server (gunicorn, 2 workers) and an app of the central role on its database."""
    tmp = tmp_path_factory.mktemp("sync")
    url = central_database_url(tmp)
    migrate(url, tmp / "migrate")
    template = tmp / "stand-template.sqlite3"
    migrate("sqlite:///" + str(template), tmp / "migrate-stand")
    # One server for the module: its tests enrol a dozen stands within a minute from one address;
    # the enrolment limit itself is tested in tests/test_central_limits.py.
    server = CentralServer(url, tmp / "central", env={"SYNC_ENROL_RATE_LIMIT": "1000 per minute"})
    server.start()
    admin = app_for(url, tmp / "admin", "central")
    server.admin, server.template, server.tmp = admin, template, tmp
    yield server
    server.stop()
    with admin.app_context():
        db.engine.dispose()


@pytest.fixture
def world(central, tmp_path):
    clear(central.admin)
    seeded = seed_central(central.admin, devices=3)
    stands = []

    def new_stand(index: int = 0, *, enrol: bool = True) -> Stand:
        stand = Stand(central.template, tmp_path / f"stand{len(stands)}")
        stands.append(stand)
        if enrol:
            with stand.context():
                client.enrol(central.base, seeded["codes"][index])
                client.sync_once()
        return stand

    seeded["new_stand"] = new_stand
    yield seeded
    for stand in stands:
        stand.close()


def _event(uuid_text):
    return db.session.execute(db.select(Event).where(Event.uuid == uuid.UUID(uuid_text))).scalar_one()


def _checkin(event_uuid, card=None):
    result = record_checkin(_event(event_uuid), checkin_uuid=uuid.uuid4(), channel="keypad", language="fr",
                            card_code=card, answers=Answers(first_time="yes"))
    db.session.commit()
    return result


def test_enrolment_keeps_a_private_token_and_the_code_works_once(central, world, tmp_path):
    stand = world["new_stand"](enrol=False)
    with stand.context():
        saved = client.enrol(central.base, world["codes"][0].lower())  # typed in lower case: still fine
        path = stand.folder / "instance" / "stand.json"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert json.loads(path.read_text())["token"] == saved["token"]
    again = world["new_stand"](enrol=False)
    with again.context(), pytest.raises(client.SyncFailed):
        client.enrol(central.base, world["codes"][0])


def test_a_stand_pulls_its_structure_events_and_staff_and_works_offline(central, world):
    stand = world["new_stand"]()
    with stand.context():
        titles = set(db.session.execute(db.select(Event.title)).scalars())
        assert titles == {"Action 0", "Action 1", "Action 2"}  # not the other structure's event
        user = authenticate(world["animateur"], "correct horse battery")  # hashes only, checked offline
        assert user is not None and user.pin_hash
        assert db.session.execute(db.select(OutboxItem)).first() is None  # what it pulled is not pushed back


def test_pull_is_incremental_and_unchanged_costs_nothing(central, world):
    stand = world["new_stand"]()
    with stand.context():
        creds = client.credentials()
        cursor = client.state()["cursor"]
        status, payload = client._request("GET", f"{central.base}/api/sync/pull?cursor={cursor}", token=creds["token"])
        assert status == 200 and payload == {"revision": cursor, "unchanged": True}
    with central.admin.app_context():
        from kiosk.events.services import EventData, update_event

        event = _event(world["events"][1])
        coordinator = db.session.execute(db.select(User).where(User.role == "coordinator")).scalar_one()
        update_event(event, EventData(title="Action renommée", neighbourhood_id=event.neighbourhood_id,
                                      starts_at=event.starts_at, ends_at=event.ends_at,
                                      structure_id=event.structure_id), author=coordinator)
        db.session.commit()
    with stand.context():
        status, payload = client._request("GET", f"{central.base}/api/sync/pull?cursor={cursor}", token=creds["token"])
        assert [e["title"] for e in payload["events"]] == ["Action renommée"] and payload["users"] == []
        client.sync_once()
        assert _event(world["events"][1]).title == "Action renommée"


def test_checkins_from_several_stands_merge_as_one_server_would(central, world):
    stands = [world["new_stand"](i) for i in range(3)]
    rng = random.Random(12)
    cards = [f"card{i}" for i in range(12)]
    from kiosk.codes import new_card_code

    cards = [new_card_code() for _ in cards]
    for _round in range(40):
        stand = rng.choice(stands)
        with stand.context():
            event = rng.choice(world["events"])
            result = _checkin(event, rng.choice(cards + [None]))
            if result.recorded and rng.random() < 0.15:
                animateur = db.session.execute(db.select(User).where(User.role == "animateur")).scalar_one()
                void_checkin(result.checkin, by=animateur, reason="erreur")
                db.session.commit()
    for stand in stands:
        with stand.context():
            client.sync_once()
            assert client.status()["backlog"] == 0
    actions = [a for stand in stands for a in stand_actions(stand)]
    assert central_figures(central.admin, world["events"]) == one_server_figures(actions)
    with central.admin.app_context():  # the data did hold the same card at one event on two stands
        from kiosk.checkin.services import DUPLICATE_VOID_REASON

        assert db.session.execute(db.select(db.func.count(CheckIn.id)).where(
            CheckIn.void_reason == DUPLICATE_VOID_REASON)).scalar_one() > 0
    for stand in stands:  # a second sync sends nothing new and changes nothing
        with stand.context():
            assert client.sync_once().pushed == 0
    assert central_figures(central.admin, world["events"]) == one_server_figures(actions)


def test_a_void_pushed_later_removes_the_checkin_and_first_seen_moves(central, world):
    first, second = world["new_stand"](0), world["new_stand"](1)
    card = "K7M2P-Q9RXT"
    from kiosk.codes import is_valid_card_code, new_card_code

    card = card if is_valid_card_code(card) else new_card_code()
    with first.context():
        early = _checkin(world["events"][0], card)
        client.sync_once()
    with second.context():
        _checkin(world["events"][1], card)
        client.sync_once()
    assert central_figures(central.admin, world["events"])[world["events"][0]] == (1, 1, 1)
    with first.context():
        animateur = db.session.execute(db.select(User).where(User.role == "animateur")).scalar_one()
        void_checkin(early.checkin, by=animateur, reason="test du kiosque")
        db.session.commit()
        client.sync_once()
    figures = central_figures(central.admin, world["events"])
    assert world["events"][0] not in figures
    assert figures[world["events"][1]] == (1, 1, 1)  # the card's first seen moved to its next check-in


def test_tallies_and_their_undo_are_pushed(central, world):
    stand = world["new_stand"]()
    with stand.context():
        event = _event(world["events"][2])
        animateur = db.session.execute(db.select(User).where(User.role == "animateur")).scalar_one()
        add_tally(event, count=5, author=animateur)
        add_tally(event, count=1, author=animateur)
        db.session.commit()
        undo_last_tally(event, author=animateur)
        db.session.commit()
        client.sync_once()
    with central.admin.app_context():
        rows = db.session.execute(db.select(Tally.count, Tally.undone_at)).all()
        assert sorted((count, undone is not None) for count, undone in rows) == [(1, True), (5, False)]


def test_an_event_created_on_the_stand_reaches_the_central_server(central, world):
    stand = world["new_stand"]()
    with stand.context():
        from kiosk.events.services import EventData, create_event, open_event

        animateur = db.session.execute(db.select(User).where(User.role == "animateur")).scalar_one()
        event = create_event(EventData(title="Pied d'immeuble improvisé", neighbourhood_id=_event(
            world["events"][0]).neighbourhood_id, starts_at=utcnow() - timedelta(minutes=5),
            ends_at=utcnow() + timedelta(hours=1)), author=animateur)
        open_event(event)
        db.session.commit()
        event_uuid = str(event.uuid)
        _checkin(event_uuid, None)
        client.sync_once()
    with central.admin.app_context():
        found = _event(event_uuid)
        assert found.title == "Pied d'immeuble improvisé" and found.status == "open"
        assert db.session.execute(db.select(CheckIn).where(CheckIn.event_id == found.id)).scalar_one()


def _push(central, token, body, raw=None):
    import urllib.error
    import urllib.request

    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(central.base + "/api/sync/push", data=data, method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _batch(stand):
    from kiosk.sync import outbox

    with stand.context():
        items = [outbox.document(item) for item in outbox.pending(100)]
    return {"sent_at": utcnow().isoformat(), "backlog": 0, "items": items}


def _central_checkins(central) -> int:
    with central.admin.app_context():
        return db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one()


def test_bad_batches_are_refused_with_a_4xx_and_nothing_stored(central, world):
    stand = world["new_stand"]()
    with stand.context():
        _checkin(world["events"][0], None)
        token = client.credentials()["token"]
    batch = _batch(stand)
    assert _push(central, "forged-" + token, batch) == 401
    raw = json.dumps(batch).encode()
    assert _push(central, token, None, raw=raw[: len(raw) // 2]) == 400  # truncated
    bad = json.loads(raw)
    bad["items"][0]["data"]["channel"] = "teleport"
    assert _push(central, token, bad) == 422
    too_many = {**batch, "items": [dict(batch["items"][0], id=i + 1) for i in range(501)]}
    assert _push(central, token, too_many) == 413
    assert _push(central, token, None, raw=b"x" * (2 * 1024 * 1024)) == 413
    foreign = json.loads(raw)
    foreign["items"][0]["data"]["event"] = world["foreign_event"]
    assert _push(central, token, foreign) == 403
    assert _central_checkins(central) == 0
    assert _push(central, token, batch) == 200
    assert _push(central, token, batch) == 409  # replayed: stored once
    assert _central_checkins(central) == 1
    with central.admin.app_context():
        from kiosk.sync.devices import revoke

        device = db.session.execute(db.select(Device).where(Device.token_hash.isnot(None))).scalars().first()
        revoke(device)
        db.session.commit()
    with stand.context():
        _checkin(world["events"][0], None)
        with pytest.raises(client.SyncFailed):
            client.sync_once()
        assert "autorisé" in client.status()["last_error"] or "refusé" in client.status()["last_error"]
    assert _central_checkins(central) == 1


def test_a_device_clock_off_by_more_than_two_minutes_is_flagged(central, world):
    stand = world["new_stand"]()
    with stand.context():
        token = client.credentials()["token"]
    skewed = {"sent_at": (utcnow() + timedelta(minutes=5)).isoformat(), "backlog": 3, "items": []}
    assert _push(central, token, skewed) == 200
    with central.admin.app_context():
        device = db.session.execute(db.select(Device).where(Device.backlog == 3)).scalar_one()
        assert 290 <= device.clock_offset_seconds <= 310
        assert device.last_contact_at is not None


def test_the_sync_runs_by_itself_while_the_stand_serves(central, world):
    import time

    from kiosk.sync import loop

    stand = world["new_stand"]()
    stand.app.config["SYNC_INTERVAL_SECONDS"] = 1
    with stand.context():
        _checkin(world["events"][0], None)
    stop = loop.start(stand.app)
    try:
        deadline = time.monotonic() + 15
        while _central_checkins(central) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
    assert _central_checkins(central) == 1
    with stand.context():
        assert client.status()["last_success"] is not None
