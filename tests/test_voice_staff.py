"""Staff side of the residents' voice: topics, the stand's entries, the follow-up board."""

import re

import pytest

from kiosk.extensions import db
from kiosk.voice.audio import audio_path, store
from kiosk.voice.followup import FollowUpError, change_status, privacy_flags, set_published
from kiosk.voice.models import Contribution, ContributionChange, Feedback, Topic
from kiosk.voice.topics import ensure_default_topics, topic_label, topics_for_event

from . import factories
from .factories_voice import gen_contribution, gen_topic, wav_bytes


def test_default_topics_carry_a_pictogram_and_their_translations(app):
    assert ensure_default_topics() == 9
    assert ensure_default_topics() == 0
    youth = db.session.execute(db.select(Topic).where(Topic.name == "Jeunesse")).scalar_one()
    assert youth.pictogram == "child"
    assert topic_label(youth, "fr") == "Jeunesse"


def test_a_coordinator_creates_a_topic_with_its_own_translations(client, auth):
    auth.login_as(factories.gen_user(role="coordinator", structure=None))
    response = client.post("/voice/topics/new", data={"name": "Jardins partagés", "pictogram": "house",
                                                      "tr_en": "Shared gardens", "tr_ar": "حدائق مشتركة",
                                                      "position": "3", "active": "y"})
    assert response.status_code == 302
    topic = db.session.execute(db.select(Topic)).scalar_one()
    assert (topic_label(topic, "en"), topic_label(topic, "ar"), topic.pictogram) == (
        "Shared gardens", "حدائق مشتركة", "house")
    twice = client.post("/voice/topics/new", data={"name": "jardins partagés", "pictogram": "house"})
    assert twice.status_code == 400 and "déjà ce nom" in twice.text
    bad_icon = client.post("/voice/topics/new", data={"name": "Autre", "pictogram": "nope"})
    assert bad_icon.status_code == 400


def test_an_event_names_its_topics_and_the_kiosk_offers_only_those(client, auth):
    animateur = factories.gen_user()
    event = factories.gen_event(structure=animateur.structure)
    wanted, other = gen_topic(name="Mobilité"), gen_topic(name="Santé")
    db.session.commit()
    auth.login_as(animateur)
    assert client.post(f"/events/{event.code}/topics", data={"topic": [str(wanted.id), "999999"]}).status_code == 303
    assert [t.name for t in topics_for_event(event.id)] == ["Mobilité"]
    assert other.id not in [t.id for t in topics_for_event(event.id)]


def test_the_animateur_records_a_feedback_and_what_a_resident_said(client, auth):
    animateur = factories.gen_user()
    event = factories.gen_event(structure=animateur.structure)
    topic = gen_topic()
    card = factories.gen_card()
    db.session.commit()
    auth.login_as(animateur)
    page = client.get(f"/events/{event.code}/voice")
    assert page.status_code == 200
    assert client.post(f"/events/{event.code}/voice", data={"kind": "feedback", "rating": "ok"}).status_code == 303
    sid = re.search(r'name="sid" value="([^"]+)"', page.text).group(1)
    response = client.post(f"/events/{event.code}/voice", data={
        "kind": "contribution", "sid": sid, "topic": topic.id, "text": "Plus de lumière rue des Tilleuls",
        "initiative": "yes", "card": card.code})
    assert response.status_code == 303
    feedback = db.session.execute(db.select(Feedback)).scalar_one()
    assert (feedback.rating, feedback.channel, feedback.author_id, feedback.checkin_uuid) == (
        "ok", "animateur", animateur.id, None)
    item = db.session.execute(db.select(Contribution)).scalar_one()
    assert (item.channel, item.author_id, item.card_id, item.initiative) == ("animateur", animateur.id, card.id, True)
    wrong_card = client.post(f"/events/{event.code}/voice", data={
        "kind": "contribution", "sid": "6f1c1b1e-0000-4000-8000-000000000001", "topic": topic.id, "text": "x",
        "card": "AAAAA-AAAAA"})
    assert wrong_card.status_code == 400


