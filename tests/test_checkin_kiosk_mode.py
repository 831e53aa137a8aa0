"""Kiosk mode: opening it binds the tablet to one event, leaving it needs the animateur's PIN."""

from html import unescape

import pytest

from kiosk.events.services import close_event
from kiosk.extensions import db

from .factories import gen_event, gen_user
from .factories_checkin import PIN, checkins, gen_kiosk_setup, kiosk_resident


@pytest.fixture
def kiosk(client):
    return kiosk_resident(client)


def test_opening_the_kiosk_logs_the_animateur_out_of_the_tablet(kiosk, client):
    with client.session_transaction() as session:
        assert "_user_id" not in session and "kiosk" in session


def test_a_kiosk_tablet_cannot_reach_staff_pages_without_the_pin(kiosk, client):
    for path in ("/events/", f"/events/{kiosk.event.code}", "/admin/neighbourhoods", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.endswith(f"/kiosk/{kiosk.event.code}/unlock")
    assert client.post("/auth/logout").status_code == 302


def test_the_kiosk_exit_is_refused_without_the_right_pin(kiosk, client):
    response = client.post(f"/kiosk/{kiosk.event.code}/unlock", data={"secret": "000000"})
    assert response.status_code == 403
    assert "Code incorrect" in unescape(response.text)
    assert client.get("/events/").status_code == 302


def test_another_animateurs_pin_does_not_unlock(kiosk, client):
    gen_user(structure=kiosk.event.structure, pin="135790")
    db.session.commit()
    assert client.post(f"/kiosk/{kiosk.event.code}/unlock", data={"secret": "135790"}).status_code == 403


def test_the_animateurs_pin_leaves_kiosk_mode(kiosk, client):
    response = client.post(f"/kiosk/{kiosk.event.code}/unlock", data={"secret": PIN})
    assert response.status_code == 303 and response.location.endswith(f"/events/{kiosk.event.code}")
    assert client.get("/events/").status_code == 200


def test_unlock_attempts_are_rate_limited(kiosk, client):
    statuses = [client.post(f"/kiosk/{kiosk.event.code}/unlock", data={"secret": "wrong password"}).status_code
                for _ in range(6)]
    assert statuses[-1] == 429
    assert client.post(f"/kiosk/{kiosk.event.code}/unlock", data={"secret": PIN}).status_code == 429


def test_a_bound_tablet_stays_on_its_event(kiosk, client):
    other = gen_event(structure=kiosk.event.structure)
    db.session.commit()
    response = client.get(f"/kiosk/{other.code}")
    assert response.status_code == 302 and response.location.endswith(f"/kiosk/{kiosk.event.code}")


def test_a_malformed_kiosk_binding_is_dropped(kiosk, client):
    with client.session_transaction() as session:
        session["kiosk"] = "a token of an older version"
    response = client.get("/events/")  # the lock is gone, and nobody is logged in on the tablet
    assert response.status_code == 302 and "/auth/login" in response.location
    with client.session_transaction() as session:
        assert "kiosk" not in session and "_user_id" not in session


def test_a_forged_session_cookie_binds_nothing(kiosk, client, app):
    name = app.config["SESSION_COOKIE_NAME"]
    value = client.get_cookie(name).value
    client.set_cookie(name, value[:-4] + ("AAAA" if value[-4:] != "AAAA" else "BBBB"))
    response = client.get(kiosk.base)
    assert response.status_code == 302 and "/auth/login" in response.location


def test_closing_the_event_ends_the_kiosk(kiosk, client):
    close_event(kiosk.event)
    db.session.commit()
    response = client.get(kiosk.base)
    assert response.status_code == 410
    assert "Ce stand est fermé" in unescape(response.text)
    assert kiosk.submit({}, lang="en").status_code == 410
    assert checkins(kiosk.event) == []


def test_opening_a_kiosk_needs_a_login_and_access_to_the_event(client):
    user, event = gen_kiosk_setup()
    response = client.get(f"/kiosk/{event.code}")
    assert response.status_code == 302 and "/auth/login" in response.location
    response = client.post(f"/kiosk/{event.code}/open")
    assert response.status_code == 302 and "/auth/login" in response.location
    outsider = gen_user()
    db.session.commit()
    client.post("/auth/login", data={"email": outsider.email, "password": "correct horse battery"})
    assert client.post(f"/kiosk/{event.code}/open").status_code == 403


