"""The stand in Chromium: live view beside a check-in, tallies, poster and cards that scan."""

import re
import time

import pytest
from playwright.sync_api import expect

from kiosk.codes import parse_card_code
from kiosk.demo import DEMO_USERS
from kiosk.events.services import get_event_by_code
from kiosk.extensions import db

from ..factories import gen_checkin
from ..qr_decode import decode_png
from .conftest import SCREENSHOTS, login, screenshot
from .kiosk_helpers import open_kiosk, skip_until, tap, tick, wait_screen

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
ANIMATEUR = DEMO_USERS[1][1]  # Centre social du Sanitas, whose event is open today


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", device_scale_factor=2, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def count(page, name: str) -> int:
    return int(page.locator(f'[data-count="{name}"]').inner_text())


def test_a_checkin_appears_in_the_live_view_without_reloading(phone, page, live_server):
    """Two pages at once: the live view on the animateur's phone, the kiosk on the tablet."""
    code = live_server.demo["open_event"]
    login(phone, live_server, ANIMATEUR)
    phone.goto(f"{live_server.url}/events/{code}/live")
    before = count(phone, "participations")
    phone.evaluate("window.__sameDocument = true")
    screenshot(phone, "stand-live-phone")

    # The tablet: a resident checks in at the kiosk, needing childcare and a Turkish interpreter.
    open_kiosk(page, live_server, code)
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    wait_screen(page, "question-first_time")
    tap(page, "Oui, c'est la première fois")
    skip_until(page, "Passer", "question-needs")
    tap(page, "3 à 5 ans")  # two children of that age: one tap each
    tap(page, "3 à 5 ans")
    tick(page, "Un interprète")
    tap(page, "Choisir la langue")  # French is no interpreter's language: the resident picks one
    wait_screen(page, "question-interpreter")
    tap(page, "Türkçe")
    wait_screen(page, "question-needs")
    tap(page, "Valider")
    wait_screen(page, "question-card_offer")
    tap(page, "Non merci")
    wait_screen(page, "done")
    started = time.monotonic()

    expect(phone.locator('[data-count="participations"]')).to_have_text(str(before + 1), timeout=5000)
    assert time.monotonic() - started < 5
    assert phone.evaluate("window.__sameDocument") is True  # updated in place, never reloaded
    needs = phone.locator(".needs").inner_text()
    assert "enfants à garder" in needs and "Türkçe" in needs
    screenshot(phone, "stand-live-phone-after-checkin")


def test_tallies_and_undo_with_one_thumb(phone, live_server):
    code = live_server.demo["open_event"]
    login(phone, live_server, ANIMATEUR)
    phone.goto(f"{live_server.url}/events/{code}/live")
    tallies, reach = count(phone, "tallies"), count(phone, "reach")
    plus_five = phone.get_by_role("button", name="Ajouter 5 passage(s)")
    box = plus_five.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 120  # a thumb finds it
    plus_five.tap()
    expect(phone.locator('[data-count="tallies"]')).to_have_text(str(tallies + 5))
    phone.get_by_role("button", name="Ajouter 1 passage(s)").tap()
    expect(phone.locator('[data-count="tallies"]')).to_have_text(str(tallies + 6))
    assert count(phone, "reach") == reach + 6
    phone.get_by_role("button", name="Annuler ce +1").tap()
    expect(phone.locator('[data-count="tallies"]')).to_have_text(str(tallies + 5))
    # Nothing sticks out sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "stand-live-phone-tallies")


def test_voiding_a_mistaken_checkin_from_the_phone(phone, live_server):
    code = live_server.demo["open_event"]
    with live_server.app.app_context():
        gen_checkin(get_event_by_code(code), channel="keypad", age_band="61_75")
        db.session.commit()
    login(phone, live_server, ANIMATEUR)
    phone.goto(f"{live_server.url}/events/{code}/live")
    participations = count(phone, "participations")
    phone.locator(".checkin", has_text="61-75 ans").get_by_role("link", name="Annuler").tap()
    phone.get_by_label("Essai du kiosque").check()
    screenshot(phone, "stand-void-phone")
    phone.get_by_role("button", name="Annuler ce passage").tap()
    phone.get_by_text("Passage annulé : il ne compte plus.").wait_for()
    assert count(phone, "participations") == participations - 1
    voided = phone.locator(".checkin.voided", has_text="61-75 ans")
    assert "annulé" in voided.inner_text()


