"""No input makes the kiosk fail: every odd request gets a screen and a 4xx, never a 500."""

import pytest

from kiosk.extensions import db
from kiosk.models import CheckIn

from .factories_checkin import Resident, gen_kiosk_setup

ODD_VALUES = ["", " ", "x" * 10_000, "skip\x00", "n:", "n:-1", "n:1e9", "’; DROP TABLE checkins; --", "ٱلعربية",
              "ok", "none", "6", "7", "../..", "%00", "<svg onload=alert(1)>"]
STEPS = ["first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from", "needs", "children",
         "child_ages", "interpreter", "card_offer", "nope", "..", "q" * 300]


@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_odd_answers_in_the_one_submission_never_fail(app, client, mode):
    app.config["PHONE_RATE_LIMIT"] = "100000 per minute"  # the limit has its own test
    app.config["PHONE_ADDRESS_RATE_LIMIT"] = "100000 per minute"
    user, event = gen_kiosk_setup()
    resident = Resident(client, event, mode=mode)
    if mode == "kiosk":
        resident.open_kiosk(user)
    else:
        resident.page()
    for step in STEPS:
        for value in ODD_VALUES:
            for extra in ({step: value}, {step: [value, "childcare"], step + "_do": value}, {"flow": value},
                          {"card": value}, {"lang": value}, {"long": value, step: value}):
                response = resident.submit({}, extra=extra)
                assert response.status_code < 500, (step, value, response.status_code)
                assert response.status_code in (200, 400, 409, 422), (step, value, response.status_code)
    for path in ("", "/done", "/privacy", "/lang", "/checkin", "/zzz"):
        assert client.get(resident.base + path).status_code < 500
    # Whatever was recorded along the way holds only vocabulary values.
    for checkin in db.session.execute(db.select(CheckIn)).scalars():
        assert checkin.channel in ("nocard", "phone", "keypad", "scanner", "camera")
        assert checkin.first_time in ("yes", "no", "skip")
        assert 0 <= checkin.childcare_children <= 6
        assert checkin.language in ("fr", "en", "ar")


def test_a_form_without_its_csrf_token_gets_a_kiosk_screen_in_the_residents_language(csrf_client):
    _user, event = gen_kiosk_setup()
    with csrf_client.session_transaction() as session:
        session["lang"] = "en"
    response = csrf_client.post(f"/e/{event.code}/checkin", data={"lang": "en"})
    assert response.status_code == 400
    assert "This page has expired" in response.text
    assert db.session.execute(db.select(db.func.count(CheckIn.id))).scalar() == 0


def test_an_oversized_unlock_secret_is_refused_not_crashed(client):
    user, event = gen_kiosk_setup()
    Resident(client, event).open_kiosk(user)
    response = client.post(f"/kiosk/{event.code}/unlock", data={"secret": "9" * 100_000})
    assert response.status_code == 403
