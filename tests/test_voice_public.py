"""« Vous avez dit, nous avons fait »: only staff paraphrases are public; a card sees its own."""

import re
from datetime import timedelta

from kiosk.cards.services import erase_card
from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.voice.audio import audio_path, purge_old_audio, store
from kiosk.voice.models import Contribution
from kiosk.voice.retention import forget_old_words

from . import factories
from .factories_voice import gen_contribution, wav_bytes

RAW = "Mon voisin M. Dupont du 3e fait du bruit, appelez le 0612345678"


def _published(event, **kw):
    values = {"text": RAW, "paraphrase": "Des habitants se plaignent du bruit la nuit.",
              "answer": "Le bailleur rencontre les locataires le 12 mars.", "published": True, "status": "in_progress",
              "first_answer_at": utcnow()}
    values.update(kw)
    return gen_contribution(event, **values)


def test_the_neighbourhood_page_shows_paraphrases_never_raw_words(client):
    event = factories.gen_event()
    _published(event)
    gen_contribution(event, text="Texte non publié", paraphrase="Reformulation pas encore publiée")
    db.session.commit()
    page = client.get(f"/quartiers/{event.neighbourhood_id}")
    assert page.status_code == 200
    assert "Des habitants se plaignent du bruit la nuit." in page.text
    assert "Le bailleur rencontre les locataires le 12 mars." in page.text
    assert "Dupont" not in page.text and "0612345678" not in page.text
    assert "Reformulation pas encore publiée" not in page.text
    poster = client.get(f"/quartiers/{event.neighbourhood_id}/affiche")
    assert poster.status_code == 200 and "Des habitants se plaignent" in poster.text and "Dupont" not in poster.text
    assert "<svg" in poster.text  # the QR to the page


def test_the_kiosk_welcome_shows_the_latest_answers_of_its_neighbourhood(client):
    from .factories_checkin import kiosk_resident

    resident = kiosk_resident(client)
    _published(resident.event)
    _published(factories.gen_event(), paraphrase="Ailleurs, autre quartier")
    db.session.commit()
    # The page is kept a few seconds (kiosk.checkin.page): the kiosk shows them within SNAPSHOT_SECONDS.
    client.application.extensions["kiosk_snapshots"].clear()
    welcome = client.get(resident.base)
    assert "Des habitants se plaignent du bruit la nuit." in welcome.text
    assert "Ailleurs, autre quartier" not in welcome.text


def test_a_card_holder_sees_the_status_of_what_they_said_without_an_account(client):
    event = factories.gen_event()
    card = factories.gen_card()
    _published(event, card_id=card.id, status="done")
    gen_contribution(event, text="Pas encore traité")  # no card: never shown
    db.session.commit()
    page = client.post("/suivi", data={"code": card.code})
    assert page.status_code == 200
    assert "C&#39;est fait." in page.text or "C'est fait." in page.text
    assert "Le bailleur rencontre" in page.text
    assert RAW not in page.text and "Pas encore traité" not in page.text
    assert client.post("/suivi", data={"code": "AAAAA-AAAAA"}).status_code == 404


def test_erasing_a_card_unlinks_its_contributions(app):
    event = factories.gen_event()
    card = factories.gen_card()
    factories.gen_checkin(event, card=card, first_seen=True)
    item = gen_contribution(event, card_id=card.id)
    db.session.commit()
    erase_card(card.code)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).card_id is None


def test_voice_messages_older_than_the_retention_are_deleted(app):
    event = factories.gen_event()
    old = gen_contribution(event, had_audio=True, audio_file=store(wav_bytes(0.2), "wav"),
                           created_at=utcnow() - timedelta(days=31))
    recent = gen_contribution(event, had_audio=True, audio_file=store(wav_bytes(0.2), "wav"))
    old_path, recent_path = audio_path(old), audio_path(recent)
    assert purge_old_audio(days=30, dry_run=True) == 1 and old_path.exists()
    assert purge_old_audio(days=30) == 1
    assert not old_path.exists() and recent_path.exists() and old.audio_file is None


def test_residents_words_follow_the_card_retention_rule(app):
    event = factories.gen_event()
    card = factories.gen_card()
    old = _published(event, card_id=card.id, created_at=utcnow() - timedelta(days=800), transcript="t")
    assert forget_old_words(months=24) == 1
    assert (old.text, old.transcript, old.card_id) == (None, None, None)
    assert old.paraphrase and old.answer  # the follow-up stays


def test_the_purge_command_reports_what_it_deleted(runner):
    event = factories.gen_event()
    gen_contribution(event, had_audio=True, audio_file=store(wav_bytes(0.2), "wav"),
                     created_at=utcnow() - timedelta(days=40))
    db.session.commit()
    result = runner.invoke(args=["voice", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 messages vocaux de plus de 30 jours supprimés" in result.output


def test_the_demo_holds_contributions_at_every_status_and_a_public_page(client):
    from markupsafe import escape

    from kiosk.demo import seed_demo
    from kiosk.voice.models import STATUSES

    seed_demo(checkins=200, events=12)
    statuses = set(db.session.execute(db.select(Contribution.status)).scalars())
    assert statuses == set(STATUSES)
    published = db.session.execute(db.select(Contribution).where(Contribution.published.is_(True))).scalars().first()
    page = client.get(f"/quartiers/{published.event.neighbourhood_id}")
    assert str(escape(published.paraphrase)) in page.text  # as the page writes it: l'école is l&#39;école


def test_the_follow_up_page_offers_the_scanner_in_the_phones_language(client):
    """The camera's button and messages come with the page, hidden until follow.js knows a camera works."""
    from .test_security_headers import assert_safe

    page = client.get("/suivi", headers={"Accept-Language": "ar,fr;q=0.5"})
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert re.search(r'<button class="tile" type="button" data-scan-start hidden>.*امسح رمز QR لبطاقتي', page.text)
    assert re.search(r'data-no-camera hidden>', page.text)
    assert re.search(r'<script src="/static/js/scanner\.[0-9a-f]+\.js" defer></script>', page.text)
    assert re.search(r'<script src="/static/js/follow\.[0-9a-f]+\.js" defer></script>', page.text)
    assert_safe(page, "/suivi")
    # A staff page keeps French whatever the browser says.
    assert '<html lang="fr"' in client.get("/auth/login", headers={"Accept-Language": "ar"}).text


def test_the_follow_up_takes_the_code_a_scan_reads(client):
    """What a card's QR says ("HLM1:" and the code) is taken as the typed code is."""
    from kiosk.codes import card_qr_payload

    event = factories.gen_event()
    card = factories.gen_card()
    _published(event, card_id=card.id, status="done")
    db.session.commit()
    page = client.post("/suivi", data={"code": card_qr_payload(card.code)})
    assert page.status_code == 200 and "Le bailleur rencontre" in page.text
