"""The flow in one page, in headless Chromium: the network cut at the final submit, double taps,
and the same page without JavaScript."""

import pytest

from .conftest import screenshot
from .kiosk_helpers import checkins_at, open_event_like, open_kiosk, skip_until, tap, wait_screen

pytestmark = pytest.mark.browser


def test_a_check_in_sent_without_network_is_kept_and_sent_once_the_network_is_back(page, live_server):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Pied d'immeuble sans réseau")
    open_kiosk(page, live_server, event)
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    wait_screen(page, "question-first_time")
    tap(page, "Oui, c'est la première fois")
    skip_until(page, "Passer", "question-card_offer")
    page.context.set_offline(True)
    tap(page, "Non merci")
    wait_screen(page, "offline")
    screenshot(page, "kiosk-offline-kept")
    assert checkins_at(app, event) == []
    # A reload with no network is the browser's own page: the answers wait in the storage instead.
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hlm:queue:')).length")
    assert stored == 1
    page.context.set_offline(False)
    wait_screen(page, "done", timeout=45_000)  # the page retries by itself
    [mine] = checkins_at(app, event)
    assert mine["first_time"] == "yes"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hlm:queue:')).length") == 0


def test_a_phone_whose_htmx_never_came_still_checks_in_once(page, live_server):
    """Over a bad network the deferred htmx may not arrive: the page posts the answers by itself."""
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Sans htmx")
    page.route("**/static/vendor/htmx.min*.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/e/{event}")
    wait_screen(page, "welcome")
    tap(page, "Français")
    tap(page, "Je n'ai pas de carte")
    wait_screen(page, "question-first_time")
    tap(page, "Oui, c'est la première fois")
    skip_until(page, "Passer", "question-card_offer")
    tap(page, "Non merci")
    wait_screen(page, "done")
    assert page.evaluate("typeof window.htmx") == "undefined"
    [mine] = checkins_at(app, event)
    assert mine["first_time"] == "yes" and mine["channel"] == "phone"


def test_a_double_tap_answers_only_the_question_the_resident_saw(page, live_server):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Double tape")
    open_kiosk(page, live_server, event)
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    wait_screen(page, "question-first_time")
    steps = ["first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from"]
    for step in steps:
        wait_screen(page, f"question-{step}")
        page.wait_for_selector(f'#flow .screen.current[data-screen="question-{step}"][data-settled]')
        box = page.locator("#flow .screen.current .tiles label").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)
        page.wait_for_timeout(100)
        page.mouse.click(x, y)  # lands on the next screen's tile: dropped
    wait_screen(page, "question-needs")
    tap(page, "Rien, merci")
    wait_screen(page, "question-card_offer")
    tap(page, "Non merci")
    wait_screen(page, "done")
    [mine] = checkins_at(app, event)
    assert mine["first_time"] == "yes"
    assert mine["residence"] == "neighbourhood" and mine["age_band"] == "under_18"
    assert (mine["gender"], mine["goes_to_structure"], mine["heard_from"]) == ("woman", "yes", "passing_by")


def test_without_javascript_the_page_is_one_long_form(browser, live_server):
    event = open_event_like(live_server.app, live_server.demo["open_event"], "Téléphone sans script")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 412, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/e/{event}")
        page.get_by_role("button", name="English").click()
        page.get_by_label("No, I have taken part before").check()
        page.get_by_label("Adapted access: wheelchair, sight, hearing").check()
        screenshot(page, "phone-no-js-long-form")
        page.locator('#checkin button[type="submit"]').click()
        page.wait_for_selector('#screen[data-screen="done"]')
        [mine] = checkins_at(live_server.app, event)
        assert (mine["channel"], mine["language"], mine["first_time"], mine["accessibility"]) == (
            "phone", "en", "no", True)
    finally:
        context.close()
