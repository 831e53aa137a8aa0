"""The stand's setup pages in Chromium: the tablet's HTTPS steps, and enrolment by scanning the central QR."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from waitress import create_server

from kiosk import tls
from kiosk.extensions import db

from .. import factories
from ..sync_support import app_for, free_port, migrate
from .conftest import LiveServer, screenshot
from .kiosk_helpers import write_qr_y4m

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stand_server(tmp_path_factory):
    """A stand (its own database and instance folder, its authority made) served on loopback."""
    tmp = tmp_path_factory.mktemp("stand-setup")
    url = "sqlite:///" + str(tmp / "stand.sqlite3")
    migrate(url, tmp / "migrate")
    app = app_for(url, tmp / "instance", "stand", HTTPS_PORT=5443)
    tls.ensure_certificates(app.instance_path, tls.stand_hosts("192.168.1.23"))
    with app.app_context():
        factories.gen_user(role="coordinator", email="coordination@stand.example.org")
        db.session.commit()
    live = LiveServer(app, create_server(app, host="127.0.0.1", port=0, threads=4), demo=None)
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


def _login(page, live):
    page.goto(live.url + "/auth/login")
    page.get_by_label("Adresse e-mail").fill("coordination@stand.example.org")
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_setup_page_shows_both_codes_and_the_steps(page, stand_server):
    page.goto(stand_server.url + "/installation")
    assert page.locator(".setup-codes svg.qr").count() == 2
    assert page.get_by_role("heading", name="Sur une tablette Android").is_visible()
    assert page.get_by_role("heading", name="Sur un iPad ou un iPhone").is_visible()
    screenshot(page, "stand-setup-https")


def test_scanning_the_central_qr_fills_the_address_and_the_code(camera_browser, stand_server, tmp_path):
    central = f"http://127.0.0.1:{free_port()}"  # nothing listens: the refusal is the next screen
    video = write_qr_y4m(tmp_path / "enrol.y4m", f"{central} ABCD-EF12-3456")
    context = camera_browser(video).new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    try:
        page = context.new_page()
        _login(page, stand_server)
        page.goto(stand_server.url + "/installation/inscription")
        page.get_by_role("button", name="Scanner le QR du serveur central").click()
        expect(page.locator("#code")).to_have_value("ABCD-EF12-3456", timeout=45_000)  # camera, decoder, decoding
        assert page.locator("#central_url").input_value() == central
        page.get_by_role("button", name="Inscrire le stand").click()
        refusal = page.locator("[data-reason]")
        expect(refusal).to_contain_text("Serveur central injoignable")
        screenshot(page, "stand-setup-enrol-refused")
    finally:
        context.close()
