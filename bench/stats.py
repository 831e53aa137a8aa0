"""Benchmark of the statistics: page and exports over a large synthetic history.

Not part of the test suite; it prints figures and ratios. For each database and each size it
builds a fresh database (20 neighbourhoods, the demo's structures, N check-ins over the given
years and events, through the same generator as `flask generate-activity`), then times the
statistics page (all time on a cold cache, then one year and all time as every later
look sees them, settled events read from their cached summaries), the shared CSV and XLSX exports and the raw CSV, and
measures the peak Python memory of each export (tracemalloc, a second run). It also adds
structure activity (orientations of carded check-ins, `--visits` reception visits, trainings:
kiosk/reception/generator.py) and times the annual review of fiche T1.3 (the year of the
last check-ins, beside the year before: the page's figures, its XLSX and DOCX) next to the page:
the first time, as later looks see it (a settled year is cached, the current one kept while
nothing new is recorded), after a new record (the current year computed again), then the year
before alone.

    .venv/bin/python bench/stats.py --sizes 100000,1000000 \
        --sqlite /tmp/bench_stats.sqlite3 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_stats

With --reuse, a database that already holds the first size is timed as it is (generating a
million check-ins takes minutes): `--sizes 1000000,100000 --reuse` after a first full run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from kiosk import create_app  # noqa: E402
from kiosk.auth.services import create_user  # noqa: E402
from kiosk.demo import DEMO_STRUCTURES  # noqa: E402
from kiosk.demo.generator import generate_activity  # noqa: E402
from kiosk.extensions import db  # noqa: E402
from kiosk.models import Card, CheckIn, Neighbourhood, Structure, utcnow  # noqa: E402
from kiosk.places.services import ensure_reference_neighbourhoods  # noqa: E402
from kiosk.reception.generator import generate_structure_activity  # noqa: E402
from kiosk.reception.services import record_visit  # noqa: E402
from kiosk.review import cache as review_cache  # noqa: E402
from kiosk.stats import summaries  # noqa: E402
from kiosk.stats.conversion import forget_parts  # noqa: E402
from kiosk.stats.profiles import forget_months  # noqa: E402

PASSWORD = "bench-password"


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def populate(app, checkins: int, events: int, years: int, visits: int) -> float:
    with app.app_context():
        upgrade()
        ensure_reference_neighbourhoods()
        for i in range(20 - db.session.query(Neighbourhood).count()):
            db.session.add(Neighbourhood(name=f"Quartier de test {i + 1}", commune="Tours"))
        db.session.flush()
        places = db.session.execute(db.select(Neighbourhood)).scalars().all()
        structures = []
        for index, (name, kind, _quarter) in enumerate(DEMO_STRUCTURES):
            structure = Structure(name=name, kind=kind, neighbourhood=places[index % len(places)])
            db.session.add(structure)
            structures.append(structure)
        author = create_user(name="Bench", email="bench@example.org", password=PASSWORD, role="coordinator")
        db.session.flush()
        started = time.perf_counter()
        now = utcnow()
        generate_activity(rng=random.Random(5), start=now - timedelta(days=365 * years), end=now,
                          event_count=events, checkin_count=checkins, neighbourhoods=places,
                          structures=structures, author=author)
        db.session.commit()
        generate_structure_activity(rng=random.Random(6), start=now - timedelta(days=365 * years), end=now,
                                    structures=structures, visits=visits)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        return time.perf_counter() - started


def timed(client, url: str, repeat: int = 3) -> tuple[float, int]:
    """Best wall time of a GET, reading the whole (possibly streamed) body."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        assert response.status_code == 200, (url, response.status_code)
        best = min(best, time.perf_counter() - started)
    return best, size


def best_after_write(client, url: str, repeat: int = 3) -> float:
    """Best wall time of a look at the review, each after a new visit of a card met outside (a real write)."""
    best = float("inf")
    cards = db.session.execute(sa.select(Card.code).join(CheckIn, CheckIn.card_id == Card.id).where(
        CheckIn.first_seen.is_(True)).order_by(CheckIn.created_at.desc()).limit(repeat)).scalars().all()
    structure_id = db.session.execute(sa.select(Structure.id).where(Structure.active.is_(True))).scalars().first()
    for code in cards:
        record_visit(structure_id, visit_uuid=uuid.uuid4(), card_code=code, kind="first_contact")
        db.session.commit()
        best = min(best, timed(client, url, 1)[0])
    return best


