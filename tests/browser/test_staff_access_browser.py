"""axe-core finds nothing on every staff page (issue 15), walked as the coordinator of the demo."""

import pytest

from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.models import Neighbourhood, Structure, User
from kiosk.voice.models import Topic

from .conftest import login
from .test_kiosk_access_browser import axe_violations

pytestmark = pytest.mark.browser

COORDINATOR = DEMO_USERS[0][1]
STAFF = {}  # axe's default rules: WCAG A and AA and its best practices
# Every staff page that shows without a resident's own data in its address (the devices page
# is the central server's: a stand answers it 404).
PAGES = [
    "/", "/account", "/admin/cards/", "/admin/neighbourhoods", "/admin/neighbourhoods/new",
    "/admin/neighbourhoods/{neighbourhood}", "/admin/structures", "/admin/structures/new",
    "/admin/structures/{structure}", "/admin/training/", "/admin/training/new", "/admin/users",
    "/admin/users/new", "/admin/users/{user}", "/events/", "/events/new", "/events/{event}",
    "/events/{event}/cards", "/events/{event}/checkins", "/events/{event}/edit", "/events/{event}/live",
    "/events/{event}/poster", "/events/{event}/report", "/events/{event}/topics", "/events/{event}/voice",
    "/reception/", "/stats/", "/stats/bilan-annuel/", "/stats/bilan-annuel/imprimer", "/stats/rapport",
    "/structures/{structure}/activities", "/structures/{structure}/activities/new", "/voice/", "/voice/topics",
    "/voice/topics/new", "/voice/topics/{topic}", "/quartiers/", "/quartiers/{neighbourhood}", "/suivi",
]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_axe_finds_nothing_on_any_staff_page(page, live_server):
    with live_server.app.app_context():
        ids = {
            "event": live_server.demo["open_event"],
            "neighbourhood": db.session.execute(db.select(Neighbourhood.id).limit(1)).scalar_one(),
            "structure": db.session.execute(db.select(Structure.id).order_by(Structure.id).limit(1)).scalar_one(),
            "user": db.session.execute(db.select(User.id).where(User.email == DEMO_USERS[1][1])).scalar_one(),
            "topic": db.session.execute(db.select(Topic.id).limit(1)).scalar_one(),
        }
        db.session.remove()
    page.goto(live_server.url + "/auth/login")
    found = {"/auth/login": axe_violations(page, options=STAFF)}
    login(page, live_server, COORDINATOR)
    page.wait_for_url("**/events/**")
    for address in PAGES:
        url = address.format(**ids)
        response = page.goto(live_server.url + url)
        assert response.ok, url
        page.wait_for_load_state("networkidle")
        found[url] = axe_violations(page, options=STAFF)
    assert {url: problems for url, problems in found.items() if problems} == {}
    assert len(found) == len(PAGES) + 1
