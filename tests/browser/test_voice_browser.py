"""The residents' voice end to end in Chromium, with a fake microphone fed a WAV the test makes.

A resident in Arabic checks in on their phone with their card, gives a feedback, records a
voice message and writes a text; staff transcribe (the audio file goes), assign, answer and
publish; the neighbourhood page shows the paraphrase and the answer; the card holder sees the
status on their phone.
"""

import math
import struct
import wave
from datetime import timedelta

import pytest

from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.models import Structure, utcnow
from kiosk.voice.audio import audio_path
from kiosk.voice.models import Contribution, Feedback, Topic
from kiosk.voice.topics import set_event_topics

from ..factories import gen_card, gen_event
from .conftest import CHROMIUM, CHROMIUM_ARGS, login, screenshot
from .kiosk_helpers import settle, tap, wait_screen

pytestmark = pytest.mark.browser

COORDINATOR = DEMO_USERS[0][1]
ARABIC_TEXT = "نريد ملعبًا لكرة القدم للأطفال في الحي"


def write_wav(path, seconds=4.0, rate=48000):
    """A 16-bit mono WAV of a rising tone: what the fake microphone 'hears'."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        tone = (9000 * math.sin(2 * math.pi * (300 + i / rate * 100) * i / rate) for i in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", int(v)) for v in tone))
    return path


@pytest.fixture
def mic_browser(browser, tmp_path):
    wav = write_wav(tmp_path / "voice.wav")
    fake = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}"])
    yield fake
    fake.close()


@pytest.fixture
def stand(live_server):
    """An open express-mode event in the demo's Sanitas structure, naming two topics; a card."""
    with live_server.app.app_context():
        structure = db.session.execute(db.select(Structure).where(Structure.name == "Centre social du Sanitas")
                                       ).scalar_one()
        now = utcnow()
        event = gen_event(structure=structure, title="Stand voix", express_mode=True,
                          starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2))
        topics = db.session.execute(db.select(Topic).where(Topic.name.in_(("Jeunesse", "Propreté")))).scalars()
        set_event_topics(event, [t.id for t in topics])
        card = gen_card()
        db.session.commit()
        yield {"code": event.code, "card": card.code, "event_id": event.id,
               "neighbourhood_id": event.neighbourhood_id}
        db.session.remove()


def check_in_with_card(page, base, card_code, lang="ar", have_card="لديّ بطاقة"):
    """The resident's own phone: Arabic, "I have a card", the code typed; express mode records it."""
    page.goto(base)
    settle(page)
    page.locator(f'#flow .screen.current button[name="lang"][value="{lang}"]').click()
    wait_screen(page, "start")
    tap(page, have_card)
    wait_screen(page, "scan")
    page.fill(".current #card-code", card_code)
    page.locator(".current #card-code").press("Enter")
    wait_screen(page, "done")


