"""Issue 13's bad input, the cases the other voice tests leave: each is refused with a 4xx and a
message, stores nothing, and never answers 500 (on SQLite and on PostgreSQL, whose integers are
bounded)."""

import io
import re
import uuid

import pytest

from kiosk.extensions import db
from kiosk.voice.models import Contribution, ContributionChange, Feedback

from . import factories
from .factories_voice import gen_contribution, gen_topic, wav_bytes
from .test_voice_resident import _checked_in, _sid

HUGE = "9" * 25  # past any database integer


def _count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("seconds", ["nan", "inf", "-1", "abc", "1e999", "", HUGE])
def test_a_recordings_declared_length_never_breaks_the_form(client, seconds):
    resident = _checked_in(client)
    c = str(resident.checkin.uuid)
    page = client.get(f"{resident.base}/voice/record", query_string={"c": c, "t": resident.topic.id, "consent": "yes"})
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000  # a WebM's first bytes: its length is what the form says
    response = client.post(f"{resident.base}/voice/say", content_type="multipart/form-data", data={
        "c": c, "t": resident.topic.id, "sid": _sid(page.text), "consent": "yes", "seconds": seconds,
        "audio": (io.BytesIO(webm), "m.webm")})
    if seconds in ("inf", "1e999", HUGE):
        assert response.status_code == 400 and "60 secondes au plus" in response.text
        assert _count(Contribution) == 0
    else:  # unreadable or negative: taken as unknown, within the size limit
        assert response.status_code == 303
        assert _count(Contribution) == 1


def test_an_empty_recording_and_no_text_is_an_empty_message(client):
    resident = _checked_in(client)
    c = str(resident.checkin.uuid)
    page = client.get(f"{resident.base}/voice/record", query_string={"c": c, "t": resident.topic.id, "consent": "yes"})
    response = client.post(f"{resident.base}/voice/say", content_type="multipart/form-data", data={
        "c": c, "t": resident.topic.id, "sid": _sid(page.text), "consent": "yes", "seconds": "2",
        "audio": (io.BytesIO(b""), "m.webm")})
    assert response.status_code == 400 and "Le message est vide" in response.text
    assert _count(Contribution) == 0


@pytest.mark.parametrize("sid", [None, "", "pas-un-uuid", HUGE])
def test_a_form_without_its_submission_id_is_stale(client, sid):
    resident = _checked_in(client)
    data = {"c": str(resident.checkin.uuid), "t": resident.topic.id, "text": "Bonjour"}
    if sid is not None:
        data["sid"] = sid
    response = client.post(f"{resident.base}/voice/say", data=data)
    assert response.status_code == 400 and "plus valable" in response.text
    assert _count(Contribution) == 0


@pytest.mark.parametrize("c", ["", "x", HUGE, str(uuid.uuid4())])
def test_a_resident_screen_naming_no_checkin_of_this_event_is_refused(client, c):
    resident = _checked_in(client)
    for path, query in (("/voice/topics", {"c": c}), ("/voice/say", {"c": c, "t": resident.topic.id}),
                        ("/voice/record", {"c": c, "t": resident.topic.id}), ("/voice/thanks", {"c": c}),
                        ("/voice/after", {"c": c})):
        response = client.get(resident.base + path, query_string=query)
        assert response.status_code == 409 and "plus valable" in response.text, path
    for path, data in (("/voice/say", {"c": c, "t": resident.topic.id, "sid": str(uuid.uuid4()), "text": "x"}),
                       ("/voice/feedback", {"c": c, "rating": "good"})):
        assert client.post(resident.base + path, data=data).status_code == 409, path
    assert _count(Contribution) == 0 and _count(Feedback) == 0


@pytest.mark.parametrize("topic", [HUGE, "-1", "1.5", " "])
def test_odd_topic_ids_are_unknown_topics(client, topic):
    resident = _checked_in(client)
    c = str(resident.checkin.uuid)
    assert client.get(f"{resident.base}/voice/say", query_string={"c": c, "t": topic}).status_code == 404
    response = client.post(f"{resident.base}/voice/say",
                           data={"c": c, "t": topic, "sid": str(uuid.uuid4()), "text": "Bonjour"})
    assert response.status_code == 404 and "Touchez un des sujets" in response.text
    assert _count(Contribution) == 0


