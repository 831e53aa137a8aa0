"""Issue 16: partners co-running an event, volunteers, cities and the State's delegates.

Co-running and its limits, the bad inputs of the issue (a partner removed while its tablet
is bound, an account moved to another city while logged in, a volunteer's event closed),
the statistics by territory, and a stand's pull of the events its structure co-runs.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from kiosk.events.services import EventData, close_event, update_event
from kiosk.extensions import db
from kiosk.models import AuditLog, CheckIn, Event, Tally, User, utcnow

from . import factories
from .factories_checkin import PIN, Resident, record


def _login(client, user):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _data(event: Event, **changes) -> EventData:
    values = {"title": event.title, "neighbourhood_id": event.neighbourhood_id, "starts_at": event.starts_at,
              "ends_at": event.ends_at, "structure_id": event.structure_id,
              "partner_ids": tuple(p.id for p in event.partners),
              "volunteer_ids": tuple(v.id for v in event.volunteers)}
    values.update(changes)
    return EventData(**values)


@pytest.fixture
def corun(app):
    tours = factories.gen_neighbourhood(commune="Tours")
    joue = factories.gen_neighbourhood(commune="Joué-lès-Tours")
    home = factories.gen_structure(neighbourhood=tours)
    partner = factories.gen_structure(neighbourhood=joue)
    world = {
        "tours": tours, "joue": joue, "home": home, "partner_structure": partner,
        "owner": factories.gen_user(structure=home, pin=PIN),
        "partner": factories.gen_user(structure=partner, pin=PIN),
        "volunteer": factories.gen_user(role="benevole", pin=PIN),
        "coord_tours": factories.gen_user(role="coordinator", city="Tours"),
        "coord_metro": factories.gen_user(role="coordinator"),
    }
    event = factories.gen_event(structure=home, neighbourhood=tours)
    event.partners = [partner]
    event.volunteers = [world["volunteer"]]
    world["event"] = event
    db.session.commit()
    return world


# Co-running ------------------------------------------------------------------------------

def test_a_partner_runs_the_stand_but_neither_edits_closes_nor_exports(client, corun):
    event = corun["event"]
    _login(client, corun["partner"])
    assert event.code in client.get("/events/?when=today").text
    page = client.get(f"/events/{event.code}").text
    assert "Ouvrir le kiosque sur cette tablette" in page and "Clôturer l'action" not in page
    assert client.get(f"/events/{event.code}/live").status_code == 200
    assert client.post(f"/events/{event.code}/tallies", data={"count": "5"}).status_code == 303
    assert client.get(f"/events/{event.code}/poster").status_code == 200
    assert client.get(f"/events/{event.code}/cards").status_code == 200
    for method, path in (("GET", "edit"), ("POST", "close"), ("GET", "report"), ("GET", "report.csv"),
                         ("GET", "checkins")):
        response = client.open(f"/events/{event.code}/{path}", method=method)
        assert response.status_code == 403, path
        assert "Seules la structure porteuse de l'action et la coordination" in unescape(response.text)
    tallies = db.session.execute(db.select(Tally)).scalars().all()
    assert [(t.count, t.author_id) for t in tallies] == [(5, corun["partner"].id)]
    assert db.session.get(Event, event.id).status == "open"


def test_the_report_says_who_ran_the_event_together(client, corun):
    event = corun["event"]
    _login(client, corun["owner"])
    client.post(f"/events/{event.code}/close")
    report = client.get(f"/events/{event.code}/report").text
    assert corun["partner_structure"].name in report and "Avec les partenaires" in report
    csv = client.get(f"/events/{event.code}/report.csv?version=shared").get_data(as_text=True)
    assert f"Avec les partenaires;{corun['partner_structure'].name}" in csv
    assert corun["volunteer"].name not in csv  # volunteers are counted, never named in a report


def test_a_partner_records_an_orientation_on_a_corun_event(client, corun):
    event = corun["event"]
    checkin = record(event).checkin
    db.session.commit()
    _login(client, corun["partner"])
    response = client.post(f"/events/{event.code}/orientations/{checkin.uuid}",
                           data={"structure": str(corun["partner_structure"].id)})
    assert response.status_code == 303


# Bad input --------------------------------------------------------------------------------

def test_a_partner_removed_while_its_tablet_is_bound_stops_the_kiosk_and_loses_nothing(client, corun):
    event = corun["event"]
    resident = Resident(client, event)
    resident.open_kiosk(corun["partner"])
    assert resident.submit().status_code == 200
    assert len(db.session.execute(db.select(CheckIn)).all()) == 1
    update_event(event, _data(event, partner_ids=()), author=corun["owner"])
    db.session.commit()
    refused = resident.page()
    assert refused.status_code == 403
    assert "Cette tablette ne marche plus pour ce stand" in unescape(refused.text)
    assert resident.submit().status_code == 403
    assert len(db.session.execute(db.select(CheckIn)).all()) == 1  # the one before stays, none after
    # The tablet still unlocks with the partner's PIN; the event is then out of their reach.
    assert client.post(f"/kiosk/{event.code}/unlock", data={"secret": PIN}).status_code == 303
    assert client.get(f"/events/{event.code}").status_code == 403


def test_an_account_moved_to_another_city_while_logged_in_sees_its_new_territory(client, corun):
    event, coordinator = corun["event"], corun["coord_tours"]
    _login(client, coordinator)
    assert client.get(f"/events/{event.code}").status_code == 200
    acting = corun["coord_metro"]
    from kiosk.accounts.services import save_user

    save_user(coordinator, name=coordinator.name, email=coordinator.email, role="coordinator", structure_id=None,
              password=None, active=True, acting=acting, city="Joué-lès-Tours")
    db.session.commit()
    response = client.get(f"/events/{event.code}")  # same session, next request
    assert response.status_code == 403
    assert "relève d'un autre territoire" in unescape(response.text)
    assert event.code not in client.get("/events/?when=today").text
    assert client.get("/events/").status_code == 200  # still logged in: nothing else lost


def test_a_volunteers_event_closed_answers_gone_and_keeps_their_tallies(client, corun):
    event, volunteer = corun["event"], corun["volunteer"]
    _login(client, volunteer)
    assert client.post(f"/events/{event.code}/tallies", data={"count": "1"}).status_code == 303
    assert client.get(f"/events/{event.code}/poster").status_code == 403  # not a volunteer's page
    close_event(db.session.get(Event, event.id))
    db.session.commit()
    for method, path in (("GET", "live"), ("POST", "tallies")):
        response = client.open(f"/events/{event.code}/{path}", method=method, data={"count": "1"})
        assert response.status_code == 410, path
        assert "votre accès de bénévole s'est arrêté avec elle" in unescape(response.text)
    assert event.code not in client.get("/events/?when=past").text
    assert [t.count for t in db.session.execute(db.select(Tally)).scalars()] == [1]


def test_a_volunteer_sees_no_figures_and_no_other_event(client, corun):
    _login(client, corun["volunteer"])
    other = factories.gen_event(structure=corun["home"], neighbourhood=corun["tours"])
    db.session.commit()
    assert client.get("/stats/").status_code == 403
    assert client.get(f"/events/{other.code}").status_code == 403
    assert client.get(f"/events/{corun['event'].code}/report").status_code == 403


def test_a_city_coordinator_cannot_place_an_event_in_another_city(client, corun):
    _login(client, corun["coord_tours"])
    start = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    end = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT12:00")
    response = client.post("/events/new", data={"title": "Ailleurs", "neighbourhood_id": corun["joue"].id,
                                                "starts_at": start, "ends_at": end, "structure_id": 0})
    assert response.status_code == 400
    assert db.session.execute(db.select(Event).where(Event.title == "Ailleurs")).first() is None


def test_a_city_coordinator_cannot_make_a_metropole_account(client, corun):
    _login(client, corun["coord_tours"])
    response = client.post("/admin/users/new", data={"name": "Toute", "email": "toute@example.org",
                                                     "role": "delegue", "city": "", "structure_id": 0,
                                                     "password": "un mot de passe long", "active": "y"})
    assert response.status_code == 400 and "ce rôle ou ce territoire" in response.text
    assert db.session.execute(db.select(User).where(User.email == "toute@example.org")).first() is None


# Statistics by territory ----------------------------------------------------------------

@pytest.fixture
def two_cities(corun):
    """Closed events last month: 12 check-ins in Tours, 3 in Joué-lès-Tours."""
    start = (utcnow().replace(day=1) - timedelta(days=20)).replace(hour=10)
    tours_event = factories.gen_event(structure=corun["home"], neighbourhood=corun["tours"], starts_at=start,
                                      ends_at=start + timedelta(hours=2), status="closed", title="À Tours")
    joue_event = factories.gen_event(structure=corun["partner_structure"], neighbourhood=corun["joue"],
                                     starts_at=start, ends_at=start + timedelta(hours=2), status="closed",
                                     title="À Joué")
    for _ in range(12):
        factories.gen_checkin(tours_event, created_at=start + timedelta(minutes=5))
    for _ in range(3):
        factories.gen_checkin(joue_event, created_at=start + timedelta(minutes=5))
    corun["delegate_joue"] = factories.gen_user(role="delegue", city="Joué-lès-Tours")
    corun["delegate_metro"] = factories.gen_user(role="delegue")
    db.session.commit()
    return corun


def _participations(page: str) -> str:
    marker = '<th scope="row">Participations</th><td class="n">'
    cell = page.split(marker, 1)[1].split("</td>", 1)[0]
    return unescape(re.sub(r"<[^>]+>", "", cell))


def test_a_city_coordinator_sees_only_their_citys_figures(client, two_cities):
    _login(client, two_cities["coord_tours"])
    page = client.get("/stats/").text
    assert _participations(page) == "12"
    refused = unescape(client.get("/stats/?city=Joué-lès-Tours").text)
    assert "« Joué-lès-Tours » n'est pas dans votre territoire." in refused and "Participations" not in refused


def test_the_metropole_filters_by_city_and_exports_a_city_column(client, two_cities):
    _login(client, two_cities["coord_metro"])
    assert _participations(client.get("/stats/").text) == "15"
    assert _participations(client.get("/stats/?city=Joué-lès-Tours").text) == "3"
    rows = client.get("/stats/enregistrements.csv").get_data(as_text=True).splitlines()
    header = rows[0].split(";")
    column = header.index("Ville")
    assert sorted({row.split(";")[column] for row in rows[1:]}) == ["Joué-lès-Tours", "Tours"]
    shared = client.get("/stats/export.csv?city=Tours").get_data(as_text=True)
    assert "Ville : Tours" in shared


def test_a_delegate_reads_shared_figures_of_their_territory_only(client, two_cities):
    _login(client, two_cities["delegate_joue"])
    page = client.get("/stats/")
    assert page.status_code == 200 and "data-shared-only" in page.text
    assert _participations(page.text) == "<11"  # 3 participations: under the small-count threshold
    assert "n'est pas dans votre territoire" in unescape(client.get("/stats/?city=Tours").text)
    for url in ("/stats/export.csv?mode=internal", "/stats/enregistrements.csv", "/admin/cards/",
                f"/events/{two_cities['event'].code}"):
        assert client.get(url).status_code == 403, url
    assert client.get("/stats/export.csv").status_code == 200
    assert db.session.execute(db.select(AuditLog)).first() is None  # nothing exact left
    _login(client, two_cities["delegate_metro"])
    assert _participations(client.get("/stats/").text) == "15"


def test_a_delegate_reads_the_shared_annual_review(client, two_cities):
    _login(client, two_cities["delegate_joue"])
    page = client.get("/stats/bilan-annuel/?mode=internal")
    assert page.status_code in (200, 400)
    assert "mode=partners" in page.text and "mode=internal" not in page.text


# The stand's pull --------------------------------------------------------------------------

def test_a_stand_pulls_the_events_its_structure_corruns_and_their_volunteers(app, corun, tmp_path):
    from kiosk.auth.services import authenticate
    from kiosk.sync.apply import apply_pull
    from kiosk.sync.devices import create_device
    from kiosk.sync.pull import current_revision, pull

    from .sync_support import app_for, migrate

    app.config["ROLE"] = "central"
    device, _code = create_device("Tablette du partenaire", corun["partner_structure"])
    db.session.commit()
    payload = pull(device, None)
    assert [e["uuid"] for e in payload["events"]] == [str(corun["event"].uuid)]
    assert payload["events"][0]["partners"] == [str(corun["partner_structure"].uuid)]
    emails = {u["email"] for u in payload["users"]}
    assert {corun["partner"].email, corun["volunteer"].email} <= emails
    assert corun["owner"].email not in emails  # the carrying structure's staff stay on its own stands

    # A volunteer given the event later reaches the stand at its next (incremental) pull.
    cursor = current_revision()
    newcomer = factories.gen_user(role="benevole")
    event = corun["event"]
    update_event(event, _data(event, volunteer_ids=(corun["volunteer"].id, newcomer.id)), author=corun["owner"])
    db.session.commit()
    changes = pull(device, cursor)
    assert newcomer.email in {u["email"] for u in changes["users"]}

    url = "sqlite:///" + str(tmp_path / "stand.sqlite3")
    migrate(url, tmp_path / "migrate")
    stand = app_for(url, tmp_path / "stand", "stand")
    with stand.app_context():
        apply_pull(payload)
        apply_pull(changes)
        db.session.commit()
        mirrored = db.session.execute(db.select(Event)).scalar_one()
        assert [p.name for p in mirrored.partners] == [corun["partner_structure"].name]
        assert {v.email for v in mirrored.volunteers} == {corun["volunteer"].email, newcomer.email}
        assert authenticate(corun["volunteer"].email, factories.PASSWORD) is not None
        db.engine.dispose()


def test_the_demo_has_a_corun_event_a_volunteer_each_citys_team_and_a_delegate(app):
    from kiosk.demo import seed_demo
    from kiosk.models import CITIES

    demo = seed_demo(checkins=40, events=4)
    event = db.session.execute(db.select(Event).where(Event.code == demo["open_event"])).scalar_one()
    assert event.partners and event.volunteers
    users = db.session.execute(db.select(User)).scalars().all()
    assert {u.city for u in users if u.role == "coordinator"} == {None, *CITIES}
    assert any(u.role == "delegue" for u in users)
    partner = next(u for u in users if u.structure_id == event.partners[0].id)
    from kiosk.permissions import can_export_event, can_run_event

    assert can_run_event(partner, event) and not can_export_event(partner, event)


def test_a_partners_stand_pushes_tallies_of_a_corun_event_and_its_closing_is_not_taken(app, corun):
    import uuid

    from kiosk.sync.devices import create_device
    from kiosk.sync.ingest import SyncRefused, ingest
    from kiosk.sync.payloads import event_doc, iso

    app.config["ROLE"] = "central"
    event = corun["event"]
    partner_device, _code = create_device("Tablette du partenaire", corun["partner_structure"])
    outsider_device, _code = create_device("Tablette d'ailleurs", factories.gen_structure())
    db.session.commit()
    now = utcnow()
    closed_there = {**event_doc(event), "status": "closed", "closed_at": iso(now), "title": "Renommée"}
    tally = {"uuid": str(uuid.uuid4()), "event": str(event.uuid), "count": 3, "created_at": iso(now),
             "undone_at": None}
    body = {"sent_at": iso(now), "backlog": 0, "items": [{"id": 1, "kind": "tally", "data": tally},
                                                          {"id": 2, "kind": "event", "data": closed_there}]}
    assert ingest(partner_device, body)["stored"] == 2
    db.session.commit()
    stored = db.session.get(Event, event.id)
    assert (stored.status, stored.title) == ("open", event.title)  # the owner's settings stand
    assert [t.count for t in db.session.execute(db.select(Tally)).scalars()] == [3]
    with pytest.raises(SyncRefused) as refused:
        ingest(outsider_device, {**body, "items": [{"id": 1, "kind": "tally",
                                                    "data": {**tally, "uuid": str(uuid.uuid4())}}]})
    assert refused.value.status == 403
