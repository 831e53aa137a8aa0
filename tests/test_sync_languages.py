"""Approved texts and recorded prompts travel from the central server to its stands (issue 15).

A real central server (gunicorn, its own database: PostgreSQL with HLM_TEST_DATABASE_URL) and
real stands (their own apps and SQLite files) over real HTTP: what a translator approves or
records on the central server reaches a stand's kiosk at the next sync, an un-approval or a
deletion too, each recording's audio is downloaded once, and broken input is refused and logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import uuid
from html import unescape

import pytest

from kiosk import signals
from kiosk.extensions import db
from kiosk.languages.models import APPROVED, PromptRecording, TranslationText
from kiosk.languages.services import delete_recording, save_recording, save_text
from kiosk.languages.strings import msgid_key
from kiosk.models import Event, User
from kiosk.sync import apply, client

from .factories_checkin import Resident
from .sync_support import CentralServer, Stand, app_for, central_database_url, clear, migrate, seed_central
from .test_languages import part_of, wav

REFUSED = "refused from the central server"


def _name(sound: bytes) -> str:
    return hashlib.sha256(sound).hexdigest()[:32] + ".wav"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """The central server and an app of the central role sharing its database and PROMPT_DIR."""
    tmp = tmp_path_factory.mktemp("sync-languages")
    url = central_database_url(tmp)
    migrate(url, tmp / "migrate")
    template = tmp / "stand-template.sqlite3"
    migrate("sqlite:///" + str(template), tmp / "migrate-stand")
    prompts = tmp / "central-prompts"
    server = CentralServer(url, tmp / "central", env={"SYNC_ENROL_RATE_LIMIT": "1000 per minute",
                                                       "PROMPT_DIR": str(prompts)})
    server.start()
    server.admin = app_for(url, tmp / "admin", "central", PROMPT_DIR=str(prompts))
    server.template, server.prompts = template, prompts
    yield server
    server.stop()
    with server.admin.app_context():
        db.engine.dispose()


@pytest.fixture
def world(central, tmp_path):
    clear(central.admin)
    shutil.rmtree(central.prompts, ignore_errors=True)
    seeded = seed_central(central.admin, devices=2)
    stands = []

    def new_stand(index: int = 0) -> Stand:
        stand = Stand(central.template, tmp_path / f"stand{len(stands)}")
        stands.append(stand)
        with stand.context():
            client.enrol(central.base, seeded["codes"][index])
            client.sync_once()
        return stand

    seeded["new_stand"] = new_stand
    yield seeded
    for stand in stands:
        stand.close()


def _translator():
    return db.session.execute(db.select(User).where(User.role == "coordinator")).scalar_one()


def _on_central(central, work):
    with central.admin.app_context():
        result = work(_translator())
        db.session.commit()
        return result


def _kiosk(stand, world):
    """The stand's kiosk in kiosk mode on one of the events it pulled, as its animateur opens it."""
    browser = stand.app.test_client()
    with stand.app.app_context():
        event = db.session.execute(db.select(Event).where(Event.uuid == uuid.UUID(world["events"][0]))).scalar_one()
        user = db.session.execute(db.select(User).where(User.email == world["animateur"])).scalar_one()
        resident = Resident(browser, event)
        resident.open_kiosk(user)
    return resident


def _audio_urls(page: str, lang: str, step: str) -> list[str]:
    """The recordings the speaker button of a question plays (the question, then its answers). On the
    kiosk's page an oral language's screens are made from the French: its recordings ride on its
    <template> as data-recordings, by prompt key."""
    found = re.search(rf'<template data-lang="{lang}" data-base="fr".*?data-recordings="(\{{.*?\}})"></template>', page)
    assert found, lang
    recordings = json.loads(unescape(found.group(1)))
    keys = [f"q:{step}"] + sorted(key for key in recordings if key.startswith(f"a:{step}:"))
    return [recordings[key] for key in keys if key in recordings]


def _sync(stand, monkeypatch=None) -> list[str]:
    """One sync of the stand; return the recordings it downloaded (counted on the real downloads)."""
    fetched = []
    if monkeypatch is not None:
        real = client.fetch_prompt

        def counting(creds, name):
            fetched.append(name)
            return real(creds, name)

        monkeypatch.setattr(client, "fetch_prompt", counting)
    with stand.context():
        client.sync_once()
    return fetched


def _stand_texts(stand, lang: str) -> dict[str, str]:
    with stand.app.app_context():
        return dict(db.session.execute(db.select(TranslationText.msgid, TranslationText.text).where(
            TranslationText.language == lang, TranslationText.status == APPROVED)).all())


