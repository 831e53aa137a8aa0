"""Every GET route is walked by axe-core (tests/browser/test_staff_access_browser.py), by the resident
walk, or excluded with a reason: a new staff page cannot escape the accessibility check."""

import uuid

from .browser.test_staff_access_browser import (
    CENTRAL_PAGES,
    NOT_WALKED,
    PAGES,
    RESIDENT_ENDPOINTS,
    UNLOCK_PAGES,
)

# Values of the right shape for the walk's {names}: only the addresses' form matters here.
SAMPLE = {"event": "ABC234", "checkin": uuid.uuid4(), "orientation": uuid.uuid4(), "contribution": uuid.uuid4(),
          "string": "0" * 40, **dict.fromkeys(("neighbourhood", "structure", "activity", "user", "topic",
                                                  "training"), 1)}


def _rule(app, url: str) -> str:
    rule, _args = app.url_map.bind("localhost").match(url, method="GET", return_rule=True)
    return rule.rule


def test_every_get_route_is_walked_by_axe_or_excluded_with_a_reason(app):
    routes = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    walked = [_rule(app, address.format(**SAMPLE)) for address in PAGES + UNLOCK_PAGES + CENTRAL_PAGES]
    walked.append(_rule(app, "/auth/login"))
    assert len(walked) == len(set(walked))  # one page per route: no route walked twice for nothing
    resident = {rule for rule, endpoint in routes.items()
                if endpoint.startswith(RESIDENT_ENDPOINTS) and endpoint != "checkin.unlock"}
    assert set(NOT_WALKED) <= set(routes)  # no stale exclusion
    assert not set(walked) & (set(NOT_WALKED) | resident)
    assert set(routes) - set(walked) - set(NOT_WALKED) - resident == set()
    assert len(NOT_WALKED) <= 15  # a short list
