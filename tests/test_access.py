"""Access matrix: every protected route refuses anonymous users and the wrong role."""

import pytest

from kiosk.extensions import db

from . import factories

COORDINATOR_ONLY = [
    ("GET", "/admin/neighbourhoods"),
    ("GET", "/admin/neighbourhoods/new"),
    ("POST", "/admin/neighbourhoods/new"),
    ("GET", "/admin/neighbourhoods/{neighbourhood}"),
    ("POST", "/admin/neighbourhoods/{neighbourhood}/toggle"),
    ("GET", "/admin/structures"),
    ("GET", "/admin/structures/new"),
    ("GET", "/admin/structures/{structure}"),
    ("POST", "/admin/structures/{structure}/toggle"),
    ("GET", "/admin/cards/"),
    ("POST", "/admin/cards/"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/training/"),
    ("GET", "/admin/training/new"),
    ("POST", "/admin/training/new"),
    ("GET", "/stats/bilan-annuel/"),
    ("GET", "/stats/bilan-annuel/_figures"),
    ("GET", "/stats/bilan-annuel/imprimer"),
    ("GET", "/stats/bilan-annuel/bilan.xlsx"),
]
EVENT_ROUTES = [
    ("GET", "/events/{event}"),
    ("GET", "/events/{event}/edit"),
    ("POST", "/events/{event}/edit"),
    ("POST", "/events/{event}/open"),
    ("POST", "/events/{event}/close"),
    ("GET", "/events/{event}/orientations/_recent"),
    ("GET", "/events/{event}/orientations/{checkin}"),
    ("POST", "/events/{event}/orientations/{checkin}"),
]
# A structure's activities and reception: its own staff and coordinators, nobody else.
STRUCTURE_ROUTES = [
    ("GET", "/structures/{structure}/activities"),
    ("GET", "/structures/{structure}/activities/new"),
    ("POST", "/structures/{structure}/activities/new"),
    ("GET", "/reception/{structure}"),
    ("POST", "/reception/{structure}"),
    ("POST", "/reception/{structure}/open"),
]
LOGGED_IN = [("GET", "/events/"), ("GET", "/events/new"), ("POST", "/events/new"), ("GET", "/account"),
             ("GET", "/reception/")]


@pytest.fixture
def world(app):
    home = factories.gen_structure()
    other = factories.gen_structure()
    event = factories.gen_event(structure=home)
    checkin = factories.gen_checkin(event)
    world = {
        "coordinator": factories.gen_user(role="coordinator"),
        "animateur": factories.gen_user(structure=home),
        "outsider": factories.gen_user(structure=other),
        "ids": {"event": event.code, "structure": home.id, "neighbourhood": home.neighbourhood_id,
                "checkin": str(checkin.uuid)},
    }
    db.session.commit()
    return world


def _call(client, method, url, ids):
    return client.open(url.format(**ids), method=method, data={})


@pytest.mark.parametrize(("method", "url"), COORDINATOR_ONLY + EVENT_ROUTES + LOGGED_IN + STRUCTURE_ROUTES)
def test_anonymous_is_sent_to_login(client, world, method, url):
    response = _call(client, method, url, world["ids"])
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), COORDINATOR_ONLY)
def test_animateur_cannot_manage_places(client, auth, world, method, url):
    auth.login_as(world["animateur"])
    assert _call(client, method, url, world["ids"]).status_code == 403


@pytest.mark.parametrize(("method", "url"), EVENT_ROUTES)
def test_animateur_of_another_structure_cannot_touch_the_event(client, auth, world, method, url):
    auth.login_as(world["outsider"])
    assert _call(client, method, url, world["ids"]).status_code == 403


@pytest.mark.parametrize(("method", "url"), STRUCTURE_ROUTES)
def test_staff_of_another_structure_cannot_reach_its_activities_or_reception(client, auth, world, method, url):
    auth.login_as(world["outsider"])
    assert _call(client, method, url, world["ids"]).status_code == 403


@pytest.mark.parametrize(("method", "url"), [r for r in STRUCTURE_ROUTES if r[0] == "GET"])
def test_a_structures_own_staff_reaches_its_activities_and_reception(client, auth, world, method, url):
    auth.login_as(world["animateur"])
    assert _call(client, method, url, world["ids"]).status_code == 200


@pytest.mark.parametrize(("method", "url"), [r for r in COORDINATOR_ONLY + EVENT_ROUTES + STRUCTURE_ROUTES
                                             if r[0] == "GET"])
def test_coordinator_reaches_everything(client, auth, world, method, url):
    auth.login_as(world["coordinator"])
    assert _call(client, method, url, world["ids"]).status_code == 200


def test_animateur_reaches_own_event(client, auth, world):
    auth.login_as(world["animateur"])
    assert client.get(f"/events/{world['ids']['event']}").status_code == 200


def test_outsider_does_not_see_the_event_listed(client, auth, world):
    auth.login_as(world["outsider"])
    assert world["ids"]["event"] not in client.get("/events/?when=today").get_data(as_text=True)
