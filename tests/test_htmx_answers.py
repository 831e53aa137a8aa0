"""Every htmx route answers by one rule: the fragment to htmx, the page to anyone else.

A history restore after a miss in htmx's cache sends HX-Request too but needs the whole
page; every answer says it varies on HX-Request, so no cache hands one for the other.
"""

import json
import re
from html import unescape

import pytest

from .factories_checkin import gen_kiosk_setup
from .factories_stand import gen_stand

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def stand(app, client, auth):
    stand = gen_stand()
    auth.login_as(stand.animateur)
    return stand


ROUTES = {
    "events": (lambda client, stand, headers: client.get("/events/?when=past", headers=headers),
               'id="event-list"'),
    "stats": (lambda client, stand, headers: client.get("/stats/?period=year", headers=headers),
              'id="stats-results"'),
    "kiosk screen": (lambda client, stand, headers: client.get(f"/e/{gen_kiosk_setup()[1].code}/privacy",
                                                                headers=headers),
                     'id="screen"'),
    "live panel after +1": (lambda client, stand, headers: client.post(
        f"/events/{stand.event.code}/tallies", data={"count": 1}, headers=headers, follow_redirects=True),
        'id="live-panel"'),
}


def _is_page(response) -> bool:
    return "<html" in response.text


@pytest.mark.parametrize("route", ROUTES)
def test_htmx_gets_the_fragment_alone(client, stand, route):
    request, marker = ROUTES[route]
    response = request(client, stand, HTMX)
    assert response.status_code == 200
    assert marker in response.text and not _is_page(response)
    assert "HX-Request" in response.vary


@pytest.mark.parametrize("route", ROUTES)
def test_a_plain_request_gets_the_whole_page(client, stand, route):
    request, marker = ROUTES[route]
    response = request(client, stand, {})
    assert response.status_code == 200
    assert marker in response.text and _is_page(response)


@pytest.mark.parametrize("route", [name for name in ROUTES if name != "live panel after +1"])  # GETs only
def test_a_history_restore_gets_the_whole_page(client, stand, route):
    request, marker = ROUTES[route]
    response = request(client, stand, RESTORE)
    assert response.status_code == 200
    assert marker in response.text and _is_page(response)
    assert "HX-Request" in response.vary


def test_back_to_past_events_after_a_cache_miss_gets_the_page(client, stand):
    """The reproduction of issue 10: a 154-byte fragment used to replace the whole page."""
    response = client.get("/events/?when=past", headers=RESTORE)
    assert _is_page(response)
    assert 'id="event-list"' in response.text


def _htmx_config(html: str) -> dict:
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert match, "no htmx configuration on this page"
    return json.loads(unescape(match.group(1)))


def test_staff_pages_show_refused_and_failed_htmx_answers(client, stand):
    page = client.get(f"/events/{stand.event.code}/live").text
    rules = _htmx_config(page)["responseHandling"]
    for status in ("400", "403", "404", "429", "500"):
        rule = next(r for r in rules if re.fullmatch(r["code"], status))
        assert rule["swap"] and rule["error"], status
        assert f'id="{rule["target"].lstrip("#")}"' in page
        assert rule["select"] == "[data-error-message]"
    # What is shown is the message of the error page htmx receives.
    refused = client.post("/events/NOPE99/tallies", data={"count": 1}, headers=HTMX)
    assert refused.status_code == 404
    assert re.search(r"<p data-error-message>[^<]+</p>", refused.text)
