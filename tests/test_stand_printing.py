"""Posters and cards to print: their QR codes, read back by zbar, and their multilingual lines."""

import re

import pytest

from kiosk.codes import new_card_code, parse_card_code
from kiosk.qr import card_qr_svg, qr_svg
from kiosk.stand.printing import CARD_KEEP, POSTER_INVITATION, card_count, in_languages

from .factories_stand import gen_stand
from .qr_decode import decode_svg

SVG = re.compile(r"<svg .*?</svg>", re.S)


@pytest.fixture
def stand(app):
    app.config["PUBLIC_URL"] = "https://hlm.example.org"
    return gen_stand(interpreter_languages="tr,lsf", title="Café des habitants")


@pytest.fixture
def logged_in(client, auth, stand):
    auth.login_as(stand.animateur)
    return client


def test_qr_svg_reads_back_with_zbar():
    assert decode_svg(qr_svg("HLM1:ABCDEFGHJK", label="x")) == ["HLM1:ABCDEFGHJK"]


def test_card_qr_codes_drawn_with_their_fixed_mask_read_back():
    """Cards skip qrcode's choice of mask pattern (speed): many random ones still scan."""
    codes = [new_card_code() for _ in range(60)]
    assert [parse_card_code(decode_svg(card_qr_svg(code))[0]) for code in codes] == codes


def test_the_poster_qr_gives_the_self_checkin_address(logged_in, stand):
    html = logged_in.get(f"/events/{stand.event.code}/poster").get_data(as_text=True)
    svgs = SVG.findall(html)
    assert len(svgs) == 1
    assert decode_svg(svgs[0]) == [f"https://hlm.example.org/e/{stand.event.code}"]
    assert "Café des habitants" in html and "Scannez ce code" in html


def test_each_printed_card_carries_a_new_valid_code(logged_in, stand):
    html = logged_in.get(f"/events/{stand.event.code}/cards?n=12").get_data(as_text=True)
    svgs = SVG.findall(html)
    shown = re.findall(r'data-code="([\w-]+)"', html)
    assert len(svgs) == len(shown) == 12
    assert html.count('class="card-sheet') == 2  # ten cards a page
    decoded = [decode_svg(svg)[0] for svg in svgs]
    codes = [parse_card_code(d) for d in decoded]
    assert all(d.startswith("HLM1:") for d in decoded)
    assert None not in codes and len(set(codes)) == 12
    # The readable code under each QR is the same card, grouped for reading aloud.
    assert [c[:5] + "-" + c[5:] for c in codes] == shown
    assert "Gardez cette carte" in html


@pytest.mark.parametrize(("asked", "made"), [(None, 10), ("3", 3), ("0", 1), ("abc", 10), ("5000", 200)])
def test_the_number_of_cards_is_bounded(asked, made):
    assert card_count(asked) == made


def test_untranslated_languages_are_skipped_not_printed_in_french(app):
    # Somali has no catalogue, LSF is not a written language, "zz" is nothing.
    with app.test_request_context():
        lines = in_languages(CARD_KEEP, ["fr", "so", "lsf", "zz"])
    assert [line["lang"] for line in lines] == ["fr"]


def test_a_translated_language_is_printed_in_its_own_direction(app):
    with app.test_request_context():
        lines = in_languages(POSTER_INVITATION, ["ar", "tr", "so"])
    assert lines == [
        {"lang": "fr", "dir": "ltr", "text": "Scannez ce code avec votre téléphone pour participer."},
        {"lang": "ar", "dir": "rtl", "text": "امسح هذا الرمز بهاتفك للمشاركة."},
        {"lang": "tr", "dir": "ltr", "text": "Katılmak için bu kodu telefonunuzla tarayın."},
    ]
