"""The resident's screens through HTTP: the whole path, the phone, htmx and bad input."""

from html import unescape

import pytest

from kiosk.codes import QR_PREFIX, display_card_code
from kiosk.extensions import db
from kiosk.models import Card

from .factories import gen_event, gen_neighbourhood
from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident, new_card_code, record

NEWCOMER = {"first_time": "yes", "age_band": "26_40", "gender": "woman", "goes_to_structure": "no",
            "heard_from": "poster", "needs": ("ok", ["childcare", "interpreter"]), "children": "2",
            "child_ages": ("ok", ["3_5", "6_11"]), "interpreter": "ar", "card_offer": "yes"}


@pytest.fixture
def kiosk(client):
    return kiosk_resident(client, interpreter_languages="ar,tr")


def test_a_newcomer_checks_in_in_arabic_with_two_children_and_an_interpreter(kiosk, client):
    home = gen_neighbourhood(name="Sanitas")
    db.session.commit()
    response = kiosk.choose("ar")
    assert response.status_code == 303
    page = client.get(response.location)
    assert 'dir="rtl"' in unescape(page.text) and "أول مرة / بدون بطاقة" in unescape(page.text)
    assert kiosk.start_without_card().status_code == 303
    kiosk.answer_all({**NEWCOMER, "residence": f"n:{home.id}"})
    done = client.get(kiosk.base + "/done")
    assert done.status_code == 200
    assert "شكراً، تمّ تسجيلك!" in unescape(done.text)
    card = db.session.execute(db.select(Card)).scalar_one()
    # The code is shown to read, and drawn as a QR labelled with it.
    assert display_card_code(card.code) in unescape(done.text)
    assert f'role="img" aria-label="{display_card_code(card.code)}"' in unescape(done.text)
    [checkin] = checkins(kiosk.event)
    assert (checkin.channel, checkin.language, checkin.card_id, checkin.first_seen) == ("nocard", "ar", card.id, True)
    assert (checkin.first_time, checkin.residence, checkin.residence_neighbourhood_id) == ("yes", "neighbourhood",
                                                                                           home.id)
    assert (checkin.age_band, checkin.gender, checkin.goes_to_structure, checkin.heard_from) == (
        "26_40", "woman", "no", "poster")
    assert (checkin.childcare_children, checkin.childcare_age_bands, checkin.interpreter_language) == (
        2, "3_5,6_11", "ar")
    assert (checkin.accessibility, checkin.needs_skipped) == (False, False)


def test_a_known_card_is_welcomed_back_and_asked_only_the_needs(kiosk, client):
    code = new_card_code()
    record(gen_event(structure=kiosk.event.structure), code)
    kiosk.choose("en")
    response = kiosk.scan(QR_PREFIX + code, channel="scanner")
    assert response.location.endswith("/q/needs")
    assert "Welcome back!" in unescape(client.get(response.location).text)
    kiosk.answer("needs", "none")
    mine = checkins(kiosk.event)[0]
    assert (mine.channel, mine.first_seen, mine.first_time, mine.needs_skipped) == ("scanner", False, None, False)


def test_the_same_card_twice_at_one_event_is_told_and_counted_once(kiosk, client):
    code = new_card_code()
    record(kiosk.event, code)
    kiosk.choose("fr")
    response = kiosk.scan(display_card_code(code).lower())
    assert response.status_code == 303
    done = client.get(response.location)
    assert done.status_code == 409
    assert "déjà enregistré·e" in unescape(done.text)
    assert len(checkins(kiosk.event)) == 1


@pytest.mark.parametrize("raw, message", [
    ("https://example.org/?card=1", "This code is not a Hors-les-murs card."),
    ("ABCDEFGHJK", "This code is not right."),
    ("", "This code is not right."),
    ("x" * 5000, "This code is not a Hors-les-murs card."),
])
def test_a_bad_code_is_refused_in_the_residents_language(kiosk, raw, message):
    kiosk.choose("en")
    response = kiosk.scan(raw)
    assert response.status_code == 422
    assert message in unescape(response.text)
    assert db.session.execute(db.select(db.func.count(Card.id))).scalar() == 0


def test_a_mistyped_card_is_refused_in_arabic(kiosk):
    kiosk.choose("ar")
    code = new_card_code()
    typo = code[:3] + ("2" if code[3] != "2" else "3") + code[4:]
    response = kiosk.scan(typo)
    assert response.status_code == 422
    assert "هذا الرمز غير صحيح" in unescape(response.text)


def test_a_tampered_answer_gets_a_400_and_nothing_is_stored(kiosk):
    kiosk.choose("fr")
    kiosk.start_without_card()
    response = kiosk.answer("first_time", "<script>")
    assert response.status_code == 400
    assert "Cette réponse n'est pas proposée" in unescape(response.text)
    response = kiosk.answer("residence", "n:999999")
    assert response.status_code == 400
    assert checkins(kiosk.event) == []


def test_a_stale_or_forged_flow_is_refused(kiosk):
    kiosk.choose("fr")
    kiosk.start_without_card()
    response = kiosk.answer("first_time", "yes", flow="not-the-flow")
    assert response.status_code == 409
    assert "n'est plus valable" in unescape(response.text)


