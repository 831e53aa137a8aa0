"""Kiosk check-in benchmark: the real screens under waitress, against a bare insert route.

    .venv/bin/python bench/checkin.py [--clients 8] [--seconds 20] [--checkins 100000]

Builds (once, kept in bench/out/) a SQLite database holding the demo data with 100,000
check-ins, starts the app under waitress on 127.0.0.1 in a child process, then, from
concurrent clients that each keep their own cookie session like a tablet:

1. drives /healthz (no write), then a bare Flask route doing one SQLite insert: the floor
   of latency and the ceiling of throughput of this server, disk and machine;
2. drives complete kiosk check-ins, every request an htmx one as a tablet sends it:
   newcomers answering every question, and known cards scanned then asked their needs.

It prints check-ins per second, p50/p95 latency per request, the ratio of kiosk requests
per second to the bare route's, and the bytes a tablet downloads. Then it drives the same
screens at a steady pace (--pace ms between two requests of a client, 8 clients: 80
requests/s by default, dozens of times what residents tapping a stand send) to show the
latency below saturation. Not part of the tests.

    .venv/bin/python bench/checkin.py --central postgresql+psycopg://postgres@127.0.0.1:5432/DB \
                                      [--workers 4] [--clients 8|32]

does the same against the central role: the database (emptied: schema dropped, migrated,
demo data seeded) on PostgreSQL, the app under gunicorn with --workers processes (what
`make central` runs), rate limits off; the bare route is one PostgreSQL insert there.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
ASSETS = ("/static/css/kiosk.css", "/static/vendor/htmx.min.js", "/static/js/app.js", "/static/js/kiosk.js")
NEWCOMER = {"first_time": "yes", "age_band": "26_40", "gender": "woman", "goes_to_structure": "no",
            "heard_from": "poster", "needs": ("ok", ["childcare", "interpreter"]), "children": "2",
            "child_ages": ("ok", ["3_5"]), "interpreter": "ar", "card_offer": "yes"}


def build_database(path: Path, checkins: int) -> None:
    from flask_migrate import upgrade

    from kiosk import create_app
    from kiosk.demo import seed_demo
    from kiosk.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        seed_demo(checkins=checkins, events=max(50, checkins // 40))
        db.session.execute(db.text("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, at TEXT)"))
        db.session.commit()


BENCH_PASSWORD = "bench-" + secrets.token_urlsafe(9)


def migrate(path: Path, email: str) -> None:
    """Bring a database kept from an earlier run up to the current revision.

    The demo's passwords are drawn at seeding and shown once: the work copy's animateur gets
    one of this run's own.
    """
    from flask_migrate import upgrade

    from kiosk import create_app
    from kiosk.auth.services import find_user_by_email, hash_secret
    from kiosk.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        find_user_by_email(email).password_hash = hash_secret(BENCH_PASSWORD)
        db.session.commit()
        db.engine.dispose()


def build_central(url: str, checkins: int) -> None:
    """Empty the central database, migrate it, seed the demo data and the bare route's table."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from kiosk import create_app
    from kiosk.demo import seed_demo
    from kiosk.extensions import db

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ROLE": "central"})
    with app.app_context():
        upgrade()
        seed_demo(checkins=checkins, events=max(50, checkins // 40))
        db.session.execute(db.text("CREATE TABLE bench_bare (id SERIAL PRIMARY KEY, at TIMESTAMP)"))
        db.session.commit()
        db.engine.dispose()


def central_app():
    """The central role's app and the bare insert route, for gunicorn ('bench.checkin:central_app()')."""
    from kiosk import create_app
    from kiosk.extensions import csrf, db

    app = create_app({"RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})

    @app.post("/bench/bare")
    @csrf.exempt
    def bare():
        db.session.execute(db.text("INSERT INTO bench_bare (at) VALUES (now())"))
        db.session.commit()
        return "ok"

    return app


def serve(path: str, port: int) -> None:
    """Child process: the app under waitress, plus the bare insert route."""
    import logging

    from waitress import serve as waitress_serve

    from kiosk import create_app
    from kiosk.extensions import csrf, db

    logging.getLogger("waitress").setLevel(logging.ERROR)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench"})

    @app.post("/bench/bare")
    @csrf.exempt
    def bare():
        db.session.execute(db.text("INSERT INTO bench_bare (at) VALUES (datetime('now'))"))
        db.session.commit()
        return "ok"

    waitress_serve(app, host="127.0.0.1", port=port, threads=8, _quiet=True)


class Connection(http.client.HTTPConnection):
    """A browser's connection: no Nagle delay (http.client sends headers and body apart)."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Tablet:
    """One browser: its own connection and cookies, htmx headers on every request."""

    def __init__(self, port: int):
        self.conn = Connection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.timings: list[float] = []
        self.write_timings: list[float] = []  # the requests that record a check-in (one commit each)
        self.writing = False
        self.bytes = 0
        self.pace = 0.0  # seconds between two requests' starts; 0: as fast as the server answers
        self.next_at = 0.0
        self.random = random.Random(port)

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None, *, htmx=True,
                timed=True) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        if self.pace:
            # Residents tap at random moments, not in step: exponential gaps of mean `pace`.
            now = time.perf_counter()
            if self.next_at > now:
                time.sleep(self.next_at - now)
            self.next_at = max(now, self.next_at) + self.random.expovariate(1 / self.pace)
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if timed:
            self.timings.append(time.perf_counter() - started)
            if self.writing:
                self.write_timings.append(self.timings[-1])
        self.bytes += len(data)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        location = response.getheader("Location") or ""
        return response.status, urlsplit(location).path, data.decode("utf-8", "replace")

    def follow(self, method, path, form=None):
        """A request, then the redirect htmx follows (each timed on its own)."""
        status, location, text = self.request(method, path, form)
        while status in (302, 303):
            status, location, text = self.request("GET", location)
        return status, text

    def login_and_open_kiosk(self, email: str, password: str, event: str) -> None:
        _, _, page = self.request("GET", "/auth/login", htmx=False, timed=False)
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        self.request("POST", "/auth/login", [("email", email), ("password", password), ("csrf_token", self.csrf)],
                     htmx=False, timed=False)
        # The kiosk opens by the event page's POST (a visit does not bind a tablet); the
        # session's tokens are new after login, so each page's is read anew.
        _, _, page = self.request("GET", f"/events/{event}", htmx=False, timed=False)
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        self.request("POST", f"/kiosk/{event}/open", [("csrf_token", self.csrf)], htmx=False, timed=False)
        _, _, page = self.request("GET", f"/kiosk/{event}", htmx=False, timed=False)
        assert 'data-screen="welcome"' in page, "the kiosk did not open"
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _answers(values: dict) -> list[tuple[str, str]]:
    form = []
    for step, value in values.items():
        if isinstance(value, tuple):
            form.append((step + "_do", value[0]))
            form += [(step, choice) for choice in value[1]]
        else:
            form.append((step, value))
    return form


def newcomer_checkin(tablet: Tablet, event: str, page: bool = True) -> None:
    """The page of the whole flow, then its one submission (the script answers in the page)."""
    base = f"/kiosk/{event}"
    if page:
        tablet.request("GET", base, htmx=False)
    tablet.writing = True
    status, _, text = tablet.request("POST", base + "/checkin", [
        ("flow", str(uuid.uuid4())), ("lang", "ar"), ("residence", "other"), *_answers(NEWCOMER)])
    tablet.writing = False
    assert 'data-screen="done"' in text and status == 200, (status, text[:200])


def card_checkin(tablet: Tablet, event: str, code: str, page: bool = True) -> None:
    base = f"/kiosk/{event}"
    if page:
        tablet.request("GET", base, htmx=False)
    tablet.writing = True
    status, _, text = tablet.request("POST", base + "/checkin", [
        ("flow", str(uuid.uuid4())), ("lang", "fr"), ("card", "HLM1:" + code), ("channel", "camera"),
        ("needs_do", "none")])
    tablet.writing = False
    assert 'data-screen="done"' in text and status == 200, (status, text[:200])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_clients(count: int, seconds: float, work) -> tuple[list[float], int, float]:
    """Run work(tablet_index, stop_at) in threads; return timings, completed units, elapsed."""
    results: list[tuple[list[float], int]] = []
    lock = threading.Lock()

    def worker(index):
        timings, done = work(index, time.perf_counter() + seconds)
        with lock:
            results.append((timings, done))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return [t for r in results for t in r[0]], sum(r[1] for r in results), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=5199)
    parser.add_argument("--cpu-checkins", type=int, default=400,
                        help="check-ins in a row to measure the server's CPU per check-in")
    parser.add_argument("--pace", type=float, default=100,
                        help="milliseconds between two requests of one client in the paced phase")
    parser.add_argument("--central", metavar="POSTGRES_URL",
                        help="the central role under gunicorn on this PostgreSQL database (emptied)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes, with --central")
    args = parser.parse_args()
    if args.central:
        main_central(args)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"checkin-{args.checkins}.sqlite3"
    if not path.exists():
        print(f"Building {path.name} ({args.checkins} check-ins)...", flush=True)
        started = time.perf_counter()
        build_database(path, args.checkins)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    work_copy = OUT / "checkin-run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work_copy) + suffix).unlink(missing_ok=True)
    import sqlite3

    # The backup API copies what still sits in the write-ahead log too.
    with sqlite3.connect(path) as source, sqlite3.connect(work_copy) as target:
        source.backup(target)
    from kiosk.demo import DEMO_USERS

    migrate(work_copy, DEMO_USERS[1][1])
    with sqlite3.connect(work_copy) as conn:
        existing = conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
        event = conn.execute("SELECT code FROM events WHERE status = 'open' ORDER BY id DESC").fetchone()[0]
        cards = [r[0] for r in conn.execute(
            "SELECT DISTINCT cards.code FROM cards JOIN checkins ON checkins.card_id = cards.id")]
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(str(work_copy), args.port),
                                                          daemon=True)
    server.start()
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        report(args, event, cards, existing, DEMO_USERS[1][1], BENCH_PASSWORD, server.pid)
    finally:
        server.terminate()
        server.join(5)


def main_central(args) -> None:
    import subprocess

    import sqlalchemy as sa

    from kiosk.demo import DEMO_USERS

    print(f"Building the central database ({args.checkins} check-ins, PostgreSQL)...", flush=True)
    started = time.perf_counter()
    build_central(args.central, args.checkins)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    email = DEMO_USERS[1][1]
    from kiosk import create_app
    from kiosk.auth.services import find_user_by_email, hash_secret
    from kiosk.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.central, "ROLE": "central"})
    with app.app_context():
        find_user_by_email(email).password_hash = hash_secret(BENCH_PASSWORD)
        db.session.commit()
        existing = db.session.execute(sa.text("SELECT count(*) FROM checkins")).scalar()
        event = db.session.execute(sa.text("SELECT code FROM events WHERE status = 'open' ORDER BY id DESC")).scalar()
        cards = [r[0] for r in db.session.execute(sa.text(
            "SELECT DISTINCT cards.code FROM cards JOIN checkins ON checkins.card_id = cards.id"))]
        db.engine.dispose()
    env = {**os.environ, "HLM_ROLE": "central", "DATABASE_URL": args.central, "SECRET_KEY": "bench",
           "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_URL": f"http://127.0.0.1:{args.port}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{args.port}", "--log-level", "warning", "bench.checkin:central_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        report(args, event, cards, existing, email, BENCH_PASSWORD, server.pid,
               label=f"gunicorn x{args.workers} (sync workers), PostgreSQL, central role")
    finally:
        server.terminate()
        server.wait(10)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc): gunicorn's workers too."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(process_cpu_seconds(int(child)) for child in children)


def cpu_per_checkin(args, event: str, cards: list[str], email: str, password: str, pid: int) -> None:
    """Server CPU per complete check-in: one tablet, one check-in after another, nothing else running.

    Twice: with the flow's page fetched for each resident (a phone, or the worst case of a
    kiosk), then as a kiosk runs: the page once, each resident answering in it and sent back
    to its welcome screen without a request (it reloads after 30 idle minutes only).
    """
    half = args.cpu_checkins // 2
    for label, page, codes in (("the page fetched for each one", True, cards[:half]),
                               ("as a kiosk runs: its page once, then submissions only", False, cards[half:])):
        tablet = Tablet(args.port)
        tablet.login_and_open_kiosk(email, password, event)
        count = len(codes)
        started = process_cpu_seconds(pid)
        for index in range(count):
            if index % 2 == 0:
                newcomer_checkin(tablet, event, page)
            else:
                card_checkin(tablet, event, codes[index], page)
        used = process_cpu_seconds(pid) - started
        print(f"\nServer CPU per complete check-in (half newcomers, half known cards; {count} in a row, one "
              f"tablet; {label}): {used / count * 1000:.1f} ms", flush=True)


def report(args, event: str, cards: list[str], existing: int, email: str, password: str, pid: int,
           label: str = "waitress, 8 threads, SQLite") -> None:
    cpu_per_checkin(args, event, cards[-args.cpu_checkins:], email, password, pid)
    cards = cards[:-args.cpu_checkins]
    print(f"Database: {existing} check-ins; {args.clients} clients; {args.seconds:.0f} s per phase; "
          f"{label}, 127.0.0.1; CPU cores: {os.cpu_count()}")

    def repeat(method: str, path: str, form=None, htmx=False):
        """A client sending the same request again and again, each on its own connection."""

        def work(_index, stop_at):
            tablet = Tablet(args.port)
            done = 0
            while time.perf_counter() < stop_at:
                tablet.request(method, path, form, htmx=htmx)
                done += 1
            return tablet.timings, done

        return work

    timings, done, elapsed = run_clients(args.clients, args.seconds / 2, repeat("GET", "/healthz"))
    print(f"\nFloor, /healthz (one SELECT 1, no write): {done / elapsed:.0f} requests/s, "
          f"p50 {percentile(timings, .5) * 1000:.1f} ms, p95 {percentile(timings, .95) * 1000:.1f} ms")

    timings, done, elapsed = run_clients(args.clients, args.seconds, repeat("POST", "/bench/bare", [], htmx=True))
    bare_rate = done / elapsed
    print(f"Bare route (one insert): {bare_rate:.0f} requests/s, p50 {percentile(timings, .5) * 1000:.1f} ms, "
          f"p95 {percentile(timings, .95) * 1000:.1f} ms")

    tablets = [Tablet(args.port) for _ in range(args.clients)]
    for tablet in tablets:
        tablet.login_and_open_kiosk(email, password, event)
    card_pool = list(cards)
    pool_lock = threading.Lock()
    kinds = {"newcomer": 0, "card": 0}

    def kiosk(index, stop_at, pace=0.0):
        tablet = tablets[index]
        tablet.timings = []
        tablet.write_timings = []
        tablet.pace, tablet.random = pace, random.Random(index)
        tablet.next_at = time.perf_counter() + tablet.random.uniform(0, pace)
        done = 0
        while time.perf_counter() < stop_at:
            if done % 2 == 0:
                newcomer_checkin(tablet, event)
                kinds["newcomer"] += 1
            else:
                with pool_lock:
                    code = card_pool.pop()
                card_checkin(tablet, event, code)
                kinds["card"] += 1
            done += 1
        return tablet.timings, done

    timings, done, elapsed = run_clients(args.clients, args.seconds, kiosk)
    kiosk_rate = len(timings) / elapsed
    p50, p95 = percentile(timings, .5) * 1000, percentile(timings, .95) * 1000
    print(f"Kiosk: {done / elapsed:.1f} check-ins/s ({kinds['newcomer']} newcomers, {kinds['card']} card scans; "
          f"{len(timings) / done:.1f} requests per check-in)")
    print(f"Kiosk requests: {kiosk_rate:.0f}/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < 25 ms)")
    writes = [t for tablet in tablets for t in tablet.write_timings]
    reads = sorted(timings)
    for w in writes:  # the rest: screens that only read and render
        reads.remove(w)
    print(f"  of which recording a check-in (one commit): {len(writes)}, p50 {percentile(writes, .5) * 1000:.1f} ms, "
          f"p95 {percentile(writes, .95) * 1000:.1f} ms; the other screens: p50 {percentile(reads, .5) * 1000:.1f} ms, "
          f"p95 {percentile(reads, .95) * 1000:.1f} ms")
    print(f"Ratio kiosk requests/s to bare route: {kiosk_rate / bare_rate:.2f} (target >= 0.5)")

    # The same screens at a steady pace, well below saturation: what a busy stand sees.
    pace = args.pace / 1000
    timings, done, elapsed = run_clients(args.clients, args.seconds / 2, lambda i, stop: kiosk(i, stop, pace))
    print(f"\nKiosk at a steady pace ({args.clients} clients, one request every {args.pace:.0f} ms each on average: "
          f"{len(timings) / elapsed:.0f} requests/s): p50 {percentile(timings, .5) * 1000:.1f} ms, "
          f"p95 {percentile(timings, .95) * 1000:.1f} ms")
    writes = [t for tablet in tablets for t in tablet.write_timings]
    print(f"  of which recording a check-in: p50 {percentile(writes, .5) * 1000:.1f} ms, "
          f"p95 {percentile(writes, .95) * 1000:.1f} ms")

    # What a tablet downloads: full page and assets once, then htmx fragments.
    tablet = Tablet(args.port)
    tablet.login_and_open_kiosk(email, password, event)
    tablet.bytes = 0
    tablet.request("GET", f"/kiosk/{event}", htmx=False)
    for asset in ASSETS:
        tablet.request("GET", asset, htmx=False)
    welcome = tablet.bytes
    newcomer_checkin(tablet, event)
    whole = tablet.bytes
    decoder = Tablet(args.port)
    decoder.request("GET", "/static/vendor/jsQR.js", htmx=False)
    print(f"\nBytes for the welcome screen (page + CSS + JS, uncompressed): {welcome / 1024:.1f} KB")
    print(f"Bytes for a whole newcomer check-in, welcome included: {whole / 1024:.1f} KB (target < 150 KB)")
    print(f"Fallback QR decoder, only where BarcodeDetector is missing: {decoder.bytes / 1024:.1f} KB")


if __name__ == "__main__":
    main()
