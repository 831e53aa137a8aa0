from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from ..extensions import db, limiter
from ..i18n import _
from ..permissions import home_endpoint, uses_kiosk
from . import bp
from .forms import LoginForm
from .login import start_session
from .services import authenticate, end_sessions


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    # Browsers read "/\\host" as "//host", and a control character cannot go into a Location header.
    if (target and target.startswith("/") and not target.startswith("//") and urlsplit(target).netloc == ""
            and "\\" not in target and target.isprintable()):
        return target
    return url_for(home_endpoint(current_user))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        db.session.commit()  # the count of wrong passwords, or its reset
        if user:
            start_session(user)
            if user.pin_hash is None and uses_kiosk(user):
                flash(_("Les codes PIN du kiosque ont maintenant 6 chiffres. Choisissez le vôtre dans "
                        "« Mon compte » : il sert à quitter le mode kiosque."), "info")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mail ou mot de passe incorrect."))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Log the current user out, on every device: a copy of the session cookie stops working too."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("auth.login"))
