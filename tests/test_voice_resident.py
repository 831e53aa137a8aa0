"""After a check-in, a resident gives a feedback and says something about the neighbourhood."""

import io
import re

import pytest

from kiosk.extensions import db
from kiosk.models import CheckIn
from kiosk.voice.models import Contribution, Feedback

from .factories_checkin import Resident, kiosk_resident, new_card_code
from .factories_voice import gen_topic, wav_bytes


def _checked_in(client, mode="kiosk", lang="fr", card=None):
    if mode == "kiosk":
        resident = kiosk_resident(client)
    else:
        from .factories_checkin import gen_kiosk_setup

        _user, event = gen_kiosk_setup()
        resident = Resident(client, event, mode="e")
    resident.topic = gen_topic(name="Propreté", pictogram="repeat")
    db.session.commit()
    resident.page()
    done = resident.submit({}, card=card, profile=True, lang=lang)
    assert done.status_code == 200
    resident.done_html = done.text
    resident.checkin = db.session.execute(db.select(CheckIn).where(CheckIn.event_id == resident.event.id)).scalar_one()
    return resident


def _sid(html):
    return re.search(r'name="sid" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_the_confirmation_offers_the_faces_and_the_neighbourhood_question(client, mode):
    resident = _checked_in(client, mode)
    assert "Comment était ce stand pour vous ?" in resident.done_html
    assert f'name="c" value="{resident.checkin.uuid}"' in resident.done_html
    assert "Voulez-vous dire quelque chose sur votre quartier ?" in resident.done_html


@pytest.mark.parametrize("mode", ["kiosk", "e"])
def test_one_feedback_per_checkin_and_a_replay_is_refused(client, mode):
    resident = _checked_in(client, mode)
    data = {"c": str(resident.checkin.uuid), "rating": "good"}
    assert client.post(resident.base + "/voice/feedback", data=data).status_code == 303
    replay = client.post(resident.base + "/voice/feedback", data={**data, "rating": "bad"})
    assert replay.status_code == 409
    rows = list(db.session.execute(db.select(Feedback)).scalars())
    assert [(f.rating, f.channel, f.checkin_uuid) for f in rows] == [
        ("good", "kiosk" if mode == "kiosk" else "phone", resident.checkin.uuid)]


def test_a_feedback_needs_a_real_recent_checkin_of_this_event(client):
    resident = _checked_in(client)
    import uuid

    assert client.post(resident.base + "/voice/feedback",
                       data={"c": str(uuid.uuid4()), "rating": "good"}).status_code == 409
    assert client.post(resident.base + "/voice/feedback",
                       data={"c": str(resident.checkin.uuid), "rating": "great"}).status_code == 400
    assert db.session.execute(db.select(Feedback)).first() is None


def test_a_text_in_arabic_is_kept_with_its_topic_card_and_initiative(client):
    card = new_card_code()
    resident = _checked_in(client, "e", lang="ar", card=card)
    c = str(resident.checkin.uuid)
    say = client.get(f"{resident.base}/voice/say", query_string={"c": c, "t": resident.topic.id})
    assert say.status_code == 200
    text = "نريد مقاعد قرب ملعب الأطفال"
    response = client.post(f"{resident.base}/voice/say", data={
        "c": c, "t": resident.topic.id, "sid": _sid(say.text), "text": text, "initiative": "yes"})
    assert response.status_code == 303
    item = db.session.execute(db.select(Contribution)).scalar_one()
    assert (item.text, item.language, item.channel, item.initiative, item.status) == (text, "ar", "phone", True,
                                                                                       "received")
    assert item.card_id == resident.checkin.card_id is not None
    replay = client.post(f"{resident.base}/voice/say", data={
        "c": c, "t": resident.topic.id, "sid": _sid(say.text), "text": text})
    assert replay.status_code == 409
    assert db.session.execute(db.select(db.func.count(Contribution.id))).scalar_one() == 1


@pytest.mark.parametrize(("text", "status", "message"), [
    ("", 400, "Le message est vide"),
    ("   ", 400, "Le message est vide"),
    ("x" * 501, 400, "500 caractères au plus"),
])
def test_empty_or_over_long_text_is_refused_with_a_message(client, text, status, message):
    resident = _checked_in(client)
    c = str(resident.checkin.uuid)
    say = client.get(f"{resident.base}/voice/say", query_string={"c": c, "t": resident.topic.id})
    response = client.post(f"{resident.base}/voice/say", data={"c": c, "t": resident.topic.id,
                                                               "sid": _sid(say.text), "text": text})
    assert response.status_code == status
    assert message in response.text
    assert db.session.execute(db.select(Contribution)).first() is None


def test_an_unknown_topic_is_refused(client):
    resident = _checked_in(client)
    other = gen_topic()
    resident_topic_only = gen_topic()
    from kiosk.voice.topics import set_event_topics

    set_event_topics(resident.event, [resident_topic_only.id])
    db.session.commit()
    c = str(resident.checkin.uuid)
    for topic in ("999999", "abc", str(other.id)):
        assert client.get(f"{resident.base}/voice/say", query_string={"c": c, "t": topic}).status_code == 404
        response = client.post(f"{resident.base}/voice/say", data={"c": c, "t": topic, "sid": "x", "text": "Bonjour"})
        assert response.status_code == 404
    assert db.session.execute(db.select(Contribution)).first() is None


def _post_audio(client, resident, data: bytes, *, consent="yes", seconds="3", filename="m.webm"):
    c = str(resident.checkin.uuid)
    page = client.get(f"{resident.base}/voice/record", query_string={"c": c, "t": resident.topic.id, "consent": "yes"})
    assert page.status_code == 200 and "data-recorder" in page.text
    return client.post(f"{resident.base}/voice/say", content_type="multipart/form-data", data={
        "c": c, "t": resident.topic.id, "sid": _sid(page.text), "consent": consent, "seconds": seconds,
        "audio": (io.BytesIO(data), filename)})


def test_a_voice_message_is_kept_as_a_file_only_staff_can_fetch(app, client):
    resident = _checked_in(client)
    response = _post_audio(client, resident, wav_bytes(2), filename="m.wav")
    assert response.status_code == 303
    item = db.session.execute(db.select(Contribution)).scalar_one()
    assert item.had_audio and item.audio_mime == "audio/wav" and item.text is None
    from kiosk.voice.audio import audio_path

    assert audio_path(item).read_bytes()[:4] == b"RIFF"
    client.post("/auth/logout")
    assert client.get(f"/voice/c/{item.uuid}/audio").status_code == 302  # to the login page


@pytest.mark.parametrize(("data", "kw", "status", "message"), [
    (b"<html>not a sound</html>" * 10, {}, 400, "pas un enregistrement"),
    (b"\x1a\x45\xdf\xa3" + b"0" * 100, {"seconds": "75"}, 400, "60 secondes au plus"),
    (wav_bytes(0.5), {"consent": ""}, 400, "dire oui"),
])
def test_a_bad_recording_is_refused_in_the_residents_words(client, data, kw, status, message):
    resident = _checked_in(client)
    response = _post_audio(client, resident, data, **kw)
    assert response.status_code == status
    assert message in response.text
    assert db.session.execute(db.select(Contribution)).first() is None


def test_a_wav_longer_than_60_seconds_is_refused_whatever_the_form_says(app, client):
    app.config["VOICE_MAX_BYTES"] = 2_000_000
    app.config["MAX_CONTENT_LENGTH"] = 3_000_000
    resident = _checked_in(client)
    response = _post_audio(client, resident, wav_bytes(62, rate=4000), seconds="5", filename="m.wav")
    assert response.status_code == 400
    assert db.session.execute(db.select(Contribution)).first() is None


def test_a_recording_too_big_is_refused(app, client):
    app.config["VOICE_MAX_BYTES"] = 1000
    resident = _checked_in(client)
    response = _post_audio(client, resident, wav_bytes(1))
    assert response.status_code == 413
    assert "trop lourd" in response.text


def test_nothing_is_taken_once_the_event_is_closed(client):
    resident = _checked_in(client, "e")
    c = str(resident.checkin.uuid)
    say = client.get(f"{resident.base}/voice/say", query_string={"c": c, "t": resident.topic.id})
    resident.event.status = "closed"
    db.session.commit()
    from flask import current_app

    current_app.extensions["kiosk_snapshots"].clear()
    response = client.post(f"{resident.base}/voice/say", data={"c": c, "t": resident.topic.id,
                                                               "sid": _sid(say.text), "text": "Bonjour"})
    assert response.status_code == 410
    assert client.post(resident.base + "/voice/feedback", data={"c": c, "rating": "good"}).status_code == 410
    assert db.session.execute(db.select(Contribution)).first() is None


def test_every_voice_screen_carries_the_headers_and_no_inline_code(client):
    from .test_security_headers import assert_safe

    resident = _checked_in(client, "e", lang="ar")
    c, t = str(resident.checkin.uuid), resident.topic.id
    for path, query in (("/voice/topics", {"c": c}), ("/voice/say", {"c": c, "t": t}),
                        ("/voice/record", {"c": c, "t": t}), ("/voice/record", {"c": c, "t": t, "consent": "yes"}),
                        ("/voice/thanks", {"c": c})):
        response = client.get(resident.base + path, query_string=query)
        assert response.status_code == 200, path
        assert_safe(response, path)
    for url in ("/suivi", f"/quartiers/{resident.event.neighbourhood_id}", "/quartiers/"):
        assert_safe(client.get(url), url)


def _say_button(html: str, target: str) -> str:
    return re.search(rf'<button type="button" class="say" data-say="{target}"[^>]*>', html).group(0)


def test_faces_and_topics_are_read_from_their_recordings_in_the_residents_language(client, app):
    """Issue 15's mechanism: the speaker plays the question's then each answer's recording, if any."""
    from kiosk.languages.models import PromptRecording
    from kiosk.languages.services import save_recording

    for seconds, key in enumerate(("s:feedback", "a:feedback:good", "a:feedback:bad"), start=1):
        save_recording("ar", key, wav_bytes(seconds / 2), None, None)  # three different sounds, three files
    db.session.commit()
    files = dict(db.session.execute(db.select(PromptRecording.prompt_key, PromptRecording.file)).all())
    url = {key: f"/prompts/audio/{name}" for key, name in files.items()}

    resident = _checked_in(client, "e", lang="ar")
    feedback = _say_button(resident.done_html, "#feedback-title")
    # The question, then the faces in their order (good, ok, bad): "ok" has no recording, so is not there.
    assert f'data-audio="{url["s:feedback"]} {url["a:feedback:good"]} {url["a:feedback:bad"]}"' in feedback
    assert re.search(r'<section class="voice-offer"[^>]*data-say-answers', resident.done_html)
    c = str(resident.checkin.uuid)
    event_topic = resident.topic  # the topic the event offers, made by _checked_in
    save_recording("ar", f"t:{event_topic.uuid}", wav_bytes(0.7), None, None)
    db.session.commit()
    page = client.get(resident.base + "/voice/topics", query_string={"c": c}).text
    name = db.session.execute(db.select(PromptRecording.file).where(
        PromptRecording.prompt_key == f"t:{event_topic.uuid}")).scalar_one()
    assert f'data-audio="/prompts/audio/{name}' in _say_button(page, "#topics-title")
    assert re.search(r'data-screen="voice-topics" data-say-answers', page)


def test_without_recordings_the_speaker_reads_the_words_and_has_no_audio(client):
    resident = _checked_in(client, "e", lang="fr")
    assert "data-audio" not in _say_button(resident.done_html, "#feedback-title")
    page = client.get(resident.base + "/voice/topics", query_string={"c": str(resident.checkin.uuid)}).text
    assert "data-audio" not in _say_button(page, "#topics-title")


def test_faces_and_topics_are_prompts_a_mediator_can_record(client, app):
    from kiosk.languages.prompts import prompt_keys
    from kiosk.languages.services import TranslationError, save_recording

    topic = gen_topic(name="Jardins", pictogram="map")
    hidden = gen_topic(name="Ancien sujet", pictogram="map", active=False)
    db.session.commit()
    keys = prompt_keys()
    assert {"s:feedback", "a:feedback:good", "a:feedback:ok", "a:feedback:bad", "s:voice_topics",
            f"t:{topic.uuid}"} <= keys
    assert f"t:{hidden.uuid}" not in keys  # a topic no longer offered is not asked for
    save_recording("tr", f"t:{topic.uuid}", wav_bytes(1), None, None)
    with pytest.raises(TranslationError):
        save_recording("tr", "t:00000000-0000-0000-0000-000000000000", wav_bytes(1), None, None)