@pytest.mark.parametrize("url", [f"/quartiers/{HUGE}", f"/quartiers/{HUGE}/affiche", f"/voice/topics/{HUGE}",
                                 "/voice/c/pas-un-uuid", f"/voice/c/{uuid.uuid4()}", f"/voice/c/{uuid.uuid4()}/audio"])
def test_unknown_ids_in_urls_are_not_found(client, auth, url):
    auth.login_as(factories.gen_user("coordinator"))
    assert client.get(url).status_code == 404


def test_the_board_ignores_filters_it_cannot_read(client, auth):
    auth.login_as(factories.gen_user("coordinator"))
    response = client.get("/voice/", query_string={"topic": HUGE, "neighbourhood": "-1", "structure": "abc",
                                                   "status": "zzz", "initiative": "yes"})
    assert response.status_code == 200


@pytest.mark.parametrize(("form", "message"), [
    ({"action": "status", "status": "zzz"}, None),
    ({"action": "assign", "structure": HUGE}, "Choisissez une structure de la liste."),
    ({"action": "assign", "structure": "abc"}, "Choisissez une structure de la liste."),
    ({"action": "explode"}, "Action inconnue."),
    ({"action": "answer", "paraphrase": "x" * 5000, "answer": ""}, None),
])
def test_follow_up_changes_it_cannot_apply_are_refused(client, auth, form, message):
    coordinator = factories.gen_user("coordinator")
    partner = factories.gen_structure()
    item = gen_contribution(factories.gen_event(), gen_topic(), assigned_structure_id=partner.id)
    db.session.commit()
    auth.login_as(coordinator)
    before = _count(ContributionChange)
    response = client.post(f"/voice/c/{item.uuid}", data=form)
    assert response.status_code == 400, response.status_code
    if message:
        assert message in response.text
    db.session.expire_all()
    assert _count(ContributionChange) == before
    kept = db.session.get(Contribution, item.id)
    assert kept.status == "received" and kept.assigned_structure_id == partner.id  # nothing taken back


def test_the_animateurs_entry_refuses_what_it_cannot_keep(client, auth):
    animateur = factories.gen_user()
    event = factories.gen_event(structure=animateur.structure)
    topic = gen_topic()
    db.session.commit()
    auth.login_as(animateur)
    page = client.get(f"/events/{event.code}/voice")
    sid = re.search(r'name="sid" value="([^"]+)"', page.text).group(1)
    for data in ({"kind": "feedback", "rating": "great"},
                 {"kind": "contribution", "sid": sid, "topic": HUGE, "text": "x"},
                 {"kind": "contribution", "sid": sid, "topic": topic.id, "text": ""},
                 {"kind": "contribution", "sid": sid, "topic": topic.id, "text": "x" * 501},
                 {"kind": "contribution", "sid": "", "topic": topic.id, "text": "x"}):
        response = client.post(f"/events/{event.code}/voice", data=data)
        assert response.status_code in (400, 404), (data, response.status_code)
    assert _count(Contribution) == 0 and _count(Feedback) == 0


def test_the_card_follow_up_refuses_odd_codes_with_a_message(client):
    for code in ("", "x" * 5000, "HLM1:", "https://example.org/a"):
        response = client.post("/suivi", data={"code": code})
        assert response.status_code == 404 and "Ce code n&#39;est pas bon" in response.text


def test_a_real_wav_past_the_size_limit_is_refused(client, app):
    app.config["VOICE_MAX_BYTES"] = 20_000
    resident = _checked_in(client)
    c = str(resident.checkin.uuid)
    page = client.get(f"{resident.base}/voice/record", query_string={"c": c, "t": resident.topic.id, "consent": "yes"})
    response = client.post(f"{resident.base}/voice/say", content_type="multipart/form-data", data={
        "c": c, "t": resident.topic.id, "sid": _sid(page.text), "consent": "yes", "seconds": "3",
        "audio": (io.BytesIO(wav_bytes(3)), "m.wav")})
    assert response.status_code == 413 and "trop lourd" in response.text
    assert _count(Contribution) == 0
