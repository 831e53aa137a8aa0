"""Browser fixtures: the app served by waitress on loopback, driven by Debian's Chromium.

Outside CI a machine without /usr/bin/chromium skips these tests with a visible reason;
with CI=true a missing browser fails the run instead.
"""

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from waitress import create_server

from kiosk.demo import seed_demo
from kiosk.extensions import db

from ..conftest import make_app, running_in_ci

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


class LiveServer:
    """Waitress in a thread; stop() closes its sockets and waits for the thread to end."""

    def __init__(self, app, server, demo):
        self.app = app
        self._server = server
        self.url = f"http://127.0.0.1:{server.effective_port}"
        self.demo = demo
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            self._server.run()
        except (OSError, ValueError):
            # Closing the sockets under the running select loop ends it this way; only a
            # failure while serving is an error.
            if not self._stopping.is_set():
                raise

    def stop(self):
        self._stopping.set()
        self._server.close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Serve a fresh database holding the (smaller) demo data."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("live") / "live.sqlite3")
    app = make_app(url, WTF_CSRF_ENABLED=True, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        upgrade()
        demo = seed_demo(checkins=300, events=12)
    live = LiveServer(app, create_server(app, host="127.0.0.1", port=0, threads=4), demo)
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if running_in_ci():
            pytest.fail(message + "; CI=true does not allow skipping them", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def camera_browser(browser):
    """Launch another Chromium with a camera: one showing a video file, or Chromium's test pattern."""
    launched = []

    def launch(video_path=None):
        args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
        if video_path is not None:
            args.append(f"--use-file-for-fake-video-capture={video_path}")
        fake = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
        launched.append(fake)
        return fake

    yield launch
    for fake in launched:
        fake.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, email: str, password: str | None = None):
    """Log in; without a password, with the one the demo drew for this account."""
    password = live_server.demo["passwords"][email] if password is None else password
    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
