"""The demo opens to no shared, known credential, says it is a demo, and leaves in one command."""

import re
import uuid

import pytest
from sqlalchemy import func

from kiosk.auth.services import authenticate, check_pin, find_user_by_email
from kiosk.demo import DEMO_USERS, seed_demo
from kiosk.extensions import db
from kiosk.models import Event, Neighbourhood, User
from kiosk.voice.audio import voice_dir
from kiosk.voice.models import Contribution, Feedback, Topic
from kiosk.voice.services import record_contribution

from .conftest import clear_tables
from .factories import gen_card, gen_checkin, gen_user
from .factories_voice import wav_bytes

MARKER = "Données de démonstration"
# What the README printed for years: it must open nothing.
OLD_PASSWORD, OLD_PIN = "demo-hors-les-murs", "2468"
COORDINATOR = ["--name", "Nadia Haddad", "--email", "nadia.haddad@ville-tours.fr"]


def _rows_outside_neighbourhoods() -> int:
    """Rows the removal may delete: all but the neighbourhoods and the coordinators' topics."""
    return sum(db.session.execute(db.select(func.count()).select_from(t)).scalar_one()
               for t in db.metadata.sorted_tables if t.name not in ("neighbourhoods", "topics"))


def _count(model) -> int:
    return db.session.execute(db.select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def demo(app):
    return seed_demo(checkins=200, events=8)


def test_seeding_prints_fresh_passwords_and_pin_once_and_the_readme_ones_open_nothing(runner, app):
    result = runner.invoke(args=["seed-demo", "--checkins", "100", "--events", "5"])
    assert result.exit_code == 0, result.output
    shown = dict(re.findall(r"^\s+(\S+@\S+)\s+mot de passe (\S+)", result.output, re.M))
    assert sorted(shown) == sorted(email for _n, email, _r, _s in DEMO_USERS)
    assert len(set(shown.values())) == len(shown)  # one password per account
    pin = re.search(r"Code PIN du kiosque des animateurs : (\d+)", result.output).group(1)
    for email, password in shown.items():
        assert authenticate(email, password) is not None
        assert authenticate(email, OLD_PASSWORD) is None
    animateur = find_user_by_email(DEMO_USERS[1][1])
    assert check_pin(animateur, pin) and not check_pin(animateur, OLD_PIN)
    assert "remove-demo" in result.output


def test_each_demo_draws_its_own_passwords_and_pin(app):
    first = seed_demo(checkins=20, events=2)
    clear_tables()
    second = seed_demo(checkins=20, events=2)
    assert set(first["passwords"].values()).isdisjoint(second["passwords"].values())
    assert first["pin"] != second["pin"]


def test_every_page_says_demo_data_while_it_is_there(client, demo):
    pages = ["/auth/login", f"/e/{demo['open_event']}", "/no-such-page"]
    for url in pages:
        assert MARKER in client.get(url).get_data(as_text=True), url
    client.post("/auth/login", data={"email": DEMO_USERS[0][1], "password": demo["passwords"][DEMO_USERS[0][1]]})
    assert MARKER in client.get("/events/").get_data(as_text=True)


def test_a_real_database_shows_no_demo_marker(client, app):
    gen_user("coordinator")
    assert MARKER not in client.get("/auth/login").get_data(as_text=True)


def test_remove_demo_asks_first_and_removes_nothing_when_refused(runner, demo):
    before = _rows_outside_neighbourhoods()
    result = runner.invoke(args=["remove-demo", *COORDINATOR, "--password", "un vrai mot de passe"], input="non\n")
    assert result.exit_code != 0
    assert "enregistrements (passages)" in result.output and "comptes" in result.output
    assert _rows_outside_neighbourhoods() == before


def test_remove_demo_removes_every_demo_record_and_creates_the_first_coordinator(client, runner, demo, app):
    # What was made while trying the demo is demo too: a new card's check-in, a practice account.
    event = db.session.execute(db.select(Event).where(Event.code == demo["open_event"])).scalar_one()
    gen_checkin(event, card=gen_card(), first_seen=True, channel="camera")
    practice = gen_user("coordinator").email
    db.session.commit()
    neighbourhoods = db.session.execute(db.select(func.count()).select_from(Neighbourhood)).scalar_one()
    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR], input="un vrai mot de passe\n" * 2)
    assert result.exit_code == 0, result.output
    assert practice in result.output
    users = db.session.execute(db.select(User)).scalars().all()
    assert [(u.email, u.role) for u in users] == [("nadia.haddad@ville-tours.fr", "coordinator")]
    assert authenticate("nadia.haddad@ville-tours.fr", "un vrai mot de passe") is not None
    assert _rows_outside_neighbourhoods() == 1  # the new account, nothing else
    assert db.session.execute(db.select(func.count()).select_from(Neighbourhood)).scalar_one() == neighbourhoods
    assert MARKER not in client.get("/auth/login").get_data(as_text=True)


