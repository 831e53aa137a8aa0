"""Helpers for the kiosk browser tests: a card QR as a fake camera video, events to check in at."""

from datetime import timedelta
from pathlib import Path

from kiosk.codes import card_qr_payload
from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.models import CheckIn, Event, utcnow
from kiosk.qr import CARD_MASK_PATTERN, qr_matrix

from ..factories import gen_event
from .conftest import login

WIDTH, HEIGHT, FRAMES = 640, 480, 8


def write_card_y4m(path: Path, code: str) -> Path:
    """Write a Y4M video (text header, raw YUV 4:2:0 frames) showing the card's QR on white."""
    return write_qr_y4m(path, card_qr_payload(code), CARD_MASK_PATTERN)  # as printed and shown


def write_qr_y4m(path: Path, text: str, mask_pattern: int | None = None) -> Path:
    """Write a Y4M video showing the QR of ``text`` on white (a fake camera films it)."""
    matrix = qr_matrix(text, mask_pattern)
    module = min(WIDTH, HEIGHT) * 8 // 10 // len(matrix)
    side = module * len(matrix)
    left, top = (WIDTH - side) // 2, (HEIGHT - side) // 2
    luma = bytearray([235]) * (WIDTH * HEIGHT)
    for y in range(side):
        row = matrix[y // module]
        offset = (top + y) * WIDTH + left
        for x in range(side):
            if row[x // module]:
                luma[offset + x] = 16
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            f.write(frame)
    return path


def open_event_like(app, code: str, title: str) -> str:
    """Open another event of the same structure (the "next event"); return its code."""
    with app.app_context():
        model = db.session.execute(db.select(Event).where(Event.code == code)).scalar_one()
        now = utcnow()
        event = gen_event(structure=model.structure, title=title, starts_at=now - timedelta(minutes=5),
                          ends_at=now + timedelta(hours=3))
        db.session.commit()
        return event.code


def checkins_at(app, code: str) -> list[dict]:
    """The check-ins of an event as plain dicts, oldest first."""
    columns = ("channel", "language", "first_seen", "first_time", "residence", "age_band", "gender",
               "goes_to_structure", "heard_from", "needs_skipped", "childcare_children", "childcare_age_bands",
               "interpreter_language", "accessibility", "companions")
    with app.app_context():
        rows = db.session.execute(
            db.select(CheckIn).join(Event).where(Event.code == code).order_by(CheckIn.id)
        ).scalars()
        result = [{c: getattr(r, c) for c in columns} | {"card": r.card.code if r.card else None} for r in rows]
        db.session.remove()
        return result


ANIMATEUR = DEMO_USERS[1][1]  # Karim, of the structure that runs the demo's open event


# The screen a resident sees: one of the flow page's (kiosk.js shows one at a time), or a page of its own.
CURRENT = "#flow .screen.current, #screen"


def wait_screen(page, name: str, timeout: int = 15_000):
    page.wait_for_selector(f'#flow .screen.current[data-screen="{name}"], #screen[data-screen="{name}"]',
                           timeout=timeout)


def current_screen(page) -> str:
    return page.locator(CURRENT).first.get_attribute("data-screen")


def wait_scanner_ready(page):
    """Wait until kiosk.js listens to the keyboard: a scanner typing earlier would be lost."""
    page.wait_for_selector("body[data-kiosk-ready]", state="attached", timeout=15_000)


def settle(page):
    """Wait until the current screen takes taps (kiosk.js ignores them for 600 ms: a double tap's second half)."""
    page.wait_for_selector("#flow .screen.current[data-settled], body:not(:has(#flow)) #screen", timeout=10_000)


def tick(page, name: str):
    """Tick a box of the current screen, as a person would once it shows."""
    settle(page)
    page.locator(CURRENT).first.get_by_label(name, exact=True).check()


def tap(page, name: str):
    """Touch what the current screen names so: an answer (its tile), a button or a link."""
    settle(page)
    current = page.locator(CURRENT).first
    answer = current.get_by_role("radio", name=name, exact=True)
    if answer.count():
        answer.locator("xpath=ancestor::label[1]").click()
        return
    current.get_by_role("button", name=name, exact=True).or_(current.get_by_role("link", name=name, exact=True)) \
        .first.click()


def skip_until(page, skip_label: str, last: str) -> list[str]:
    """Tap "Passer" on each question until the screen named `last` shows; return the questions passed."""
    passed = []
    for _ in range(12):
        # A question or the last screen, settled: not the "sending" screen shown on the way.
        page.wait_for_selector(f'#flow .screen.current[data-settled]:is([data-screen^="question-"], '
                               f'[data-screen="{last}"]), #screen[data-screen="{last}"]', timeout=15_000)
        current = current_screen(page)
        if current == last:
            return passed
        if current == "send":  # the answers are on their way: the next screen is the server's
            page.wait_for_selector('#flow .screen.current[data-screen="send"]', state="hidden", timeout=20_000)
            continue
        passed.append(current)
        tap(page, skip_label)
        page.wait_for_selector(f'#flow .screen.current[data-screen="{current}"]', state="hidden", timeout=10_000)
    raise AssertionError(f"never reached {last}")


def open_kiosk(page, live_server, code: str):
    login(page, live_server, ANIMATEUR)
    page.wait_for_url("**/events/**")
    bind_kiosk(page, live_server, code)


def bind_kiosk(page, live_server, code: str):
    """Press the event page's button that turns this browser into the event's kiosk."""
    page.goto(f"{live_server.url}/events/{code}")
    page.get_by_role("button", name="Ouvrir le kiosque sur cette tablette").click()
    wait_screen(page, "welcome")


def leave_kiosk(page, live_server, code: str):
    page.goto(f"{live_server.url}/kiosk/{code}/unlock")  # in the last resident's language
    page.locator("#secret").fill(live_server.demo["pin"])
    page.locator("#screen form button[type=submit]").click()
    page.wait_for_url(f"**/events/{code}")
