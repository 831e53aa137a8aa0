"""The statistics page: who sees what, htmx fragments, and bad input answered in French."""

import html

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditLog

from . import factories
from .factories_stats import gen_activity


@pytest.fixture
def people(app):
    activity = gen_activity(checkins=120, events=6)
    home = activity["structures"][0]
    users = {
        "coordinator": factories.gen_user(role="coordinator"),
        "animateur": factories.gen_user(role="animateur", structure=home),
    }
    db.session.commit()
    return users | {"home": home, "activity": activity}


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        (None, "/stats/", 302),
        (None, "/stats/export.csv", 302),
        (None, "/stats/enregistrements.csv", 302),
        ("animateur", "/stats/", 200),
        ("animateur", "/stats/export.csv", 200),
        ("animateur", "/stats/export.xlsx", 200),
        ("animateur", "/stats/rapport", 200),
        ("animateur", "/stats/export.csv?mode=internal", 403),
        ("animateur", "/stats/rapport?mode=internal", 403),
        ("animateur", "/stats/enregistrements.csv", 403),
        ("coordinator", "/stats/", 200),
        ("coordinator", "/stats/export.csv?mode=internal", 200),
        ("coordinator", "/stats/rapport?mode=internal", 200),
        ("coordinator", "/stats/enregistrements.csv", 200),
        ("coordinator", "/stats/export.csv?mode=secret", 400),
        ("coordinator", "/stats/export.pdf", 404),
    ],
)
def test_access(client, auth, people, who, url, status):
    if who:
        auth.login_as(people[who])
    assert client.get(url).status_code == status


def test_an_animateur_sees_their_structure_s_events_only(client, auth, people):
    from kiosk.stats.indicators import Filters, compute

    auth.login_as(people["animateur"])
    own = compute(Filters(scope_structure_id=people["home"].id)).participations
    everything = compute(Filters()).participations
    assert 0 < own < everything
    page = client.get("/stats/").get_data(as_text=True)
    assert f'<th scope="row">Participations</th><td class="n">{own}</td>' in page


def test_an_animateur_without_structure_sees_nothing_rather_than_everything(client, auth, people):
    lone = factories.gen_user(role="animateur", structure=people["home"])
    lone.structure_id = None
    db.session.commit()
    auth.login_as(lone)
    # Refused with the reason (issue 16: every rule in permissions.stats_scope), no figure at all.
    page = client.get("/stats/")
    assert page.status_code == 403 and "Participations" not in page.text
    export = client.get("/stats/export.csv")
    assert export.status_code == 403 and "Participations" not in export.text


def test_htmx_gets_the_results_fragment_only(client, auth, people):
    auth.login_as(people["coordinator"])
    fragment = client.get("/stats/?from=2025-01-01", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="stats-results"')
    assert "<html" not in fragment
    page = client.get("/stats/?from=2025-01-01").get_data(as_text=True)
    assert "<html" in page and 'id="stats-results"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-05-01&to=2025-04-01", "La date de fin (01/04/2025) est avant la date de début (01/05/2025)."),
        ("from=31/02/2025", "« 31/02/2025 » n'est pas une date : écrivez-la jj/mm/aaaa."),
        ("to=demain", "« demain » n'est pas une date"),
        ("neighbourhood=QN9999999", "Quartier inconnu : « QN9999999 »."),
        ("structure=abc", "Structure inconnue : « abc »."),
        ("theme=Inconnu", "Thème inconnu : « Inconnu »."),
        ("colour=blue", "Filtre inconnu : « colour »."),
    ],
)
def test_bad_input_gets_a_french_message_never_a_500(client, auth, people, query, message):
    auth.login_as(people["coordinator"])
    page = client.get(f"/stats/?{query}")
    assert page.status_code == 200
    assert message in html.unescape(page.get_data(as_text=True))
    export = client.get(f"/stats/export.csv?{query}")
    assert export.status_code == 400
    assert message in html.unescape(export.get_data(as_text=True))


def test_an_empty_period_says_so(client, auth, people):
    auth.login_as(people["coordinator"])
    page = client.get("/stats/?from=2031-01-01&to=2031-12-31").get_data(as_text=True)
    assert "Aucune action dans cette sélection" in page


def test_the_printed_report_is_shared_and_has_its_charts(client, auth, people):
    auth.login_as(people["coordinator"])
    body = client.get("/stats/rapport?neighbourhood=QN0370001").get_data(as_text=True)
    assert body.count("<svg") >= 10  # the evolution and one chart per breakdown
    assert "Partagée" in body and "&lt;11" in body
    assert db.session.execute(select(AuditLog)).first() is None  # shared: not logged


def test_the_nav_links_to_the_page(client, auth, people):
    auth.login_as(people["animateur"])
    body = client.get("/events/").get_data(as_text=True)
    assert 'href="/stats/"' in body
