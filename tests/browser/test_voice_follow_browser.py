"""A card holder checks what became of what they said (/suivi) on their phone: by scanning the
card's QR with the camera (the kiosk's scanner, scanner.js), or by typing its code where the
camera is refused or absent. A fake camera films the printed card's QR; the decoder is also fed
a QR drawn by kiosk/qr.py, and a QR that is not a card."""

import pytest

from kiosk.codes import card_qr_payload
from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.qr import CARD_MASK_PATTERN, qr_matrix
from kiosk.voice.models import Topic

from ..factories import gen_card, gen_event
from ..factories_voice import gen_contribution
from .conftest import screenshot
from .kiosk_helpers import write_card_y4m

pytestmark = pytest.mark.browser

ANSWER = "La ville ajoute un passage le lundi soir."


@pytest.fixture
def holder(live_server):
    """A card whose holder said something now being handled, with a published answer."""
    with live_server.app.app_context():
        event = gen_event(status="closed")
        topic = db.session.execute(db.select(Topic).where(Topic.name == "Propreté")).scalar_one()
        card = gen_card()
        gen_contribution(event, topic, card_id=card.id, status="in_progress", text="Les poubelles débordent.",
                         paraphrase="Les poubelles débordent le lundi.", answer=ANSWER, published=True,
                         first_answer_at=utcnow())
        db.session.commit()
        yield card.code
        db.session.remove()


def test_the_card_holder_scans_their_card_with_the_phones_camera(camera_browser, live_server, holder, tmp_path):
    fake = camera_browser(write_card_y4m(tmp_path / "card.y4m", holder))
    context = fake.new_context(viewport={"width": 412, "height": 900}, locale="ar")  # Accept-Language: ar
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/suivi")
        assert page.locator("html").get_attribute("lang") == "ar"
        scan = page.locator("button[data-scan-start]")
        scan.wait_for(state="visible")
        assert scan.inner_text().strip() == "امسح رمز QR لبطاقتي"
        scan.click()
        page.wait_for_selector('[data-status="in_progress"]', timeout=45_000)  # camera, decoder, decoding
        assert ANSWER in page.content()
        screenshot(page, "voice-follow-scanned-ar")
        assert errors == []
    finally:
        context.close()


def test_without_a_camera_the_page_says_so_and_the_typed_code_works(browser, live_server, holder):
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/suivi")
        page.wait_for_selector("[data-no-camera]:not([hidden])")
        assert "La caméra ne marche pas sur cet appareil." in page.locator("[data-no-camera]").inner_text()
        assert page.locator("button[data-scan-start]").is_hidden()
        screenshot(page, "voice-follow-no-camera")
        page.fill("#card-code", holder)
        page.locator("form[data-follow] button[type=submit]").click()
        page.wait_for_selector('[data-status="in_progress"]')
        assert ANSWER in page.content()
    finally:
        context.close()


def test_a_refused_camera_leaves_the_typed_field_with_a_message(camera_browser, live_server, holder):
    fake = camera_browser()  # a camera, then the permission refused when asked
    context = fake.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/suivi")
        page.locator("button[data-scan-start]").wait_for(state="visible")
        page.evaluate("""() => { navigator.mediaDevices.getUserMedia = () =>
                         Promise.reject(new DOMException("refused", "NotAllowedError")); }""")
        page.locator("button[data-scan-start]").click()
        page.wait_for_selector("[data-no-camera]:not([hidden])")
        assert page.locator("[data-camera-box]").is_hidden()
        page.fill("#card-code", holder)
        page.locator("form[data-follow] button[type=submit]").click()
        page.wait_for_selector('[data-status="in_progress"]')
    finally:
        context.close()


def _draw_qr(page, text: str, mask_pattern=None) -> str:
    """Draw the QR of ``text`` (kiosk/qr.py) on a canvas and return what the page's decoder reads in it."""
    matrix = [[1 if cell else 0 for cell in row] for row in qr_matrix(text, mask_pattern)]
    return page.evaluate("""async ([matrix, decoder]) => {
      await window.hlmScanner.loadDecoder(decoder);
      const module = 8, side = matrix.length * module;
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = side;
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff"; context.fillRect(0, 0, side, side);
      context.fillStyle = "#000";
      matrix.forEach((row, y) => row.forEach((dark, x) => {
        if (dark) context.fillRect(x * module, y * module, module, module);
      }));
      return window.hlmScanner.decodeImage(context.getImageData(0, 0, side, side));
    }""", [matrix, page.locator("form[data-follow]").get_attribute("data-decoder")])


def test_a_decoded_card_qr_fills_the_code_and_shows_the_statuses(browser, live_server, holder):
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/suivi")
        page.wait_for_function("() => window.hlmFollow")
        # A QR that is not a card: said, nothing sent.
        foreign = _draw_qr(page, "https://example.org/a")
        assert foreign == "https://example.org/a"
        assert page.evaluate("(value) => window.hlmFollow.use(value)", foreign) is False
        assert page.locator("[data-foreign]").is_visible()
        value = _draw_qr(page, card_qr_payload(holder), CARD_MASK_PATTERN)  # as printed on the card
        assert value == card_qr_payload(holder)
        with page.expect_navigation():
            page.evaluate("(value) => window.hlmFollow.use(value)", value)
        page.wait_for_selector('[data-status="in_progress"]')
        assert ANSWER in page.content()
    finally:
        context.close()