@pytest.mark.parametrize(("text", "flags"), [
    ("Appelez-moi au 06 12 34 56 78", ["phone"]),
    ("mon mail : karim.b@exemple.fr", ["email"]),
    ("J'habite 12 rue Léon Boyer, bâtiment C", ["address"]),
    ("Il faudrait des bancs et 2 poubelles de plus", []),
    ("+33612345678 ou a@b.fr", ["phone", "email"]),
])
def test_the_board_flags_what_looks_like_personal_data(text, flags):
    assert privacy_flags(text) == flags


def test_statuses_are_dated_and_attributed_and_not_possible_needs_a_reason(app):
    user = factories.gen_user(role="coordinator", structure=None)
    item = gen_contribution(factories.gen_event())
    with pytest.raises(FollowUpError):
        change_status(item, "not_possible", user=user)
    change_status(item, "in_progress", user=user)
    change_status(item, "done", user=user)
    db.session.flush()
    assert item.first_answer_at is not None and item.done_at is not None
    history = [(c.action, c.status, c.user_id) for c in item.changes]
    assert history == [("status", "in_progress", user.id), ("status", "done", user.id)]
    assert all(c.created_at for c in item.changes)


def test_nothing_is_published_without_a_staff_paraphrase(app):
    item = gen_contribution(factories.gen_event())
    with pytest.raises(FollowUpError):
        set_published(item, True, user=None)
    assert item.published is False


def test_follow_up_on_the_board_transcription_deletes_the_audio(client, auth):
    coordinator = factories.gen_user(role="coordinator", structure=None)
    partner = factories.gen_structure(name="Service propreté — Ville de Tours", kind="service_ville")
    event = factories.gen_event()
    item = gen_contribution(event, text=None, language="ar", had_audio=True, audio_mime="audio/wav",
                            audio_file=store(wav_bytes(1), "wav"))
    db.session.commit()
    path = audio_path(item)
    assert path is not None and path.exists()
    auth.login_as(coordinator)
    assert client.get("/voice/").status_code == 200
    page = client.get(f"/voice/c/{item.uuid}")
    assert page.status_code == 200 and "data-voice-audio" in page.text
    assert client.get(f"/voice/c/{item.uuid}/audio").data[:4] == b"RIFF"
    steps = [
        {"action": "transcribe", "transcript": "Les poubelles débordent le lundi (traduit de l'arabe)."},
        {"action": "assign", "structure": str(partner.id)},
        {"action": "status", "status": "in_progress"},
        {"action": "answer", "paraphrase": "Les poubelles débordent le lundi.",
         "answer": "La ville passe aussi le lundi soir."},
        {"action": "publish"},
        {"action": "status", "status": "done"},
    ]
    for data in steps:
        assert client.post(f"/voice/c/{item.uuid}", data=data).status_code == 303, data
    db.session.expire_all()
    item = db.session.get(Contribution, item.id)
    assert not path.exists() and item.audio_file is None and item.had_audio
    assert client.get(f"/voice/c/{item.uuid}/audio").status_code == 404
    assert (item.status, item.assigned_structure_id, item.published) == ("done", partner.id, True)
    actions = [c.action for c in db.session.execute(db.select(ContributionChange).order_by(ContributionChange.id))
               .scalars()]
    assert actions == ["transcribe", "assign", "status", "status", "answer", "publish", "status"]
    refused = client.post(f"/voice/c/{item.uuid}", data={"action": "status", "status": "not_possible"})
    assert refused.status_code == 400


def test_the_board_filters_by_status_topic_and_neighbourhood(client, auth):
    coordinator = factories.gen_user(role="coordinator", structure=None)
    here, there = factories.gen_event(), factories.gen_event()
    a = gen_contribution(here, text="Première parole", status="done")
    b = gen_contribution(there, text="Deuxième parole")
    db.session.commit()
    auth.login_as(coordinator)
    assert "Première parole" in client.get("/voice/", query_string={"status": "done"}).text
    assert "Deuxième parole" not in client.get("/voice/", query_string={"status": "done"}).text
    only_there = client.get("/voice/", query_string={"neighbourhood": there.neighbourhood_id}).text
    assert "Deuxième parole" in only_there and "Première parole" not in only_there
    assert "Première parole" not in client.get("/voice/", query_string={"topic": b.topic_id}).text
    assert a.topic_id != b.topic_id
