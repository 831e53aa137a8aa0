import pytest

from kiosk.auth.services import AccountError, authenticate, check_pin, create_user, set_pin
from kiosk.extensions import db
from kiosk.models import User

from . import factories


def test_login_and_logout(client, auth, app):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    response = auth.login(user.email)
    assert response.status_code == 302
    assert client.get("/events/").status_code == 200
    auth.logout()
    assert client.get("/events/").status_code == 302


def test_wrong_password_is_refused_in_french(client, auth, app):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    response = auth.login(user.email, "nope-nope-nope")
    assert response.status_code == 400
    assert "E-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/events/").status_code == 302


def test_inactive_account_cannot_log_in(app, auth):
    user = factories.gen_user(role="coordinator")
    user.active = False
    db.session.commit()
    assert auth.login(user.email).status_code == 400


def test_email_is_case_insensitive(app):
    user = factories.gen_user(role="coordinator", email="Claire@Example.org")
    assert user.email == "claire@example.org"
    assert authenticate("CLAIRE@example.org ", factories.PASSWORD) == user


def test_password_is_hashed(app):
    user = factories.gen_user(role="coordinator")
    assert factories.PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "au moins 8 caractères"),
        ({"email": "not-an-email"}, "Adresse e-mail invalide"),
        ({"role": "admin"}, "Rôle inconnu"),
        ({"role": "animateur", "structure_id": None}, "rattaché à une structure"),
    ],
)
def test_account_rules(app, kwargs, message):
    values = {"name": "A", "email": "a@example.org", "password": "long enough", "role": "coordinator"}
    values.update(kwargs)
    with pytest.raises(AccountError, match=message):
        create_user(**values)
    assert db.session.execute(db.select(User)).first() is None


def test_a_pin_has_six_digits(app):
    user = factories.gen_user()
    set_pin(user, "246810")
    assert check_pin(user, "246810")
    assert not check_pin(user, "135790")
    assert not check_pin(user, factories.PASSWORD)
    for wrong in ("12", "2468", "1234567", "24681a"):
        with pytest.raises(AccountError, match="6 chiffres"):
            set_pin(user, wrong)


def test_login_is_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    statuses = [
        client.post("/auth/login", data={"email": "x@example.org", "password": "bad"}).status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    assert "Trop de tentatives" in client.post("/auth/login", data={"email": "x@example.org"}).get_data(
        as_text=True
    )


def test_login_redirects_only_to_local_pages(client, auth, app):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    response = client.post("/auth/login?next=https://evil.example/", data={"email": user.email,
                                                                          "password": factories.PASSWORD})
    assert response.headers["Location"] == "/events/"


def test_create_user_command(runner, app):
    result = runner.invoke(
        args=["create-user", "--name", "Claire", "--email", "c@example.org", "--role", "coordinator",
              "--password", "long enough"]
    )
    assert result.exit_code == 0, result.output
    assert "Compte créé" in result.output
    assert authenticate("c@example.org", "long enough") is not None


def test_create_user_command_reports_errors(runner, app):
    result = runner.invoke(
        args=["create-user", "--name", "C", "--email", "c@example.org", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "au moins 8 caractères" in result.output


def test_forms_require_a_csrf_token(csrf_client):
    response = csrf_client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_a_login_with_the_forms_csrf_token_goes_through(csrf_client):
    user = factories.gen_user(role="coordinator")
    token = csrf_client.csrf_token("/auth/login")
    response = csrf_client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD,
                                                     "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/"
