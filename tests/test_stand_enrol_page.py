"""The stand's enrolment page, against a real central server: a coordinator types or scans URL and code.

Every refusal is said in plain French and leaves the stand as it was; the success leaves the
same private token file as `flask stand enrol`.
"""

from __future__ import annotations

import html
import os
import stat
from datetime import timedelta

import pytest

from kiosk.extensions import db
from kiosk.models import Device, utcnow
from kiosk.sync import client as sync_client

from . import factories
from .sync_support import CentralServer, Stand, app_for, central_database_url, clear, free_port, migrate, seed_central


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("enrol-page")
    url = central_database_url(tmp)
    migrate(url, tmp / "migrate")
    template = tmp / "stand-template.sqlite3"
    migrate("sqlite:///" + str(template), tmp / "migrate-stand")
    server = CentralServer(url, tmp / "central")
    server.start()
    server.admin, server.template = app_for(url, tmp / "admin", "central"), template
    yield server
    server.stop()
    with server.admin.app_context():
        db.engine.dispose()


@pytest.fixture
def world(central, tmp_path):
    clear(central.admin)
    seeded = seed_central(central.admin, devices=2)
    stand = Stand(central.template, tmp_path / "stand")
    with stand.context():
        coordinator = factories.gen_user(role="coordinator", email="coordination@stand.example.org")
        animateur = factories.gen_user(email="animateur@stand.example.org")
        db.session.commit()
        seeded.update(coordinator=coordinator.email, animateur=animateur.email)
    seeded["stand"] = stand
    yield seeded
    stand.close()


def _browser(world, email):
    browser = world["stand"].app.test_client()
    browser.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
    return browser


def _enrol(browser, url, code, **extra):
    return browser.post("/installation/inscription", data={"central_url": url, "code": code, **extra})


def _credentials(world):
    with world["stand"].context():
        return sync_client.credentials()


def test_a_coordinator_enrols_the_stand_from_the_page(central, world):
    browser = _browser(world, world["coordinator"])
    assert "Scanner le QR du serveur central" in browser.get("/installation/inscription").get_data(as_text=True)
    answer = _enrol(browser, central.base, world["codes"][0].lower())
    assert answer.status_code == 303
    page = browser.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Stand inscrit : Stand 0" in page
    saved = _credentials(world)
    assert saved["central_url"] == central.base and saved["token"]
    path = world["stand"].folder / "instance" / "stand.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with world["stand"].context():  # the token works: the stand pulls its structure's events
        assert sync_client.sync_once().pulled > 0


def test_the_scanned_qr_fills_both_fields_at_once(central, world):
    browser = _browser(world, world["coordinator"])
    # The central server's QR holds "URL CODE"; a scanner typing into one field gives that.
    assert _enrol(browser, f"{central.base} {world['codes'][0]}", "").status_code == 303
    assert _credentials(world)["central_url"] == central.base


@pytest.mark.parametrize("case, expected", [
    ("wrong_code", "Code d'inscription inconnu"),
    ("used_code", "Code d'inscription inconnu"),
    ("expired", "Code d'inscription expiré"),
    ("revoked", "Ce stand a été révoqué"),
    ("unreachable", "Serveur central injoignable"),
    ("not_central", "pas comme un serveur central"),
    ("bad_url", "Adresse du serveur central invalide"),
])
def test_each_refusal_is_said_in_plain_french_and_enrols_nothing(central, world, case, expected):
    url, code = central.base, world["codes"][0]
    with central.admin.app_context():
        device = db.session.execute(db.select(Device).where(Device.name == "Stand 0")).scalar_one()
        if case == "expired":
            device.enrol_expires_at = utcnow() - timedelta(minutes=1)
        elif case == "revoked":
            device.revoked_at = utcnow()
        db.session.commit()
    if case == "wrong_code":
        code = "0000-0000-0000"
    elif case == "used_code":
        with world["stand"].context():
            sync_client.enrol(url, code)
        os.remove(world["stand"].folder / "instance" / "stand.json")
    elif case == "unreachable":
        url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    elif case == "not_central":
        url = central.base + "/not-here"  # a server, but no enrolment there
    elif case == "bad_url":
        url = "central.example.org"
    browser = _browser(world, world["coordinator"])
    answer = _enrol(browser, url, code)
    assert answer.status_code == 422
    assert expected in html.unescape(answer.get_data(as_text=True))
    assert _credentials(world) is None


def test_an_enrolled_stand_is_enrolled_again_only_when_asked(central, world):
    browser = _browser(world, world["coordinator"])
    assert _enrol(browser, central.base, world["codes"][0]).status_code == 303
    first = _credentials(world)["token"]
    answer = _enrol(browser, central.base, world["codes"][1])
    assert answer.status_code == 422
    assert "Ce stand est déjà inscrit" in html.unescape(answer.get_data(as_text=True))
    assert _credentials(world)["token"] == first  # the code was not spent either
    assert _enrol(browser, central.base, world["codes"][1], replace="1").status_code == 303
    assert _credentials(world)["name"] == "Stand 1"


def test_only_a_coordinator_enrols_the_stand(central, world):
    assert world["stand"].app.test_client().get("/installation/inscription").status_code in (302, 303)
    browser = _browser(world, world["animateur"])
    assert _enrol(browser, central.base, world["codes"][0]).status_code == 403
    assert _credentials(world) is None
