from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import permissions
from ..auth.login import start_session
from ..auth.services import AccountError
from ..extensions import db, limiter
from ..i18n import _
from ..models import CITIES, User
from ..permissions import coordinator_required
from ..places.services import active_structures
from . import bp
from .forms import OwnAccountForm, UserForm
from .services import list_users, save_user, update_own_account


@bp.get("/admin/users")
@coordinator_required
def users():
    """List staff accounts."""
    return render_template("accounts/users.html", users=list_users(current_user))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@coordinator_required
def user_form(user_id: int | None = None):
    """Create or edit a staff account."""
    user = (db.session.get(User, user_id) or abort(404)) if user_id else None
    if not permissions.can_manage_account(current_user, user):
        permissions.deny("territory")
    covered = permissions.territory(current_user)
    form = UserForm(obj=user, structures=[s for s in active_structures()
                                          if permissions.can_manage_structure_record(current_user, s)],
                    cities=[covered] if covered else CITIES, metropole=covered is None)
    if user is not None and not form.is_submitted():
        form.structure_id.data = user.structure_id or 0
        form.city.data = user.city or ""
        form.password.data = ""
    if form.validate_on_submit():
        try:
            user = save_user(user, name=form.name.data, email=form.email.data, role=form.role.data,
                             structure_id=form.structure_id.data or None, password=form.password.data,
                             active=form.active.data, acting=current_user, city=form.city.data or None,
                             translator=form.translator.data)
        except AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            if user.id == current_user.id:
                start_session(user)  # a coordinator who changed their own password stays logged in here
            flash(_("Compte de %(name)s enregistré.", name=user.name), "success")
            return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=user), 400 if form.errors else 200


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    # Per account, not per address: whoever holds a stolen session is slowed down wherever they are.
    return f"account:{getattr(current_user, 'id', None)}"


@bp.route("/account", methods=["GET", "POST"])
@login_required
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
def own_account():
    """Change one's own password and kiosk PIN."""
    form = OwnAccountForm()
    if form.validate_on_submit():
        try:
            update_own_account(current_user, current=form.current.data, new_password=form.new_password.data,
                               pin=form.pin.data)
        except AccountError as exc:
            db.session.commit()  # only the count of wrong passwords changed: it must stay
            form.current.errors.append(str(exc))
        else:
            db.session.commit()
            # The new session version here; other devices are logged out. The user, not the proxy,
            # or Flask-Login's current_user would point at itself.
            start_session(current_user._get_current_object())
            flash(_("Vos réglages sont enregistrés."), "success")
            return redirect(url_for(".own_account"))
    return render_template("accounts/own.html", form=form), 400 if form.errors else 200
