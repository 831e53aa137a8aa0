"""Sessions and tokens: logout and a new password end copied cookies; Secure cookie; CSRF lifetime and renewal."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from . import factories
from .site import Site

HOUR = 3600


@pytest.fixture
def site(database_url):
    site = Site(database_url)
    yield site
    site.close()


def new_user(site, **kw) -> dict:
    def make():
        user = factories.gen_user(**kw)
        return {"id": user.id, "email": user.email, "name": user.name, "structure_id": user.structure_id}
    return site.run(make)


def logged_in(site, user):
    client = site.client()
    assert client.post("/auth/login", data={"email": user["email"], "password": factories.PASSWORD}).status_code == 302
    return client


def copy_of(site, client):
    """Another browser holding a copy of this one's session cookie."""
    thief = site.client()
    name = site.app.config["SESSION_COOKIE_NAME"]
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_cookie_copied_before_logout_stops_working(site):
    client = logged_in(site, new_user(site, role="coordinator"))
    thief = copy_of(site, client)
    assert thief.get("/events/").status_code == 200
    client.post("/auth/logout")
    response = thief.get("/events/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_new_password_ends_the_other_sessions_but_not_this_one(site):
    user = new_user(site, role="coordinator")
    client, other_device = logged_in(site, user), logged_in(site, user)
    thief = copy_of(site, client)
    response = client.post("/account", data={"current": factories.PASSWORD, "new_password": "un autre secret",
                                             "confirm": "un autre secret"})
    assert response.status_code == 302
    assert client.get("/events/").status_code == 200
    for stale in (other_device, thief):
        assert stale.get("/events/").status_code == 302


def test_a_pin_change_alone_keeps_the_other_sessions(site):
    user = new_user(site)
    client, other_device = logged_in(site, user), logged_in(site, user)
    assert client.post("/account", data={"current": factories.PASSWORD, "pin": "135790"}).status_code == 302
    assert other_device.get("/events/").status_code == 200


def test_a_coordinator_resetting_a_password_logs_that_person_out(site):
    coordinator, animateur = new_user(site, role="coordinator"), new_user(site)
    theirs = logged_in(site, animateur)
    client = logged_in(site, coordinator)
    response = client.post(f"/admin/users/{animateur['id']}", data={
        "name": animateur["name"], "email": animateur["email"], "role": "animateur",
        "structure_id": animateur["structure_id"], "password": "nouveau secret", "active": "y"})
    assert response.status_code == 302
    assert theirs.get("/events/").status_code == 302
    assert client.get("/events/").status_code == 200


def test_a_session_of_an_older_version_loads_nobody(site):
    user = new_user(site, role="coordinator")
    client = site.client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user["id"])  # what earlier versions kept: no session version
    assert client.get("/events/").status_code == 302


@pytest.mark.parametrize(("public_url", "secure"), [("https://hlm.example.org", True),
                                                     ("http://localhost:5000", False)])
def test_the_session_cookie_is_secure_when_served_over_https(database_url, monkeypatch, public_url, secure):
    monkeypatch.setenv("PUBLIC_URL", public_url)
    site = Site(database_url)
    try:
        user = new_user(site, role="coordinator")
        response = site.client().post("/auth/login", data={"email": user["email"], "password": factories.PASSWORD})
        assert ("; Secure" in response.headers["Set-Cookie"]) is secure
    finally:
        site.close()


def test_behind_a_configured_proxy_the_client_address_comes_from_its_header(database_url):
    """Rate limits count per client address: behind a proxy it is X-Forwarded-For, trusted only if configured."""
    for hops, other_client_status in ((1, 400), (0, 429)):
        site = Site(database_url, PROXY_FIX_X_FOR=hops, LOGIN_RATE_LIMIT="2 per minute")
        client = site.client()

        def post(address, client=client):
            return client.post("/auth/login", data={"email": "x@example.org", "password": "bad"},
                               headers={"X-Forwarded-For": address}).status_code

        assert [post("203.0.113.1") for _ in range(3)] == [400, 400, 429]
        assert post("203.0.113.2") == other_client_status
        site.close()


def aged_token(app, raw: str, age: int) -> str:
    """Sign a CSRF token as Flask-WTF does, as if `age` seconds ago: a token kept since then."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=Signer).dumps(raw)


@pytest.fixture
def csrf_site(database_url):
    site = Site(database_url, WTF_CSRF_ENABLED=True)
    yield site
    site.close()


def raw_token(client) -> str:
    client.get("/auth/login")
    with client.session_transaction() as session:
        return session["csrf_token"]


def test_a_form_stays_valid_for_a_kiosk_day_but_not_forever(csrf_site):
    user = new_user(csrf_site, role="coordinator")
    assert csrf_site.app.config["WTF_CSRF_TIME_LIMIT"] == 12 * HOUR
    for age, status in ((11 * HOUR, 302), (13 * HOUR, 400)):
        client = csrf_site.client()
        token = aged_token(csrf_site.app, raw_token(client), age)
        response = client.post("/auth/login", data={"email": user["email"], "password": factories.PASSWORD,
                                                    "csrf_token": token})
        assert response.status_code == status, age


def test_the_csrf_token_is_renewed_at_login(csrf_site):
    user = new_user(csrf_site, role="coordinator")
    client = csrf_site.client()
    before = raw_token(client)
    token = aged_token(csrf_site.app, before, 0)
    assert client.post("/auth/login", data={"email": user["email"], "password": factories.PASSWORD,
                                            "csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert session["csrf_token"] != before
    # A token seen before the login (planted or read by someone else) is worth nothing after it.
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 400
    assert client.get("/events/").status_code == 200
