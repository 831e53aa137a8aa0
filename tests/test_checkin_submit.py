"""The page's one submission: every answer checked again, a refusal names the step, a retry counts once."""

import uuid
from html import unescape

import pytest

from kiosk.codes import display_card_code
from kiosk.extensions import db
from kiosk.models import Card

from .factories import gen_neighbourhood
from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident, new_card_code, record

NEWCOMER = {"first_time": "yes", "age_band": "26_40", "gender": "woman", "goes_to_structure": "no",
            "heard_from": "poster", "needs": ("ok", ["childcare", "interpreter"]), "children": "2",
            "child_ages": ("ok", ["3_5", "6_11"]), "interpreter": "ar", "card_offer": "yes"}


@pytest.fixture
def kiosk(client):
    return kiosk_resident(client, interpreter_languages="ar,tr")


def test_the_page_carries_every_screen_in_every_language(kiosk):
    page = unescape(kiosk.page().text)
    for step in ("first_time", "residence", "needs", "children", "child_ages", "interpreter", "card_offer"):
        assert f'data-step="{step}"' in page
    assert 'data-when="needs:childcare"' in page and 'data-when="needs:interpreter"' in page
    assert '<template data-lang="ar" data-dir="rtl" data-text-lang="ar">' in page and '<template data-lang="en"' in page
    assert "ليست لدي بطاقة" in page and "I have no card" in page


def test_a_newcomer_is_recorded_once_with_every_answer(kiosk):
    home = gen_neighbourhood(name="Sanitas")
    db.session.commit()
    # Made by the factory, not the places service: drop the kiosk's copies by hand.
    kiosk.client.application.extensions["kiosk_snapshots"].clear()
    flow = str(uuid.uuid4())
    done = kiosk.submit({**NEWCOMER, "residence": f"n:{home.id}"}, lang="ar", flow=flow)
    assert done.status_code == 200, done.text
    assert "شكراً، تمّ التسجيل!" in unescape(done.text)
    card = db.session.execute(db.select(Card)).scalar_one()
    assert display_card_code(card.code) in unescape(done.text)
    [checkin] = checkins(kiosk.event)
    assert (checkin.language, checkin.residence_neighbourhood_id, checkin.childcare_children,
            checkin.childcare_age_bands, checkin.interpreter_language, checkin.first_seen) == (
        "ar", home.id, 2, "3_5,6_11", "ar", True)
    # The network dropped the answer: the same submission again counts once, and shows the card again.
    again = kiosk.submit({**NEWCOMER, "residence": f"n:{home.id}"}, lang="ar", flow=flow)
    assert again.status_code == 200 and display_card_code(card.code) in unescape(again.text)
    assert len(checkins(kiosk.event)) == 1


def test_answers_of_questions_not_asked_are_ignored(kiosk):
    kiosk.submit({**NEWCOMER, "needs": ("none", [])})
    [checkin] = checkins(kiosk.event)
    assert (checkin.childcare_children, checkin.childcare_age_bands, checkin.interpreter_language) == (0, "", None)


@pytest.mark.parametrize("step, value", [("age_band", "200_300"), ("residence", "n:999999"),
                                         ("interpreter", "klingon"), ("children", "40")])
def test_a_tampered_answer_sends_back_to_its_step_and_stores_nothing(kiosk, step, value):
    response = kiosk.submit({**NEWCOMER, step: value})
    assert response.status_code == 422
    assert f'data-send-back="{step}"' in response.text
    assert checkins(kiosk.event) == []


def test_a_missing_answer_on_the_path_is_refused_but_a_long_form_takes_it_as_skipped(kiosk):
    data = {**NEWCOMER}
    response = kiosk.submit(data, extra={"gender": ""})
    assert response.status_code == 422 and 'data-send-back="gender"' in response.text
    assert kiosk.submit(data, extra={"gender": ""}, long_form=True, htmx=False).status_code == 303
    [checkin] = checkins(kiosk.event)
    assert checkin.gender == "skip"


