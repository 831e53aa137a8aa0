"""Staff routes: activities of a structure, the live view's two-tap orientation, printable slips."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..fragments import render_page_or_fragment
from ..i18n import LANGUAGES, _, force_language, text_direction
from ..inputs import parse_id
from ..models import Structure
from ..permissions import HELP, deny, event_or_404, is_coordinator
from . import bp
from .forms import ActivityForm
from .models import Activity
from .services import (
    OrientationError,
    activities_of,
    can_manage_structure,
    checkin_by_uuid,
    orient,
    orientation_by_uuid,
    recent_participations,
    save_activity,
    slip_for,
    structures_for_event,
)
from .slips import slip_context


def _structure_or_404(structure_id: int) -> Structure:
    structure = db.session.get(Structure, structure_id) or abort(404)
    if not can_manage_structure(current_user, structure.id):
        deny("role" if not is_coordinator(current_user) else "territory")
    return structure


@bp.get("/structures/<int:structure_id>/activities")
@login_required
def activities(structure_id: int):
    """List a structure's activities, current ones first."""
    structure = _structure_or_404(structure_id)
    return render_template("orientation/activities.html", structure=structure,
                           activities=activities_of(structure.id, active_only=False))


@bp.route("/structures/<int:structure_id>/activities/new", methods=["GET", "POST"])
@bp.route("/structures/<int:structure_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@login_required
def activity_form(structure_id: int, activity_id: int | None = None):
    """Create or edit one activity of a structure."""
    structure = _structure_or_404(structure_id)
    item = None
    if activity_id is not None:
        item = db.session.get(Activity, activity_id)
        if item is None or item.structure_id != structure.id:
            abort(404)
    form = ActivityForm(obj=item)
    if form.validate_on_submit():
        item = save_activity(item, structure, name=form.name.data, schedule=form.schedule.data,
                             address=form.address.data, public=form.public.data, free=form.free.data,
                             active=form.active.data)
        db.session.commit()
        flash(_("Activité « %(name)s » enregistrée.", name=item.name), "success")
        return redirect(url_for(".activities", structure_id=structure.id), 303)
    return render_template("orientation/activity_form.html", form=form, item=item, structure=structure), (
        400 if form.errors else 200)


@bp.get("/events/<code>/orientations/_recent")
@login_required
def live_recent(code: str):
    """Send the latest participations of the stand, each with an "Orienter" button."""
    event = event_or_404(code, HELP)
    return render_page_or_fragment("orientation/live.html", "orientation/_recent.html", event=event,
                                   rows=recent_participations(event.id))


@bp.route("/events/<code>/orientations/<uuid:checkin_uuid>", methods=["GET", "POST"])
@login_required
def orient_participation(code: str, checkin_uuid):
    """Show the structures and their activities (first tap); record the one tapped (second tap)."""
    event = event_or_404(code, HELP)
    checkin = checkin_by_uuid(checkin_uuid)
    if checkin is None or checkin.event_id != event.id:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            item = orient(checkin, parse_id(request.form.get("structure")), parse_id(request.form.get("activity")),
                          source="animateur", author=current_user)
        except OrientationError as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            return redirect(url_for(".staff_slip", code=event.code, orientation_uuid=item.uuid), 303)
    structures = structures_for_event(event.id)
    return render_template("orientation/choose.html", event=event, checkin=checkin, error=error,
                           choices=[(s, activities_of(s.id)) for s in structures]), 400 if error else 200


def _slip_request(code: str, orientation_uuid):
    """The event, orientation and slip a slip URL names (404 if they do not match), and its language:
    the one asked for, else the resident's, else French."""
    event = event_or_404(code, HELP)
    item = orientation_by_uuid(orientation_uuid)
    if item is None or item.checkin.event_id != event.id:
        abort(404)
    slip = slip_for(item)
    language = request.args.get("lang") if request.args.get("lang") in LANGUAGES else slip.language
    return event, item, slip, language if language in LANGUAGES else "fr"


@bp.get("/events/<code>/orientations/slip/<uuid:orientation_uuid>")
@login_required
def staff_slip(code: str, orientation_uuid):
    """Show an orientation slip on the animateur's screen to print: the card in the resident's language,
    the page around it in the animateur's."""
    event, item, slip, language = _slip_request(code, orientation_uuid)
    with force_language(language):
        card = Markup(render_template("orientation/includes/slip_card.html", **slip_context(slip)))
    return render_template("orientation/slip_page.html", event=event, orientation=item, card=card,
                           slip_lang=language, slip_dir=text_direction(language),
                           print_url=url_for(".print_slip", code=event.code, orientation_uuid=item.uuid, lang=language))


@bp.get("/events/<code>/orientations/slip/<uuid:orientation_uuid>/print")
@login_required
def print_slip(code: str, orientation_uuid):
    """Print an orientation slip as an A6 card, in the resident's language."""
    event, item, slip, language = _slip_request(code, orientation_uuid)
    with force_language(language):
        return render_template("orientation/slip_print.html", slip_lang=language,
                               slip_dir=text_direction(language),
                               back_url=url_for(".staff_slip", code=event.code, orientation_uuid=item.uuid),
                               **slip_context(slip))


@bp.app_template_global()
def orientation_rows(event):
    """The live view's latest participations with their orientations (its include calls this)."""
    return recent_participations(event.id)


@bp.app_template_global()
def language_name(code: str | None) -> str:
    return LANGUAGES.get(code or "", code or "—")