def peak_memory(client, url: str) -> int:
    tracemalloc.start()
    response = client.get(url)
    for _chunk in response.response:
        pass
    response.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def holds(url: str, size: int) -> bool:
    """Whether the database already holds a generated history of this size (for --reuse)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM checkins")).scalar() == size
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def run(url: str, size: int, events: int, years: int, reuse: bool = False, raw: bool = True,
        visits: int | None = None) -> dict:
    app_config = {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    if reuse and holds(url, size):
        app, generation = create_app(app_config), 0.0
        with app.app_context():
            upgrade()  # a database built by an older revision gets the newer tables
    else:
        fresh_database(url)
        app = create_app(app_config)
        generation = populate(app, size, events, years, size // 5 if visits is None else visits)
    client = app.test_client()
    with app.app_context():
        client.post("/auth/login", data={"email": "bench@example.org", "password": PASSWORD})
        last_year = date.today() - timedelta(days=365)
        year = f"from={last_year.isoformat()}&to={date.today().isoformat()}"
        figures = {"generation_s": generation}
        # The first look scans every event and caches the settled ones; later looks read the cache.
        summaries.forget()
        db.session.commit()
        figures["page_all_time_first_s"], _ = timed(client, "/stats/", repeat=1)
        figures["page_one_year_s"], _ = timed(client, f"/stats/?{year}")
        figures["page_all_time_s"], _ = timed(client, "/stats/")
        figures["visits"] = db.session.execute(sa.text("SELECT count(*) FROM visits")).scalar()
        review_year = date.today().year
        figures["checkins_review_year"] = db.session.execute(sa.text(
            "SELECT count(*) FROM checkins WHERE created_at >= :start"), {"start": f"{review_year}-01-01"}).scalar()
        # A settled year (over for more than 180 days) is computed once, then read from its cache; the
        # year still moving is kept while nothing new is recorded (a new row anywhere: computed again).
        review = f"/stats/bilan-annuel/_figures?year={review_year}"
        review_cache.forget()
        forget_months()
        forget_parts()
        db.session.commit()
        figures["review_first_s"], _ = timed(client, review, 1)
        figures["review_s"], _ = timed(client, review)
        # After a new visit: the moving year computed again from the parts kept (the visit's card's events
        # computed again), the year before kept.
        cpu = time.process_time()
        figures["review_after_write_s"] = best_after_write(client, review)
        figures["review_after_write_cpu_s"] = (time.process_time() - cpu) / 3
        # The same, the finished months' visitor counts computed again too.
        forget_months()
        review_cache.forget([])
        db.session.commit()
        figures["review_months_again_s"], _ = timed(client, review, 1)
        print(f"  annual review {review_year} and {review_year - 1}: {figures['review_s']:.3f} s as later looks see "
              f"it, {figures['review_after_write_s']:.3f} s after a new record "
              f"(CPU {figures['review_after_write_cpu_s']:.3f} s), {figures['review_first_s']:.3f} s the first time; "
              f"the stats page over one year: {figures['page_one_year_s']:.3f} s", flush=True)
        review_cache.forget([])
        db.session.commit()
        figures["review_xlsx_s"], _ = timed(client, f"/stats/bilan-annuel/bilan.xlsx?year={review_year}", 1)
        figures["review_docx_s"], _ = timed(client, f"/stats/bilan-annuel/bilan.docx?year={review_year}", 1)
        figures["review_docx_after_look_s"], _ = timed(client, f"/stats/bilan-annuel/bilan.docx?year={review_year}")
        figures["checkins_previous_year"] = db.session.execute(sa.text(
            "SELECT count(*) FROM checkins WHERE created_at >= :start AND created_at < :end"),
            {"start": f"{review_year - 1}-01-01", "end": f"{review_year}-01-01"}).scalar()
        review_cache.forget()
        forget_months()
        forget_parts()
        db.session.commit()
        previous = f"/stats/bilan-annuel/_figures?year={review_year - 1}"
        figures["review_previous_first_s"], _ = timed(client, previous, 1)
        figures["review_previous_s"], _ = timed(client, previous)
        print(f"  annual review {review_year - 1} and {review_year - 2}: {figures['review_previous_s']:.3f} s "
              f"({figures['review_previous_first_s']:.3f} s the first time)", flush=True)
        exports = [("csv", "/stats/export.csv"), ("xlsx", "/stats/export.xlsx")]
        if raw:
            exports.append(("raw_csv", "/stats/enregistrements.csv"))
        for name, path in exports:
            repeat = 1 if name == "raw_csv" else 3
            figures[f"{name}_s"], figures[f"{name}_bytes"] = timed(client, path, repeat)
            figures[f"{name}_peak_mib"] = peak_memory(client, path) / 2**20
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="check-in counts, comma-separated")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--sqlite", default="/tmp/bench_stats.sqlite3")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    parser.add_argument("--no-raw", action="store_true", help="skip the raw CSV (minutes at 1M rows)")
    parser.add_argument("--visits", type=int, default=None,
                        help="reception visits to generate (default: a fifth of the check-ins)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database that already holds the first size (no new generation)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = [("sqlite", "sqlite:///" + args.sqlite)]
    if args.postgres:
        databases.append(("postgresql", args.postgres))
    for name, url in databases:
        results = {}
        for size in sizes:
            print(f"[{name}] {size} check-ins, {args.events} events, {args.years} years…", flush=True)
            results[size] = run(url, size, args.events, args.years, reuse=args.reuse and size == sizes[0],
                                raw=not args.no_raw, visits=args.visits)
            for key, value in results[size].items():
                print(f"  {key:22} {value:12.3f}" if isinstance(value, float) else f"  {key:22} {value:12}")
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            print(f"[{name}] ratios {large} / {small} check-ins (x{large / small:.0f} rows):")
            for key in results[small]:
                if results[small][key] and results[large][key]:
                    print(f"  {key:22} x{results[large][key] / results[small][key]:.2f}")


if __name__ == "__main__":
    main()
