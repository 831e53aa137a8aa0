"""Check-ins only during the event's times, with a margin; events close by themselves after; print a draft."""

from datetime import timedelta
from html import unescape

import pytest

from kiosk.checkin.services import EVENT_CLOSED, NOT_STARTED, RECORDED
from kiosk.config import from_environment
from kiosk.extensions import db
from kiosk.models import Event, utcnow

from .factories import gen_event, gen_user
from .factories_checkin import PASSWORD, checkins, new_card_code, record

EARLY_FR = "Ce stand ouvre plus tard."
EARLY_EN = "This stand opens later."
EARLY_AR = "هذا الجناح يفتح لاحقاً."
OVER_FR = "Ce stand est fermé. Merci et à bientôt !"


def event_at(starts_in: timedelta, lasts: timedelta = timedelta(hours=2), **kw) -> Event:
    """An open event of a fresh structure starting `starts_in` from now (negative: started)."""
    now = utcnow()
    event = gen_event(starts_at=now + starts_in, ends_at=now + starts_in + lasts, **kw)
    db.session.commit()
    return event


@pytest.mark.parametrize("starts_in, lasts, outcome", [
    (timedelta(minutes=40), timedelta(hours=2), NOT_STARTED),  # opened early: too soon
    (timedelta(minutes=20), timedelta(hours=2), RECORDED),  # within the 30 minutes before
    (-timedelta(hours=2, minutes=20), timedelta(hours=2), RECORDED),  # within the 30 minutes after
    (-timedelta(hours=2, minutes=40), timedelta(hours=2), EVENT_CLOSED),  # nobody closed it
    (-timedelta(days=30), timedelta(hours=2), EVENT_CLOSED),
])
def test_a_check_in_is_taken_only_from_30_minutes_before_to_30_minutes_after(app, starts_in, lasts, outcome):
    event = event_at(starts_in, lasts)
    assert record(event, new_card_code()).outcome == outcome
    assert len(checkins(event)) == (1 if outcome == RECORDED else 0)


def test_the_margin_is_a_setting(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CHECKIN_MARGIN_MINUTES", "90")
    assert from_environment(str(tmp_path))["CHECKIN_MARGIN_MINUTES"] == 90
    app.config["CHECKIN_MARGIN_MINUTES"] = 90
    assert record(event_at(timedelta(minutes=80))).outcome == RECORDED
    assert record(event_at(timedelta(minutes=100))).outcome == NOT_STARTED


def test_the_phone_says_an_early_event_has_not_started_in_every_language_then_in_the_chosen_one(client):
    event = event_at(timedelta(hours=2))
    page = client.get(f"/e/{event.code}")
    assert page.status_code == 409
    text = unescape(page.text)
    assert EARLY_FR in text and EARLY_EN in text and EARLY_AR in text
    assert "Il ouvre le" in text

    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/e/{event.code}/privacy")
    assert page.status_code == 409
    assert EARLY_EN in unescape(page.text) and EARLY_FR not in unescape(page.text)


def test_a_kiosk_opened_early_takes_no_check_in_until_the_margin(client, app):
    event = event_at(timedelta(hours=2))
    animateur = gen_user(structure=event.structure)
    db.session.commit()
    client.post("/auth/login", data={"email": animateur.email, "password": PASSWORD})
    client.post(f"/kiosk/{event.code}/open")  # the tablet is bound: the animateur prepares it early
    page = client.get(f"/kiosk/{event.code}")
    assert page.status_code == 409 and EARLY_FR in unescape(page.text)
    sent = client.post(f"/kiosk/{event.code}/checkin",
                       data={"flow": "8a3c8f5e-53b4-4b0e-9f54-1c3e1f2f8f11", "lang": "fr"})
    assert sent.status_code == 409
    assert checkins(event) == []


def test_a_kiosk_after_the_margin_says_the_event_is_over(client):
    event = event_at(-timedelta(hours=3))
    page = client.get(f"/e/{event.code}")
    assert page.status_code == 410 and OVER_FR in unescape(page.text)


def test_events_past_their_window_close_by_themselves_from_the_command(app, runner):
    finished = event_at(-timedelta(hours=2, minutes=31))
    ending = event_at(-timedelta(hours=2, minutes=10))
    draft = event_at(-timedelta(days=3), status="draft")
    result = runner.invoke(args=["events", "close-finished"])
    assert result.exit_code == 0, result.output
    assert finished.code in result.output and "1 action(s)" in result.output
    db.session.expire_all()
    closed = db.session.get(Event, finished.id)
    assert closed.status == "closed"
    assert closed.closed_at == closed.ends_at + timedelta(minutes=30)
    assert (db.session.get(Event, ending.id).status, db.session.get(Event, draft.id).status) == ("open", "draft")
    assert "0 action(s)" in runner.invoke(args=["events", "close-finished"]).output


def test_a_staff_page_closes_a_finished_event_as_closing_by_hand_does(app, client):
    event = event_at(-timedelta(hours=1))
    animateur = gen_user(structure=event.structure)
    db.session.commit()
    assert client.get(f"/e/{event.code}").status_code == 200  # the kiosk screens keep a copy of the event
    event.ends_at = utcnow() - timedelta(minutes=31)
    db.session.commit()

    staff = app.test_client()
    staff.post("/auth/login", data={"email": animateur.email, "password": PASSWORD})
    page = staff.get(f"/events/{event.code}")
    assert "Clôturée" in page.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "closed"
    assert client.get(f"/e/{event.code}").status_code == 410


def test_posters_and_card_sheets_print_from_a_draft(app, client):
    event = event_at(timedelta(days=7), status="draft")
    animateur = gen_user(structure=event.structure)
    db.session.commit()
    client.post("/auth/login", data={"email": animateur.email, "password": PASSWORD})
    page = client.get(f"/events/{event.code}").text
    assert f'href="/events/{event.code}/poster"' in page
    assert f'href="/events/{event.code}/cards"' in page
    assert client.get(f"/events/{event.code}/poster").status_code == 200
    assert client.get(f"/events/{event.code}/cards").status_code == 200
