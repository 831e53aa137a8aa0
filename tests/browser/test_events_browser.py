"""An animateur logs in, creates an event, opens it and finds it listed."""

from datetime import datetime, timedelta

import pytest

from kiosk.demo import DEMO_USERS

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_animateur_creates_opens_and_sees_an_event(page, live_server):
    email = DEMO_USERS[1][1]
    login(page, live_server, email)
    page.wait_for_url("**/events/**")
    screenshot(page, "events-today")

    page.get_by_role("link", name="Nouvelle action").click()
    page.get_by_label("Titre").fill("Goûter au square Saint-Paul")
    page.get_by_label("Quartier", exact=True).select_option(label="Sanitas (Tours)")
    page.get_by_label("Lieu").fill("Square Saint-Paul")
    start = datetime.now().replace(second=0, microsecond=0) + timedelta(minutes=30)
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("العربية").check()
    page.get_by_label("Garde d'enfants proposée sur place").check()
    screenshot(page, "event-form")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_text("Action « Goûter au square Saint-Paul » créée.").wait_for()
    assert page.locator(".badge").first.inner_text() == "Brouillon"
    page.get_by_role("button", name="Ouvrir l'action").click()
    page.get_by_text("Action ouverte").wait_for()
    assert page.locator(".badge").first.inner_text() == "Ouverte"
    screenshot(page, "event-open")

    page.get_by_role("link", name="Actions", exact=True).click()
    card = page.locator(".event-card", has_text="Goûter au square Saint-Paul")
    card.wait_for()
    assert "Ouverte" in card.inner_text()
    screenshot(page, "events-listed")


def test_wrong_password_shows_a_french_error(page, live_server):
    login(page, live_server, DEMO_USERS[1][1], "mauvais-mot-de-passe")
    page.get_by_text("E-mail ou mot de passe incorrect.").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize("path", ["/events/", "/events/new", "/admin/neighbourhoods", "/admin/structures",
                                  "/admin/users", "/admin/cards/", "/account"])
def test_staff_pages_fit_a_phone_screen(browser, live_server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, live_server, DEMO_USERS[0][1])
    page.wait_for_url("**/events/**")
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "phone" + path.replace("/", "-").rstrip("-"))
    context.close()


def test_unknown_page_explains_itself_in_french(page, live_server):
    response = page.goto(live_server.url + "/nulle-part")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page introuvable").is_visible()
