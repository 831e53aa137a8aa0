"""Account changes made by coordinators and by each user; rules only, no request."""


from .. import permissions, signals
from ..auth.services import (
    AccountError,
    check_email,
    create_user,
    end_sessions,
    find_user_by_email,
    hash_secret,
    normalise_email,
    set_pin,
    verify_password,
)
from ..extensions import db
from ..models import CITIES, User


def list_users(acting: User | None = None) -> list[User]:
    """Accounts, those the acting coordinator's territory covers when given."""
    query = db.select(User).order_by(User.active.desc(), User.name)
    if acting is not None:
        query = query.where(permissions.accounts_condition(acting))
    return list(db.session.execute(query).scalars())


def active_volunteers() -> list[User]:
    """Volunteer accounts an event may be given to, by name."""
    return list(db.session.execute(db.select(User).where(User.role == "benevole", User.active.is_(True))
                                   .order_by(User.name)).scalars())


def save_user(user: User | None, *, name: str, email: str, role: str, structure_id: int | None,
              password: str | None, active: bool, acting: User, city: str | None = None,
              translator: bool = False) -> User:
    """Create or update an account as a coordinator; AccountError carries a French message.

    A city changed takes effect at the account's next request (permissions are read per
    request): its session goes on, with the new territory's pages.
    """
    from ..i18n import _

    if city and city not in CITIES:
        raise AccountError(_("Territoire inconnu : %(city)s.", city=city))
    city = city or None
    granted_city = permissions.territory(acting) if role == "animateur" else city  # an animateur's: its structure's
    if not permissions.can_grant(acting, role=role, city=granted_city):
        raise AccountError(_("Vous ne pouvez pas donner ce rôle ou ce territoire."))
    if user is None:
        if not password:
            raise AccountError(_("Choisissez un mot de passe pour le nouveau compte."))
        user = create_user(name=name, email=email, password=password, role=role, structure_id=structure_id)
        user.active, user.city, user.translator = active, city, translator
        return user
    check_email(email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError(_("Un compte existe déjà pour cette adresse."))
    if role == "animateur" and structure_id is None:
        raise AccountError(_("Un animateur doit être rattaché à une structure."))
    if user.id == acting.id and (role != user.role or not active):
        # A coordinator cannot lock themselves out; another coordinator can.
        raise AccountError(_("Vous ne pouvez pas retirer votre propre rôle ni désactiver votre compte."))
    if password or role != user.role or (user.active and not active):
        end_sessions(user)  # a new password or fewer rights: the sessions opened before end
    user.name, user.email, user.role = name.strip(), normalise_email(email), role
    user.structure_id, user.active, user.city, user.translator = structure_id, active, city, translator
    if password:
        user.password_hash = hash_secret(password)
        user.failed_logins, user.locked_until = 0, None
    db.session.flush()
    signals.account_changed.send(user.id)  # stands pull their staff's hashes
    return user


def update_own_account(user: User, *, current: str, new_password: str | None, pin: str | None) -> None:
    """Change one's password or PIN; a wrong current password counts towards the account's backoff.

    A new password ends every session of the user (the caller starts this one again).
    AccountError is raised before anything but that count has changed.
    """
    from ..i18n import _

    if not verify_password(user, current):
        raise AccountError(_("Mot de passe actuel incorrect."))
    if pin:
        set_pin(user, pin)
    if new_password:
        user.password_hash = hash_secret(new_password)
        end_sessions(user)
    db.session.flush()
    signals.account_changed.send(user.id)


def mirror_user(*, uuid, name: str, email: str, role: str, structure_id: int | None,
                password_hash: str, pin_hash: str | None, active: bool, city: str | None = None) -> User:
    """Keep a staff account as the central server has it, hashes only (a stand's pull)."""
    user = (db.session.execute(db.select(User).where(User.uuid == uuid)).scalar()
            or find_user_by_email(email) or User())
    if user.id is not None and user.password_hash != password_hash:
        end_sessions(user)  # a password changed centrally ends the stand's sessions too
    user.uuid, user.name, user.email, user.role = uuid, name, normalise_email(email), role
    user.structure_id, user.password_hash, user.pin_hash, user.active = structure_id, password_hash, pin_hash, active
    user.city = city if city in CITIES else None
    db.session.add(user)
    db.session.flush()
    return user
