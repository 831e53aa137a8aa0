"""The kiosk's one-page flow: its size and the server's CPU to build it (issue 15).

    .venv/bin/python bench/page.py [--fetches 200]

Builds a fresh SQLite database with the small demo data (in a temporary folder), opens the
demo's event as a kiosk tablet and as a phone with Flask's test client (no network, no
server: the application's own work only), and prints for each page its bytes raw and
gzip- and brotli-compressed (at the app's levels, as flask-compress sends them) and the CPU time
of this process, medians of --fetches fetches:

- *warm*: fetched again and again, within the few seconds the event's copy is kept;
- *cold*: the event's copy dropped before each fetch (kiosk.checkin.snapshots), as for a
  resident who comes more than SNAPSHOT_SECONDS after the one before, which is most of them;
- *gzip*: compressing the page, which flask-compress does on top for a browser that accepts it.

Not part of the tests.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetches", type=int, default=200)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from kiosk import create_app
    from kiosk.auth.services import find_user_by_email, hash_secret
    from kiosk.demo import DEMO_USERS, seed_demo
    from kiosk.extensions import db

    folder = tempfile.mkdtemp(prefix="hlm-bench-page-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "COMPRESS_REGISTER": False,
                      "PROMPT_DIR": folder, "VOICE_DIR": folder})
    with app.app_context():
        upgrade()
        demo = seed_demo(checkins=200, events=50)
        email = DEMO_USERS[1][1]
        find_user_by_email(email).password_hash = hash_secret("bench-page")
        db.session.commit()
    event = demo["open_event"]

    tablet = app.test_client()
    tablet.post("/auth/login", data={"email": email, "password": "bench-page"})
    assert tablet.post(f"/kiosk/{event}/open").status_code == 303
    phone = app.test_client()

    level = app.config["COMPRESS_LEVEL"]
    snapshots = app.extensions["kiosk_snapshots"]

    def cpu_ms(work) -> float:
        times = []
        for _ in range(args.fetches):
            started = time.process_time()
            work()
            times.append(time.process_time() - started)
        return statistics.median(times) * 1000

    print(f"page of the flow: medians of {args.fetches} fetches, CPU of this process")
    for label, client, path in (("kiosk tablet", tablet, f"/kiosk/{event}"), ("phone", phone, f"/e/{event}")):
        body = client.get(path).data  # the first fetch renders and keeps the parts
        assert b'data-screen="welcome"' in body

        def fetch(cold: bool, client=client, path=path) -> None:
            if cold:
                with app.app_context():
                    snapshots.clear()
            assert client.get(path).status_code == 200

        warm = cpu_ms(lambda: fetch(False))
        cold = cpu_ms(lambda: fetch(True))
        zipped = cpu_ms(lambda body=body: gzip.compress(body, level))
        br = len(brotli.compress(body, quality=app.config["COMPRESS_BR_LEVEL"])) / 1024
        print(f"{label:13} {len(body) / 1024:5.0f} KiB raw, {len(gzip.compress(body, level)) / 1024:4.0f} KiB gzip "
              f"(level {level}), {br:4.0f} KiB brotli; CPU a fetch: warm {warm:6.2f} ms, cold {cold:7.2f} ms, "
              f"gzip {zipped:5.2f} ms")


if __name__ == "__main__":
    main()
