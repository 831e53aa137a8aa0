"""Kiosk tablets: opened by the animateur's button only, PIN lockout per tablet, no resident left to reload."""

import re
from html import unescape

import pytest

from kiosk.codes import display_card_code
from kiosk.extensions import db
from kiosk.models import Card, KioskTablet

from . import factories
from .factories_checkin import PIN, Resident, gen_kiosk_setup

WRONG_PIN = "000000"


def setup() -> dict:
    user, event = gen_kiosk_setup()
    other = factories.gen_event(structure=event.structure)
    return {"email": user.email, "code": event.code, "other": other.code}


def tablet(app, stand, address="192.0.2.10"):
    """A browser where the animateur logged in and pressed "open the kiosk on this tablet"."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.post("/auth/login", data={"email": stand["email"], "password": factories.PASSWORD})
    response = client.post(f"/kiosk/{stand['code']}/open")
    assert response.status_code == 303 and response.location.endswith(f"/kiosk/{stand['code']}")
    return client


def unlock(client, stand, secret):
    return client.post(f"/kiosk/{stand['code']}/unlock", data={"secret": secret})


def test_wrong_pins_lock_the_pin_of_that_tablet_only(app):
    app.config["KIOSK_UNLOCK_RATE_LIMIT"] = "100 per minute"  # the lockout, not the rate limit, is tested here
    stand = setup()
    first, second = tablet(app, stand), tablet(app, stand)
    for _ in range(5):
        refused = unlock(first, stand, WRONG_PIN)
        assert refused.status_code == 403
    assert "Déverrouillez-la avec votre mot de passe" in unescape(refused.text)
    assert unlock(first, stand, PIN).status_code == 403  # the right PIN no longer opens this tablet
    assert unlock(second, stand, PIN).status_code == 303  # the other one, untouched, opens with it
    assert unlock(first, stand, factories.PASSWORD).status_code == 303
    assert db.session.execute(db.select(KioskTablet)).all() == []  # both ended


def test_a_resident_hammering_one_tablet_does_not_block_another_on_the_same_address(app):
    assert app.config["KIOSK_UNLOCK_RATE_LIMIT"] == "5 per minute"
    stand = setup()
    hammered, other = tablet(app, stand), tablet(app, stand)
    statuses = [unlock(hammered, stand, f"{n:06d}").status_code for n in range(6)]
    assert statuses[-1] == 429
    assert unlock(other, stand, PIN).status_code == 303


def test_a_link_cannot_turn_a_browser_into_a_kiosk(client):
    stand = setup()
    client.post("/auth/login", data={"email": stand["email"], "password": factories.PASSWORD})
    response = client.get(f"/kiosk/{stand['code']}")  # what an <img> or a link elsewhere would ask
    assert response.status_code == 302 and response.location.endswith(f"/events/{stand['code']}")
    assert client.get("/events/").status_code == 200  # still logged in
    with client.session_transaction() as session:
        assert "kiosk" not in session


def test_opening_the_kiosk_needs_the_form_of_the_event_page(csrf_client):
    stand = setup()
    client = csrf_client
    client.post("/auth/login", data={"email": stand["email"], "password": factories.PASSWORD,
                                     "csrf_token": client.csrf_token("/auth/login")})
    assert client.post(f"/kiosk/{stand['code']}/open").status_code == 400  # a forged cross-site form
    page = client.get(f"/events/{stand['code']}").text
    assert f'action="/kiosk/{stand["code"]}/open"' in page
    response = client.post(f"/kiosk/{stand['code']}/open", data={"csrf_token": form_token(page)})
    assert response.status_code == 303


def form_token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_a_locked_kiosk_cannot_open_the_phone_flow_of_any_event(app):
    stand = setup()
    client = tablet(app, stand)
    for url in (f"/e/{stand['other']}", f"/e/{stand['code']}", f"/e/{stand['other']}/privacy"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.endswith(f"/kiosk/{stand['code']}"), url
    response = client.post(f"/e/{stand['other']}/lang", data={"lang": "fr"})
    assert response.status_code == 302 and response.location.endswith(f"/kiosk/{stand['code']}")


def test_reloading_the_confirmation_shows_nothing_of_the_previous_resident(kiosk_client):
    kiosk, client = kiosk_client
    # The long form (no JavaScript) is the one that goes through /done.
    assert kiosk.submit({"card_offer": "yes"}, long_form=True, htmx=False).status_code == 303
    card = display_card_code(db.session.execute(db.select(Card.code)).scalar_one())
    shown = client.get(kiosk.base + "/done")
    assert shown.status_code == 200 and card in unescape(shown.text)
    reloaded = client.get(kiosk.base + "/done")
    assert reloaded.status_code == 303 and reloaded.location.endswith(kiosk.base)
    assert card not in unescape(client.get(kiosk.base).text)


@pytest.fixture
def kiosk_client(client):
    user, event = gen_kiosk_setup()
    resident = Resident(client, event)
    resident.open_kiosk(user)
    return resident, client


def test_a_tablet_whose_record_is_gone_still_opens_with_the_password(app):
    stand = setup()
    client = tablet(app, stand)
    db.session.execute(db.delete(KioskTablet))
    assert unlock(client, stand, PIN).status_code == 403
    assert unlock(client, stand, factories.PASSWORD).status_code == 303
