"""Account rules: creation, password checks. No request object in here."""

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from .. import signals
from ..extensions import db
from ..models import ROLES, User, utcnow

MIN_PASSWORD_LENGTH = 8
PIN_DIGITS = 6
# Per-account backoff: from this many wrong passwords in a row, the account refuses to log in
# for 1, 2, 4, 8 then at most MAX_LOCK_MINUTES minutes, even with the right password.
LOCK_AFTER = 5
MAX_LOCK_MINUTES = 15
_dummy_hashes: dict[str, str] = {}


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
    signals.account_changed.send(user.id)
    return user


def set_pin(user: User, pin: str) -> None:
    from ..i18n import _

    if not (pin.isdigit() and len(pin) == PIN_DIGITS):
        raise AccountError(_("Le code PIN doit compter %(n)d chiffres.", n=PIN_DIGITS))
    user.pin_hash = hash_secret(pin)


def dummy_hash() -> str:
    """Return a hash made once per method, to check against when there is no account.

    Checking costs as much as with a real account; making a hash on each call (as before)
    cost twice that, and told an attacker which e-mails exist (191 vs 98 ms).
    """
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _dummy_hashes:
        _dummy_hashes[method] = hash_secret("not a password")
    return _dummy_hashes[method]


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def verify_password(user: User, password: str) -> bool:
    """Check a user's password with per-account backoff; the caller commits the count."""
    if is_locked(user):
        check_password_hash(dummy_hash(), password)  # the same time as a real check
        return False
    if check_password_hash(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        return True
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= LOCK_AFTER:
        minutes = min(2 ** (user.failed_logins - LOCK_AFTER), MAX_LOCK_MINUTES)
        user.locked_until = utcnow() + timedelta(minutes=minutes)
    return False


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None; a known e-mail takes no longer."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        check_password_hash(dummy_hash(), password)
        return None
    return user if verify_password(user, password) else None


def end_sessions(user: User) -> None:
    """Make every session of this user, on every device, stop working (logout, new password)."""
    user.session_version = (user.session_version or 0) + 1


def load_session_user(user_id: str) -> User | None:
    """Return the user of a session's id ("id.version"), if that session has not been ended."""
    number, _, version = user_id.partition(".")
    if not (number.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(number))
    return user if user is not None and user.session_version == int(version) else None


def check_pin(user: User, pin: str) -> bool:
    """Check the kiosk PIN only (the tablet counts wrong ones)."""
    return bool(user.pin_hash) and check_password_hash(user.pin_hash, pin)
