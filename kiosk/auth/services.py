"""Account rules: creation, password checks. No request object in here."""

import re

from flask import current_app
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, User

MIN_PASSWORD_LENGTH = 8


def hash_secret(secret: str) -> str:
    # Tests lower the cost through config; production keeps werkzeug's default (scrypt).
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(secret, method=method)


class AccountError(ValueError):
    """A rule about accounts was broken; the message is for the user."""


# One @, something before it, a dotted domain after it, no spaces: what a typo usually breaks.
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> None:
    """Raise AccountError unless `email` looks like an address mail can reach."""
    from ..i18n import _

    if len(normalise_email(email)) > 254 or not EMAIL.match(normalise_email(email)):
        raise AccountError(_("Adresse e-mail invalide."))


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def create_user(
    *, name: str, email: str, password: str, role: str, structure_id: int | None = None,
    pin: str | None = None,
) -> User:
    """Create an account; raise AccountError with a French message on bad input."""
    from ..i18n import _

    if role not in ROLES:
        raise AccountError(_("Rôle inconnu : %(role)s.", role=role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Le mot de passe doit contenir au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH)
        )
    check_email(email)
    if find_user_by_email(email):
        raise AccountError(_("Un compte existe déjà pour cette adresse."))
    if role == "animateur" and structure_id is None:
        raise AccountError(_("Un animateur doit être rattaché à une structure."))
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_secret(password),
        role=role,
        structure_id=structure_id,
    )
    if pin:
        set_pin(user, pin)
    db.session.add(user)
    db.session.flush()
    return user


def set_pin(user: User, pin: str) -> None:
    from ..i18n import _

    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise AccountError(_("Le code PIN doit compter de 4 à 8 chiffres."))
    user.pin_hash = hash_secret(pin)


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        # Hash anyway so a wrong e-mail takes as long as a wrong password.
        check_password_hash(hash_secret("x"), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def check_secret(user: User, secret: str) -> bool:
    """Accept the user's PIN or password: what unlocks kiosk mode."""
    if user.pin_hash and check_password_hash(user.pin_hash, secret):
        return True
    return check_password_hash(user.password_hash, secret)
