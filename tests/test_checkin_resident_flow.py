"""The resident's path where it used to stall: "Passer" on the card, the card from the stand,
"Accueil" in the middle, a card scanned over someone else's answers, the ways to show a card.

The page's script walks these screens (tests/browser); here, what the page carries and what the
one submission records."""

from html import unescape
from pathlib import Path

import pytest
from babel.support import Translations

from kiosk.i18n import LANGUAGES, babel_locale

from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident

SKIP_LABEL = {"fr": "Passer", "en": "Skip", "ar": "تخطٍّ"}
TRANSLATIONS = Path(__file__).resolve().parent.parent / "kiosk" / "translations"


def skip_label(lang: str) -> str:
    """What "Passer" reads in a language: known for three, the catalogue's for the others (issue 15)."""
    return SKIP_LABEL.get(lang) or Translations.load(str(TRANSLATIONS), [babel_locale(lang)]).ugettext("Passer")


def resident_at(client, mode: str, **event_kw) -> Resident:
    if mode == "kiosk":
        return kiosk_resident(client, **event_kw)
    _user, event = gen_kiosk_setup(**event_kw)
    resident = Resident(client, event, mode="e")
    resident.page()  # the phone's cookie
    return resident


def part_of(page: str, lang: str) -> str:
    parts = page.split("<template data-lang=")
    return next((part for part in parts[1:] if part.startswith(f'"{lang}"')), parts[0])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_a_resident_who_skips_every_question_is_checked_in(client, mode, lang):
    resident = resident_at(client, mode)
    response = resident.submit({}, lang=lang)
    assert response.status_code == 200 and 'data-screen="done"' in response.text
    [checkin] = checkins(resident.event)
    assert checkin.card_id is None and checkin.first_time == "skip" and checkin.needs_skipped is True
    assert checkin.language == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_card_question_shows_skip_in_every_language(client, lang):
    resident = resident_at(client, "e")
    # A phone's page carries its resident's language; the others come from the part route.
    part = unescape(resident.client.get(f"{resident.base}/part/{lang}").text)
    card_offer = part[part.index('data-step="card_offer"'):]
    assert 'name="card_offer" value="skip"' in card_offer and skip_label(lang) in card_offer


def test_the_card_from_the_stand_can_be_left_and_the_answers_kept(client):
    resident = resident_at(client, "kiosk")
    page = unescape(resident.page().text)
    assert "Montrez la carte prise au stand" in page and "Je n'ai pas la carte" in page
    # "Je n'ai pas la carte": the script answers "no" to the card question and sends.
    response = resident.submit({"first_time": "yes", "card_offer": "no"})
    assert response.status_code == 200
    [checkin] = checkins(resident.event)
    assert checkin.card_id is None and checkin.first_time == "yes"


def test_home_and_a_card_over_someone_elses_answers_ask_first(client):
    page = unescape(resident_at(client, "kiosk").page().text)
    assert 'data-screen="leave"' in page and "Voulez-vous tout recommencer ?" in page
    assert 'data-screen="replace"' in page and "Une personne répond déjà aux questions." in page


def test_the_phone_is_not_told_about_a_card_reader(client):
    resident = resident_at(client, "e")
    page = unescape(resident.page().text).lower()
    assert "devant le lecteur" not in page and "in front of the reader" not in page
    assert "data-camera-box hidden" in page  # shown by kiosk.js only where a camera works


def test_the_kiosk_names_the_card_reader_and_the_keypad(client):
    page = unescape(resident_at(client, "kiosk").page().text)
    assert "Vous pouvez aussi passer la carte devant le lecteur." in page
    assert "Tapez le code, ou passez la carte devant le lecteur." in page


@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_the_new_card_says_next_time_only_what_the_device_offers(client, mode):
    resident = resident_at(client, mode)
    done = unescape(resident.submit({"card_offer": "yes"}).text)
    assert "La prochaine fois, tapez ce code." in done
    camera = '<p data-next-time="camera" hidden>La prochaine fois, montrez cette photo à la caméra.</p>'
    assert (camera in done) is (mode == "kiosk")
    assert done.count("La prochaine fois") == (2 if mode == "kiosk" else 1)
