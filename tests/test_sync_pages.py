"""The coordinator's devices pages on the central server: who may see them, create, revoke."""

import re
from pathlib import Path

import pytest

from kiosk.extensions import db
from kiosk.models import Device

from . import factories

ROUTES = [("GET", "/admin/devices"), ("POST", "/admin/devices"),
          ("POST", "/admin/devices/{device}/renew"), ("POST", "/admin/devices/{device}/revoke")]


@pytest.fixture
def central_world(app):
    app.config["ROLE"] = "central"
    home = factories.gen_structure()
    device = Device(name="Stand test", structure=home)
    db.session.add(device)
    world = {"coordinator": factories.gen_user(role="coordinator"), "animateur": factories.gen_user(structure=home),
             "home": home, "device": device}
    db.session.commit()
    world["ids"] = {"device": device.uuid}
    return world


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_devices_pages_are_for_coordinators_only(client, auth, central_world, method, url):
    path = url.format(**central_world["ids"])
    assert client.open(path, method=method).status_code == 302  # anonymous: to the login page
    auth.login_as(central_world["animateur"])
    assert client.open(path, method=method).status_code == 403


def test_a_coordinator_creates_a_stand_sees_its_code_once_and_revokes_it(client, auth, central_world):
    auth.login_as(central_world["coordinator"])
    page = client.post("/admin/devices", data={"name": "Stand Sanitas", "structure_id": central_world["home"].id})
    assert page.status_code == 200
    code = re.search(r"stand enrol \S+ ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", page.text).group(1)
    assert "<svg" in page.text
    listing = client.get("/admin/devices").text
    assert "Stand Sanitas" in listing and code not in listing
    device = db.session.execute(db.select(Device).where(Device.name == "Stand Sanitas")).scalar_one()
    assert client.post(f"/admin/devices/{device.uuid}/revoke").status_code == 303
    assert db.session.get(Device, device.id).revoked_at is not None


def test_the_devices_pages_do_not_exist_on_a_stand(client, auth, central_world, app):
    app.config["ROLE"] = "stand"
    auth.login_as(central_world["coordinator"])
    assert client.get("/admin/devices").status_code == 404
    assert client.post("/api/sync/enrol", json={"code": "X"}).status_code == 404


def test_the_live_view_of_a_stand_shows_its_sync_status(client, auth, app):
    import json

    from .factories_checkin import record
    from .factories_stand import gen_stand

    stand = gen_stand()
    record(stand.event)
    auth.login_as(stand.animateur)
    page = client.get(f"/events/{stand.event.code}/live").text
    assert "pas relié à un serveur central" in page and "1 en attente d'envoi" in page
    instance = app.instance_path
    (Path(instance) / "stand.json").write_text(json.dumps(
        {"central_url": "http://central.invalid", "device": "x", "name": "Stand", "structure": "y", "token": "t"}))
    (Path(instance) / "stand-sync.json").write_text(json.dumps(
        {"last_success": "2026-06-01T10:00:00", "last_error": "Serveur central injoignable (URLError)."}))
    try:
        page = client.get(f"/events/{stand.event.code}/live").text
    finally:
        for name in ("stand.json", "stand-sync.json"):
            (Path(instance) / name).unlink()
    assert "dernière réussie à 12:00:00" in page  # shown in TIMEZONE (Paris, summer)
    assert "Serveur central injoignable" in page and "1 en attente d'envoi" in page
