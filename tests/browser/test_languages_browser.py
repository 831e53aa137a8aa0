"""Issue 15 in Chromium: a mediator records a Soninké prompt through a fake microphone and the
kiosk in Soninké plays it; a translator corrects a Turkish string and the kiosk shows it at
once; the welcome screen and a question in Arabic, Dari and Soninké, photographed."""

from pathlib import Path

import pytest

from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.languages.models import PromptRecording
from kiosk.languages.strings import msgid_key
from kiosk.models import User

from .conftest import CHROMIUM, CHROMIUM_ARGS, login, screenshot
from .kiosk_helpers import open_kiosk, settle, tap, wait_screen
from .test_voice_browser import write_wav

pytestmark = pytest.mark.browser

COORDINATOR = DEMO_USERS[0][1]
MEDIATOR = DEMO_USERS[2][1]  # Awa, an animatrice (mediator) of another structure, translator here
SHOTS = Path("/work/wt/shots")


@pytest.fixture
def mic_browser(browser, tmp_path):
    wav = write_wav(tmp_path / "voice.wav", seconds=3.0)
    fake = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}"])
    yield fake
    fake.close()


def shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS.is_dir():  # the closing note's copies, outside the repository
        page.screenshot(path=str(SHOTS / f"h15a-{name}.png"), full_page=True)


def kiosk_page(browser, live_server, **options):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR", **options)
    page = context.new_page()
    open_kiosk(page, live_server, live_server.demo["open_event"])
    return page


def record_played(page) -> None:
    """Note every recording the kiosk's player starts, as it starts (the queue moves on)."""
    page.evaluate("""() => {
      window.__played = [];
      document.querySelector('[data-prompt-player]').addEventListener('playing', (e) => {
        window.__played.push(new URL(e.target.currentSrc).pathname);
      });
    }""")


def test_a_mediator_records_a_soninke_prompt_and_the_kiosk_plays_it(mic_browser, browser, live_server):
    app = live_server.app
    with app.app_context():
        mediator = db.session.execute(db.select(User).where(User.email == MEDIATOR)).scalar_one()
        mediator.translator = True
        db.session.commit()
    context = mic_browser.new_context(viewport={"width": 1024, "height": 900}, locale="fr-FR")
    translator = context.new_page()
    errors = []
    translator.on("pageerror", lambda e: errors.append(str(e)))
    login(translator, live_server, MEDIATOR)
    translator.goto(f"{live_server.url}/translations")
    assert translator.locator('tr[data-language="snk"]').count() == 1
    translator.goto(f"{live_server.url}/translations/snk/prompts/q:first_time")
    translator.locator("button[data-start]").click()
    translator.wait_for_selector("button[data-stop]:not([hidden])")
    translator.wait_for_timeout(2000)
    translator.locator("button[data-stop]").click()
    translator.wait_for_selector("[data-playback]:not([hidden])")
    assert translator.locator("audio[data-audio]").get_attribute("src").startswith("blob:")  # listen first
    shot(translator, "languages-record-snk")
    translator.locator("button[data-send]").click()
    translator.wait_for_selector("audio[data-current]")
    with app.app_context():
        row = db.session.execute(db.select(PromptRecording).where(
            PromptRecording.language == "snk", PromptRecording.prompt_key == "q:first_time")).scalar_one()
        assert not row.demo and row.mime in ("audio/webm", "audio/ogg") and row.size > 1000
        url = f"/prompts/audio/{row.file}"
        db.session.remove()
    context.close()

    kiosk = kiosk_page(mic_browser, live_server)
    kiosk.on("pageerror", lambda e: errors.append(str(e)))
    record_played(kiosk)
    settle(kiosk)
    kiosk.locator('#flow button[name="lang"][value="snk"]').click()
    wait_screen(kiosk, "start")
    tap(kiosk, "Je n'ai pas de carte")  # an oral language's screens read in French, for the animateur
    wait_screen(kiosk, "question-first_time")
    # Played by itself as the question shows (an oral language), then again from its speaker button.
    kiosk.wait_for_function("(url) => window.__played.includes(url)", arg=url, timeout=15_000)
    say = kiosk.locator('#flow .screen.current button.say')
    assert say.is_visible() and say.get_attribute("data-audio").split()[0] == url
    kiosk.evaluate("() => { window.__played = []; }")
    settle(kiosk)
    say.click()
    kiosk.wait_for_function("(url) => window.__played[0] === url", arg=url, timeout=15_000)
    player = kiosk.locator("[data-prompt-player]")
    kiosk.wait_for_function("() => document.querySelector('[data-prompt-player]').played.length > 0")
    assert player.evaluate("(a) => a.error === null")
    assert errors == []
    kiosk.context.close()


def test_a_translator_corrects_a_turkish_string_and_the_kiosk_shows_it_at_once(browser, live_server):
    kiosk = kiosk_page(browser, live_server)
    assert "Bir kadıncık" not in kiosk.locator('template[data-lang="tr"]').inner_html()
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="fr-FR")
    translator = context.new_page()
    login(translator, live_server, COORDINATOR)
    translator.goto(f"{live_server.url}/translations/tr/t/{msgid_key('Une femme')}")
    assert translator.locator("[data-source]").inner_text() == "Une femme"
    translator.locator("textarea#text").fill("Bir kadıncık")
    shot(translator, "languages-edit-tr")
    translator.get_by_role("button", name="Approuver").click()
    translator.wait_for_url("**/translations/tr?**")
    translator.goto(f"{live_server.url}/translations")
    shot(translator, "languages-coverage")
    context.close()

    kiosk.goto(f"{live_server.url}/kiosk/{live_server.demo['open_event']}")  # the next resident's page
    wait_screen(kiosk, "welcome")
    settle(kiosk)
    kiosk.locator('#flow button[name="lang"][value="tr"]').click()
    wait_screen(kiosk, "start")
    tap(kiosk, "Kartım yok")
    wait_screen(kiosk, "question-first_time")
    tap(kiosk, "Evet, ilk kez geliyorum")
    for step in ("residence", "age_band"):
        wait_screen(kiosk, f"question-{step}")
        tap(kiosk, "Atla")
    wait_screen(kiosk, "question-gender")
    assert kiosk.locator("#flow .screen.current").get_by_role("radio", name="Bir kadıncık", exact=True).count() == 1
    kiosk.context.close()


@pytest.mark.parametrize(("lang", "accept"), [("ar", "ar"), ("prs", "fa-AF"), ("snk", "fr-FR")])
def test_the_welcome_screen_and_a_question_in_arabic_dari_and_soninke(browser, live_server, lang, accept):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale=accept)
    page = context.new_page()
    page.goto(f"{live_server.url}/e/{live_server.demo['open_event']}")
    wait_screen(page, "welcome")
    if lang != "snk":  # before a choice, the browser's language (point 5)
        assert page.locator("html").get_attribute("dir") == "rtl"
    shot(page, f"languages-welcome-{lang}")
    settle(page)
    page.locator(f'#flow button[name="lang"][value="{lang}"]').click()
    wait_screen(page, "start")
    settle(page)
    page.locator('#flow .screen.current button[data-go="begin"]:not([data-first-time])').click()
    wait_screen(page, "question-first_time")
    assert page.locator("#flow").get_attribute("dir") == ("ltr" if lang == "snk" else "rtl")
    shot(page, f"languages-question-{lang}")
    context.close()
