"""axe-core finds nothing on every staff page (issue 15), walked as the coordinator of the demo.

Every GET route of the app is walked here, by the resident walk (test_kiosk_access_browser.py),
or named in NOT_WALKED with the reason; tests/test_staff_pages_walked.py checks that against
the app's url_map, so a new page cannot escape the walk. The pages whose address names a
resident's data (a check-in's void page, an orientation slip, a contribution) are walked on
data the test makes; the unlock pages of a kiosk and of a reception tablet, on tablets it locks.
"""

import uuid

import pytest

from kiosk.checkin.services import Answers, record_checkin
from kiosk.codes import new_card_code
from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.languages.strings import msgid_key
from kiosk.models import CheckIn, Event, Neighbourhood, Structure, User
from kiosk.orientation.models import Activity
from kiosk.orientation.services import orient
from kiosk.training.models import TrainingSession
from kiosk.voice.models import Contribution, Topic

from .conftest import login, screenshot
from .kiosk_helpers import ANIMATEUR, bind_kiosk, wait_screen
from .test_kiosk_access_browser import axe_violations

pytestmark = pytest.mark.browser

COORDINATOR = DEMO_USERS[0][1]
STAFF = {}  # axe's default rules: WCAG A and AA and its best practices
# Every staff page, as the coordinator sees it: the addresses with {names} are filled with the
# demo's or the test's own records.
PAGES = [
    "/", "/account", "/admin/cards/", "/admin/neighbourhoods", "/admin/neighbourhoods/new",
    "/admin/neighbourhoods/{neighbourhood}", "/admin/structures", "/admin/structures/new",
    "/admin/structures/{structure}", "/admin/training/", "/admin/training/new", "/admin/training/{training}",
    "/admin/users", "/admin/users/new", "/admin/users/{user}", "/events/", "/events/new", "/events/{event}",
    "/events/{event}/cards", "/events/{event}/checkins", "/events/{event}/checkins/{checkin}/void",
    "/events/{event}/edit", "/events/{event}/live", "/events/{event}/orientations/{checkin}",
    "/events/{event}/orientations/slip/{orientation}", "/events/{event}/orientations/slip/{orientation}/print",
    "/events/{event}/poster", "/events/{event}/report", "/events/{event}/topics", "/events/{event}/voice",
    "/installation", "/installation/inscription",
    "/reception/", "/reception/{structure}", "/stats/", "/stats/bilan-annuel/", "/stats/bilan-annuel/imprimer",
    "/stats/rapport", "/structures/{structure}/activities", "/structures/{structure}/activities/new",
    "/structures/{structure}/activities/{activity}",
    "/translations", "/translations/tr", "/translations/tr/t/{string}", "/translations/snk/prompts",
    "/translations/snk/prompts/q:first_time",
    "/voice/", "/voice/c/{contribution}", "/voice/topics", "/voice/topics/new", "/voice/topics/{topic}",
    "/quartiers/", "/quartiers/{neighbourhood}", "/quartiers/{neighbourhood}/affiche", "/suivi",
]
# The pages this walk added, photographed to be looked at.
SHOTS = {"/events/{event}/checkins/{checkin}/void": "staff-void", "/voice/c/{contribution}": "staff-contribution",
         "/events/{event}/orientations/slip/{orientation}": "staff-slip",
         "/events/{event}/orientations/slip/{orientation}/print": "staff-slip-print",
         "/events/{event}/orientations/{checkin}": "staff-orient"}
# Shown to a tablet locked on a kiosk or a reception, each walked on a tablet the test locks.
UNLOCK_PAGES = ["/kiosk/{event}/unlock", "/reception/{structure}/unlock"]
# The central server's own pages: a stand answers them 404; walked on an app of the central role.
CENTRAL_PAGES = ["/admin/devices"]
# GET routes that are not a staff page axe could check here, each with the reason.
RESIDENT_ENDPOINTS = "checkin."  # the resident's screens: test_kiosk_access_browser.py, in French and Arabic
NOT_WALKED = {
    "/static/<path:filename>": "files",
    "/healthz": "the health check (JSON)",
    "/api/sync/pull": "JSON for the stands",
    "/prompts/audio/<name>": "a recorded prompt (audio)",
    "/voice/c/<uuid>/audio": "a voice message (audio)",
    "/installation/certificat-stand.crt": "a certificate file",
    "/events/<code>/report.csv": "a download (CSV)",
    "/stats/enregistrements.csv": "a download (CSV)",
    "/stats/export.<fmt>": "a download (CSV, ODS, XLSX)",
    "/stats/bilan-annuel/bilan.xlsx": "a download (XLSX)",
    "/stats/bilan-annuel/bilan.docx": "a download (DOCX)",
    "/events/<code>/live/_panel": "a fragment /events/<code>/live shows, walked inside it",
    "/events/<code>/orientations/_recent": "a fragment /events/<code>/live shows, walked inside it",
    "/stats/bilan-annuel/_figures": "a fragment /stats/bilan-annuel/ shows, walked inside it",
}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "lock this tablet?": yes
    yield page
    context.close()