def test_remove_demo_keeps_everything_when_the_new_account_is_invalid(runner, demo):
    before = _rows_outside_neighbourhoods()
    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR, "--password", "court"])
    assert result.exit_code != 0
    assert "Rien n'a été supprimé" in result.output
    assert _rows_outside_neighbourhoods() == before


def test_remove_demo_refuses_a_database_without_demo(runner, app):
    gen_user("coordinator")
    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR, "--password", "un vrai mot de passe"])
    assert result.exit_code != 0
    assert "pas de données de démonstration" in result.output
    assert db.session.execute(db.select(func.count()).select_from(User)).scalar_one() == 1


def test_remove_demo_asks_for_oui_then_the_coordinator_in_prompts(runner, demo):
    typed = "oui\nNadia Haddad\nnadia.haddad@ville-tours.fr\nun vrai mot de passe\nun vrai mot de passe\n"
    result = runner.invoke(args=["remove-demo"], input=typed)
    assert result.exit_code == 0, result.output
    assert authenticate("nadia.haddad@ville-tours.fr", "un vrai mot de passe") is not None
    assert _rows_outside_neighbourhoods() == 1


def test_remove_demo_deletes_the_voice_messages_files_and_keeps_the_topics(runner, demo, app):
    event = db.session.execute(db.select(Event).where(Event.code == demo["open_event"])).scalar_one()
    topics = {t.name: (t.pictogram, t.translations) for t in db.session.execute(db.select(Topic)).scalars()}
    assert "Propreté" in topics and _count(Contribution) > 0 and _count(Feedback) > 0
    # A voice message said while trying the demo, kept on disk like any other.
    topic = db.session.execute(db.select(Topic).where(Topic.name == "Propreté")).scalar_one()
    item = record_contribution(event.id, submission=str(uuid.uuid4()), topic_id=topic.id, channel="kiosk",
                               audio=wav_bytes(1), audio_seconds="1", consent=True)
    db.session.commit()
    recording = voice_dir() / item.audio_file
    assert recording.is_file()
    unrelated = voice_dir() / "not-a-message.txt"  # a file no contribution names is not the demo's
    unrelated.write_text("x")

    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR], input="un vrai mot de passe\n" * 2)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not recording.exists()
    assert unrelated.exists()
    assert _count(Contribution) == 0 and _count(Feedback) == 0
    kept = {t.name: (t.pictogram, t.translations) for t in db.session.execute(db.select(Topic)).scalars()}
    assert kept == topics


def test_a_refused_removal_keeps_the_voice_messages_files(runner, demo):
    event = db.session.execute(db.select(Event).where(Event.code == demo["open_event"])).scalar_one()
    topic = db.session.execute(db.select(Topic).where(Topic.name == "Propreté")).scalar_one()
    item = record_contribution(event.id, submission=str(uuid.uuid4()), topic_id=topic.id, channel="kiosk",
                               audio=wav_bytes(1), audio_seconds="1", consent=True)
    db.session.commit()
    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR, "--password", "court"])
    assert result.exit_code != 0
    assert (voice_dir() / item.audio_file).is_file()


def test_remove_demo_deletes_the_recorded_prompts_files_with_their_rows(runner, demo):
    from kiosk.languages.models import PromptRecording
    from kiosk.languages.services import prompt_dir

    files = set(db.session.execute(db.select(PromptRecording.file)).scalars())
    assert files and all((prompt_dir() / name).is_file() for name in files)  # the demo's Soninké voices
    unrelated = prompt_dir() / "not-a-prompt.txt"
    unrelated.write_text("x")

    result = runner.invoke(args=["remove-demo", "--yes", *COORDINATOR], input="un vrai mot de passe\n" * 2)
    assert result.exit_code == 0, result.output
    assert _count(PromptRecording) == 0
    assert not any((prompt_dir() / name).exists() for name in files)
    assert unrelated.exists()
