"""A refused action on a staff page says so instead of leaving the page silently unchanged."""

import pytest

from kiosk.events.services import get_event_by_code
from kiosk.extensions import db

from ..factories import PASSWORD, gen_user
from .conftest import login, screenshot

pytestmark = pytest.mark.browser
SET_TOKEN = """(token) => {
  const meta = document.querySelector('meta[name=csrf-token]');
  const before = meta.content;
  meta.content = token;
  document.querySelectorAll('input[name=csrf_token]').forEach((input) => { input.value = token; });
  return before;
}"""


def test_a_refused_plus_one_shows_why(page, live_server):
    code = live_server.demo["open_event"]
    with live_server.app.app_context():
        animateur = gen_user(structure=get_event_by_code(code).structure)
        email = animateur.email
        db.session.commit()
    login(page, live_server, email, PASSWORD)
    page.goto(f"{live_server.url}/events/{code}/live")
    alert = page.locator("#htmx-error")
    assert alert.is_hidden()
    # A token the server no longer accepts, as after the session behind it ended: a 400.
    token = page.evaluate(SET_TOKEN, "stale")
    page.get_by_role("button", name="Ajouter 1 passage(s)").click()
    alert.wait_for(state="visible", timeout=5000)
    assert "Rechargez la page et réessayez" in alert.inner_text()
    screenshot(page, "stand-refused-tally")
    # The panel is still there and still polls; the message goes with the next action.
    page.evaluate(SET_TOKEN, token)
    page.get_by_role("button", name="Ajouter 1 passage(s)").click()
    alert.wait_for(state="hidden", timeout=5000)
