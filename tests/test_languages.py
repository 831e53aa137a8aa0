"""Issue 15: ten kiosk languages and three oral ones, translators' reviewed texts, recorded prompts.

The walk: every resident screen, in each language, shows the catalogue's or the approved text
wherever one exists (never the French fallback), read from the screens the server renders.
"""

from __future__ import annotations

import io
import json
import re
import wave
from html import unescape
from pathlib import Path

import pytest
from babel import Locale
from babel.support import Translations
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from kiosk.extensions import db
from kiosk.i18n import KIOSK_LANGUAGES, LANGUAGE_BY_CODE, LANGUAGES, ORAL_LANGUAGES, WRITTEN_LANGUAGES, babel_locale
from kiosk.languages.models import APPROVED, PromptRecording, TranslationText
from kiosk.languages.services import (
    TranslationError,
    approve_text,
    coverage,
    save_recording,
    save_text,
    string_states,
)
from kiosk.languages.strings import msgid_key, resident_msgids

from .factories import gen_user
from .factories_checkin import gen_kiosk_setup, kiosk_resident

TRANSLATIONS = Path(__file__).resolve().parent.parent / "kiosk" / "translations"
TEXT = re.compile(r">([^<>]+)<")


def upload(client, url: str, fields: dict, audio: bytes, filename: str = "prompt.webm"):
    """Post a recording as the browser's form does; the body is built in memory (the test
    client spools a large one to a temporary file it never closes)."""
    boundary, body = encode_multipart({**fields, "audio": FileStorage(io.BytesIO(audio), filename)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(1)
        f.setframerate(rate)
        f.writeframes(bytes([128]) * int(seconds * rate))
    return out.getvalue()


_CATALOGUES: dict[str, Translations] = {}


def expected(lang: str, msgid: str) -> str:
    """What a screen in this language must show for a msgid: approved text, else the catalogue's."""
    row = db.session.execute(db.select(TranslationText).where(
        TranslationText.language == lang, TranslationText.msgid_key == msgid_key(msgid),
        TranslationText.status == APPROVED)).scalar_one_or_none()
    if row is not None:
        return row.text
    if lang not in _CATALOGUES:
        _CATALOGUES[lang] = Translations.load(str(TRANSLATIONS), [babel_locale(lang)])
    return _CATALOGUES[lang].ugettext(msgid)


def texts(html: str) -> set[str]:
    return {unescape(t).strip() for t in TEXT.findall(html) if t.strip()}


def part_of(page: str, lang: str) -> str:
    parts = page.split("<template data-lang=")
    return next((part for part in parts[1:] if part.startswith(f'"{lang}"')), parts[0])


def assert_no_french_fallback(lang: str, french_html: str, html: str) -> int:
    """Every resident msgid shown whole on the French screen shows translated here, where a
    translation exists; return how many were checked."""
    shown = texts(french_html)
    here = unescape(html)
    checked = 0
    for msgid in resident_msgids():
        if "%(" in msgid or msgid not in shown:
            continue
        translation = expected(lang, msgid)
        if translation and translation != msgid:
            assert translation in here, (lang, msgid, translation)
            checked += 1
    return checked


def test_the_kiosk_languages_are_configured_in_one_place():
    assert [lang.code for lang in KIOSK_LANGUAGES if not lang.oral] == [
        "fr", "ar", "kab", "tr", "pt", "ro", "ru", "uk", "prs", "en"]
    assert ORAL_LANGUAGES == ("snk", "bm", "wo")
    for language in KIOSK_LANGUAGES:
        Locale.parse(language.babel)  # every Babel locale exists
        assert language.name and language.name != language.french or language.code == "wo"
    assert str(babel_locale("prs")) == "fa_AF" and LANGUAGE_BY_CODE["prs"].rtl and LANGUAGE_BY_CODE["ar"].rtl
    assert LANGUAGES["prs"] == "دری" and LANGUAGES["kab"] == "Taqbaylit"
    for code in WRITTEN_LANGUAGES:
        if code != "fr":
            assert (TRANSLATIONS / LANGUAGE_BY_CODE[code].babel / "LC_MESSAGES" / "messages.po").is_file(), code


def test_resident_strings_are_listed_once_and_cover_the_screens():
    msgids = resident_msgids()
    assert len(msgids) == len(set(msgids)) > 200
    for must in ("Venez-vous pour la première fois à un stand comme celui-ci ?", "Vos données",
                 "Scannez ce code avec votre téléphone pour participer.",  # poster line
                 "Gardez cette carte et scannez-la la prochaine fois.",  # card line
                 "Bienvenue. Choisissez votre langue."):
        assert must in msgids, must
    assert "Animateur ou animatrice" not in msgids  # a staff page's word


@pytest.mark.parametrize("lang", [code for code in WRITTEN_LANGUAGES if code != "fr"])
def test_every_resident_screen_shows_the_translation_wherever_one_exists(client, lang):
    resident = kiosk_resident(client)
    page = resident.page().text
    checked = assert_no_french_fallback(lang, part_of(page, "fr"), part_of(page, lang))
    assert checked >= 5  # each catalogue has at least the welcome, the first question and its answers
    # The confirmation, a refused answer and the privacy notice, each in the resident's language.
    for screens in (lambda code: resident.submit({"card_offer": "no"}, lang=code).text,
                    lambda code: resident.submit({"gender": "bogus"}, lang=code).text):
        assert_no_french_fallback(lang, screens("fr"), screens(lang))
    resident.choose("fr")
    french = client.get(resident.base + "/privacy").text
    resident.choose(lang)
    assert_no_french_fallback(lang, french, client.get(resident.base + "/privacy").text)


def test_arabic_and_dari_read_right_to_left(client):
    resident = kiosk_resident(client)
    page = resident.page().text
    assert '<template data-lang="ar" data-dir="rtl"' in page and '<template data-lang="prs" data-dir="rtl"' in page
    assert '<template data-lang="kab" data-dir="ltr"' in page
    resident.choose("prs")
    page = resident.page().text
    assert '<html lang="fa-AF" dir="rtl">' in page and 'id="flow" class="flow" lang="fa-AF" dir="rtl"' in page
    assert expected("prs", "Bonjour ! Avez-vous déjà une carte ?") in part_of(page, "prs")


def test_the_welcome_screen_names_each_language_in_its_own_script_oral_ones_with_a_speaker(client):
    resident = kiosk_resident(client)
    welcome = part_of(resident.page().text, "fr")
    for language in KIOSK_LANGUAGES:
        button = re.search(
            rf'<button class="tile lang[^"]*" type="submit" name="lang" value="{language.code}"[^>]*>(.*?)</button>',
            welcome, re.S)
        assert button and language.name in button.group(1), language.code
        assert ("<svg" in button.group(1)) == language.oral  # the speaker pictogram


def test_an_oral_language_shows_french_and_plays_its_recordings(client, app):
    resident = kiosk_resident(client)
    save_recording("snk", "q:first_time", wav(2), None, None)
    save_recording("snk", "s:welcome", wav(1), None, None)
    db.session.commit()
    page = resident.page().text
    name = db.session.execute(db.select(PromptRecording.file).where(
        PromptRecording.prompt_key == "q:first_time")).scalar_one()
    # The kiosk's page carries the French once: Soninké's part is the French one (the page's own,
    # here) with the URLs of its recordings, which kiosk.js puts on the prompts' keys.
    found = re.search(r'<template data-lang="snk" data-base="fr" data-dir="ltr" data-text-lang="fr" '
                      r'data-recordings="([^"]*)"></template>', page)
    assert found and json.loads(unescape(found.group(1)))["q:first_time"] == f"/prompts/audio/{name}"
    french = page[page.index('data-step="first_time"'):page.index('data-step="residence"')]
    assert 'data-audio-keys="q:first_time a:first_time:yes a:first_time:no a:skip"' in french
    assert "data-audio=" not in french.replace("data-audio-keys=", "")  # French has no recording of it
    assert 'value="snk"' in page and re.search(r'value="snk"[^>]*data-audio="/prompts/audio/[0-9a-f]{32}\.wav"', page)
    # The other languages have no recording of it: their speaker falls back to speech synthesis.
    tr = part_of(page, "tr")
    assert "data-audio=" not in tr[tr.index('data-step="first_time"'):][:3000]
    # Chosen without the script (or on a phone), Soninké's part is made whole: French text, its recordings.
    resident.choose("snk")
    snk = resident.page().text
    assert '<html lang="fr" dir="ltr">' in snk
    assert "Venez-vous pour la première fois à un stand comme celui-ci ?" in unescape(snk)
    question = snk[snk.index('data-step="first_time"'):snk.index('data-step="residence"')]
    assert f'data-audio="/prompts/audio/{name}"' in question


def test_an_approved_text_overrides_the_catalogue_at_once_and_a_draft_does_not(client, app):
    translator = gen_user(role="animateur")
    translator.translator = True
    resident = kiosk_resident(client)
    assert "Kadın" in part_of(resident.page().text, "tr")
    save_text("tr", "Une femme", "Bir kadın (taslak)", translator)
    db.session.commit()
    assert "taslak" not in part_of(resident.page().text, "tr")
    save_text("tr", "Une femme", "Bir kadın", translator, approve=True)
    db.session.commit()
    part = part_of(resident.page().text, "tr")
    assert "Bir kadın" in part and ">Kadın<" not in part
    # The confirmation and the rest of the screens follow too.
    assert_no_french_fallback("tr", part_of(resident.page().text, "fr"), part)


def test_approving_a_machine_translation_keeps_its_text_and_counts_it(app):
    translator = gen_user(role="coordinator")
    before = {row.code: row for row in coverage()}
    states = {s.msgid: s for s in string_states("kab")}
    assert states["Passer"].status == "to_review" and states["Passer"].machine
    approve_text("kab", "Passer", translator)
    db.session.commit()
    after = {row.code: row for row in coverage()}
    assert after["kab"].approved == before["kab"].approved + 1
    assert after["kab"].to_review == before["kab"].to_review - 1
    assert after["kab"].missing == before["kab"].missing
    assert {s.msgid: s for s in string_states("kab")}["Passer"].text == "Ɛeddi"


@pytest.mark.parametrize(("msgid", "text", "why"), [
    ("Question %(n)s sur %(total)s", "Soru %(n)s / %(toplam)s", "repères"),
    ("Question %(n)s sur %(total)s", "Soru %(n)s", "repères"),
    ("Question %(n)s sur %(total)s", "Soru %(n)s / %(total)s %", "signe %"),
    ("Une femme", "<b>Kadın</b>", "balises"),
    ("Une femme", "Kadın <script>", "balises"),
    ("Une femme", "   ", "Écrivez"),
])
def test_a_translation_that_would_break_a_screen_is_refused(app, msgid, text, why):
    translator = gen_user(role="coordinator")
    with pytest.raises(TranslationError, match=why):
        save_text("tr", msgid, text, translator, approve=True)
    assert db.session.execute(db.select(TranslationText)).first() is None


def test_a_language_nobody_configured_is_refused(app, client, auth):
    coordinator = gen_user(role="coordinator")
    with pytest.raises(TranslationError, match="xx"):
        save_text("xx", "Une femme", "?", coordinator)
    with pytest.raises(TranslationError):
        save_text("snk", "Une femme", "?", coordinator)  # an oral language is recorded, not written
    with pytest.raises(TranslationError):
        save_recording("xx", "q:first_time", wav(1), None, None)
    auth.login_as(coordinator)
    response = client.get("/translations/xx")
    assert response.status_code == 404 and "n'est pas une langue du kiosque" in unescape(response.text)
    assert client.get("/translations/tr/prompts/nothing").status_code == 404


@pytest.mark.parametrize(("data", "seconds", "why"), [
    (b"<html>not a sound</html>", "3", "pas un enregistrement sonore"),
    (wav(31.5), None, "trop long"),
    (b"\x1a\x45\xdf\xa3" + b"\0" * 100, "45", "trop long"),  # WebM: the recorder's own count
    (b"OggS" + b"\0" * (2 * 1024 * 1024), "5", "trop lourd"),
    (b"", None, "vide"),
])
def test_a_bad_recording_is_refused_with_a_clear_message(app, client, auth, data, seconds, why):
    coordinator = gen_user(role="coordinator")
    auth.login_as(coordinator)
    form = {}
    if seconds:
        form["seconds"] = seconds
    response = upload(client, "/translations/snk/prompts/q:first_time", form, data)
    assert response.status_code == 422 and why in unescape(response.text)
    assert db.session.execute(db.select(PromptRecording)).first() is None


def test_a_translator_records_a_prompt_and_the_kiosk_gets_it_cached_for_good(app, client, auth):
    translator = gen_user(role="animateur")
    translator.translator = True
    auth.login_as(translator)
    sound = wav(2.5)
    response = upload(client, "/translations/snk/prompts/q:first_time", {"seconds": "3"},
                      sound, "prompt.wav")
    assert response.status_code == 302
    row = db.session.execute(db.select(PromptRecording)).scalar_one()
    assert (row.language, row.prompt_key, row.mime, row.demo) == ("snk", "q:first_time", "audio/wav", False)
    client.post("/auth/logout")
    served = client.get(f"/prompts/audio/{row.file}")  # the kiosk is not logged in
    assert served.status_code == 200 and served.data == sound and served.mimetype == "audio/wav"
    assert "immutable" in served.headers["Cache-Control"] and "public" in served.headers["Cache-Control"]
    again = client.get(f"/prompts/audio/{row.file}", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/prompts/audio/..%2f..%2fapp.py").status_code == 404
    kiosk = kiosk_resident(client)  # a tablet locked in kiosk mode plays it too
    assert kiosk.page().status_code == 200 and client.get(f"/prompts/audio/{row.file}").data == sound
    report = {r.code: r for r in coverage()}
    assert report["snk"].recordings == 1 and report["bm"].recordings == 0


def test_a_recording_up_to_2_mb_passes_the_body_limit_that_other_forms_keep(app, client, auth):
    coordinator = gen_user(role="coordinator")
    auth.login_as(coordinator)
    big = b"OggS" + b"\0" * (1536 * 1024)  # 1.5 MB: over MAX_CONTENT_LENGTH, under the prompt's limit
    response = upload(client, "/translations/tr/prompts/a:skip", {"seconds": "20"}, big, "p.ogg")
    assert response.status_code == 302
    assert client.post("/translations/tr/t/" + msgid_key("Une femme"), data="text=" + "x" * (1536 * 1024),
                       content_type="application/x-www-form-urlencoded").status_code == 413


def test_only_coordinators_and_translators_reach_the_translators_pages(app, client, auth):
    animateur = gen_user(role="animateur")
    auth.login_as(animateur)
    assert client.get("/translations").status_code == 403
    assert client.get("/translations/tr").status_code == 403
    client.post("/auth/logout")
    translator = gen_user(role="animateur")
    translator.translator = True
    auth.login_as(translator)
    index = client.get("/translations")
    assert index.status_code == 200
    for language in KIOSK_LANGUAGES:
        assert f'data-language="{language.code}"' in index.text
    assert client.get("/translations/tr").status_code == 200
    assert client.get("/translations/snk").status_code == 302  # oral: its prompts
    assert client.get("/translations/snk/prompts").status_code == 200


def test_the_editor_saves_and_approves_beside_the_french(app, client, auth):
    translator = gen_user(role="coordinator")
    auth.login_as(translator)
    key = msgid_key("Un homme")
    page = client.get(f"/translations/tr/t/{key}")
    assert page.status_code == 200 and "Un homme" in page.text and "Erkek" in page.text
    refused = client.post(f"/translations/tr/t/{key}", data={"text": "Erkek %(n)s", "action": "approve"})
    assert refused.status_code == 422 and "repères" in unescape(refused.text)
    assert client.post(f"/translations/tr/t/{key}", data={"text": "Bir erkek", "action": "approve"}).status_code == 302
    assert {s.msgid: s for s in string_states("tr")}["Un homme"].status == "approved"


def test_demo_recordings_load_marked_as_demo(app):
    from kiosk.languages.demo import DEMO_RECORDINGS, seed_demo_recordings

    assert seed_demo_recordings() == len(DEMO_RECORDINGS) >= 3
    db.session.commit()
    keys = {(r.prompt_key, r.demo) for r in db.session.execute(db.select(PromptRecording)).scalars()}
    assert ("s:welcome", True) in keys and ("q:first_time", True) in keys
    assert {r.code: r for r in coverage()}["snk"].demo_recordings == len(DEMO_RECORDINGS)


# ---- Point 5: before a language is chosen, the browser's language.

def test_pages_before_a_choice_follow_the_browsers_language(client, app):
    from kiosk.models import Event

    _user, event = gen_kiosk_setup()
    arabic = {"Accept-Language": "ar,fr;q=0.5"}
    welcome = client.get(f"/e/{event.code}", headers=arabic)
    assert '<html lang="ar" dir="rtl">' in welcome.text
    unknown = client.get("/e/NOPE99", headers=arabic)
    assert unknown.status_code == 404
    assert '<html lang="ar" dir="rtl">' in unknown.text
    assert expected("ar", "Nous ne trouvons pas ce stand. Vérifiez le code sur l'affiche.") in unescape(unknown.text)
    dari = client.get("/e/NOPE99", headers={"Accept-Language": "fa-AF"})
    assert '<html lang="fa-AF" dir="rtl">' in dari.text
    event = db.session.get(Event, event.id)
    event.status = "closed"
    db.session.commit()
    client.application.extensions["kiosk_snapshots"].clear()
    closed = client.get(f"/e/{event.code}", headers={"Accept-Language": "tr"})
    assert closed.status_code == 410
    assert '<html lang="tr"' in closed.text
    french = client.get(f"/e/{event.code}")
    assert '<html lang="fr"' in french.text  # no Accept-Language: French


def test_a_not_started_event_speaks_the_browsers_language_first(client, app):
    from datetime import timedelta

    from kiosk.models import utcnow

    _user, event = gen_kiosk_setup(starts_at=utcnow() + timedelta(hours=2), ends_at=utcnow() + timedelta(hours=4))
    page = unescape(client.get(f"/e/{event.code}", headers={"Accept-Language": "ar, fr;q=0.3"}).text)
    heading = re.search(r'<h1 id="problem-title">([^<]+)</h1>', page).group(1)
    assert heading.startswith(expected("ar", "Ce stand ouvre plus tard.")) and "plus tard" not in heading
    assert '<html lang="ar" dir="rtl"' in page
    # The other written languages follow, each once, French among them.
    assert 'class="problem-other" lang="fr"' in page


def test_a_coordinator_makes_an_animateur_a_translator(app, client, auth):
    coordinator = gen_user(role="coordinator")
    animateur = gen_user(role="animateur")
    auth.login_as(coordinator)
    form = client.get(f"/admin/users/{animateur.id}")
    assert "Traducteur ou traductrice" in unescape(form.text)
    response = client.post(f"/admin/users/{animateur.id}", data={
        "name": animateur.name, "email": animateur.email, "role": "animateur",
        "structure_id": str(animateur.structure_id), "password": "", "active": "y", "translator": "y"})
    assert response.status_code == 302
    from kiosk.models import User

    assert db.session.get(User, animateur.id).translator is True
