"""Issue 16 in Chromium: a partner animateur co-running the open demo event adds a tally, is refused its export."""

import pytest
from playwright.sync_api import expect

from kiosk.demo import DEMO_USERS

from .conftest import SCREENSHOTS, login, screenshot

pytestmark = pytest.mark.browser
PARTNER = next(email for _n, email, _r, s in DEMO_USERS if s == "Bailleur social — agence Bord de Loire")


def test_a_partner_animateur_adds_a_tally_and_is_refused_the_export(page, live_server):
    code = live_server.demo["open_event"]
    login(page, live_server, PARTNER)
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Café des habitants au pied des tours").click()
    expect(page.locator("[data-role-note]")).to_be_visible()  # a partner: the owner edits, closes, exports
    expect(page.get_by_role("button", name="Clôturer l'action")).to_have_count(0)
    screenshot(page, "corun-partner-event")

    page.get_by_role("link", name="Suivre en direct").click()
    tallies = int(page.locator('[data-count="tallies"]').first.inner_text())
    page.get_by_role("button", name="Ajouter 5 passage(s)").click()
    expect(page.locator('[data-count="tallies"]').first).to_have_text(str(tallies + 5))
    screenshot(page, "corun-partner-tally")

    response = page.goto(f"{live_server.url}/events/{code}/report.csv?version=shared")
    assert response.status == 403
    expect(page.locator("[data-error-message]")).to_have_text(
        "Seules la structure porteuse de l'action et la coordination peuvent faire cela.")
    screenshot(page, "corun-partner-export-refused")


DELEGATE = next(email for _n, email, role, _s in DEMO_USERS if role == "delegue")


def test_a_state_delegate_lands_on_shared_figures_of_their_territory(page, live_server):
    login(page, live_server, DELEGATE)
    expect(page).to_have_url(f"{live_server.url}/stats/")
    expect(page.locator("[data-shared-only]")).to_be_visible()
    expect(page.get_by_role("link", name="Actions", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="CSV interne")).to_have_count(0)
    expect(page.locator("#f-city option")).to_have_text(["Tours"])
    page.screenshot(path=str(SCREENSHOTS / "delegate-stats.png"))  # the top of the page: what a delegate may do
