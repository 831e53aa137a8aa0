"""Access matrix of issue 16: every role × every route of the app's url_map × territory.

Each endpoint is given a rule below; an endpoint without one fails
test_every_route_has_a_rule, so a new route cannot ship without saying who reaches it.
The world: an event in Tours, carried by a Tours structure with a partner structure from
Joué-lès-Tours and a volunteer; accounts of each role, in Tours, in Joué-lès-Tours and
for the whole métropole. Runs on SQLite, and on PostgreSQL with HLM_TEST_DATABASE_URL.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk.extensions import db

from . import factories

ROLES = ("coord_metro", "coord_tours", "coord_joue", "owner", "partner", "outsider", "volunteer",
         "volunteer_other", "delegate_metro", "delegate_tours", "delegate_joue")
COORDINATORS = {"coord_metro", "coord_tours", "coord_joue"}
ANIMATEURS = {"owner", "partner", "outsider"}
DELEGATES = {"delegate_metro", "delegate_tours", "delegate_joue"}
VOLUNTEERS = {"volunteer", "volunteer_other"}

# Who reaches a route (GET 200, or a POST not refused), by kind of route; the others get 403.
EVENT_RUN = {"coord_metro", "coord_tours", "owner", "partner", "volunteer"}
EVENT_HELP = {"coord_metro", "coord_tours", "owner", "partner"}
EVENT_MANAGE = {"coord_metro", "coord_tours", "owner"}
TOURS_COORDINATION = {"coord_metro", "coord_tours"}
KINDS = {
    "public": None,  # residents' pages, login, health, sync API (device tokens): no staff rule
    "stand_only": None,  # 404 on the central server this world runs; tests/test_stand_enrol_page.py
    "logged_in": set(ROLES),
    "event_list": set(ROLES) - DELEGATES,
    "event_create": COORDINATORS | ANIMATEURS,
    "event_view": EVENT_RUN,
    "event_run": EVENT_RUN,
    "event_help": EVENT_HELP,
    "event_manage": EVENT_MANAGE,
    "coordination": COORDINATORS,
    "tours_coordination": TOURS_COORDINATION,  # a Tours neighbourhood, structure or account
    "metropole": {"coord_metro"},
    "stats": COORDINATORS | ANIMATEURS | DELEGATES,
    "stats_raw": COORDINATORS,
    "review": COORDINATORS | DELEGATES,
    "structure_staff": TOURS_COORDINATION | {"owner"},  # the owner's structure is in Tours
    "staff_pages": COORDINATORS | ANIMATEURS,  # voice board, reception list
    "contribution": EVENT_HELP,
}
RULES = {
    "static": "public", "core.healthz": "public", "core.index": "public", "auth.login": "public",
    "auth.logout": "public", "voice.card_status": "public", "voice.neighbourhood": "public",
    "voice.neighbourhoods": "public", "voice.poster": "public", "sync.enrol_device": "public",
    "sync.pull": "public", "sync.push": "public", "reception.unlock": "public", "checkin.unlock": "public",
    "accounts.own_account": "logged_in",
    "events.index": "event_list", "events.new": "event_create",
    "events.show": "event_view",
    "events.edit": "event_manage", "events.open_": "event_manage", "events.close": "event_manage",
    "stand.live": "event_run", "stand.live_panel": "event_run", "stand.tallies": "event_run",
    "stand.undo_tally": "event_run",
    "stand.poster": "event_help", "stand.cards": "event_help",
    "stand.checkins": "event_manage", "stand.void": "event_manage", "stand.report": "event_manage",
    "stand.report_download": "event_manage",
    "orientation.live_recent": "event_help", "orientation.orient_participation": "event_help",
    "orientation.staff_slip": "event_help", "orientation.print_slip": "event_help",
    "voice.event_topics": "event_manage", "voice.stand_entry": "event_help",
    "voice.contribution": "contribution", "voice.audio": "contribution", "voice.follow_up": "contribution",
    "voice.board_page": "staff_pages", "reception.index": "staff_pages",
    "voice.topics": "coordination", "voice.topic_form": "coordination", "voice.default_topics": "coordination",
    "places.neighbourhoods": "coordination", "places.structures": "coordination",
    "places.neighbourhood_form": "tours_coordination", "places.structure_form": "tours_coordination",
    "places.toggle_active": "tours_coordination",
    "accounts.users": "coordination", "accounts.user_form": "tours_coordination",
    "cards.privacy": "coordination", "training.index": "coordination", "training.form": "coordination",
    "sync.device_list": "metropole", "sync.device_create": "metropole", "sync.device_renew": "metropole",
    "sync.device_revoke": "metropole",
    "stats.index": "stats", "stats.export": "stats", "stats.printable": "stats", "stats.raw_export": "stats_raw",
    "review.index": "review", "review.figures": "review", "review.printable": "review", "review.xlsx": "review",
    "review.docx": "review",
    "orientation.activities": "structure_staff", "orientation.activity_form": "structure_staff",
    "reception.screen": "structure_staff", "reception.open_tablet": "structure_staff",
    # Translators: coordinators, and animateurs given the flag (none here; tests/test_languages.py).
    "languages.index": "coordination", "languages.strings": "coordination", "languages.string": "coordination",
    "languages.prompts": "coordination", "languages.prompt": "coordination",
    "languages.delete_prompt": "coordination", "languages.audio": "public",
    # The stand's setup pages: the certificate is for anyone on the stand's Wi-Fi; enrolment is a
    # coordinator's, on a stand only (this world is the central server).
    "sync.setup": "public", "sync.setup_certificate": "public", "sync.setup_enrol": "stand_only",
}
# The kiosk and phone screens of residents are public (checked by the checkin tests), except opening a kiosk.
KIOSK_OPEN = "checkin.open_kiosk"


NEW_FORMS = {"places.neighbourhood_form", "places.structure_form", "accounts.user_form"}


def _kind(endpoint: str, rule: str = "") -> str:
    if endpoint in NEW_FORMS and rule.endswith("/new"):
        return "coordination"  # a new one, in one's own territory: any coordinator
    if endpoint == KIOSK_OPEN:
        return "event_run"
    if endpoint.startswith("checkin."):
        return "public"
    return RULES[endpoint]


def _routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return sorted(set(routes))


def _all_routes():
    from kiosk import create_app

    return _routes(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}))


ROUTES = _all_routes()
CHECKED = [r for r in ROUTES if r[0] in RULES or r[0].startswith("checkin.")
           if KINDS[_kind(r[0], r[2])] is not None]


def test_every_route_has_a_rule():
    missing = [endpoint for endpoint, _m, _r in ROUTES
               if not endpoint.startswith("checkin.") and endpoint not in RULES]
    assert not missing, f"routes without an access rule in this matrix: {missing}"


@pytest.fixture
def world(app):
    from kiosk.languages.strings import msgid_key, resident_msgids
    from kiosk.orientation.services import orient, save_activity
    from kiosk.sync.devices import create_device
    from kiosk.training.services import save_session
    from kiosk.voice.audio import store

    from .factories_voice import gen_contribution, gen_topic, wav_bytes

    app.config["ROLE"] = "central"  # the stands' page exists on the central server only
    tours = factories.gen_neighbourhood(commune="Tours")
    joue = factories.gen_neighbourhood(commune="Joué-lès-Tours")
    home = factories.gen_structure(neighbourhood=tours)
    partner = factories.gen_structure(neighbourhood=joue)
    other = factories.gen_structure(neighbourhood=tours)
    people = {
        "coord_metro": factories.gen_user(role="coordinator"),
        "coord_tours": factories.gen_user(role="coordinator", city="Tours"),
        "coord_joue": factories.gen_user(role="coordinator", city="Joué-lès-Tours"),
        "owner": factories.gen_user(structure=home),
        "partner": factories.gen_user(structure=partner),
        "outsider": factories.gen_user(structure=other),
        "volunteer": factories.gen_user(role="benevole", city="Tours"),
        "volunteer_other": factories.gen_user(role="benevole", city="Tours"),
        "delegate_metro": factories.gen_user(role="delegue"),
        "delegate_tours": factories.gen_user(role="delegue", city="Tours"),
        "delegate_joue": factories.gen_user(role="delegue", city="Joué-lès-Tours"),
    }
    event = factories.gen_event(structure=home, neighbourhood=tours)
    event.partners = [partner]
    event.volunteers = [people["volunteer"]]
    checkin = factories.gen_checkin(event)
    topic = gen_topic()
    contribution = gen_contribution(event, topic, text="Parole", had_audio=True,
                                    audio_file=store(wav_bytes(0.2), "wav"), audio_mime="audio/wav")
    activity = save_activity(None, home, name="Atelier")
    db.session.flush()
    orientation = orient(checkin, home.id, activity.id, author=people["owner"])
    session = save_session(None, kind="training", theme="Accueil", starts_on=date(2026, 1, 5),
                           ends_on=date(2026, 1, 5), hours=2, attendances=[], author=people["coord_metro"])
    device, _code = create_device("Tablette", home)
    db.session.commit()
    ids = {"code": event.code, "structure_id": home.id, "neighbourhood_id": tours.id, "checkin_uuid": checkin.uuid,
           "orientation_uuid": orientation.uuid, "uuid": contribution.uuid, "topic_id": topic.id,
           "activity_id": activity.id, "session_id": session.id, "user_id": people["owner"].id,
           "device_uuid": device.uuid, "kind": "structures", "object_id": home.id, "mode": "kiosk",
           "fmt": "csv", "filename": "css/app.css", "lang": "tr", "key": msgid_key(resident_msgids()[0]),
           "prompt_key": "s:welcome",
           "name": "0" * 64 + ".webm"}
    return people, ids


def _log_in(client, user) -> None:
    """Log in as Flask-Login does, without the login form and its per-address rate limit (11 roles a test)."""
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _log_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def _url(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]), rule)


def _reached(response) -> bool:
    """The route let the user in: anything but a refusal or the login page."""
    if response.status_code in (401, 403, 410):
        return False
    return not (response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""))


@pytest.mark.parametrize(("endpoint", "method", "rule"), CHECKED, ids=[f"{m} {r}" for _e, m, r in CHECKED])
def test_each_role_reaches_exactly_what_its_rule_allows(client, world, endpoint, method, rule):
    people, ids = world
    allowed = KINDS[_kind(endpoint, rule)]
    url = _url(rule, ids)
    anonymous = client.open(url, method=method, data={})
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    # A POST changes things: the refused roles first, then one allowed role, so state stays as built.
    order = sorted(ROLES, key=lambda role: role in allowed)
    if method == "POST":
        order = [r for r in order if r not in allowed] + [r for r in order if r in allowed][:1]
    for role in order:
        _log_in(client, people[role])
        response = client.open(url, method=method, data={})
        _log_out(client)
        if role in allowed:
            assert _reached(response), f"{role} refused {method} {url}: {response.status_code}"
            if method == "GET":
                assert response.status_code in (200, 302, 400), f"{role} {url}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} reached {method} {url}: {response.status_code}"
            # Staff pages say why on the error page; the kiosk says it on a resident's screen.
            assert ("Accès refusé" in response.text if endpoint != KIOSK_OPEN
                    else "ne peut pas être ouvert avec ce compte" in response.text)


def test_the_event_lists_match_the_rules(client, world):
    people, ids = world
    for role in ROLES:
        _log_in(client, people[role])
        response = client.get("/events/?when=today")
        _log_out(client)
        if role in DELEGATES:
            assert response.status_code == 403
            continue
        assert (ids["code"] in response.text) == (role in EVENT_RUN), role


def test_a_city_coordinators_lists_hold_their_city_only(client, world):
    people, ids = world
    _log_in(client, people["coord_joue"])
    structures = client.get("/admin/structures").text
    users = client.get("/admin/users").text
    assert people["owner"].name not in users and people["partner"].name in users
    from kiosk.models import Structure

    names = {s.id: s.name for s in db.session.execute(db.select(Structure)).scalars()}
    assert names[ids["structure_id"]] not in structures
