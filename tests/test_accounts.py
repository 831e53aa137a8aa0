import pytest
from werkzeug.security import check_password_hash

from kiosk.auth.services import authenticate, check_pin
from kiosk.extensions import db
from kiosk.models import User

from . import factories


@pytest.fixture
def coordinator(app, auth):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(user)
    return user


def _users():
    return db.session.execute(db.select(User).order_by(User.id)).scalars().all()


def test_coordinator_creates_an_animateur(client, coordinator):
    structure = factories.gen_structure()
    db.session.commit()
    response = client.post("/admin/users/new", data={
        "name": "Nadia", "email": "nadia@example.org", "role": "animateur", "structure_id": structure.id,
        "password": "assez long", "active": "y"})
    assert response.status_code == 302
    assert authenticate("nadia@example.org", "assez long").structure_id == structure.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "animateur", "structure_id": 0, "password": "assez long"}, "rattaché à une structure"),
        ({"role": "coordinator", "structure_id": 0, "password": ""}, "Choisissez un mot de passe"),
        ({"role": "coordinator", "structure_id": 0, "password": "court"}, "Au moins 8 caractères"),
        ({"role": "chef", "structure_id": 0, "password": "assez long"}, "pas un choix valide"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_stored(client, coordinator, data, message):
    response = client.post("/admin/users/new", data={"name": "N", "email": "n@example.org", "active": "y", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(_users()) == 1


def test_deactivating_an_account_blocks_its_login(client, coordinator):
    other = factories.gen_user()
    db.session.commit()
    response = client.post(f"/admin/users/{other.id}", data={
        "name": other.name, "email": other.email, "role": "animateur", "structure_id": other.structure_id,
        "password": ""})
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.active is False
    assert authenticate(other.email, factories.PASSWORD) is None


def test_a_coordinator_cannot_lock_themselves_out(client, coordinator):
    response = client.post(f"/admin/users/{coordinator.id}", data={
        "name": coordinator.name, "email": coordinator.email, "role": "animateur",
        "structure_id": 0, "password": "", "active": "y"})
    assert response.status_code == 400
    db.session.refresh(coordinator)
    assert coordinator.role == "coordinator"


def test_user_sets_own_pin_and_password(client, auth, app):
    user = factories.gen_user()
    db.session.commit()
    auth.login_as(user)
    refused = client.post("/account", data={"current": "faux", "pin": "135790"})
    assert refused.status_code == 400 and "Mot de passe actuel incorrect." in refused.get_data(as_text=True)
    response = client.post("/account", data={"current": factories.PASSWORD, "new_password": "nouveau secret",
                                             "confirm": "nouveau secret", "pin": "135790"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert check_pin(user, "135790")
    assert check_password_hash(user.password_hash, "nouveau secret")


def test_pin_must_be_digits(client, auth, app):
    user = factories.gen_user()
    db.session.commit()
    auth.login_as(user)
    response = client.post("/account", data={"current": factories.PASSWORD, "pin": "12ab"})
    assert response.status_code == 400
    assert "6 chiffres." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.pin_hash is None
