"""The Content-Security-Policy in Chromium: the main pages, staff and kiosk, work without any violation."""

import pytest

from kiosk.demo import DEMO_USERS

from .conftest import login
from .kiosk_helpers import leave_kiosk, open_kiosk, skip_until, tap, wait_screen

pytestmark = pytest.mark.browser
COORDINATOR = DEMO_USERS[0][1]


def watch_violations(page) -> list[str]:
    """Collect what Chromium reports as blocked by the policy, from the console and the DOM event."""
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: found.append(str(error)) if "eval" in str(error) else None)
    page.add_init_script("""
        window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
    """)
    return found


def violations(page, found) -> list[str]:
    return found + page.evaluate("window.__violations || []")


def test_staff_pages_run_under_the_policy(page, live_server):
    found = watch_violations(page)
    code = live_server.demo["open_event"]
    login(page, live_server, COORDINATOR)
    page.wait_for_url("**/events/**")
    for path in ("/events/", f"/events/{code}", f"/events/{code}/live", f"/events/{code}/poster",
                 f"/events/{code}/cards", "/stats/", "/stats/rapport", "/admin/users", "/account"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page, found) == [], path
    # htmx at work under the policy: the statistics filter and the live view's polling.
    page.goto(live_server.url + "/stats/")
    page.locator("select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/events/{code}/live")
    page.wait_for_timeout(2500)
    assert violations(page, found) == []


def test_kiosk_screens_run_under_the_policy(page, live_server):
    found = watch_violations(page)
    code = live_server.demo["open_event"]
    open_kiosk(page, live_server, code)
    assert violations(page, found) == []
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    page.wait_for_selector(".screen.current progress.progress-bar")
    assert page.locator(".screen.current progress.progress-bar").evaluate("p => p.value") >= 1
    assert violations(page, found) == []
    leave_kiosk(page, live_server, code)
    assert violations(page, found) == []


def test_the_phone_page_runs_its_own_style_and_scripts_under_the_policy(page, live_server):
    """The phone's page carries its style and scripts inline, allowed by their hashes: all of it runs."""
    found = watch_violations(page)
    code = live_server.demo["open_event"]
    page.goto(f"{live_server.url}/e/{code}")
    wait_screen(page, "welcome")
    page.wait_for_selector("body[data-kiosk-ready]", state="attached")  # the inline script ran
    # The inline style applies: only the current screen shows.
    assert page.locator('#flow [data-screen="start"]').is_hidden()
    tap(page, "Français")
    wait_screen(page, "start")
    tap(page, "Je n'ai pas de carte")
    skip_until(page, "Passer", "done")
    page.wait_for_function("() => window.htmx !== undefined")  # loaded alongside, under its 'self' source
    assert violations(page, found) == []
