import re

from sqlalchemy import func

from kiosk.auth.services import authenticate
from kiosk.demo import DEMO_USERS
from kiosk.extensions import db
from kiosk.models import Card, CheckIn, Event, Neighbourhood, Structure


def _count(model, *where) -> int:
    return db.session.execute(db.select(func.count()).select_from(model).where(*where)).scalar()


def test_seed_demo_fills_an_empty_database(runner, app):
    result = runner.invoke(args=["seed-demo", "--checkins", "600", "--events", "20"])
    assert result.exit_code == 0, result.output
    for _name, email, *_ in DEMO_USERS:
        password = re.search(rf"{re.escape(email)}\s+mot de passe (\S+)", result.output).group(1)
        assert authenticate(email, password) is not None
    assert _count(Neighbourhood, Neighbourhood.is_qpv.is_(True)) == 13
    assert _count(Structure) == 12
    assert _count(CheckIn) == 600
    assert _count(Event, Event.status == "open") == 1
    open_code = db.session.execute(db.select(Event.code).where(Event.status == "open")).scalar_one()
    assert open_code in result.output


def test_demo_cards_are_first_seen_exactly_once(runner, app):
    runner.invoke(args=["seed-demo", "--checkins", "800", "--events", "30"])
    first_seen_per_card = db.session.execute(
        db.select(CheckIn.card_id, func.count()).where(CheckIn.first_seen.is_(True)).group_by(CheckIn.card_id)
    ).all()
    assert len(first_seen_per_card) == _count(Card)
    assert all(n == 1 for _, n in first_seen_per_card)
    # ...and that first-seen check-in is the card's earliest.
    earliest = dict(db.session.execute(
        db.select(CheckIn.card_id, func.min(CheckIn.created_at)).group_by(CheckIn.card_id)
        .where(CheckIn.card_id.is_not(None))).all())
    rows = db.session.execute(db.select(CheckIn.card_id, CheckIn.created_at).where(CheckIn.first_seen)).all()
    assert all(earliest[card] == at for card, at in rows)
    # Returns exist: some cards were seen at more than one event.
    assert _count(CheckIn, CheckIn.card_id.is_not(None), CheckIn.first_seen.is_(False)) > 0


def test_seed_demo_refuses_a_database_with_data(runner, app):
    assert runner.invoke(args=["seed-demo", "--checkins", "50", "--events", "5"]).exit_code == 0
    events = _count(Event)
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert "déjà des données" in refused.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0
    assert _count(Event) == events


def test_seed_demo_explains_an_unmigrated_database(tmp_path):
    from kiosk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/empty.sqlite3", "SECRET_KEY": "t"})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    with app.app_context():
        db.engine.dispose()
