"""Brute force and enumeration: equal work for unknown e-mails, per-account backoff, limits on the account page."""

import re
from datetime import timedelta
from html import unescape

import pytest

from kiosk.auth.services import LOCK_AFTER, authenticate, dummy_hash, verify_password
from kiosk.extensions import db
from kiosk.models import utcnow

from . import factories


def test_an_unknown_email_is_checked_against_a_hash_made_once(app):
    """Making a hash per unknown e-mail cost twice a check: login timing told which e-mails exist."""
    first = dummy_hash()
    assert authenticate("nobody@example.org", "whatever") is None
    assert dummy_hash() is first
    assert first.startswith(app.config["PASSWORD_HASH_METHOD"].split(":")[0])


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(client):
    user = factories.gen_user()
    db.session.commit()
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong one"})
    wrong = client.post("/auth/login", data={"email": user.email, "password": "wrong one"})
    assert unknown.status_code == wrong.status_code == 400

    def page(response, email):  # the page but its CSRF token, which is new on every page
        return re.sub(r'content="[^"]*"|value="[^"]*"', "", response.text.replace(email, "EMAIL"))

    assert page(unknown, "nobody@example.org") == page(wrong, user.email)


def test_the_backoff_grows_and_a_right_password_resets_it(app):
    user = factories.gen_user()
    for attempt in range(1, LOCK_AFTER):
        assert not verify_password(user, "wrong")
        assert user.locked_until is None, attempt
    assert not verify_password(user, "wrong")
    first_lock = user.locked_until - utcnow()
    assert timedelta(seconds=50) < first_lock <= timedelta(minutes=1)
    assert not verify_password(user, factories.PASSWORD)  # locked: even the right password is refused
    user.locked_until = utcnow() - timedelta(seconds=1)  # the minute has passed
    assert not verify_password(user, "wrong")
    assert user.locked_until - utcnow() > timedelta(minutes=1)  # twice as long now
    user.locked_until = utcnow() - timedelta(seconds=1)
    assert verify_password(user, factories.PASSWORD)
    assert (user.failed_logins, user.locked_until) == (0, None)


@pytest.fixture
def generous(app):
    """Room for many attempts from one address: what is tested here is the account's own backoff."""
    app.config["LOGIN_RATE_LIMIT"] = "100 per minute"
    return app


def test_an_account_refuses_logins_after_repeated_wrong_passwords(generous, client):
    user = factories.gen_user()
    for _ in range(LOCK_AFTER):
        assert client.post("/auth/login", data={"email": user.email, "password": "wrong"}).status_code == 400
    # From another address, with the right password: the account itself is what waits.
    other = generous.test_client()
    response = other.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 400
    user.locked_until = utcnow() - timedelta(seconds=1)  # the minute has passed
    assert other.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302


def test_the_account_page_counts_wrong_current_passwords(generous, client, auth):
    user = factories.gen_user()
    auth.login_as(user)
    for _ in range(LOCK_AFTER):
        response = client.post("/account", data={"current": "wrong", "pin": "135790"})
        assert response.status_code == 400
    response = client.post("/account", data={"current": factories.PASSWORD, "pin": "135790"})
    assert response.status_code == 400 and "Mot de passe actuel incorrect." in unescape(response.text)
    assert user.pin_hash is None


def test_the_account_page_is_rate_limited_per_account(app, client, auth):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    auth.login_as(factories.gen_user())
    statuses = [client.post("/account", data={"current": "wrong"}, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
                .status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_an_animateur_without_a_pin_is_asked_for_a_six_digit_one(client, auth):
    auth.login_as(factories.gen_user())
    assert "codes PIN du kiosque ont maintenant 6 chiffres" in unescape(client.get("/events/").text)