def test_the_voice_loop_from_the_resident_to_the_public_page(mic_browser, browser, live_server, stand):
    app = live_server.app
    resident_context = mic_browser.new_context(viewport={"width": 412, "height": 900}, locale="ar")
    resident = resident_context.new_page()
    errors = []
    resident.on("pageerror", lambda e: errors.append(str(e)))
    base = f"{live_server.url}/e/{stand['code']}"
    check_in_with_card(resident, base, stand["card"])
    assert resident.locator("html").get_attribute("dir") == "rtl"
    assert resident.locator("form.faces button[name=rating]").count() == 3
    screenshot(resident, "voice-1-done-faces-ar")

    settle(resident)
    resident.locator('form.faces button[value="good"]').click()
    wait_screen(resident, "voice-after")
    resident.locator('a[href*="/voice/topics"]').first.click()
    wait_screen(resident, "voice-topics")
    assert resident.locator("a.topic").count() == 2
    screenshot(resident, "voice-2-topics-ar")
    resident.locator("a.topic").first.click()
    wait_screen(resident, "voice-say")
    resident.locator('a[href*="/voice/record"]').click()
    wait_screen(resident, "voice-consent")
    screenshot(resident, "voice-3-consent-ar")
    resident.locator("a[data-consent]").click()
    wait_screen(resident, "voice-record")
    resident.locator("button[data-start]").click()
    resident.wait_for_selector("button[data-stop]:not([hidden])")
    resident.wait_for_timeout(2500)
    resident.locator("button[data-stop]").click()
    resident.wait_for_selector("[data-playback]:not([hidden])")
    assert resident.locator("audio[data-audio]").get_attribute("src").startswith("blob:")
    assert resident.locator("button[data-send]").is_enabled()  # sent only by this explicit tap
    screenshot(resident, "voice-4-playback-ar")
    with app.app_context():
        assert db.session.execute(db.select(Contribution)
                                  .where(Contribution.event_id == stand["event_id"])).first() is None
    resident.locator("button[data-send]").click()
    wait_screen(resident, "voice-thanks")

    resident.locator('a[href*="/voice/topics"]').click()
    wait_screen(resident, "voice-topics")
    resident.locator("a.topic").last.click()
    wait_screen(resident, "voice-say")
    resident.fill("textarea[name=text]", ARABIC_TEXT)
    resident.locator("form.answers button[type=submit]").first.click()
    wait_screen(resident, "voice-thanks")
    screenshot(resident, "voice-5-thanks-ar")
    assert errors == []

    with app.app_context():
        items = list(db.session.execute(db.select(Contribution).where(Contribution.event_id == stand["event_id"])
                                        .order_by(Contribution.id)).scalars())
        assert [(c.had_audio, c.text, c.language, c.channel) for c in items] == [
            (True, None, "ar", "phone"), (False, ARABIC_TEXT, "ar", "phone")]
        assert all(c.card_id is not None for c in items)
        voice = items[0]
        audio_file = audio_path(voice)
        assert audio_file is not None and audio_file.stat().st_size > 1000
        assert audio_file.read_bytes()[:4] in (b"\x1a\x45\xdf\xa3", b"OggS")
        feedback = db.session.execute(db.select(Feedback).where(Feedback.event_id == stand["event_id"])).scalar_one()
        assert feedback.rating == "good" and feedback.channel == "phone"
        voice_uuid = str(voice.uuid)
        db.session.remove()

    staff_context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    staff = staff_context.new_page()
    login(staff, live_server, COORDINATOR)
    staff.goto(f"{live_server.url}/voice/?status=received")
    assert "message vocal à transcrire" in staff.content()
    staff.goto(f"{live_server.url}/voice/c/{voice_uuid}")
    assert staff.locator("audio[data-voice-audio]").count() == 1
    staff.fill("#transcript", "Il faut un terrain de foot pour les enfants du quartier (traduit de l'arabe).")
    staff.get_by_role("button", name="Valider la transcription").click()
    staff.wait_for_selector("[data-audio-gone]")
    assert not audio_file.exists()
    assert staff.request.get(f"{live_server.url}/voice/c/{voice_uuid}/audio").status == 404
    staff.select_option("select[name=structure]", label="Médiation de proximité — Ville de Tours")
    staff.get_by_role("button", name="Confier").click()
    staff.select_option("select[name=status]", "in_progress")
    staff.get_by_role("button", name="Changer le statut").click()
    staff.fill("#paraphrase", "Les enfants veulent un terrain de foot.")
    staff.fill("#answer", "La ville étudie un terrain près du gymnase.\nNous vous répondons en juin.")
    assert "français facile" in staff.locator(".falc").inner_text()
    staff.get_by_role("button", name="Enregistrer la réponse").click()
    staff.get_by_role("button", name="Publier sur la page du quartier").click()
    staff.wait_for_selector("text=Publiée sur la page du quartier.")
    screenshot(staff, "voice-6-follow-up")

    public = browser.new_context(viewport={"width": 412, "height": 900}).new_page()
    public.goto(f"{live_server.url}/quartiers/{stand['neighbourhood_id']}")
    text = public.content()
    assert "Les enfants veulent un terrain de foot." in text and "La ville étudie un terrain" in text
    assert ARABIC_TEXT not in text
    screenshot(public, "voice-7-public-page")
    public.goto(f"{live_server.url}/quartiers/{stand['neighbourhood_id']}/affiche")
    screenshot(public, "voice-8-poster")

    resident.goto(f"{live_server.url}/suivi")
    resident.fill("#card-code", stand["card"])
    resident.locator("form.keypad-form button[type=submit]").click()
    resident.wait_for_selector('[data-status="in_progress"]')
    screenshot(resident, "voice-9-card-status")
    assert "La ville étudie un terrain" in resident.content()
    staff_context.close()
    resident_context.close()


FAKE_VOICES = """
  window.__said = [];
  const voices = [{lang: 'fr-FR', name: 'fr'}, {lang: 'ar-SA', name: 'ar'}];
  const fake = { getVoices: () => voices,
                 speak: (u) => window.__said.push([u.text, u.lang]), cancel: () => { window.__said = []; },
                 addEventListener: () => {} };
  Object.defineProperty(window, 'speechSynthesis', { value: fake });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  // Every recording the page's player starts (a screen of its own plays through an Audio of its own).
  window.__played = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    window.__played.push(new URL(this.src, location.href).pathname);
    return play.call(this);
  };
"""


