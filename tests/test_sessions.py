"""The session cookie: signed as Flask signs it, written uncompressed, older cookies still read."""

import pytest
from flask.sessions import SecureCookieSessionInterface

from kiosk.sessions import CookieSessionInterface, csrf_token

LONG = {"flow": {"a": {f"step{i}": "skip" for i in range(30)}}, "lang": "ar"}  # zlib would shorten it


def test_the_cookie_is_signed_and_never_compressed(app):
    serializer = CookieSessionInterface().get_signing_serializer(app)
    cookie = serializer.dumps(LONG)
    assert not cookie.startswith(".")  # itsdangerous marks a compressed payload with a dot
    assert serializer.loads(cookie) == LONG
    assert SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie) == LONG


def test_a_cookie_written_compressed_by_flask_still_loads(app):
    compressed = SecureCookieSessionInterface().get_signing_serializer(app).dumps(LONG)
    assert compressed.startswith(".")
    assert CookieSessionInterface().get_signing_serializer(app).loads(compressed) == LONG


def test_the_application_uses_it(app, client):
    with client.session_transaction() as session:
        session.update(LONG)  # long enough that Flask's own serializer would compress it
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert not cookie.startswith(".")
    assert CookieSessionInterface().get_signing_serializer(app).loads(cookie)["lang"] == "ar"


def test_the_csrf_token_is_one_flask_wtf_accepts(app):
    from flask import g, session
    from flask_wtf.csrf import generate_csrf, validate_csrf
    from wtforms import ValidationError

    with app.test_request_context():
        token = csrf_token()
        assert not token.startswith(".") and csrf_token() == token  # signed once per request
        validate_csrf(token)  # raises ValidationError if Flask-WTF refused it
        assert generate_csrf() == token  # Flask-WTF's own forms reuse it
        g.pop("csrf_token")  # a later request of the same browser: signed anew, still valid
        later = csrf_token()
        validate_csrf(later)
        session["csrf_token"] = "another browser's raw token"
        with pytest.raises(ValidationError, match="do not match"):
            validate_csrf(later)


def test_templates_sign_the_csrf_token_without_zlib(app):
    from flask import render_template_string

    with app.test_request_context():
        # Flask-WTF puts its own generate_csrf in every context: ours must be the one used.
        assert render_template_string("{{ csrf_token.__module__ }}.{{ csrf_token.__name__ }}") == (
            "kiosk.sessions.csrf_token")
