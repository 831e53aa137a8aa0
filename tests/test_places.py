import pytest

from kiosk.extensions import db
from kiosk.models import Neighbourhood, Structure
from kiosk.places.services import TMVL_NEIGHBOURHOODS, ensure_reference_neighbourhoods, is_valid_qpv_code

from . import factories


@pytest.fixture
def coordinator(app, auth):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(user)
    return user


def _count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def test_reference_neighbourhoods_are_the_13_tmvl_qpv_and_hors_qpv(app):
    assert ensure_reference_neighbourhoods() == 14
    assert ensure_reference_neighbourhoods() == 0
    rows = db.session.execute(db.select(Neighbourhood)).scalars().all()
    assert len([n for n in rows if n.is_qpv]) == 13
    assert {n.name for n in rows if not n.is_qpv} == {"Hors QPV"}
    assert {(n.name, n.commune) for n in rows if n.is_qpv} == set(TMVL_NEIGHBOURHOODS)
    # Official codes are never invented.
    assert all(n.code is None for n in rows)


@pytest.mark.parametrize(
    ("code", "valid"),
    [("QN0371234", True), ("QN037ABCD", True), ("QN03712", False), ("QP0371234", False),
     ("QN03712345", False), ("qn0371234", False), ("QN037-234", False)],
)
def test_qpv_code_form(code, valid):
    assert is_valid_qpv_code(code) is valid


def test_coordinator_creates_a_neighbourhood_with_its_code(client, coordinator):
    response = client.post("/admin/neighbourhoods/new", data={
        "name": "Sanitas", "commune": "Tours", "code": " qn0371234 ", "is_qpv": "y", "active": "y"})
    assert response.status_code == 302
    item = db.session.execute(db.select(Neighbourhood)).scalar_one()
    assert (item.name, item.code, item.is_qpv) == ("Sanitas", "QN0371234", True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "code": ""}, "Indiquez un nom."),
        ({"name": "Europe", "code": "QN12"}, "Le code doit commencer par « QN » suivi de 7"),
        ({"name": "Europe", "code": "QN0379999"}, "déjà attribué"),
    ],
)
def test_bad_neighbourhood_input_is_refused_and_nothing_stored(client, coordinator, data, message):
    factories.gen_neighbourhood(name="Sanitas", code="QN0379999")
    db.session.commit()
    response = client.post("/admin/neighbourhoods/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(Neighbourhood) == 1


def test_editing_keeps_its_own_code(client, coordinator):
    item = factories.gen_neighbourhood(name="Sanitas", code="QN0379999")
    db.session.commit()
    response = client.post(f"/admin/neighbourhoods/{item.id}", data={
        "name": "Sanitas-Rotonde", "commune": "Tours", "code": "QN0379999", "is_qpv": "y", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.name == "Sanitas-Rotonde"


def test_deactivate_and_reactivate(client, coordinator):
    item = factories.gen_structure(name="Centre social")
    db.session.commit()
    client.post(f"/admin/structures/{item.id}/toggle")
    db.session.refresh(item)
    assert item.active is False
    client.post(f"/admin/structures/{item.id}/toggle")
    db.session.refresh(item)
    assert item.active is True


def test_coordinator_creates_a_structure(client, coordinator):
    n = factories.gen_neighbourhood(name="Europe")
    db.session.commit()
    response = client.post("/admin/structures/new", data={
        "name": "Association Lire", "kind": "association", "neighbourhood_id": n.id, "active": "y"})
    assert response.status_code == 302
    item = db.session.execute(db.select(Structure)).scalar_one()
    assert (item.name, item.kind, item.neighbourhood_id) == ("Association Lire", "association", n.id)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "association", "neighbourhood_id": 0}, "Indiquez un nom."),
        ({"name": "Existante", "kind": "association", "neighbourhood_id": 0}, "porte déjà ce nom"),
        ({"name": "Nouvelle", "kind": "secte", "neighbourhood_id": 0}, "pas un choix valide"),
    ],
)
def test_bad_structure_input_is_refused(client, coordinator, data, message):
    factories.gen_structure(name="Existante")
    db.session.commit()
    response = client.post("/admin/structures/new", data=data)
    assert response.status_code == 400
    assert _count(Structure) == 1
    assert message in response.get_data(as_text=True)
