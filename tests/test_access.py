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


# Residents' voice: topics are the coordinators'; an event's topics and stand entries are its managers';
# contributions and voice messages are read by staff of the event's scope only.
VOICE_COORDINATOR_ONLY = [
    ("GET", "/voice/topics"),
    ("GET", "/voice/topics/new"),
    ("POST", "/voice/topics/new"),
    ("GET", "/voice/topics/{topic}"),
    ("POST", "/voice/topics/defaults"),
]
VOICE_EVENT_ROUTES = [
    ("GET", "/events/{event}/topics"),
    ("POST", "/events/{event}/topics"),
    ("GET", "/events/{event}/voice"),
    ("POST", "/events/{event}/voice"),
]
VOICE_CONTRIBUTION_ROUTES = [
    ("GET", "/voice/c/{contribution}"),
    ("GET", "/voice/c/{contribution}/audio"),
    ("POST", "/voice/c/{contribution}"),
]


@pytest.fixture
def voice_world(world):
    from kiosk.models import Event
    from kiosk.voice.audio import store

    from .factories_voice import gen_contribution, gen_topic, wav_bytes

    event = db.session.execute(db.select(Event).where(Event.code == world["ids"]["event"])).scalar_one()
    topic = gen_topic()
    item = gen_contribution(event, topic, text="Parole non publiée", had_audio=True,
                            audio_file=store(wav_bytes(0.2), "wav"), audio_mime="audio/wav")
    db.session.commit()
    world["ids"].update(topic=topic.id, contribution=str(item.uuid))
    return world


@pytest.mark.parametrize(("method", "url"), VOICE_COORDINATOR_ONLY + VOICE_EVENT_ROUTES + VOICE_CONTRIBUTION_ROUTES
                         + [("GET", "/voice/")])
def test_voice_anonymous_is_sent_to_login(client, voice_world, method, url):
    response = _call(client, method, url, voice_world["ids"])
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), VOICE_COORDINATOR_ONLY)
def test_animateur_cannot_manage_topics(client, auth, voice_world, method, url):
    auth.login_as(voice_world["animateur"])
    assert _call(client, method, url, voice_world["ids"]).status_code == 403


@pytest.mark.parametrize(("method", "url"), VOICE_EVENT_ROUTES + VOICE_CONTRIBUTION_ROUTES)
def test_animateur_of_another_structure_cannot_read_contributions_or_voice(client, auth, voice_world, method, url):
    auth.login_as(voice_world["outsider"])
    assert _call(client, method, url, voice_world["ids"]).status_code == 403


def test_the_board_of_another_structure_does_not_list_the_contribution(client, auth, voice_world):
    auth.login_as(voice_world["outsider"])
    assert "Parole non publiée" not in client.get("/voice/").text
    auth.logout()
    auth.login_as(voice_world["animateur"])
    assert "Parole non publiée" in client.get("/voice/").text


@pytest.mark.parametrize(("method", "url"), [r for r in VOICE_COORDINATOR_ONLY + VOICE_EVENT_ROUTES
                                             + VOICE_CONTRIBUTION_ROUTES if r[0] == "GET"])
def test_coordinator_reaches_every_voice_page(client, auth, voice_world, method, url):
    auth.login_as(voice_world["coordinator"])
    assert _call(client, method, url, voice_world["ids"]).status_code == 200


def test_residents_never_reach_unpublished_words_or_voice(client, voice_world):
    """Without login: the public pages show published paraphrases only, the audio needs staff."""
    neighbourhood = voice_world["ids"]["neighbourhood"]
    assert "Parole non publiée" not in client.get(f"/quartiers/{neighbourhood}").text
    assert client.get(f"/voice/c/{voice_world['ids']['contribution']}/audio").status_code == 302
