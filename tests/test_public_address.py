"""Posters lead phones to an address they can open: the default is the stand's network address,
and the poster and card pages warn when PUBLIC_URL is loopback, unknown or unreachable."""

import socket

import pytest

from kiosk import create_app
from kiosk.config import lan_address
from kiosk.stand.public_address import find_problem

from .factories_stand import gen_stand

WARNING = "Réglez PUBLIC_URL"
LAN = lan_address()
needs_lan = pytest.mark.skipif(LAN is None, reason="this machine has no network address besides loopback")


@pytest.fixture
def listening():
    """A port that accepts connections on this machine's network address."""
    with socket.socket() as server:
        server.bind((LAN, 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def closed_port():
    """A port of this machine's network address where nothing listens."""
    with socket.socket() as probe:
        probe.bind((LAN, 0))
        return probe.getsockname()[1]


@needs_lan
def test_public_url_defaults_to_the_address_make_run_prints_for_other_devices(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    app = create_app({"SECRET_KEY": "t", "TESTING": True}, instance_path=str(tmp_path))
    assert app.config["PUBLIC_URL"] == f"http://{LAN}:8123"


@pytest.mark.parametrize(("url", "problem"), [
    ("http://localhost:5000", "loopback"),
    ("http://127.0.0.1:5000", "loopback"),
    ("http://[::1]:5000", "loopback"),
    ("http://0.0.0.0:5000", "loopback"),
    ("http://stand.localhost", "loopback"),
    ("http://stand-du-sanitas.invalid:5000", "unresolvable"),
    ("localhost:5000", "invalid"),
    ("http://:5000", "invalid"),
])
def test_addresses_phones_cannot_open_are_named(url, problem):
    assert find_problem(url) == problem


@needs_lan
def test_an_address_that_answers_is_fine_and_one_that_does_not_is_unreachable(listening, closed_port):
    assert find_problem(f"http://{LAN}:{listening}") is None
    assert find_problem(f"http://{LAN}:{closed_port}") == "unreachable"


@pytest.mark.parametrize("page", ["poster", "cards"])
def test_the_print_pages_warn_of_a_loopback_address(app, client, auth, page):
    app.config["PUBLIC_URL"] = "http://localhost:5000"
    stand = gen_stand()
    auth.login_as(stand.animateur)
    html = client.get(f"/events/{stand.event.code}/{page}").get_data(as_text=True)
    assert WARNING in html and "à cet ordinateur" in html


def test_the_poster_warns_of_an_unknown_name(app, client, auth):
    app.config["PUBLIC_URL"] = "https://hors-les-murs.invalid"
    stand = gen_stand()
    auth.login_as(stand.animateur)
    html = client.get(f"/events/{stand.event.code}/poster").get_data(as_text=True)
    assert "est introuvable" in html


@needs_lan
@pytest.mark.parametrize("page", ["poster", "cards"])
def test_the_print_pages_do_not_warn_of_an_address_that_answers(app, client, auth, listening, page):
    app.config["PUBLIC_URL"] = f"http://{LAN}:{listening}"
    stand = gen_stand()
    auth.login_as(stand.animateur)
    html = client.get(f"/events/{stand.event.code}/{page}").get_data(as_text=True)
    assert WARNING not in html