def test_an_expired_session_sends_the_live_view_to_the_login_form(phone, live_server):
    code = live_server.demo["open_event"]
    login(phone, live_server, ANIMATEUR)
    phone.goto(f"{live_server.url}/events/{code}/live")
    phone.context.clear_cookies()  # as when the session ends while the phone shows the stand
    phone.wait_for_url(re.compile(r"/auth/login\?next=/events/\w+/live$"), timeout=5000)
    assert phone.get_by_label("Adresse e-mail").is_visible()


def test_the_printed_poster_scans_to_the_self_checkin_address(page, live_server):
    code = live_server.demo["open_event"]
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/events/{code}/poster")
    page.emulate_media(media="print")
    decoded = decode_png(page.locator(".poster-qr").screenshot())
    assert decoded == [f"{live_server.app.config['PUBLIC_URL']}/e/{code}"]
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(SCREENSHOTS / "stand-poster.pdf"), format="A4", print_background=True)
    assert pdf_pages(pdf) == 1


def test_a_printed_card_scans_to_a_valid_new_card_code(page, live_server):
    code = live_server.demo["open_event"]
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/events/{code}/cards?n=10")
    page.emulate_media(media="print")
    cards = page.locator(".print-card")
    assert cards.count() == 10
    for index in (0, 9):
        card = cards.nth(index)
        decoded = decode_png(card.locator(".card-qr").screenshot())
        assert len(decoded) == 1
        scanned = parse_card_code(decoded[0])
        assert scanned is not None
        assert card.locator(".card-code").inner_text() == f"{scanned[:5]}-{scanned[5:]}"
    pdf = page.pdf(path=str(SCREENSHOTS / "stand-cards.pdf"), format="A4", print_background=True)
    assert pdf_pages(pdf) == 1


def test_closing_from_the_live_view_shows_a_report_on_two_pages_at_most(page, live_server):
    code = live_server.demo["open_event"]
    with live_server.app.app_context():  # the residents' voice at this stand: its tables fit too
        from kiosk.voice.topics import topics_for_event

        from ..factories_voice import gen_contribution, gen_feedback

        event = get_event_by_code(code)
        for i, rating in enumerate(["good"] * 6 + ["ok"] * 3 + ["bad"]):
            gen_feedback(event, rating=rating, channel=("kiosk", "phone", "animateur")[i % 3])
        for i, topic in enumerate(topics_for_event(event.id) * 3):
            gen_contribution(event, topic, channel=("kiosk", "phone", "animateur")[i % 3])
        db.session.commit()
        db.session.remove()
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/events/{code}/live")
    participations = count(page, "participations")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clôturer l'action et voir le bilan").click()
    page.wait_for_url(f"**/events/{code}/report")
    assert page.locator('[data-row="participations"] td').inner_text() == str(participations)
    assert "Action clôturée" in page.locator(".flashes").inner_text()
    assert page.locator('[data-table="voice"] [data-row="feedbacks"] td').inner_text() == "10"
    assert page.locator('[data-table="voice_topic"] tbody tr').count() == 4
    screenshot(page, "stand-report")
    pdf = page.pdf(path=str(SCREENSHOTS / "stand-report.pdf"), format="A4", print_background=True)
    assert 1 <= pdf_pages(pdf) <= 2
    page.goto(f"{live_server.url}/events/{code}/report?version=shared")
    pdf = page.pdf(path=str(SCREENSHOTS / "stand-report-shared.pdf"), format="A4", print_background=True)
    assert 1 <= pdf_pages(pdf) <= 2
    with live_server.app.app_context():
        assert get_event_by_code(code).status == "closed"