def _stand_recordings(stand, lang: str) -> dict[str, str]:
    with stand.app.app_context():
        return dict(db.session.execute(db.select(PromptRecording.prompt_key, PromptRecording.file).where(
            PromptRecording.language == lang)).all())


def test_an_approved_text_and_a_recording_reach_the_stands_kiosk(central, world):
    sound = wav(2)
    name = _on_central(central, lambda t: (
        save_text("tr", "Une femme", "Bir kadın", t, approve=True),
        save_text("tr", "Un homme", "Bir erkek (taslak)", t),  # a draft: stays on the central server
        save_recording("snk", "q:first_time", sound, None, t).file)[-1])
    stand = world["new_stand"]()
    assert _stand_texts(stand, "tr") == {"Une femme": "Bir kadın"}
    assert _stand_recordings(stand, "snk") == {"q:first_time": name}
    assert (stand.folder / "instance" / "prompts" / name).read_bytes() == sound

    resident = _kiosk(stand, world)
    page = resident.page().text
    turkish = unescape(part_of(page, "tr"))
    assert "Bir kadın" in turkish and ">Kadın<" not in turkish and "taslak" not in turkish
    assert _audio_urls(page, "snk", "first_time") == [f"/prompts/audio/{name}"]
    with resident.client.get(f"/prompts/audio/{name}") as served:  # from the stand itself, offline-ready
        assert served.status_code == 200 and served.data == sound and served.mimetype == "audio/wav"


def test_only_the_changed_language_travels_and_each_sound_is_downloaded_once(central, world, monkeypatch):
    first, second = wav(1), wav(3)
    _on_central(central, lambda t: save_recording("snk", "q:first_time", first, None, t))
    stand = world["new_stand"]()
    with stand.context():
        creds, cursor = client.credentials(), client.state()["cursor"]
    _on_central(central, lambda t: (
        save_recording("snk", "q:first_time", second, None, t),  # re-recorded: a new file
        save_recording("snk", "a:first_time:yes", second, None, t),  # the same sound for another prompt
        save_recording("snk", "a:first_time:no", first, None, t)))  # a sound the stand has already
    with stand.context():
        status, payload = client._request("GET", f"{central.base}/api/sync/pull?cursor={cursor}",
                                          token=creds["token"])
    assert status == 200 and [doc["code"] for doc in payload["languages"]] == ["snk"]
    assert payload["events"] == [] and payload["users"] == []

    downloaded = _sync(stand, monkeypatch)
    name = hashlib.sha256(second).hexdigest()[:32] + ".wav"
    assert downloaded == [name]  # once, though two prompts use it; the old sound not again
    assert _stand_recordings(stand, "snk") == {"q:first_time": name, "a:first_time:yes": name,
                                               "a:first_time:no": hashlib.sha256(first).hexdigest()[:32] + ".wav"}
    assert _sync(stand, monkeypatch) == []  # nothing changed: nothing fetched, nothing pulled
    with stand.context():
        assert client.state()["cursor"] > cursor


def test_an_unapproval_and_a_deletion_on_the_central_server_reach_the_stand(central, world):
    sound = wav(2)
    name = _on_central(central, lambda t: (
        save_text("tr", "Une femme", "Bir kadın", t, approve=True),
        save_text("ar", "Un homme", "رجل واحد", t, approve=True),
        save_recording("snk", "q:first_time", sound, None, t).file)[-1])
    stand = world["new_stand"]()
    resident = _kiosk(stand, world)
    assert "Bir kadın" in part_of(resident.page().text, "tr")

    _on_central(central, lambda t: (save_text("tr", "Une femme", "Bir kadın?", t),  # back to a draft
                                    delete_recording("snk", "q:first_time")))
    _sync(stand)
    assert _stand_texts(stand, "tr") == {}
    assert _stand_texts(stand, "ar") == {"Un homme": "رجل واحد"}  # another language: untouched
    assert _stand_recordings(stand, "snk") == {}
    assert not (stand.folder / "instance" / "prompts" / name).exists()
    page = resident.page().text
    assert ">Kadın<" in part_of(page, "tr") and "Bir kadın" not in page  # the catalogue again
    assert _audio_urls(page, "snk", "first_time") == []
    assert resident.client.get(f"/prompts/audio/{name}").status_code == 404


