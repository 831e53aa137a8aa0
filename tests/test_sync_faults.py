"""Faults the sync must survive, with real processes and real sockets.

- a loopback proxy between the stands and the central server cuts connections at random
  points of the request and of the response: 3 stands x HLM_FAULT_CHECKINS (1,000) check-ins
  with overlapping cards and events end with the central figures of one server;
- the central server killed (SIGKILL) in the middle of a batch, restarted: the same;
- a stand killed (SIGKILL) while recording: every check-in it confirmed is pushed later.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

from kiosk.checkin.services import Answers, record_checkin
from kiosk.codes import new_card_code
from kiosk.extensions import db
from kiosk.models import CheckIn, Event, User
from kiosk.stand.services import void_checkin
from kiosk.sync import client

from .sync_support import ROOT, central_figures, free_port, one_server_figures, stand_actions
from .test_sync import central, world  # noqa: F401  (fixtures)

CHECKINS = int(os.environ.get("HLM_FAULT_CHECKINS", "1000"))


class CuttingProxy:
    """Forwards 127.0.0.1:port to the central server; cuts a share of connections mid-request or mid-response."""

    def __init__(self, upstream_port: int, *, share: float = 0.5, seed: int = 5):
        self.upstream_port, self.share, self.rng = upstream_port, share, random.Random(seed)
        self.port = free_port()
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.stopped = threading.Event()
        self.lock, self.open_pumps = threading.Lock(), {}
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                downstream.close()
                continue
            cut = None
            if self.rng.random() < self.share:  # which way, and after how many bytes
                way = self.rng.choice(("request", "response"))
                cut = (way, self.rng.randint(0, 60000 if way == "request" else 300))
            pair = (downstream, upstream)
            threading.Thread(target=self._pump, args=(downstream, upstream, "request", cut, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, downstream, "response", cut, pair), daemon=True).start()

    def _pump(self, source, target, way, cut, pair) -> None:
        sent = 0
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    target.shutdown(socket.SHUT_WR)
                    break
                if cut is not None and cut[0] == way and sent + len(chunk) > cut[1]:
                    target.sendall(chunk[: cut[1] - sent])
                    self.cuts += 1
                    self._cut(pair)
                    break
                target.sendall(chunk)
                sent += len(chunk)
        except OSError:
            self._cut(pair)
        self._done(pair)

    @staticmethod
    def _cut(pair) -> None:
        # shutdown, not only close: it wakes the other direction's recv and sends the FIN now.
        for s in pair:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def _done(self, pair) -> None:
        with self.lock:
            self.open_pumps[pair] = self.open_pumps.get(pair, 2) - 1
            last = self.open_pumps[pair] == 0
        if last:
            del self.open_pumps[pair]
            for s in pair:
                s.close()

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()


def _record_many(stand, event_uuids, cards, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with stand.context():
        events = [db.session.execute(db.select(Event).where(Event.uuid == uuid.UUID(e))).scalar_one()
                  for e in event_uuids]
        animateur = db.session.execute(db.select(User).where(User.role == "animateur")).scalar_one()
        for _ in range(count):
            card = rng.choice(cards) if rng.random() < 0.8 else None
            result = record_checkin(rng.choice(events), checkin_uuid=uuid.uuid4(), channel="keypad",
                                    language="fr", card_code=card, answers=Answers(first_time="no"))
            db.session.commit()
            if result.recorded and rng.random() < 0.03:
                void_checkin(result.checkin, by=animateur, reason="erreur")
                db.session.commit()


def _sync_until_empty(stand, *, base: str | None = None, attempts: int = 400, batch_size: int = 100) -> int:
    """Sync again and again (as the loop does) until the stand has nothing left; return the failures."""
    failures = 0
    with stand.context():
        if base is not None:  # through the proxy
            creds = client.credentials()
            client._write_private(client._path(client.CREDENTIALS), {**creds, "central_url": base})
        for _ in range(attempts):
            try:
                client.sync_once(batch_size=batch_size)
            except client.SyncFailed:
                failures += 1
                time.sleep(0.02)
                continue
            if client.status()["backlog"] == 0:
                return failures
    raise AssertionError(f"the outbox never emptied ({failures} failures)")


def _expected(stands) -> dict:
    return one_server_figures([a for stand in stands for a in stand_actions(stand)])


def test_random_cuts_lose_nothing_and_duplicate_nothing(central, world):  # noqa: F811
    stands = [world["new_stand"](i) for i in range(3)]
    cards = [new_card_code() for _ in range(CHECKINS // 2)]
    started = time.monotonic()
    for index, stand in enumerate(stands):
        _record_many(stand, world["events"], cards, CHECKINS, seed=index)
    recorded = time.monotonic()
    proxy = CuttingProxy(central.port)
    try:
        failures = sum(_sync_until_empty(stand, base=proxy.base, batch_size=50) for stand in stands)
    finally:
        proxy.close()
    print(f"\nrecording {recorded - started:.1f} s, syncing {time.monotonic() - recorded:.1f} s")
    assert proxy.cuts > 0 and failures > 0
    assert central_figures(central.admin, world["events"]) == _expected(stands)
    with central.admin.app_context():
        live = db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one()
    print(f"\n{len(stands)} stands x {CHECKINS} check-ins: {proxy.cuts} connections cut, "
          f"{failures} failed syncs retried, {live} check-ins on central, figures equal to one server's")


def test_central_killed_mid_batch_then_restarted(central, world):  # noqa: F811
    stand = world["new_stand"](0)
    cards = [new_card_code() for _ in range(CHECKINS // 2)]
    _record_many(stand, world["events"], cards, CHECKINS, seed=9)
    done: list = []
    pusher = threading.Thread(target=lambda: done.append(_sync_until_empty(stand, batch_size=20, attempts=2000)))
    pusher.start()
    time.sleep(random.Random(3).uniform(0.2, 0.5))
    central.kill()
    time.sleep(0.3)
    central.start()
    pusher.join(timeout=120)
    assert done, "the stand never emptied its outbox after the restart"
    assert central_figures(central.admin, world["events"]) == _expected([stand])


STAND_SCRIPT = """
import sys, uuid
from tests.sync_support import app_for
from kiosk.checkin.services import Answers, record_checkin
from kiosk.codes import new_card_code
from kiosk.extensions import db
from kiosk.models import Event
from pathlib import Path
app = app_for(sys.argv[1], Path(sys.argv[2]), "stand")
with app.app_context():
    events = list(db.session.execute(db.select(Event).where(Event.status == "open")).scalars())
    n = 0
    while True:
        n += 1
        result = record_checkin(events[n % len(events)], checkin_uuid=uuid.uuid4(), channel="keypad",
                                language="fr", card_code=new_card_code(), answers=Answers())
        db.session.commit()
        print(result.outcome, result.checkin.uuid, flush=True)  # what the kiosk confirms
"""


def test_a_stand_killed_while_recording_pushes_every_confirmed_checkin_later(central, world):  # noqa: F811
    stand = world["new_stand"](0)
    process = subprocess.Popen([sys.executable, "-c", STAND_SCRIPT, stand.url, str(stand.folder / "instance")],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    confirmed = []
    for line in process.stdout:
        outcome, checkin_uuid = line.split()
        if outcome == "recorded":
            confirmed.append(uuid.UUID(checkin_uuid))
        if len(confirmed) >= 150:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    _sync_until_empty(stand)
    with central.admin.app_context():
        found = set(db.session.execute(db.select(CheckIn.uuid).where(CheckIn.uuid.in_(confirmed))).scalars())
    assert found == set(confirmed)
