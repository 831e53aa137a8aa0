"""Real processes for the sync tests: a central server under gunicorn, stands as their own apps.

The central server runs in a subprocess (gunicorn, 2 workers) on its own database: a SQLite
file, or with HLM_TEST_DATABASE_URL a PostgreSQL database named after it plus ``_central``.
The test reads and seeds that database through an application of the central role in this
process. Each stand is an application of the stand role on its own SQLite file (copied from
one migrated template), used in this process as the stand's own server would.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import sqlalchemy as sa
from flask_migrate import upgrade

from kiosk import create_app
from kiosk.extensions import db

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_for(url: str, instance: Path, role: str, **config):
    instance.mkdir(parents=True, exist_ok=True)
    values = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "tests", "ROLE": role,
              "RATELIMIT_ENABLED": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
              "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": False}
    values.update(config)
    # Limits stay on, memory-counted, as in the suite's own app: the limiter is one object that
    # every create_app() configures again, so turning it off here would turn it off there.
    return create_app(values, instance_path=str(instance))


def migrate(url: str, instance: Path) -> None:
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = app_for(url, instance, "central")
    with app.app_context():
        upgrade()
        db.engine.dispose()


def central_database_url(tmp: Path) -> str:
    """A database for the central server: PostgreSQL beside the test one, else a SQLite file."""
    base = os.environ.get("HLM_TEST_DATABASE_URL")
    if not base:
        return "sqlite:///" + str(tmp / "central.sqlite3")
    url = sa.engine.make_url(base)
    name = f"{url.database}_central"
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def clear(app) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


class CentralServer:
    """gunicorn serving the central role on a free port; kill() is SIGKILL, start() again."""

    def __init__(self, url: str, instance: Path, *, workers: int = 2, env: dict | None = None,
                 options: tuple[str, ...] = ()):
        self.url, self.instance, self.workers, self.options = url, instance, workers, options
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HLM_ROLE": "central", "DATABASE_URL": url, "SECRET_KEY": "tests",
                    "PUBLIC_URL": self.base, "RATELIMIT_STORAGE_URI": "memory://", **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = instance / "central.log"

    def start(self) -> None:
        self.instance.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self._spawn(log)
        self._wait_ready()

    def _spawn(self, log) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "2", "--timeout", "60", *self.options, "app:app"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _wait_ready(self) -> None:
        # Generous: on a loaded machine a worker takes seconds to boot and to answer its first
        # request, and with --max-requests 1 a probe that gave up early has spent that worker.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=20) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the central server did not start:\n" + self.log.read_text()[-3000:])

    def kill(self) -> None:
        """SIGKILL the whole server, master and workers, mid-whatever."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Stand:
    """One stand: its own app, its own SQLite file, its own instance folder (token, sync state)."""

    def __init__(self, template: Path, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, folder / "stand.sqlite3")
        self.url = "sqlite:///" + str(folder / "stand.sqlite3")
        self.folder = folder
        self.app = app_for(self.url, folder / "instance", "stand")

    @contextmanager
    def context(self):
        with self.app.app_context():
            yield
            db.session.commit()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def seed_central(app, *, devices: int = 1) -> dict:
    """A structure with an animateur, three open events and one draft; another structure's event; devices."""
    from kiosk.sync.devices import create_device

    from . import factories

    with app.app_context():
        home = factories.gen_structure(name="Centre social Sanitas")
        other = factories.gen_structure(name="Association Europe")
        animateur = factories.gen_user(structure=home, email="animateur@example.org", pin="123456")
        factories.gen_user(role="coordinator", email="coordination@example.org")
        events = [factories.gen_event(structure=home, title=f"Action {i}") for i in range(3)]
        foreign = factories.gen_event(structure=other, title="Action d'une autre structure")
        codes = [create_device(f"Stand {i}", home)[1] for i in range(devices)]
        foreign_code = create_device("Stand Europe", other)[1]
        db.session.commit()
        return {"events": [str(e.uuid) for e in events], "codes": codes, "foreign_event": str(foreign.uuid),
                "foreign_code": foreign_code, "animateur": animateur.email}


def one_server_figures(actions) -> dict:
    """What one server would count, per event, from every device's check-ins and voids in time order.

    ``actions``: (time, "checkin", uuid, event, card) and (time, "void", uuid). A check-in of a card
    that counts at the event already is refused; first seen is a card's earliest live check-in.
    """
    live: dict = {}  # uuid -> (time, event, card)
    counting: set = set()  # (event, card) with a live check-in
    for action in sorted(actions, key=lambda a: (a[0], a[1] != "void")):
        if action[1] == "checkin":
            _, _, uuid, event, card = action
            if card is not None and (event, card) in counting:
                continue
            live[uuid] = (action[0], event, card)
            if card is not None:
                counting.add((event, card))
        else:
            found = live.pop(action[2], None)
            if found is not None and found[2] is not None:
                counting.discard((found[1], found[2]))
    first: dict = {}
    for _time, event, card in sorted(live.values(), key=lambda v: v[0]):
        if card is not None and card not in first:
            first[card] = event
    figures: dict = {}
    for _time, event, card in live.values():
        f = figures.setdefault(event, {"participations": 0, "first_seen": 0, "cards": set()})
        f["participations"] += 1
        if card is not None:
            f["cards"].add(card)
    for event in first.values():
        figures[event]["first_seen"] += 1
    return {e: (f["participations"], f["first_seen"], len(f["cards"])) for e, f in figures.items()}


def central_figures(app, event_uuids) -> dict:
    """Participations, first seen and distinct cards per event, as the central statistics count them."""
    from kiosk.models import Event
    from kiosk.stats.indicators import Filters, compute

    with app.app_context():
        result = {}
        for uuid in event_uuids:
            event = db.session.execute(db.select(Event).where(Event.uuid == UUID(uuid))).scalar_one()
            ind = compute(Filters(event_id=event.id))
            if ind.participations:
                result[uuid] = (ind.participations, ind.newcomers_first_seen, ind.distinct_cards)
        return result


def stand_actions(stand) -> list:
    """Every check-in and void a stand recorded, for one_server_figures."""
    from kiosk.models import Card, CheckIn, Event

    with stand.app.app_context():
        rows = db.session.execute(
            db.select(CheckIn.uuid, Event.uuid, Card.code, CheckIn.created_at, CheckIn.voided_at)
            .join(Event, CheckIn.event_id == Event.id).outerjoin(Card, CheckIn.card_id == Card.id)).all()
    actions = []
    for uuid, event, card, created_at, voided_at in rows:
        actions.append((created_at, "checkin", str(uuid), str(event), card))
        if voided_at is not None:
            actions.append((voided_at, "void", str(uuid)))
    return actions