def resident_records(app, code: str) -> dict:
    """A resident's check-in at the open event (in Arabic: the slip reads right to left), oriented
    to a structure's activity; the ids every staff address needs."""
    with app.app_context():
        event = db.session.execute(db.select(Event).where(Event.code == code)).scalar_one()
        result = record_checkin(event, checkin_uuid=uuid.uuid4(), channel="keypad", language="ar",
                                card_code=new_card_code(), answers=Answers(first_time="yes"))
        checkin = db.session.get(CheckIn, result.checkin_id)
        activity = db.session.execute(db.select(Activity).join(Structure).where(
            Activity.active, Structure.active).order_by(Activity.id).limit(1)).scalar_one()
        orientation = orient(checkin, activity.structure_id, activity.id, author=None)
        structure = db.session.execute(db.select(Structure).order_by(Structure.id).limit(1)).scalar_one()
        ids = {
            "event": code, "checkin": checkin.uuid, "orientation": orientation.uuid,
            "neighbourhood": db.session.execute(db.select(Neighbourhood.id).limit(1)).scalar_one(),
            "structure": structure.id,
            "activity": db.session.execute(db.select(Activity.id).where(
                Activity.structure_id == structure.id).limit(1)).scalar() or activity.id,
            "user": db.session.execute(db.select(User.id).where(User.email == DEMO_USERS[1][1])).scalar_one(),
            "topic": db.session.execute(db.select(Topic.id).limit(1)).scalar_one(),
            "contribution": db.session.execute(db.select(Contribution.uuid).order_by(Contribution.id)).scalar(),
            "training": db.session.execute(db.select(TrainingSession.id).limit(1)).scalar(),
            "string": msgid_key("Une femme"),
        }
        assert ids["contribution"] is not None and ids["training"] is not None  # the demo's
        db.session.commit()
        db.session.remove()
    return ids


def test_axe_finds_nothing_on_any_staff_page(page, live_server):
    ids = resident_records(live_server.app, live_server.demo["open_event"])
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
        if address in SHOTS:
            screenshot(page, SHOTS[address])
        if address.endswith("/print"):  # the A6 card as printed: the controls hidden, the print colours
            page.emulate_media(media="print")
            found[url + " (print)"] = axe_violations(page, options=STAFF)
            screenshot(page, SHOTS[address] + "-media-print")
            page.emulate_media(media="screen")
    problems = [f"{url}: {line}" for url, lines in found.items() for line in lines]
    assert problems == [], "\n".join(problems)
    assert len(found) == len(PAGES) + 2


def test_axe_finds_nothing_on_the_unlock_pages_of_a_kiosk_and_a_reception(page, live_server):
    code = live_server.demo["open_event"]
    with live_server.app.app_context():
        structure = db.session.execute(db.select(Event.structure_id).where(Event.code == code)).scalar_one()
        db.session.remove()
    login(page, live_server, ANIMATEUR)
    page.wait_for_url("**/events/**")
    bind_kiosk(page, live_server, code)
    found = {}
    page.goto(live_server.url + UNLOCK_PAGES[0].format(event=code))
    wait_screen(page, "unlock")
    found["kiosk"] = axe_violations(page)  # a kiosk screen: its AAA contrast too
    screenshot(page, "staff-kiosk-unlock")
    page.locator("#secret").fill(live_server.demo["pin"])
    page.locator("#screen form button[type=submit]").click()
    page.wait_for_url(f"**/events/{code}")

    page.goto(live_server.url + "/reception/")
    page.locator(f'form[action="/reception/{structure}/open"] button').click()
    page.wait_for_url(f"**/reception/{structure}")
    found["reception screen, locked"] = axe_violations(page, options=STAFF)
    page.goto(live_server.url + UNLOCK_PAGES[1].format(structure=structure))
    page.wait_for_load_state("networkidle")
    found["reception"] = axe_violations(page, options=STAFF)
    screenshot(page, "staff-reception-unlock")
    page.locator("#secret").fill(live_server.demo["pin"])
    page.get_by_role("button", name="Déverrouiller").click()
    page.wait_for_url("**/reception/")
    assert found == {"kiosk": [], "reception screen, locked": [], "reception": []}


@pytest.fixture(scope="module")
def central_server(tmp_path_factory):
    """The app in the central role, with a coordinator and a stand device to list."""
    from flask_migrate import upgrade
    from waitress import create_server

    from kiosk.accounts.services import create_user
    from kiosk.sync.devices import create_device

    from ..conftest import make_app
    from .conftest import LiveServer

    url = "sqlite:///" + str(tmp_path_factory.mktemp("central-live") / "central.sqlite3")
    app = make_app(url, WTF_CSRF_ENABLED=True, ROLE="central", RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        upgrade()
        structure = Structure(name="Centre social du Sanitas", kind="centre_social")
        db.session.add(structure)
        db.session.flush()
        create_user(name="Coordination", email=COORDINATOR, password="axe central 2026", role="coordinator")
        create_device("Stand du Sanitas", structure)
        db.session.commit()
    live = LiveServer(app, create_server(app, host="127.0.0.1", port=0, threads=2),
                      {"passwords": {COORDINATOR: "axe central 2026"}})
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


def test_axe_finds_nothing_on_the_central_servers_own_pages(page, central_server):
    login(page, central_server, COORDINATOR)
    page.wait_for_url("**/events/**")
    found = {}
    for url in CENTRAL_PAGES:
        response = page.goto(central_server.url + url)
        assert response.ok, url
        page.wait_for_load_state("networkidle")
        found[url] = axe_violations(page, options=STAFF)
    assert "Stand du Sanitas" in page.content()
    assert found == dict.fromkeys(CENTRAL_PAGES, [])