def test_a_replayed_final_submission_is_not_counted_twice(kiosk, client):
    kiosk.choose("fr")
    kiosk.start_without_card()
    kiosk.answer_all({"card_offer": "no"})
    # A replayed last request carries the old cookie: the flow as it was just before the end.
    [checkin] = checkins(kiosk.event)
    skipped = ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from", "needs")
    replayed = {"id": str(checkin.uuid), "event": kiosk.event.code, "card": None, "channel": "nocard",
                "known": False, "express": False, "a": dict.fromkeys(skipped, "skip")}
    with client.session_transaction() as session:
        session.pop("done", None)
        session["flow"] = replayed
    response = kiosk.answer("card_offer", "no", flow=replayed["id"])
    assert response.status_code == 303
    done = client.get(response.location)
    assert done.status_code == 409 and "C'est déjà enregistré" in unescape(done.text)
    assert len(checkins(kiosk.event)) == 1


def test_express_mode_checks_in_with_one_tap(client):
    user, event = gen_kiosk_setup(express_mode=True)
    resident = Resident(client, event)
    resident.open_kiosk(user)
    resident.choose("fr")
    response = resident.start_without_card()
    assert response.location.endswith("/done")
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_time, checkin.needs_skipped) == ("express", None, False)


def test_htmx_gets_the_fragment_and_a_plain_browser_the_page(kiosk, client):
    kiosk.choose("fr")
    page = client.get(kiosk.base + "/start")
    fragment = client.get(kiosk.base + "/start", headers={"HX-Request": "true"})
    assert "<html" in unescape(page.text) and 'id="screen"' in unescape(page.text)
    assert "<html" not in unescape(fragment.text) and unescape(fragment.text).lstrip().startswith('<div id="screen"')


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


def test_after_a_reset_no_screen_of_the_resident_can_be_reached(kiosk, client):
    kiosk.choose("fr")
    kiosk.start_without_card()
    kiosk.answer("first_time", "yes")
    client.get(kiosk.base)  # the welcome screen forgets the resident
    response = client.get(kiosk.base + "/q/residence")
    assert response.status_code == 303 and response.location.endswith("/resume")
    assert client.get(kiosk.base + "/done").status_code == 303
    with client.session_transaction() as session:
        assert "flow" not in session and "lang" not in session and "kiosk" in session


@pytest.mark.parametrize("path, status", [
    ("/kiosk/NOPE42", 404), ("/e/NOPE42", 404), ("/e/" + "X" * 300, 404), ("/e/NOPE42/q/gender", 404),
])
def test_unknown_events_get_a_clear_4xx(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "Cette action n'existe pas" in unescape(response.text)


def test_a_draft_event_is_not_open_to_residents(client):
    _user, event = gen_kiosk_setup(status="draft")
    assert client.get(f"/e/{event.code}").status_code == 409


# Self check-in on the resident's phone

def test_a_phone_checks_in_without_a_kiosk_session(client):
    _user, event = gen_kiosk_setup()
    phone = Resident(client, event, mode="e")
    assert client.get(phone.base).status_code == 200
    phone.choose("en")
    phone.start_without_card()
    phone.answer_all({"first_time": "no", "card_offer": "no"})
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_time, checkin.card_id) == ("phone", "no", None)
    # The same phone starting again is told it already checked in.
    response = phone.start_without_card()
    assert client.get(response.location).status_code == 409
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


def test_htmx_gets_the_next_screen_in_the_answer_itself(kiosk, client):
    kiosk.choose("fr")
    response = client.post(kiosk.base + "/start", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-screen="question-first_time"' in response.text and "<html" not in response.text


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
    kiosk.choose("fr")
    kiosk.start_without_card()
    kiosk.answer_all({"first_time": "no", "gender": "man", "card_offer": "link"})
    scan_screen = client.get(kiosk.base + "/resume", follow_redirects=True)
    assert "Montrez la carte prise au stand" in unescape(scan_screen.text)
    response = kiosk.scan(printed, channel="camera", flow=kiosk.current_flow())
    assert response.status_code == 303 and response.location.endswith("/done")
    [checkin] = checkins(kiosk.event)
    assert checkin.card.code == printed
    assert (checkin.channel, checkin.first_seen, checkin.first_time, checkin.gender) == ("camera", True, "no", "man")
    assert "Merci, vous êtes enregistré·e !" in unescape(client.get(response.location).text)


def test_a_card_scanned_during_express_mode_checks_in_at_once(client):
    user, event = gen_kiosk_setup(express_mode=True)
    resident = Resident(client, event)
    resident.open_kiosk(user)
    code = new_card_code()
    response = resident.scan(QR_PREFIX + code, channel="scanner")
    assert response.location.endswith("/done")
    [checkin] = checkins(event)
    assert (checkin.channel, checkin.first_seen, checkin.first_time) == ("scanner", True, None)


def test_the_idle_delay_comes_from_the_environment(monkeypatch, database_url):
    from .conftest import make_app

    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "30")
    assert make_app(database_url).config["KIOSK_IDLE_SECONDS"] == 30
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "soon")
    assert make_app(database_url).config["KIOSK_IDLE_SECONDS"] == 45
