"""Time the live view's polling: unchanged polls (204) against full panel renders.

Run: .venv/bin/python -m bench.stand_poll [polls]   (SQLite in a temporary folder)
Prints the time per poll and per render, and their ratio.
"""

import sys
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade

from kiosk import create_app
from kiosk.auth.services import create_user
from kiosk.codes import new_card_code, new_event_code
from kiosk.extensions import db
from kiosk.models import Card, CheckIn, Event, Neighbourhood, Structure, Tally, utcnow

PASSWORD = "bench-password"


def seed(checkins: int = 300) -> tuple[str, str]:
    quarter = Neighbourhood(name="Sanitas", commune="Tours")
    home = Structure(name="Centre social", neighbourhood=quarter)
    db.session.add_all([quarter, home])
    db.session.flush()
    user = create_user(name="Animateur", email="bench@example.org", password=PASSWORD, role="animateur",
                       structure_id=home.id)
    now = utcnow()
    event = Event(code=new_event_code(), title="Bench", neighbourhood=quarter, structure=home, status="open",
                  starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=2), interpreter_languages="ar")
    db.session.add(event)
    for i in range(checkins):
        card = Card(code=new_card_code()) if i % 2 else None
        db.session.add(CheckIn(event=event, card=card, first_seen=bool(card), first_time="yes" if i % 3 else "no",
                               age_band="26_40", childcare_children=i % 3, interpreter_language="ar" if i % 7 == 0
                               else None, created_at=now - timedelta(minutes=i % 120)))
    db.session.add(Tally(event=event, count=5, author=user))
    db.session.commit()
    return event.code, user.email


def main(polls: int = 1000) -> None:
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        code, email = seed()
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    url = f"/events/{code}/live/_panel"
    first = client.get(url, headers={"HX-Request": "true"})
    version = first.get_data(as_text=True).split('data-version="', 1)[1].split('"', 1)[0]

    started = time.perf_counter()
    for _ in range(polls):
        assert client.get(url, query_string={"v": version}, headers={"HX-Request": "true"}).status_code == 204
    unchanged = (time.perf_counter() - started) / polls

    renders = max(polls // 10, 10)
    started = time.perf_counter()
    for _ in range(renders):
        assert client.get(url, query_string={"v": "stale"}, headers={"HX-Request": "true"}).status_code == 200
    full = (time.perf_counter() - started) / renders

    print(f"unchanged poll (204): {unchanged * 1000:.2f} ms each over {polls}")
    print(f"full panel render:    {full * 1000:.2f} ms each over {renders} ({len(first.data)} bytes)")
    print(f"ratio: an unchanged poll costs {unchanged / full:.0%} of a render; "
          f"one core serves ~{1 / unchanged:.0f} polls/s, i.e. ~{2 / unchanged:.0f} dashboards polling every 2 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
