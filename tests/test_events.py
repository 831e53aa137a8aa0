from datetime import datetime, timedelta

import pytest

from kiosk.events.services import EventError, close_event, list_events, local_to_utc, open_event
from kiosk.extensions import db
from kiosk.models import Event, utcnow

from . import factories


@pytest.fixture
def animateur(app, auth):
    user = factories.gen_user()
    db.session.commit()
    auth.login_as(user)
    return user


def _form(nid, **kw):
    tomorrow = (datetime.now() + timedelta(days=1)).replace(hour=14, minute=0)
    data = {
        "title": "Pied d'immeuble",
        "neighbourhood_id": nid,
        "starts_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (tomorrow + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place_label": "12 rue Saint-Paul",
        "theme": "Cadre de vie",
        "interpreter_languages": ["ar", "tr"],
        "childcare_offered": "y",
    }
    data.update(kw)
    return data


def _events():
    return db.session.execute(db.select(Event)).scalars().all()


def test_animateur_creates_an_event_for_their_structure(client, animateur):
    other = factories.gen_structure()
    db.session.commit()
    response = client.post("/events/new", data=_form(animateur.structure.neighbourhood_id,
                                                     structure_id=other.id, partner_ids=[other.id]))
    assert response.status_code == 302
    event = db.session.execute(db.select(Event)).scalar_one()
    assert event.structure_id == animateur.structure_id  # not the one posted
    assert event.status == "draft"
    assert event.language_codes == ["ar", "tr"]
    assert event.childcare_offered is True
    assert [p.id for p in event.partners] == [other.id]
    assert len(event.code) == 6
    assert response.headers["Location"].endswith(f"/events/{event.code}")


def test_times_are_stored_in_utc(client, animateur):
    client.post("/events/new", data=_form(animateur.structure.neighbourhood_id,
                                          starts_at="2026-07-01T14:00", ends_at="2026-07-01T17:00"))
    event = _events()[0]
    # Paris is UTC+2 in summer.
    assert event.starts_at == datetime(2026, 7, 1, 12, 0)
    assert local_to_utc(datetime(2026, 1, 1, 14, 0)) == datetime(2026, 1, 1, 13, 0)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"title": ""}, "Donnez un titre"),
        ({"neighbourhood_id": 0}, "Choisissez le quartier"),
        ({"ends_at": "2020-01-01T10:00"}, "La fin doit être après le début."),
        ({"starts_at": "demain"}, "pas une date/heure valide"),
        ({"neighbourhood_id": 99999}, "pas un choix valide"),
        ({"ends_at": ""}, "Indiquez la date et l'heure de fin."),
    ],
)
def test_bad_event_input_is_refused_in_french_and_nothing_stored(client, animateur, override, message):
    response = client.post("/events/new", data=_form(animateur.structure.neighbourhood_id, **override))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _events() == []


def test_open_then_close(client, animateur):
    event = factories.gen_event(structure=animateur.structure, status="draft")
    db.session.commit()
    assert client.post(f"/events/{event.code}/open").status_code == 303
    db.session.refresh(event)
    assert event.status == "open" and event.opened_at is not None
    client.post(f"/events/{event.code}/close")
    db.session.refresh(event)
    assert event.status == "closed" and event.closed_at is not None


def test_a_closed_event_cannot_be_reopened_or_edited(app):
    event = factories.gen_event(status="open")
    close_event(event)
    with pytest.raises(EventError, match="clôturée"):
        open_event(event)
    with pytest.raises(EventError):
        close_event(event)


def test_edit_updates_the_event(client, animateur):
    event = factories.gen_event(structure=animateur.structure, status="draft")
    db.session.commit()
    page = client.get(f"/events/{event.code}/edit").get_data(as_text=True)
    assert "Café des habitants" in page
    response = client.post(f"/events/{event.code}/edit",
                           data=_form(event.neighbourhood_id, title="Nouveau titre", express_mode="y"))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Nouveau titre" and event.express_mode is True


def test_lists_today_upcoming_and_past(app):
    user = factories.gen_user(role="coordinator")
    now = utcnow()
    today = factories.gen_event(title="today", starts_at=now, ends_at=now + timedelta(hours=1))
    soon = factories.gen_event(title="soon", starts_at=now + timedelta(days=3),
                               ends_at=now + timedelta(days=3, hours=2), status="draft")
    past = factories.gen_event(title="past", starts_at=now - timedelta(days=3),
                               ends_at=now - timedelta(days=3) + timedelta(hours=2), status="closed")
    assert list_events(user, "today") == [today]
    assert list_events(user, "upcoming") == [soon]
    assert list_events(user, "past") == [past]


def test_list_fragment_for_htmx(client, animateur):
    factories.gen_event(structure=animateur.structure, title="Marché du samedi")
    db.session.commit()
    full = client.get("/events/?when=today").get_data(as_text=True)
    fragment = client.get("/events/?when=today", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "Marché du samedi" in full
    assert "<html" not in fragment and "Marché du samedi" in fragment
