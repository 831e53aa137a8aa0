"""The resident's path where it used to stall: "Passer" on the card, the card from the stand,
"Accueil" in the middle, a card scanned over someone else's answers, the ways to show a card."""

from html import unescape

import pytest

from kiosk.i18n import LANGUAGES

from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident, new_card_code

SKIP_LABEL = {"fr": "Passer", "en": "Skip", "ar": "تخطٍّ"}


def resident_at(client, mode: str, **event_kw) -> Resident:
    if mode == "kiosk":
        return kiosk_resident(client, **event_kw)
    _user, event = gen_kiosk_setup(**event_kw)
    return Resident(client, event, mode="e")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_a_resident_who_skips_every_question_is_checked_in(client, mode, lang):
    resident = resident_at(client, mode)
    resident.choose(lang)
    resident.start_without_card()
    resident.answer_all({}, stop_at="card_offer")
    response = resident.answer("card_offer", "skip")
    assert response.status_code == 303 and response.location.endswith("/done")
    [checkin] = checkins(resident.event)
    assert checkin.card_id is None and checkin.first_time == "skip" and checkin.needs_skipped is True
    assert client.get(resident.base + "/done").status_code == 200


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_card_question_shows_skip_in_every_language(client, lang):
    resident = resident_at(client, "e")
    resident.choose(lang)
    resident.start_without_card()
    resident.answer_all({}, stop_at="card_offer")
    page = unescape(client.get(resident.base + "/q/card_offer").text)
    assert 'name="answer" value="skip"' in page and SKIP_LABEL[lang] in page


def answer_until_card_offer(resident):
    resident.choose("fr")
    resident.start_without_card()
    resident.answer_all({}, stop_at="card_offer")


# The card taken at the stand: back, or on without it


def test_the_link_scan_screen_offers_back_and_going_on_without_the_card(kiosk_client):
    resident, client = kiosk_client
    answer_until_card_offer(resident)
    resident.answer("card_offer", "link")
    scan = unescape(client.get(resident.base + "/scan").text)
    assert "Montrez la carte prise au stand" in scan
    assert f'href="{resident.base}/q/card_offer"' in scan  # back to the question
    assert "Je n'ai pas la carte" in scan
    # "Je n'ai pas la carte": checked in without a card, every answer kept.
    response = resident.answer("card_offer", "no")
    assert response.status_code == 303 and response.location.endswith("/done")
    [checkin] = checkins(resident.event)
    assert checkin.card_id is None and checkin.first_time == "skip"


@pytest.fixture
def kiosk_client(client):
    return kiosk_resident(client), client


# "Accueil" in the middle of the questions


def test_home_in_the_middle_asks_before_throwing_the_answers_away(kiosk_client):
    resident, client = kiosk_client
    resident.choose("fr")
    resident.start_without_card()
    resident.answer("first_time", "yes")
    page = unescape(client.get(resident.base + "/q/residence").text)
    assert f'href="{resident.base}/leave"' in page  # the header's "Accueil"
    asked = client.get(resident.base + "/leave")
    assert asked.status_code == 200 and "Voulez-vous tout recommencer ?" in unescape(asked.text)
    assert resident.current_flow() is not None  # nothing is thrown away by asking
    # "Non, je continue" goes back to the question, answers kept.
    back = client.get(resident.base + "/resume")
    assert back.location.endswith("/q/residence")


def test_home_with_nothing_to_lose_goes_straight_to_the_welcome_screen(kiosk_client):
    resident, client = kiosk_client
    resident.choose("fr")
    response = client.get(resident.base + "/leave")
    assert response.status_code == 303 and response.location.endswith(resident.base)


# A card shown while someone else is answering


def test_a_card_scanned_mid_questions_never_replaces_the_answers_silently(kiosk_client):
    resident, client = kiosk_client
    resident.choose("fr")
    resident.start_without_card()
    resident.answer("first_time", "yes")
    resident.answer("residence", "other")
    before = resident.current_flow()
    other = new_card_code()
    response = resident.scan(other, channel="scanner", flow=before)  # the scanner, on the age question
    assert response.status_code == 409
    assert "Une personne répond déjà aux questions." in unescape(response.text)
    with client.session_transaction() as session:
        flow = session["flow"]
    assert flow["id"] == before and flow["card"] is None and flow["a"] == {"first_time": "yes", "residence": "other"}
    assert checkins(resident.event) == []
    # Asked, the resident with the card starts again with it.
    response = client.post(resident.base + "/scan", data={"code": other, "channel": "scanner", "replace": before})
    assert response.status_code == 303 and response.location.endswith("/q/first_time")
    with client.session_transaction() as session:
        assert session["flow"]["card"] == other and session["flow"]["a"] == {}


def test_a_stale_confirmation_does_not_replace_another_flow(kiosk_client):
    resident, client = kiosk_client
    resident.choose("fr")
    resident.start_without_card()
    resident.answer("first_time", "no")
    response = client.post(resident.base + "/scan", data={"code": new_card_code(), "replace": "an-older-flow"})
    assert response.status_code == 409
    with client.session_transaction() as session:
        assert session["flow"]["a"] == {"first_time": "no"}


# Only the ways that work on this device


def test_the_phone_is_not_told_about_a_card_reader(client):
    resident = resident_at(client, "e")
    welcome = unescape(client.get(resident.base).text)
    assert "devant le lecteur" not in welcome and "in front of the reader" not in welcome
    resident.choose("fr")
    page = unescape(client.get(resident.base + "/scan").text)
    assert "passez la carte devant le lecteur" not in page.lower()
    assert "data-camera-box hidden" in page  # shown by kiosk.js only where a camera works


def test_the_kiosk_names_the_card_reader_and_the_keypad(kiosk_client):
    resident, client = kiosk_client
    resident.choose("fr")
    page = unescape(client.get(resident.base + "/scan").text)
    assert "Vous pouvez aussi passer la carte devant le lecteur." in page
    assert "Tapez le code, ou passez la carte devant le lecteur." in page


@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_the_new_card_says_next_time_only_what_the_device_offers(client, mode):
    resident = resident_at(client, mode)
    resident.choose("fr")
    resident.start_without_card()
    resident.answer_all({"card_offer": "yes"})
    done = unescape(client.get(resident.base + "/done").text)
    assert "La prochaine fois, tapez ce code." in done
    camera = '<p data-next-time="camera" hidden>La prochaine fois, montrez cette photo à la caméra.</p>'
    assert (camera in done) is (mode == "kiosk")
    assert done.count("La prochaine fois") == (2 if mode == "kiosk" else 1)
