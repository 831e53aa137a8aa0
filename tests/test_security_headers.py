"""Every page carries the security headers, and no page holds inline script, handler or style.

One exception, by design: the phone's check-in page carries its own style and scripts (one
round trip less over 3G), each allowed by its hash in that page's policy and nothing else.
"""

import base64
import hashlib
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from kiosk.extensions import db
from kiosk.languages.strings import msgid_key
from kiosk.orientation.services import orient, save_activity
from kiosk.security import CONTENT_SECURITY_POLICY
from kiosk.training.services import save_session
from kiosk.voice.audio import store

from . import factories
from .factories_checkin import PIN, Resident
from .factories_voice import gen_contribution, gen_topic, wav_bytes


class InlineFinder(HTMLParser):
    """Collect what the Content-Security-Policy would block: inline scripts, on* handlers, style."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.bodies = []  # (tag, text) of each inline <script> and <style>
        self._open = None

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
            self._open = [tag, ""]
        if tag == "style":
            self.found.append("<style> element")
            self._open = [tag, ""]
        self.found += [f"<{tag} {name}=…>" for name in names if name.startswith("on") or name == "style"]
        self.found += [f"<{tag} {name}=…>" for name in names if name.startswith(("hx-on", "hx-vars"))]

    def handle_data(self, data):
        if self._open:
            self._open[1] += data

    def handle_endtag(self, tag):
        if self._open and self._open[0] == tag:
            self.bodies.append(tuple(self._open))
            self._open = None


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def assert_inline_code_allowed_by_hash(response, url):
    """The phone page: each inline element is allowed by its own hash, and nothing else is added."""
    body = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    finder = InlineFinder()
    finder.feed(body)
    assert finder.bodies and all(f.startswith("inline <script>") or f == "<style> element" for f in finder.found), url
    allowed = set(re.findall(r"'sha256-[^']+'", policy))
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"
              for _tag, text in finder.bodies}
    assert hashes == allowed, url
    assert re.sub(r" 'sha256-[^']+'", "", policy) == CONTENT_SECURITY_POLICY, url
    assert "'unsafe" not in policy


@pytest.fixture
def world(app):
    structure = factories.gen_structure()
    coordinator = factories.gen_user(role="coordinator")
    animateur = factories.gen_user(structure=structure, pin=PIN)
    event = factories.gen_event(structure=structure)
    closed = factories.gen_event(structure=structure, status="closed")
    checkin = factories.gen_checkin(event)
    topic = gen_topic()
    said = gen_contribution(event, topic, had_audio=True, audio_file=store(wav_bytes(0.2), "wav"),
                            audio_mime="audio/wav")
    # The pages of issue 14: an activity, an orientation (its slip), a training session.
    activity = save_activity(None, structure, name="Atelier")
    orientation = orient(checkin, structure.id, activity.id)
    session = save_session(None, kind="training", theme="Aller vers", starts_on=date(2025, 3, 1),
                           ends_on=date(2025, 3, 1), hours=3, attendances=[])
    db.session.commit()
    return {"coordinator": coordinator, "animateur": animateur, "event": event, "closed": closed,
            "values": {"code": event.code, "user_id": coordinator.id, "neighbourhood_id": structure.neighbourhood_id,
                       "structure_id": structure.id, "checkin_uuid": checkin.uuid, "topic_id": topic.id,
                       "uuid": said.uuid, "activity_id": activity.id,
                       "orientation_uuid": orientation.uuid, "session_id": session.id,
                       "lang": "tr", "key": msgid_key("Une femme"), "prompt_key": "q:first_time"}}


def staff_urls(app, values) -> list[str]:
    """Every GET page of the staff side, with its arguments filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint.startswith("checkin."):
            continue
        if rule.rule.startswith("/api/"):  # JSON for stands, with a device token: not a page
            continue
        if rule.endpoint == "languages.audio":  # a recorded prompt, public and cached for good (test_languages)
            continue
        args = {name: values[name] for name in rule.arguments if name != "fmt"}
        if "fmt" in rule.arguments:
            urls += [rule.build(args | {"fmt": fmt})[1] for fmt in ("csv", "xlsx")]
        else:
            urls.append(rule.build(args)[1])
    return urls


def assert_safe(response, url, *, inline_by_hash=False):
    body = response.get_data()  # streamed exports end their request context here
    response.close()
    headers = response.headers
    if inline_by_hash:
        assert_inline_code_allowed_by_hash(response, url)
    else:
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer"), url
    assert "no-store" in headers.get("Cache-Control", ""), url
    if response.mimetype == "text/html" and not inline_by_hash:
        assert inline_code(body.decode()) == [], url


def test_the_policy_forbids_inline_code():
    assert "'unsafe" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY


def test_every_staff_page_carries_the_headers_and_no_inline_code(app, client, auth, world):
    app.config["ROLE"] = "central"  # its pages too (the devices page); a stand has them all but that one
    assert client.get("/auth/login").status_code == 200
    assert_safe(client.get("/auth/login"), "/auth/login")
    auth.login_as(world["coordinator"])
    urls = staff_urls(app, world["values"]) + [f"/events/{world['closed'].code}/report"]
    assert len(urls) > 25
    # The stand's setup pages exist on a stand only; its authority's certificate is no page.
    stand_only = [url for url in urls if url.startswith("/installation") and not url.endswith(".crt")]
    for url in urls:
        if url.startswith("/installation"):
            continue
        response = client.get(url)
        assert response.status_code < 400, (url, response.status_code)
        assert_safe(response, url)
    app.config["ROLE"] = "stand"
    assert len(stand_only) == 2
    for url in stand_only:
        response = client.get(url)
        assert response.status_code < 400, (url, response.status_code)
        assert_safe(response, url)


def test_every_resident_screen_carries_the_headers_and_no_inline_code(app, client, world):
    event = world["event"]
    phone = Resident(app.test_client(), event, mode="e")
    assert_safe(phone.client.get(phone.base), phone.base, inline_by_hash=True)
    assert_safe(phone.client.get(phone.base + "/privacy"), "privacy")
    phone.choose("ar")
    page = phone.client.get(phone.base)
    assert page.status_code == 200 and 'class="progress-bar"' in page.get_data(as_text=True)
    assert_safe(page, "the whole flow, in Arabic", inline_by_hash=True)
    assert phone.submit({"card_offer": "yes"}, htmx=False, long_form=True).status_code == 303
    assert_safe(phone.client.get(phone.base + "/done"), "done")

    kiosk = Resident(client, event)
    kiosk.open_kiosk(world["animateur"])
    for url in (kiosk.base, f"/kiosk/{event.code}/unlock", kiosk.base + "/privacy"):
        assert_safe(client.get(url), url)


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/js/app.js")
    response.close()
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
