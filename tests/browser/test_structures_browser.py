"""From the street to the structure in Chromium: an Arabic orientation slip printed with a QR that
scans, a reception tablet recognising a card met on a stand, the annual review with every indicator."""

import uuid

import pytest
from playwright.sync_api import expect

from kiosk.checkin.services import Answers, record_checkin
from kiosk.codes import card_qr_payload, new_card_code
from kiosk.demo import DEMO_USERS
from kiosk.events.services import get_event_by_code
from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.review.definitions import SHEET

from ..qr_decode import decode_png
from .conftest import login, screenshot

pytestmark = pytest.mark.browser
COORDINATOR = DEMO_USERS[0][1]
ANIMATEUR = DEMO_USERS[1][1]  # Centre social du Sanitas, whose event is open today


def _checkin_in_arabic(live_server) -> tuple[str, str]:
    """A resident checks in at today's event in Arabic with a new card; return (check-in uuid, card code)."""
    code = new_card_code()
    with live_server.app.app_context():
        event = get_event_by_code(live_server.demo["open_event"])
        checkin_uuid = uuid.uuid4()
        record_checkin(event, checkin_uuid=checkin_uuid, channel="keypad", language="ar", card_code=code,
                       answers=Answers(first_time="yes"))
        db.session.commit()
    return str(checkin_uuid), code


def test_an_orientation_slip_printed_in_arabic_carries_the_card_qr(page, live_server):
    checkin_uuid, card = _checkin_in_arabic(live_server)
    event = live_server.demo["open_event"]
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/events/{event}/live")
    # First tap: the participation, in the live view's list; second tap: the structure's activity.
    page.locator(f'a[href$="/orientations/{checkin_uuid}"]').click()
    form = page.locator("form.orient-structure", has_text="Centre social du Sanitas")
    form.locator("button.button:not(.primary)").first.click()
    expect(page.get_by_text("Orientation enregistrée.")).to_be_visible()
    page.get_by_role("link", name="Imprimer la fiche (A6)").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.emulate_media(media="print")
    path = screenshot(page, "orientation-slip-ar-print")
    assert path.exists()
    assert "Centre social du Sanitas" in page.locator(".slip-place").inner_text()
    assert page.locator(".slip-kicker").inner_text() == "مكان قريب منك"  # "Un lieu près de chez vous"
    assert decode_png(page.locator(".slip-qr .qr").screenshot()) == [card_qr_payload(card)]
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_a_reception_tablet_recognises_a_card_met_on_a_stand(page, live_server):
    _uuid, card = _checkin_in_arabic(live_server)
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/reception/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text="Centre social du Sanitas").get_by_role(
        "button", name="Ouvrir l'accueil sur cette tablette").click()
    expect(page.get_by_role("link", name="Quitter l'accueil")).to_be_visible()
    # A USB scanner types the code then Enter.
    page.get_by_label("Carte (scanner ou taper le code)", exact=False).fill(card)
    page.get_by_label("Carte (scanner ou taper le code)", exact=False).press("Enter")
    expect(page.get_by_text("Visite enregistrée.")).to_be_visible()
    expect(page.locator(".met-outside")).to_contain_text("Carte rencontrée hors les murs")
    screenshot(page, "reception-recognises-card")
    # Locked: a staff page asks for the PIN.
    page.goto(f"{live_server.url}/events/")
    assert "/unlock" in page.url


def test_the_annual_review_shows_every_indicator_of_the_sheet(page, live_server):
    login(page, live_server, COORDINATOR)
    page.goto(f"{live_server.url}/stats/bilan-annuel/?year={utcnow().year}")
    keys = [key for _s, _t, items in SHEET for key, _l, _d in items]
    expect(page.locator("[data-indicator]")).to_have_count(len(keys), timeout=30_000)
    for key in keys:
        expect(page.locator(f'[data-indicator="{key}"]')).to_be_visible()
    screenshot(page, "annual-review")
    page.goto(f"{live_server.url}/stats/bilan-annuel/imprimer?year={utcnow().year}")
    page.emulate_media(media="print")
    screenshot(page, "annual-review-print")


def test_a_resident_asks_for_an_activity_after_checking_in_in_arabic(page, live_server):
    from .kiosk_helpers import open_event_like, open_kiosk, skip_until, tap, wait_screen

    event = open_event_like(live_server.app, live_server.demo["open_event"], "Orientation en arabe")
    open_kiosk(page, live_server, event)
    tap(page, "العربية")
    wait_screen(page, "start")
    tap(page, "ليست لدي بطاقة")
    wait_screen(page, "question-first_time")
    skip_until(page, "تخطٍّ", "question-card_offer")
    tap(page, "نعم، أرني بطاقتي")
    wait_screen(page, "done")
    card = page.locator(".card-code").inner_text().strip()
    tap(page, "هل تريد أن تعرف نشاطاً قريباً منك؟")
    wait_screen(page, "orientation")
    page.get_by_role("link", name="Centre social du Sanitas").click()
    page.wait_for_selector(".orientation-activities")
    page.locator(".orientation-activities button.tile").first.click()
    wait_screen(page, "slip")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "orientation-slip-ar-kiosk")
    assert decode_png(page.locator(".slip-qr .qr").screenshot()) == [card_qr_payload(card.replace("-", ""))]
