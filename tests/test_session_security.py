"""Sessions and tokens: logout and a new password end copied cookies; Secure cookie; CSRF lifetime and renewal."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from kiosk.config import from_environment
from kiosk.extensions import db

from . import factories
from .conftest import make_app

HOUR = 3600


def logged_in(app, user):
    client = app.test_client()
    assert client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding a copy of this one's session cookie."""
    thief = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_cookie_copied_before_logout_stops_working(app):
    client = logged_in(app, factories.gen_user(role="coordinator"))
    thief = copy_of(app, client)
    assert thief.get("/events/").status_code == 200
    client.post("/auth/logout")
    response = thief.get("/events/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app):
    user = factories.gen_user(role="coordinator")
    client, other_device = logged_in(app, user), logged_in(app, user)
    thief = copy_of(app, client)
    response = client.post("/account", data={"current": factories.PASSWORD, "new_password": "un autre secret",
                                             "confirm": "un autre secret"})
    assert response.status_code == 302
    assert client.get("/events/").status_code == 200
    for stale in (other_device, thief):
        assert stale.get("/events/").status_code == 302


def test_a_pin_change_alone_keeps_the_other_sessions(app):
    user = factories.gen_user()
    client, other_device = logged_in(app, user), logged_in(app, user)
    assert client.post("/account", data={"current": factories.PASSWORD, "pin": "135790"}).status_code == 302
    assert other_device.get("/events/").status_code == 200


def test_a_coordinator_resetting_a_password_logs_that_person_out(app):
    coordinator, animateur = factories.gen_user(role="coordinator"), factories.gen_user()
    theirs = logged_in(app, animateur)
    client = logged_in(app, coordinator)
    response = client.post(f"/admin/users/{animateur.id}", data={
        "name": animateur.name, "email": animateur.email, "role": "animateur",
        "structure_id": animateur.structure_id, "password": "nouveau secret", "active": "y"})
    assert response.status_code == 302
    assert theirs.get("/events/").status_code == 302
    assert client.get("/events/").status_code == 200


def test_a_session_of_an_older_version_loads_nobody(app, client):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what earlier versions kept: no session version
    assert client.get("/events/").status_code == 302


@pytest.mark.parametrize(("public_url", "secure"), [("https://hlm.example.org", True),
                                                     ("http://localhost:5000", False)])
def test_the_session_cookie_is_secure_when_served_over_https(app, monkeypatch, public_url, secure):
    monkeypatch.setenv("PUBLIC_URL", public_url)
    app.config["SESSION_COOKIE_SECURE"] = from_environment(app.instance_path)["SESSION_COOKIE_SECURE"]
    user = factories.gen_user(role="coordinator")
    response = app.test_client().post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    assert ("; Secure" in response.headers["Set-Cookie"]) is secure


def test_behind_a_configured_proxy_the_client_address_comes_from_its_header(database_url):
    """Rate limits count per client address: behind a proxy it is X-Forwarded-For, trusted only if configured."""
    for hops, other_client_status in ((1, 400), (0, 429)):
        app = make_app(database_url, PROXY_FIX_X_FOR=hops, LOGIN_RATE_LIMIT="2 per minute")
        client = app.test_client()

        def post(address, client=client):
            return client.post("/auth/login", data={"email": "x@example.org", "password": "bad"},
                               headers={"X-Forwarded-For": address}).status_code

        assert [post("203.0.113.1") for _ in range(3)] == [400, 400, 429]
        assert post("203.0.113.2") == other_client_status
        with app.app_context():
            db.engine.dispose()


def aged_token(app, raw: str, age: int) -> str:
    """Sign a CSRF token as Flask-WTF does, as if `age` seconds ago: a token kept since then."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=Signer).dumps(raw)


def raw_token(client) -> str:
    client.get("/auth/login")
    with client.session_transaction() as session:
        return session["csrf_token"]


def test_a_form_stays_valid_for_a_kiosk_day_but_not_forever(app, csrf_client):
    user = factories.gen_user(role="coordinator")
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 12 * HOUR
    for age, status in ((11 * HOUR, 302), (13 * HOUR, 400)):
        client = app.test_client()
        token = aged_token(app, raw_token(client), age)
        response = client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD,
                                                    "csrf_token": token})
        assert response.status_code == status, age


def test_the_csrf_token_is_renewed_at_login(app, csrf_client):
    user = factories.gen_user(role="coordinator")
    before = raw_token(csrf_client)
    token = aged_token(app, before, 0)
    assert csrf_client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD,
                                                 "csrf_token": token}).status_code == 302
    assert csrf_client.get("/account").status_code == 200
    with csrf_client.session_transaction() as session:
        assert session["csrf_token"] != before
    # A token seen before the login (planted or read by someone else) is worth nothing after it.
    assert csrf_client.post("/auth/logout", data={"csrf_token": token}).status_code == 400
    assert csrf_client.get("/events/").status_code == 200