def test_each_face_and_each_topic_is_read_aloud_in_the_residents_language(browser, live_server, stand):
    """The speaker reads the feedback's question and its three faces with the Arabic voice; on the topics
    screen, a topic recorded in Arabic plays its recording (issue 15's order: recording, voice, silence)."""
    from flask_babel import gettext

    from kiosk.i18n import force_language
    from kiosk.languages.models import PromptRecording
    from kiosk.languages.services import save_recording
    from kiosk.voice.faces import FACE_LABELS
    from kiosk.voice.topics import topic_label

    from ..factories_voice import wav_bytes

    app = live_server.app
    with app.app_context():
        topics = list(db.session.execute(db.select(Topic).where(Topic.name.in_(("Jeunesse", "Propreté")))
                                         .order_by(Topic.position, Topic.name)).scalars())
        with force_language("ar"):
            faces = [str(FACE_LABELS[r]) for r in ("good", "ok", "bad")]
            question = gettext("Comment était ce stand pour vous ?")
            topics_question = gettext("De quoi voulez-vous parler ?")
        labels = [topic_label(t, "ar") for t in topics]
        save_recording("ar", f"t:{topics[0].uuid}", wav_bytes(1), None, None)
        db.session.commit()
        recorded = "/prompts/audio/" + db.session.execute(db.select(PromptRecording.file).where(
            PromptRecording.prompt_key == f"t:{topics[0].uuid}")).scalar_one()
        db.session.remove()
    assert faces[0] != "Bien" and labels[0] not in ("Jeunesse", "Propreté")  # the Arabic words, not French

    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="ar")
    context.add_init_script(FAKE_VOICES)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        check_in_with_card(page, f"{live_server.url}/e/{stand['code']}", stand["card"])
        settle(page)
        say = page.locator(".voice-offer button.say")
        assert say.is_visible() and say.get_attribute("data-audio") is None
        say.click()
        assert page.evaluate("window.__said") == [[question, "ar-SA"], *[[face, "ar-SA"] for face in faces]]

        page.locator('form.faces button[value="ok"]').click()
        wait_screen(page, "voice-after")
        topics_url = live_server.url + page.locator('a[href*="/voice/topics"]').first.get_attribute("href")
        page.locator('a[href*="/voice/topics"]').first.click()
        wait_screen(page, "voice-topics")  # swapped in by hx-boost: its speaker shows all the same
        settle(page)
        say = page.locator('[data-screen="voice-topics"] button.say')
        assert say.get_attribute("data-audio") == recorded  # the only recording of this screen in Arabic
        say.click()
        page.wait_for_function("(url) => window.__played[0] === url", arg=recorded, timeout=15_000)
        assert page.evaluate("window.__said") == []  # a recording plays: the voice does not speak over it

        # Without recordings (the topic's deleted), the voice reads the question and every topic tile.
        with app.app_context():
            from kiosk.languages.services import delete_recording

            delete_recording("ar", f"t:{topics[0].uuid}")
            db.session.commit()
            db.session.remove()
        page.goto(topics_url)
        wait_screen(page, "voice-topics")
        settle(page)
        say = page.locator('[data-screen="voice-topics"] button.say')
        assert say.is_visible() and say.get_attribute("data-audio") is None
        say.click()
        assert page.evaluate("window.__said") == [[topics_question, "ar-SA"], *[[label, "ar-SA"] for label in labels]]
        assert errors == []
    finally:
        context.close()


def test_an_oral_languages_topics_screen_plays_its_recordings_as_it_shows(browser, live_server, stand):
    """Soninké is spoken from recordings: the topics screen plays the question's and the topics' own
    as it shows, as the check-in's questions do, without a tap on the speaker."""
    from kiosk.languages.models import PromptRecording
    from kiosk.languages.services import save_recording

    from ..factories_voice import wav_bytes

    app = live_server.app
    with app.app_context():
        save_recording("snk", "s:voice_topics", wav_bytes(1.5), None, None)
        topic = db.session.execute(db.select(Topic).where(Topic.name == "Jeunesse")).scalar_one()
        save_recording("snk", f"t:{topic.uuid}", wav_bytes(1), None, None)
        db.session.commit()
        files = dict(db.session.execute(db.select(PromptRecording.prompt_key, PromptRecording.file).where(
            PromptRecording.language == "snk", PromptRecording.prompt_key.in_(
                ("s:voice_topics", f"t:{topic.uuid}")))).all())
        expected = [f"/prompts/audio/{files['s:voice_topics']}", f"/prompts/audio/{files[f't:{topic.uuid}']}"]
        db.session.remove()
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    context.add_init_script(FAKE_VOICES)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        check_in_with_card(page, f"{live_server.url}/e/{stand['code']}", stand["card"], lang="snk",
                           have_card="J'ai une carte")  # an oral language's screens show French
        settle(page)
        page.locator('form.faces button[value="good"]').click()
        wait_screen(page, "voice-after")
        page.evaluate("() => { window.__played = []; }")
        settle(page)
        page.locator('a[href*="/voice/topics"]').first.click()
        wait_screen(page, "voice-topics")
        page.wait_for_function("(n) => window.__played.length >= n", arg=2, timeout=15_000)
        assert page.evaluate("window.__played")[:2] == expected  # the question, then the recorded topic
        assert errors == []
    finally:
        context.close()
