"""Sync benchmark: central ingest on PostgreSQL, and a stand emptying a large backlog.

    .venv/bin/python bench/sync.py [--postgres URL] [--checkins 100000] [--stands 50]
                                   [--batch 500] [--clients 4] [--backlog 10000]

1. Central ingest: a central server under gunicorn (--workers, 4) on a PostgreSQL database
   (made empty: it is dropped and migrated), 50 enrolled stands of one structure, and
   100,000 check-ins (cards overlapping between stands, one in five without a card) pushed
   as the stands would, in batches, from --clients concurrent senders. Prints check-ins per
   second and the server processes' resident memory before, at the middle and at the end
   (flat memory: the batches are not kept).
2. Stand backlog: a stand (SQLite, its own app in this process) holding --backlog recorded
   check-ins pushes them all to the central server over loopback: prints the seconds.

Not part of the tests; figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.codes import new_card_code  # noqa: E402
from kiosk.extensions import db  # noqa: E402
from kiosk.models import utcnow  # noqa: E402
from tests.sync_support import CentralServer, Stand, app_for, migrate  # noqa: E402


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the gunicorn master and workers)."""
    import subprocess

    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split())


def seed(admin, stands: int) -> tuple[list[str], list[str]]:
    from kiosk.auth.services import create_user
    from kiosk.events.services import unique_event_code
    from kiosk.models import Event, Neighbourhood, Structure
    from kiosk.sync.devices import create_device, enrol

    with admin.app_context():
        place = Neighbourhood(name="Sanitas", commune="Tours")
        home = Structure(name="Centre social", neighbourhood=place)
        db.session.add_all([place, home])
        db.session.flush()
        create_user(name="Animatrice", email="a@example.org", password="correct horse battery",
                    role="animateur", structure_id=home.id)
        now = utcnow()
        events = [Event(code=unique_event_code(), title=f"Action {i}", neighbourhood=place, structure=home,
                        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3), status="open")
                  for i in range(20)]
        db.session.add_all(events)
        db.session.flush()
        tokens = []
        for i in range(stands):
            code = create_device(f"Stand {i}", home)[1]
            tokens.append(enrol(code.replace("-", ""))[1])
        db.session.commit()
        return [str(e.uuid) for e in events], tokens


def checkin_doc(event: str, card: str | None, when) -> dict:
    return {"uuid": str(uuid.uuid4()), "event": event, "card": card, "created_at": when.isoformat(),
            "channel": "keypad" if card else "nocard", "language": "fr", "residence_neighbourhood": None,
            "voided_at": None, "void_reason": None, "first_time": "no", "residence": None, "age_band": None,
            "gender": None, "goes_to_structure": None, "heard_from": None, "needs_skipped": False,
            "childcare_children": 0, "childcare_age_bands": "", "interpreter_language": None,
            "accessibility": False}


def push(base: str, token: str, body: bytes) -> int:
    request = urllib.request.Request(base + "/api/sync/push", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status


def central_ingest(args, tmp: Path) -> None:
    migrate(args.postgres, tmp / "migrate")
    server = CentralServer(args.postgres, tmp / "central", workers=args.workers,
                           env={"MAX_CONTENT_LENGTH": str(8 * 1024 * 1024)})
    server.start()
    admin = app_for(args.postgres, tmp / "admin", "central")
    events, tokens = seed(admin, args.stands)
    rng = random.Random(1)
    cards = [new_card_code() for _ in range(args.checkins // 3)]
    per_stand = args.checkins // args.stands
    start_time = utcnow() - timedelta(minutes=50)
    batches = []  # (token, body); each stand's batches in order
    for s, token in enumerate(tokens):
        item_id = 0
        for first in range(0, per_stand, args.batch):
            items = []
            for _ in range(min(args.batch, per_stand - first)):
                item_id += 1
                when = start_time + timedelta(milliseconds=rng.randrange(3_000_000))
                card = rng.choice(cards) if rng.random() < 0.8 else None
                items.append({"id": item_id, "kind": "checkin", "data": checkin_doc(rng.choice(events), card, when)})
            batches.append((s, token, json.dumps({"sent_at": utcnow().isoformat(), "backlog": 0,
                                                  "items": items}).encode()))
    by_stand: dict = {}
    for s, token, body in batches:
        by_stand.setdefault(s, []).append((token, body))
    memory = [rss_kib(server.process.pid)]

    def send_stand(s):
        for token, body in by_stand[s]:
            assert push(server.base, token, body) == 200
        if s == args.stands // 2:
            memory.append(rss_kib(server.process.pid))

    began = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(send_stand, sorted(by_stand)))
    elapsed = time.perf_counter() - began
    memory.append(rss_kib(server.process.pid))
    total = per_stand * args.stands
    print(f"central ingest: {total} check-ins from {args.stands} stands in batches of {args.batch}, "
          f"{args.clients} senders, gunicorn x{args.workers}, PostgreSQL")
    rate = total / elapsed
    print(f"  {elapsed:.1f} s, {rate:,.0f} check-ins/s (target >= 2,000: ratio {rate / 2000:.2f})")
    print(f"  server memory (KiB, all processes): start {memory[0]:,}, middle {memory[1]:,}, end {memory[-1]:,}")
    server.stop()


def stand_backlog(args, tmp: Path) -> None:
    from kiosk.checkin.services import Answers, record_checkin
    from kiosk.models import Event
    from kiosk.sync import client
    from tests.sync_support import seed_central

    url = "sqlite:///" + str(tmp / "backlog-central.sqlite3")
    migrate(url, tmp / "m2")
    template = tmp / "stand-template.sqlite3"
    migrate("sqlite:///" + str(template), tmp / "m3")
    server = CentralServer(url, tmp / "central2", workers=2)
    server.start()
    admin = app_for(url, tmp / "admin2", "central")
    seeded = seed_central(admin, devices=1)
    stand = Stand(template, tmp / "stand")
    with stand.context():
        client.enrol(server.base, seeded["codes"][0])
        client.sync_once()
        events = list(db.session.execute(db.select(Event)).scalars())
        rng = random.Random(2)
        cards = [new_card_code() for _ in range(args.backlog // 2)]
        for i in range(args.backlog):
            record_checkin(events[i % len(events)], checkin_uuid=uuid.uuid4(), channel="keypad", language="fr",
                           card_code=rng.choice(cards) if rng.random() < 0.8 else None, answers=Answers())
            if i % 500 == 499:
                db.session.commit()
        db.session.commit()
        waiting = client.status()["backlog"]
        began = time.perf_counter()
        report = client.sync_once()
        elapsed = time.perf_counter() - began
    server.stop()
    print(f"stand backlog: {waiting} items pushed over loopback in {elapsed:.1f} s "
          f"({report.pushed} acknowledged; target < 30 s: ratio {elapsed / 30:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hlm_bench_sync")
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--stands", type=int, default=50)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backlog", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        central_ingest(args, Path(folder))
        stand_backlog(args, Path(folder))


if __name__ == "__main__":
    main()
