"""Self check-in on residents' phones: many phones behind one address, one phone counted once."""

import uuid
from html import unescape

import pytest

from .factories_checkin import Resident, checkins, gen_kiosk_setup, kiosk_resident


def phone_checks_in(app, event, address="203.0.113.7") -> int:
    """Walk one new phone (its own cookies) through the screens, skipping everything; return the last status."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    phone = Resident(client, event, mode="e")
    phone.page()
    return phone.submit({}).status_code


def test_thirty_phones_behind_one_address_all_check_in(app):
    _user, event = gen_kiosk_setup()
    statuses = [phone_checks_in(app, event) for _ in range(30)]
    assert statuses == [200] * 30
    assert len(checkins(event)) == 30


def test_a_phone_keeping_no_cookies_cannot_add_check_ins(app):
    _user, event = gen_kiosk_setup(express_mode=True)
    client = app.test_client(use_cookies=False)
    for _ in range(30):
        client.get(f"/e/{event.code}")
        client.post(f"/e/{event.code}/lang", data={"lang": "fr"})
        client.post(f"/e/{event.code}/checkin", data={"flow": str(uuid.uuid4()), "lang": "fr"})
    assert len(checkins(event)) <= 3


def test_a_phone_that_drops_its_session_is_still_told_it_checked_in(client):
    _user, event = gen_kiosk_setup()
    phone = Resident(client, event, mode="e")
    phone.page()
    assert phone.submit({}).status_code == 200
    assert len(checkins(event)) == 1
    client.delete_cookie("session")  # the browser closed: its session cookie is gone
    page = phone.page()
    assert 'class="kiosk flow-page mode-phone phone-done"' in page.text  # the page opens on "already checked in"
    done = phone.submit({})
    assert done.status_code == 409 and "déjà comptée" in unescape(done.text)
    assert len(checkins(event)) == 1


def test_a_phone_cannot_change_its_cookie(client):
    _user, event = gen_kiosk_setup()
    client.get(f"/e/{event.code}")
    client.set_cookie("hlm_phone", "forged")
    assert client.post(f"/e/{event.code}/lang", data={"lang": "fr"}).status_code == 400


@pytest.mark.parametrize("spelling", ["lower", "mixed", "space"])
def test_every_spelling_of_the_event_code_shares_one_budget(client, app, spelling):
    app.config["PHONE_RATE_LIMIT"] = "5 per minute"
    _user, event = gen_kiosk_setup()
    code = event.code
    mixed = "".join(c.lower() if i % 2 else c for i, c in enumerate(code))
    spellings = {"lower": code.lower(), "mixed": mixed, "space": "%20" + code}
    variants = [code, spellings[spelling]]
    client.get(f"/e/{code}")
    statuses = [client.post(f"/e/{variants[i % 2]}/lang", data={"lang": "fr"}).status_code for i in range(8)]
    assert statuses[:5] == [303] * 5 and statuses[5:] == [429] * 3


def test_a_code_typed_in_lower_case_leads_to_the_events_own_address(client):
    _user, event = gen_kiosk_setup()
    response = client.get(f"/e/{event.code.lower()}")
    assert response.status_code == 301 and response.location.endswith(f"/e/{event.code}")
    response = client.get(f"/e/%20{event.code}/privacy?mode=x&_scheme=ftp")
    assert response.status_code == 301 and response.location.endswith(f"/e/{event.code}/privacy")


def test_check_ins_from_one_address_stop_at_the_ceiling(app):
    app.config["PHONE_ADDRESS_RATE_LIMIT"] = "3 per minute"
    _user, event = gen_kiosk_setup(express_mode=True)
    statuses = [phone_checks_in(app, event) for _ in range(5)]
    assert statuses[:3] == [200] * 3 and statuses[3:] == [429] * 2
    assert len(checkins(event)) == 3
    # Another address is not held back by this one.
    assert phone_checks_in(app, event, address="198.51.100.4") == 200


def test_the_kiosk_is_not_held_by_the_phone_limits(client, app):
    app.config["PHONE_ADDRESS_RATE_LIMIT"] = "1 per minute"
    kiosk = kiosk_resident(client)
    for _ in range(3):
        assert kiosk.submit({}).status_code == 200
    assert len(checkins(kiosk.event)) == 3