def _tamper(central, lang: str, key: str, data: bytes, name: str | None = None) -> str:
    """A recording as a tampered database or a central server of another version could hold it,
    written past the languages area's checks (which would refuse it)."""
    name = name or hashlib.sha256(data).hexdigest()[:32] + ".wav"
    central.prompts.mkdir(parents=True, exist_ok=True)
    (central.prompts / name).write_bytes(data)
    db.session.add(PromptRecording(language=lang, prompt_key=key, file=name, mime="audio/wav", size=len(data)))
    return name


def test_broken_input_from_the_central_server_is_refused_logged_and_never_shown(central, world, caplog):
    stand = world["new_stand"]()
    good = wav(1)

    def break_things(translator):
        save_text("tr", "Un homme", "Bir erkek", translator, approve=True)  # a good one beside them
        for msgid, text in (("Question %(n)s sur %(total)s", "Soru %(x)s"), ("Une femme", "<script>Kadın</script>")):
            db.session.add(TranslationText(language="tr", msgid=msgid, msgid_key=msgid_key(msgid), text=text,
                                           status=APPROVED))
        names = [
            _tamper(central, "snk", "q:first_time", b"<html>not a sound</html>"),  # not audio
            _tamper(central, "snk", "a:first_time:yes", wav(40)),  # over 30 s
            _tamper(central, "snk", "a:first_time:no", b"RIFF\0\0\0\0WAVE" + b"\0" * (2 * 1024 * 1024)),  # over 2 MB
            _tamper(central, "snk", "s:welcome", good, name="0" * 32 + ".wav"),  # not the sound its name says
        ]
        save_recording("snk", "s:start", good, None, translator)
        signals.language_changed.send("tr")
        return names

    names = _on_central(central, break_things)
    with caplog.at_level(logging.WARNING, logger="kiosk.languages.mirror"):
        _sync(stand)
    refusals = [r.getMessage() for r in caplog.records if REFUSED in r.getMessage()]
    assert len(refusals) == 6, refusals
    assert any("%(n)s" in line for line in refusals) and any("balises" in line for line in refusals)
    assert _stand_texts(stand, "tr") == {"Un homme": "Bir erkek"}
    assert set(_stand_recordings(stand, "snk")) == {"s:start"}
    kept = {p.name for p in (stand.folder / "instance" / "prompts").iterdir()}
    assert kept == {hashlib.sha256(good).hexdigest()[:32] + ".wav"} and not kept & set(names)
    page = unescape(_kiosk(stand, world).page().text)
    assert "<script>Kadın" not in page and "Soru %(x)s" not in page and "Bir erkek" in page
    assert _audio_urls(page, "snk", "first_time") == []


def test_a_malformed_or_unknown_language_is_refused_whole(central, world, caplog):
    stand = world["new_stand"]()
    with caplog.at_level(logging.WARNING), stand.context():
        count = apply.apply_pull({"languages": [
            {"code": "tr", "texts": ["Une femme", "Bir kadın"], "recordings": []},
            {"code": "tr", "texts": {"Une femme": "Bir kadın"}, "recordings": [{"key": "q:first_time"}]},
            {"code": "xx", "texts": {"Une femme": "?"}, "recordings": []},
            {"code": "tr", "texts": {"Un homme": "Bir erkek"}, "recordings": []},
        ]})
    assert count == 1
    assert len([r for r in caplog.records if REFUSED in r.getMessage()]) == 3
    assert _stand_texts(stand, "tr") == {"Un homme": "Bir erkek"}


def test_a_cut_while_downloading_leaves_the_cursor_and_the_next_sync_fetches_only_the_rest(central, world, monkeypatch):
    stand = world["new_stand"]()
    with stand.context():
        cursor = client.state()["cursor"]
    sounds = [wav(1), wav(2)]
    _on_central(central, lambda t: [save_recording("snk", key, sound, None, t)
                                    for key, sound in zip(("q:first_time", "s:welcome"), sounds, strict=True)])
    real, fetched = client.fetch_prompt, []

    def cut_at_the_second(creds, name):
        fetched.append(name)
        if len(fetched) == 2:
            raise client.SyncFailed("Serveur central injoignable (ConnectionResetError).")
        return real(creds, name)

    monkeypatch.setattr(client, "fetch_prompt", cut_at_the_second)
    with stand.context(), pytest.raises(client.SyncFailed):
        client.sync_once()
    with stand.context():
        assert client.state()["cursor"] == cursor and "injoignable" in client.state()["last_error"]
    assert _stand_recordings(stand, "snk") == {}  # nothing half applied
    assert _sync(stand, monkeypatch) == [fetched[1]]  # the first sound is on disk already
    assert set(_stand_recordings(stand, "snk").values()) == {_name(sound) for sound in sounds}
