"""Typed input is checked: plausible years, real-looking e-mails on every account, one name per structure."""

from datetime import datetime, timedelta

import pytest

from kiosk.accounts.services import save_user
from kiosk.auth.services import AccountError, create_user
from kiosk.extensions import db
from kiosk.models import Event, Structure, User
from kiosk.stats.filters import read_filters

from . import factories


@pytest.fixture
def coordinator(app, auth):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(user)
    return user


def _event_form(nid, starts: str, ends: str) -> dict:
    return {"title": "Pied d'immeuble", "neighbourhood_id": nid, "starts_at": starts, "ends_at": ends}


@pytest.mark.parametrize(("starts", "ends"), [
    ("0202-05-12T14:00", "0202-05-12T17:00"),  # 2026 typed with a slip of the finger
    ("2026-05-12T14:00", "20260-05-12T17:00"),
    ("1999-05-12T14:00", "1999-05-12T17:00"),
])
def test_an_event_in_an_implausible_year_is_refused(client, auth, starts, ends):
    animateur = factories.gen_user()
    db.session.commit()
    auth.login_as(animateur)
    response = client.post("/events/new", data=_event_form(animateur.structure.neighbourhood_id, starts, ends))
    assert response.status_code == 400
    assert db.session.execute(db.select(Event)).first() is None


def test_an_event_next_year_is_accepted(client, auth):
    animateur = factories.gen_user()
    db.session.commit()
    auth.login_as(animateur)
    starts = datetime.now().replace(hour=14, minute=0) + timedelta(days=365)
    response = client.post("/events/new", data=_event_form(
        animateur.structure.neighbourhood_id, starts.strftime("%Y-%m-%dT%H:%M"),
        (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code in (302, 303)


@pytest.mark.parametrize("typed", ["01/05/0202", "0202-05-01", "1999-12-31", "01/01/2100"])
def test_a_statistics_period_in_an_implausible_year_is_refused(app, typed):
    with app.test_request_context():
        selection = read_filters({"from": typed})
    assert not selection.valid
    assert f"« {typed} » : choisissez une date entre 2000 et 2099" in selection.errors["from"]


def test_the_statistics_page_says_why_in_french(client, coordinator):
    page = client.get("/stats/?from=01/05/0202").get_data(as_text=True)
    assert "« 01/05/0202 » : choisissez une date entre 2000 et 2099." in page


@pytest.mark.parametrize("email", ["nadia", "nadia@", "@example.org", "nadia@example", "na dia@example.org",
                                   "nadia@@example.org", "nadia@example..org"])
def test_an_edited_account_keeps_a_valid_email(client, coordinator, email):
    other = factories.gen_user()
    db.session.commit()
    before = other.email
    response = client.post(f"/admin/users/{other.id}", data={
        "name": other.name, "email": email, "role": "animateur", "structure_id": other.structure_id,
        "password": "", "active": "y"})
    assert response.status_code == 400
    assert "Adresse e-mail invalide" in response.get_data(as_text=True)
    db.session.refresh(other)
    assert other.email == before


def test_services_refuse_a_bad_email_on_creation_and_edit(app):
    coordinator = factories.gen_user(role="coordinator")
    with pytest.raises(AccountError):
        create_user(name="N", email="n@localhost", password="assez long", role="coordinator")
    with pytest.raises(AccountError):
        save_user(coordinator, name="N", email="pas une adresse", role="coordinator", structure_id=None,
                  password=None, active=True, acting=coordinator)
    assert db.session.execute(db.select(User.email)).scalars().all() == [coordinator.email]


@pytest.mark.parametrize("typed", ["centre social du sanitas", "CENTRE SOCIAL DU SANITAS",
                                   "Centre  social du Sanitas ", "Centre social du SANITAS"])
def test_structure_names_differing_only_by_case_or_spacing_are_one_name(client, coordinator, typed):
    factories.gen_structure(name="Centre social du Sanitas")
    db.session.commit()
    response = client.post("/admin/structures/new", data={"name": typed, "kind": "centre_social",
                                                          "neighbourhood_id": 0, "active": "y"})
    assert response.status_code == 400
    assert "porte déjà ce nom" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Structure)).scalar_one() == 1


def test_a_structure_keeps_its_own_name_with_another_case(client, coordinator):
    structure = factories.gen_structure(name="Éveil et partage")
    db.session.commit()
    response = client.post(f"/admin/structures/{structure.id}", data={
        "name": "ÉVEIL ET PARTAGE", "kind": "association", "neighbourhood_id": 0, "active": "y"})
    assert response.status_code in (302, 303)
    other = client.post("/admin/structures/new", data={"name": "éveil et partage", "kind": "association",
                                                       "neighbourhood_id": 0, "active": "y"})
    assert other.status_code == 400
