"""Routes of a structure's reception: open it on a tablet, record visits, leave it with the PIN."""

import uuid as uuid_module
from datetime import datetime, time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_login import current_user, login_required, logout_user

from ..auth.login import start_session
from ..checkin.tablets import PIN_LOCKED, UNLOCKED, unlock_tablet
from ..events.services import local_to_utc, utc_to_local
from ..extensions import db, limiter
from ..i18n import _
from ..inputs import parse_id
from ..models import Structure, User, utcnow
from ..orientation.services import activities_of, can_manage_structure
from ..permissions import allowed, can_use_reception, deny, is_coordinator, manageable_structures_condition
from ..places.services import active_neighbourhoods
from . import bp
from .lock import SESSION_KEY, bind_reception, bound_structure_id, reception_binding
from .models import ReceptionTablet
from .services import DUPLICATE, ReceptionError, parse_profile, record_visit, visits_today


def _structure_for_staff(structure_id: int) -> Structure:
    structure = db.session.get(Structure, structure_id) or abort(404)
    if not can_manage_structure(current_user, structure.id):
        deny("role" if not is_coordinator(current_user) else "territory")
    return structure


def _reception_structure(structure_id: int) -> tuple[Structure, int | None]:
    """Return the structure this browser may receive for (bound tablet or its staff), and who records."""
    if bound_structure_id() == structure_id:
        return db.session.get(Structure, structure_id) or abort(404), reception_binding().user_id
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=request.path)))
    return _structure_for_staff(structure_id), current_user.id


@bp.get("/")
@allowed(can_use_reception, "role")
def index():
    """List the receptions this account may open: its territory's structures for a coordinator, its own otherwise."""
    query = db.select(Structure).where(Structure.active.is_(True), manageable_structures_condition(current_user))
    query = query.order_by(Structure.name)
    return render_template("reception/index.html", structures=list(db.session.execute(query).scalars()))


@bp.post("/<int:structure_id>/open")
@login_required
def open_tablet(structure_id: int):
    """Bind this tablet to the structure's reception and log the staff member out of it."""
    structure = _structure_for_staff(structure_id)
    if not structure.active:
        flash(_("Cette structure est désactivée."), "error")
        return redirect(url_for(".index"), 303)
    session[SESSION_KEY] = bind_reception(structure, current_user)
    db.session.commit()
    logout_user()
    return redirect(url_for(".screen", structure_id=structure.id), 303)


@bp.route("/<int:structure_id>", methods=["GET", "POST"])
def screen(structure_id: int):
    """Show the reception screen; record a visit (a card scanned, or none) with its kind."""
    structure, user_id = _reception_structure(structure_id)
    error = None
    if request.method == "POST":
        form = request.form
        try:
            visit_uuid = uuid_module.UUID(form.get("visit", ""))
        except ValueError:
            visit_uuid = None
        try:
            if visit_uuid is None:
                raise ReceptionError(_("Ce formulaire n'est plus valable. Rechargez la page."))
            result = record_visit(
                structure.id, visit_uuid=visit_uuid, card_code=form.get("code", "")[:200],
                kind=form.get("kind", ""), activity_id=parse_id(form.get("activity")),
                profile=parse_profile(form.get("age_band"), form.get("gender"), form.get("residence")),
                user_id=user_id)
        except ReceptionError as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            session["reception_last"] = {"outcome": result.outcome, "history": _history_dict(result.history)}
            return redirect(url_for(".screen", structure_id=structure.id), 303)
    last = session.pop("reception_last", None)
    midnight = local_to_utc(datetime.combine(utc_to_local(utcnow()).date(), time.min))
    return render_template(
        "reception/screen.html", structure=structure, error=error, last=last, duplicate=DUPLICATE,
        visit_uuid=uuid_module.uuid4(), activities=activities_of(structure.id),
        neighbourhoods=active_neighbourhoods(), visits=visits_today(structure.id, since=midnight),
        bound=bound_structure_id() == structure.id, form=request.form if error else {},
    ), 400 if error else 200


def _history_dict(history) -> dict | None:
    if history is None:
        return None
    return {"met_outside": history.met_outside,
            "first": format_date(utc_to_local(history.first_checkin_at), "d MMMM y") if history.met_outside else None,
            "where": history.first_neighbourhood, "participations": history.outreach_participations,
            "oriented": history.orientations_here, "visits": history.visits_here}


def _tablet_key() -> str:
    binding = reception_binding()
    return f"reception:{binding.tablet_id}" if binding else f"address:{request.remote_addr}"


@bp.route("/<int:structure_id>/unlock", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["KIOSK_UNLOCK_RATE_LIMIT"], key_func=_tablet_key, methods=["POST"])
def unlock(structure_id: int):
    """Ask the staff member's PIN or password, then log them back in."""
    binding = reception_binding()
    if binding is None:
        return redirect(url_for("core.index"))
    if int(binding.event_code) != structure_id:
        return redirect(url_for(".unlock", structure_id=int(binding.event_code)))
    error = None
    if request.method == "POST":
        outcome = unlock_tablet(binding, request.form.get("secret", "")[:200], tablet_model=ReceptionTablet,
                                pin_attempts=current_app.config["KIOSK_PIN_ATTEMPTS"])
        db.session.commit()
        if outcome == UNLOCKED:
            session.pop(SESSION_KEY, None)
            start_session(db.session.get(User, binding.user_id))
            return redirect(url_for(".index"), 303)
        error = (_("Trop de codes PIN faux sur cette tablette. Déverrouillez-la avec votre mot de passe.")
                 if outcome == PIN_LOCKED else _("Code incorrect. L'accueil reste verrouillé."))
    return render_template("reception/unlock.html", structure_id=structure_id, error=error), 403 if error else 200
