"""A printed poster keeps every line on its A4 page, however long the title and many the languages."""

import pytest

from kiosk.events.services import get_event_by_code
from kiosk.extensions import db
from kiosk.i18n import INTERPRETER_LANGUAGES

from ..factories import gen_event
from ..qr_decode import decode_png
from .conftest import SCREENSHOTS, login
from .test_stand_browser import ANIMATEUR, pdf_pages

pytestmark = pytest.mark.browser
LONG_TITLE = ("Grande consultation des habitantes et des habitants sur le réaménagement de la place, "
              "des aires de jeux et des jardins partagés au pied des tours du quartier")[:160]
MM = 96 / 25.4  # CSS pixels per millimetre


def _poster_event(live_server, title: str, languages: str) -> str:
    with live_server.app.app_context():
        today = get_event_by_code(live_server.demo["open_event"])
        event = gen_event(structure=today.structure, neighbourhood=today.neighbourhood, title=title,
                          place_label="Parvis du centre social, entre les deux tours", status="open",
                          interpreter_languages=languages)
        db.session.commit()
        code = event.code
        db.session.remove()
    return code


@pytest.mark.parametrize(("title", "languages"), [
    (LONG_TITLE, ",".join(INTERPRETER_LANGUAGES)),  # every language, the longest title allowed
    (LONG_TITLE, "ar,tr"),
    ("Café", ",".join(INTERPRETER_LANGUAGES)),
])
def test_the_printed_poster_shrinks_to_keep_every_line_on_the_page(page, live_server, title, languages):
    code = _poster_event(live_server, title, languages)
    login(page, live_server, ANIMATEUR)
    page.goto(f"{live_server.url}/events/{code}/poster")
    page.emulate_media(media="print")
    poster = page.locator(".poster").bounding_box()
    bottom = poster["y"] + poster["height"] - 8 * MM  # clear of a printer's unprintable margin
    for selector in (".poster-title", ".poster-lines li", ".poster-foot"):
        items = page.locator(selector)
        for index in range(items.count()):
            box = items.nth(index).bounding_box()
            assert box["y"] + box["height"] <= bottom + 0.5, (selector, index)
    # The code stays large enough to scan from a step back, and still scans.
    qr = page.locator(".poster-qr").bounding_box()
    assert min(qr["width"], qr["height"]) >= 45 * MM
    assert decode_png(page.locator(".poster-qr").screenshot()) == [f"{live_server.app.config['PUBLIC_URL']}/e/{code}"]
    SCREENSHOTS.mkdir(exist_ok=True)
    name = f"poster-fit-{len(title)}-{len(languages)}"
    page.locator(".poster").screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    pdf = page.pdf(path=str(SCREENSHOTS / f"{name}.pdf"), format="A4", print_background=True)
    assert pdf_pages(pdf) == 1
