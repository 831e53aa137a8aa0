"""The resident's screens read in their language, and every tap carries a token Flask-WTF accepts."""

import re
from html import unescape
from pathlib import Path

import pytest
from babel.support import Translations

from .factories import PASSWORD
from .factories_checkin import gen_kiosk_setup, kiosk_resident

TRANSLATIONS = Path(__file__).resolve().parent.parent / "kiosk" / "translations"


def translated(lang: str, message: str) -> str:
    """The text the compiled catalogue gives, read without Flask-Babel."""
    return Translations.load(str(TRANSLATIONS), [lang]).ugettext(message)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_a_question_screen_shows_its_title_answers_and_buttons_in_the_residents_language(client, lang):
    resident = kiosk_resident(client)
    resident.choose(lang)
    resident.start_without_card()
    for step in ("first_time", "residence", "age_band"):
        assert resident.answer(step, "skip").status_code == 303
    page = unescape(client.get(resident.base + "/q/gender").text)
    for message in ("Vous êtes :", "Une femme", "Un homme", "Autre", "Passer"):
        assert translated(lang, message) in page
    progress = re.search(r"</progress>([^<]+)</p>", page).group(1)
    n, total = re.findall(r"\d+", progress)
    assert progress == translated(lang, "Question %(n)s sur %(total)s") % {"n": n, "total": total}
    if lang != "fr":  # the catalogue really differs from the French source
        assert "Une femme" not in page


def test_an_htmx_screen_is_translated_too(client):
    resident = kiosk_resident(client)
    resident.choose("ar")
    resident.start_without_card()
    screen = unescape(client.get(resident.base + "/q/first_time", headers={"HX-Request": "true"}).text)
    assert translated("ar", "Est-ce la première fois que vous venez à une action comme celle-ci ?") in screen
    assert translated("ar", "Oui, c'est la première fois") in screen


def test_the_token_a_kiosk_screen_carries_lets_the_resident_go_on(csrf_client):
    user, event = gen_kiosk_setup()
    client = csrf_client
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                     "csrf_token": client.csrf_token("/auth/login")})
    base = f"/kiosk/{event.code}"
    opened = client.post(base + "/open", data={"csrf_token": client.csrf_token(f"/events/{event.code}")})
    assert opened.status_code == 303
    token = client.csrf_token(base)
    assert client.post(base + "/lang", data={"lang": "en", "csrf_token": token}).status_code == 303
    # The same browser's token stays valid across screens; another browser's is refused.
    assert client.post(base + "/start", data={"csrf_token": token}).status_code == 303
    stranger_token = csrf_client.application.test_client().csrf_token(f"/e/{event.code}")
    refused = client.post(base + "/start", data={"csrf_token": stranger_token})
    assert refused.status_code == 400
    assert "This page has expired" in refused.text
