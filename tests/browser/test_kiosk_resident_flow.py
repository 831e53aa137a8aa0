"""Where the resident's path used to stall, in headless Chromium: the new card's countdown, the
card from the stand, "Accueil" mid-questions, a card over someone's answers, no camera."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from kiosk.codes import new_card_code

from .conftest import screenshot
from .kiosk_helpers import checkins_at, open_event_like, open_kiosk, skip_until, tap, wait_scanner_ready, wait_screen

pytestmark = pytest.mark.browser

NO_CAMERA = """
    Object.defineProperty(window, "isSecureContext", { value: false });
    Object.defineProperty(Navigator.prototype, "mediaDevices", { get: () => undefined });
"""  # what Chromium gives a page served over plain HTTP from another machine


def to_card_offer(page, first_time="Je n'ai pas de carte"):
    tap(page, first_time)
    wait_screen(page, "question-first_time")
    skip_until(page, "Passer", "question-card_offer")


def test_a_new_card_stays_until_its_own_countdown_ends(page, live_server):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Carte à photographier")
    open_kiosk(page, live_server, event)
    # The card's screen lasts longer than the idle delay: neither the idle box nor the reset may cut it.
    app.config.update(KIOSK_IDLE_SECONDS=3, KIOSK_CARD_SECONDS=9)
    try:
        page.goto(f"{live_server.url}/kiosk/{event}")  # loaded anew, the page carries the short idle delay
        tap(page, "Français")
        wait_screen(page, "start")
        to_card_offer(page)
        tap(page, "Oui, montrez-moi ma carte")
        wait_screen(page, "done")
        assert page.locator("[data-countdown]").inner_text() in ("9", "8")
        # More than the idle delay has passed (a locator, not wait_for_function: the CSP refuses eval).
        expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^[0-4]$"), timeout=15_000)
        assert page.locator("#idle").is_hidden()
        assert page.locator(".new-card svg").is_visible()
        screenshot(page, "kiosk-new-card-after-idle-delay")
        wait_screen(page, "welcome", timeout=15_000)
    finally:
        app.config.update(KIOSK_IDLE_SECONDS=45, KIOSK_CARD_SECONDS=60)


def test_the_card_from_the_stand_can_be_left_and_home_asks_first(page, live_server):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Carte du stand")
    open_kiosk(page, live_server, event)
    tap(page, "Français")
    wait_screen(page, "start")
    to_card_offer(page)
    tap(page, "Oui, j'ai pris une carte au stand")
    wait_screen(page, "scan")
    screenshot(page, "kiosk-link-scan")
    tap(page, "Retour")
    wait_screen(page, "question-card_offer")
    tap(page, "Oui, j'ai pris une carte au stand")
    wait_screen(page, "scan")
    tap(page, "Je n'ai pas la carte")
    wait_screen(page, "done")
    [row] = checkins_at(app, event)
    assert row["card"] is None and row["first_time"] == "skip"
    tap(page, "J'ai terminé")
    wait_screen(page, "welcome")

    # The next resident, mid-questions, touches "Accueil": asked, then kept.
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    wait_screen(page, "question-first_time")
    tap(page, "Oui, c'est la première fois")
    wait_screen(page, "question-residence")
    page.get_by_role("link", name="Accueil").click()
    wait_screen(page, "leave")
    screenshot(page, "kiosk-leave-asks")
    tap(page, "Non, je continue")
    wait_screen(page, "question-residence")

    # Someone else's card on the scanner: asked, never silently taking this resident's place.
    card = new_card_code()
    wait_scanner_ready(page)
    for _attempt in range(3):
        # kiosk.js tells a scanner by its speed; on a loaded test machine a burst can arrive too
        # slowly to count as one, and is then ignored: the reader is shown the card again.
        page.keyboard.type(card)
        page.keyboard.press("Enter")
        try:
            wait_screen(page, "replace", timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    wait_screen(page, "replace")
    screenshot(page, "kiosk-card-over-answers")
    tap(page, "Non, je continue")
    wait_screen(page, "question-residence")
    tap(page, "Un autre quartier")
    wait_screen(page, "question-age_band")

    page.get_by_role("link", name="Accueil").click()
    wait_screen(page, "leave")
    tap(page, "Oui, recommencer")
    wait_screen(page, "welcome")
    assert len(checkins_at(app, event)) == 1


def test_without_a_camera_only_the_ways_that_work_are_shown(browser, live_server):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en")
    context.add_init_script(NO_CAMERA)
    try:
        page = context.new_page()
        event = open_event_like(live_server.app, live_server.demo["open_event"], "Sans caméra")
        open_kiosk(page, live_server, event)
        tap(page, "English")
        wait_screen(page, "start")
        tap(page, "I have a card")
        wait_screen(page, "scan")
        note = page.locator("[data-no-camera]")
        note.wait_for(state="visible", timeout=5_000)
        assert "The camera does not work on this device." in note.inner_text()
        assert "Type the code, or hold the card in front of the reader." in note.inner_text()
        assert page.locator("[data-camera-box]").is_hidden()
        screenshot(page, "kiosk-scan-without-camera")
        tap(page, "Back")
        wait_screen(page, "start")
        tap(page, "I have no card")
        wait_screen(page, "question-first_time")
        skip_until(page, "Skip", "question-card_offer")
        tap(page, "Yes, show me my card")
        wait_screen(page, "done")
        assert page.get_by_text("Next time, type this code.").is_visible()
        assert page.locator('[data-next-time="camera"]').is_hidden()
        screenshot(page, "kiosk-card-without-camera")
    finally:
        context.close()


def test_with_a_camera_the_viewfinder_and_the_photo_are_offered(camera_browser, live_server):
    fake = camera_browser()
    context = fake.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    try:
        page = context.new_page()
        event = open_event_like(live_server.app, live_server.demo["open_event"], "Avec caméra")
        open_kiosk(page, live_server, event)
        tap(page, "Français")
        wait_screen(page, "start")
        tap(page, "J'ai une carte")
        wait_screen(page, "scan")
        page.locator("[data-camera-box]").wait_for(state="visible", timeout=10_000)
        assert page.locator("[data-no-camera]").is_hidden()
        tap(page, "Retour")
        wait_screen(page, "start")
        to_card_offer(page)
        tap(page, "Oui, montrez-moi ma carte")
        wait_screen(page, "done")
        camera = page.get_by_text("La prochaine fois, montrez cette photo à la caméra.")
        camera.wait_for(state="visible", timeout=5_000)
        assert page.get_by_text("La prochaine fois, tapez ce code.").is_hidden()
    finally:
        context.close()


def test_a_refused_camera_leaves_the_ways_that_work(browser, live_server):
    """A camera exists but the browser refuses it to the page (the permission is not given)."""
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    refusing = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                           args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"])
    try:
        context = refusing.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
        page = context.new_page()
        event = open_event_like(live_server.app, live_server.demo["open_event"], "Caméra refusée")
        open_kiosk(page, live_server, event)
        tap(page, "Français")
        wait_screen(page, "start")
        tap(page, "J'ai une carte")
        wait_screen(page, "scan")
        page.locator("[data-no-camera]").wait_for(state="visible", timeout=10_000)
        assert page.locator("[data-camera-box]").is_hidden()
        screenshot(page, "kiosk-scan-camera-refused")
    finally:
        refusing.close()
