"""Access matrix of the stand: an animateur of another structure gets 403, anonymous a login."""

import pytest
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import CheckIn, Tally

from . import factories
from .factories_stand import gen_stand

ROUTES = [
    ("GET", "/events/{event}/live"),
    ("GET", "/events/{event}/live/_panel"),
    ("POST", "/events/{event}/tallies"),
    ("POST", "/events/{event}/tallies/undo"),
    ("GET", "/events/{event}/checkins"),
    ("GET", "/events/{event}/checkins/{checkin}/void"),
    ("POST", "/events/{event}/checkins/{checkin}/void"),
    ("POST", "/events/{event}/close"),
    ("GET", "/events/{event}/poster"),
    ("GET", "/events/{event}/cards"),
    ("GET", "/events/{event}/report"),
    ("GET", "/events/{event}/report?version=shared"),
    ("GET", "/events/{event}/report.csv?version=internal"),
    ("GET", "/events/{event}/report.csv?version=shared"),
]


@pytest.fixture
def world(app):
    stand = gen_stand()
    checkin = factories.gen_checkin(stand.event)
    db.session.commit()
    return {"stand": stand, "ids": {"event": stand.event.code, "checkin": checkin.uuid}}


def _call(client, method, url, ids):
    return client.open(url.format(**ids), method=method, data={"count": "1", "reason": "test"})


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_is_sent_to_login(client, world, method, url):
    response = _call(client, method, url, world["ids"])
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_animateur_of_another_structure_can_neither_see_nor_change(client, auth, world, method, url):
    auth.login_as(world["stand"].outsider)
    assert _call(client, method, url, world["ids"]).status_code == 403


def test_outsider_changed_nothing(client, auth, world):
    auth.login_as(world["stand"].outsider)
    for method, url in ROUTES:
        _call(client, method, url, world["ids"])
    event = world["stand"].event
    db.session.refresh(event)
    assert event.status == "open"
    assert db.session.scalar(select(func.count()).select_from(Tally)) == 0
    assert db.session.scalar(select(func.count()).where(CheckIn.voided_at.is_not(None))) == 0


@pytest.mark.parametrize("who", ["animateur", "colleague", "coordinator"])
@pytest.mark.parametrize(("method", "url"), [r for r in ROUTES if r[0] == "GET"])
def test_the_structure_and_the_coordinator_reach_every_page(client, auth, world, who, method, url):
    auth.login_as(getattr(world["stand"], who))
    assert _call(client, method, url, world["ids"]).status_code == 200


def test_unknown_event_and_checkin_are_404(client, auth, world):
    auth.login_as(world["stand"].animateur)
    assert client.get("/events/ZZZZZZ/live").status_code == 404
    other = factories.gen_checkin(factories.gen_event(structure=world["stand"].event.structure))
    db.session.commit()
    # A check-in of another event cannot be reached through this event's address.
    url = f"/events/{world['ids']['event']}/checkins/{other.uuid}/void"
    assert client.get(url).status_code == 404
