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


def part_of(page: str, lang: str) -> str:
    """One language's screens: the live part for the page's language, else its <template>."""
    parts = page.split("<template data-lang=")
    return next((part for part in parts[1:] if part.startswith(f'"{lang}"')), parts[0])


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_every_language_of_the_page_shows_a_question_its_answers_and_buttons(client, lang):
    resident = kiosk_resident(client)
    page = unescape(resident.page().text)
    assert '<html lang="fr"' in page  # the tablet's browser speaks French; every language is in the page
    part = part_of(page, lang)
    gender = part[part.index('data-step="gender"'):part.index('data-step="goes_to_structure"')]
    for message in ("Vous êtes :", "Une femme", "Un homme", "Autre", "Passer", "Retour"):
        assert translated(lang, message) in gender
    progress = re.search(r"data-progress>([^<]+)</span>", gender).group(1)
    assert progress == translated(lang, "Question %(n)s sur %(total)s") % {"n": "{n}", "total": "{total}"}
    if lang != "fr":  # the catalogue really differs from the French source
        assert "Une femme" not in part


def test_the_page_follows_the_browsers_language_before_one_is_chosen(client):
    resident = kiosk_resident(client)
    page = unescape(resident.page(**{"Accept-Language": "ar,fr;q=0.5"}).text)
    assert '<html lang="ar" dir="rtl"' in page
    assert translated("ar", "Je n'ai pas de carte") in page.split("<template data-lang")[0]


def test_the_answer_to_the_submission_is_in_the_residents_language(client):
    resident = kiosk_resident(client)
    done = unescape(resident.submit({"card_offer": "no"}, lang="ar").text)
    assert translated("ar", "Merci, c'est enregistré !") in done
    refused = unescape(resident.submit({"gender": "bogus"}, lang="en").text)
    assert translated("en", "Cette réponse n'est pas proposée. Touchez une des réponses.") in refused


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
    # The page's token carries the final submission; another browser's is refused.
    flow = "0c6b2f4e-1b53-4f0e-8d84-6b7f2d1e9a10"
    sent = client.post(base + "/checkin", data={"csrf_token": token, "flow": flow, "lang": "en", "long": "1"})
    assert sent.status_code == 303
    stranger_token = csrf_client.application.test_client().csrf_token(f"/e/{event.code}")
    refused = client.post(base + "/checkin", data={"csrf_token": stranger_token, "flow": flow, "lang": "en"})
    assert refused.status_code == 400
    assert "This page has expired" in refused.text
