"""The resident's screens through HTTP: the whole path, the phone, htmx and bad input."""

from html import unescape

import pytest

from kiosk.codes import QR_PREFIX
from kiosk.extensions import db

from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident, new_card_code

NEWCOMER = {"first_time": "yes", "age_band": "26_40", "gender": "woman", "goes_to_structure": "no",
            "heard_from": "poster", "needs": ("ok", ["childcare", "interpreter"]), "children": "2",
            "child_ages": ("ok", ["3_5", "6_11"]), "interpreter": "ar", "card_offer": "yes"}


@pytest.fixture
def kiosk(client):
    return kiosk_resident(client, interpreter_languages="ar,tr")











@pytest.mark.parametrize("raw, message", [
    ("https://example.org/?card=1", "This code is not a Hors-les-murs card."),
    ("ABCDEFGHJK", "This code is wrong."),
])
def test_a_bad_code_is_refused_in_the_residents_language(kiosk, raw, message):
    response = kiosk.submit({"needs": ("none", [])}, card=raw, lang="en")
    assert response.status_code == 422 and 'data-send-back="scan"' in response.text
    assert message in unescape(response.text)
    assert checkins(kiosk.event) == []








def test_a_forged_flow_id_is_refused(kiosk):
    response = kiosk.submit({}, flow="not-a-uuid")
    assert response.status_code == 422 and 'data-send-back="start"' in response.text
    assert checkins(kiosk.event) == []





def test_express_mode_checks_in_with_one_tap(client):
    user, event = gen_kiosk_setup(express_mode=True)
    resident = Resident(client, event)
    resident.open_kiosk(user)
    response = resident.submit({"first_time": "yes"})  # answers an express event never asks are ignored
    assert response.status_code == 200
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_time, checkin.needs_skipped) == ("express", None, False)





def test_every_kiosk_screen_is_kept_out_of_caches(kiosk, client):
    for path in ("", "/start", "/scan", "/privacy"):
        assert client.get(kiosk.base + path).headers["Cache-Control"] == "no-store"


def test_the_privacy_notice_names_the_controller_in_the_chosen_language(kiosk, client, app):
    app.config.update(DATA_CONTROLLER_NAME="Ville de Test", DATA_CONTROLLER_CONTACT="dpo@test.example",
                      RETENTION_MONTHS=18)
    kiosk.choose("en")
    text = unescape(client.get(kiosk.base + "/privacy").text)
    assert "Ville de Test" in text and "dpo@test.example" in text
    assert "18 months" in text and "you can skip every question" in text


def test_after_a_reset_nothing_of_the_resident_can_be_reached(kiosk, client):
    assert kiosk.submit({"card_offer": "yes"}, long_form=True, htmx=False).status_code == 303
    client.get(kiosk.base)  # the welcome screen forgets the resident
    assert client.get(kiosk.base + "/done").status_code == 303
    with client.session_transaction() as session:
        assert "done" not in session and "lang" not in session and "kiosk" in session


@pytest.mark.parametrize("path, status", [
    ("/kiosk/NOPE42", 404), ("/e/NOPE42", 404), ("/e/" + "X" * 300, 404), ("/e/NOPE42/privacy", 404),
])
def test_unknown_events_get_a_clear_4xx(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "Nous ne trouvons pas ce stand" in unescape(response.text)


def test_a_draft_event_is_not_open_to_residents(client):
    _user, event = gen_kiosk_setup(status="draft")
    assert client.get(f"/e/{event.code}").status_code == 409


# Self check-in on the resident's phone

def test_a_phone_checks_in_without_a_kiosk_session(client):
    _user, event = gen_kiosk_setup()
    phone = Resident(client, event, mode="e")
    assert client.get(phone.base).status_code == 200
    assert phone.submit({"first_time": "no", "card_offer": "no"}, lang="en").status_code == 200
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_time, checkin.card_id, checkin.language) == ("phone", "no", None, "en")
    # The same phone starting again is told it already checked in.
    assert phone.submit({}).status_code == 409
    assert len(checkins(event)) == 1


def test_one_phone_cannot_flood_an_event(client, app):
    app.config["PHONE_RATE_LIMIT"] = "5 per minute"
    _user, event = gen_kiosk_setup()
    phone = Resident(client, event, mode="e")
    statuses = [phone.choose("fr").status_code for _ in range(7)]
    assert statuses[:5] == [303] * 5 and statuses[-1] == 429


@pytest.mark.parametrize("data", [{"lang": "xx"}, {}, {"lang": "../../etc"}])
def test_an_unknown_language_is_refused(client, data):
    _user, event = gen_kiosk_setup()
    client.get(f"/e/{event.code}")
    response = client.post(f"/e/{event.code}/lang", data=data)
    assert response.status_code == 400 and "Choisissez une langue dans la liste." in unescape(response.text)





def test_an_open_events_page_offers_the_kiosk_and_the_phone_link(client):
    user, event = gen_kiosk_setup()
    client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    page = client.get(f"/events/{event.code}").text
    assert f'action="/kiosk/{event.code}/open"' in page and f'href="/e/{event.code}"' in page
    event.status = "draft"
    db.session.commit()
    assert f'action="/kiosk/{event.code}/open"' not in client.get(f"/events/{event.code}").text


def test_a_newcomer_links_a_pre_printed_card_from_the_stand(kiosk, client):
    printed = new_card_code()
    missing = kiosk.submit({"first_time": "no", "gender": "man", "card_offer": "link"})
    assert missing.status_code == 422 and 'data-send-back="link_scan"' in missing.text
    response = kiosk.submit({"first_time": "no", "gender": "man", "card_offer": "link"}, card=printed,
                            channel="camera", profile=True)
    assert response.status_code == 200 and "Merci, c'est enregistré !" in unescape(response.text)
    [checkin] = checkins(kiosk.event)
    assert checkin.card.code == printed
    assert (checkin.channel, checkin.first_seen, checkin.first_time, checkin.gender) == ("camera", True, "no", "man")


def test_a_card_scanned_during_express_mode_checks_in_at_once(client):
    user, event = gen_kiosk_setup(express_mode=True)
    resident = Resident(client, event)
    resident.open_kiosk(user)
    code = new_card_code()
    response = resident.submit({}, card=QR_PREFIX + code, channel="scanner")
    assert response.status_code == 200
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_seen, checkin.first_time) == ("scanner", True, None)


def test_the_idle_delay_comes_from_the_environment(monkeypatch, database_url):
    from .conftest import make_app

    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "30")
    assert make_app(database_url).config["KIOSK_IDLE_SECONDS"] == 30
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "soon")
    assert make_app(database_url).config["KIOSK_IDLE_SECONDS"] == 45