def test_a_long_form_refused_shows_the_page_again_with_the_answers(kiosk):
    response = kiosk.submit({**NEWCOMER, "age_band": "bogus"}, long_form=True, htmx=False)
    assert response.status_code == 422
    page = unescape(response.text)
    assert 'value="woman" checked' in page and "Cette réponse n'est pas proposée" in page
    assert checkins(kiosk.event) == []


def test_a_never_used_card_is_asked_its_profile_then_recorded(kiosk):
    code = new_card_code()
    asked = kiosk.submit({"needs": ("none", [])}, card=code, channel="scanner")
    assert asked.status_code == 409 and 'data-send-back="first_time"' in asked.text
    assert checkins(kiosk.event) == []
    done = kiosk.submit({"first_time": "yes", "needs": ("none", [])}, card=code, channel="scanner", profile=True)
    assert done.status_code == 200
    [checkin] = checkins(kiosk.event)
    assert (checkin.channel, checkin.first_time, checkin.first_seen) == ("scanner", "yes", True)


def test_a_known_card_goes_straight_to_its_needs_and_is_greeted(kiosk):
    code = new_card_code()
    from .factories import gen_event

    earlier = gen_event(structure=kiosk.event.structure)
    record(earlier, code)
    db.session.commit()
    done = kiosk.submit({"needs": ("ok", ["accessibility"])}, card="HLM1:" + code, channel="camera")
    assert done.status_code == 200 and "Bon retour parmi nous !" in unescape(done.text)
    [checkin] = checkins(kiosk.event)
    assert (checkin.first_time, checkin.accessibility, checkin.first_seen) == (None, True, False)
    twice = kiosk.submit({"needs": ("none", [])}, card=code)
    assert twice.status_code == 409 and "déjà comptée" in unescape(twice.text)


def test_a_bad_card_code_sends_back_to_the_scanner(kiosk):
    code = new_card_code()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = kiosk.submit({"needs": ("none", [])}, card=wrong)
    assert response.status_code == 422 and 'data-send-back="scan"' in response.text
    linked = kiosk.submit({**NEWCOMER, "card_offer": "link"}, card="https://example.org")
    assert 'data-send-back="link_scan"' in linked.text and "pas une carte Hors-les-murs" in unescape(linked.text)
    assert checkins(kiosk.event) == []


def test_a_closed_event_refuses_the_submission(kiosk):
    kiosk.event.status = "closed"
    db.session.commit()
    kiosk.client.application.extensions["kiosk_snapshots"].clear()
    response = kiosk.submit(NEWCOMER)
    assert response.status_code == 410 and "Ce stand est fermé" in unescape(response.text)
    assert checkins(kiosk.event) == []


def test_without_javascript_the_language_form_and_the_long_form_work(client):
    resident = kiosk_resident(client)
    chosen = resident.choose("en")
    assert chosen.status_code == 303
    page = unescape(client.get(chosen.location).text)
    assert '<html lang="en"' in page.split("<template data-lang")[0]
    done = resident.submit({"gender": "man"}, long_form=True, htmx=False, lang="en")
    assert done.status_code == 303 and done.location.endswith("/done")
    shown = client.get(done.location)
    assert shown.status_code == 200 and "Thank you" in unescape(shown.text)


def test_a_phone_page_carries_its_own_language_and_fetches_another_on_demand(client):
    _user, event = gen_kiosk_setup()
    phone = Resident(client, event, mode="e")
    page = phone.client.get(phone.base, headers={"Accept-Language": "ar"}).text
    assert "<template data-lang=" not in page and 'lang="ar" dir="rtl"' in page
    assert f'data-parts="/e/{event.code}/part/LANG"' in page
    part = phone.client.get(f"{phone.base}/part/tr")
    assert part.status_code == 200 and part.headers["Cache-Control"] == "no-store"
    html = unescape(part.text)
    assert html.startswith('<template data-lang="tr" data-dir="ltr" data-text-lang="tr">')
    # The session's token, not the cached placeholder: the switched page posts like the first one.
    assert "__hlm_csrf__" not in html and 'name="csrf_token" value="' in html
    assert phone.client.get(f"{phone.base}/part/xx").status_code == 404
    assert phone.client.get("/e/NOSUCH/part/tr").status_code == 404
