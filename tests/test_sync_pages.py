"""The coordinator's devices pages on the central server: who may see them, create, revoke."""

import re

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
