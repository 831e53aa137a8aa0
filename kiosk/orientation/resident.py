"""The resident's optional last question, after the check-in: "an activity near you?", then the slip.

Nested in the kiosk's blueprint (endpoints ``checkin.orient.*``): a locked tablet reaches these
screens, they read the resident's language and are never cached, like every kiosk screen.
Only a check-in of this event, live and made in the last minutes, can be oriented here.
"""

from flask import abort, redirect, render_template, request, url_for

from ..checkin.context import Refusal, language, load_event, render_screen
from ..extensions import db
from ..i18n import _, force_language, text_direction
from ..inputs import parse_id
from ..models import Structure
from . import resident_bp as bp
from .services import (
    OrientationError,
    activities_of,
    checkin_by_uuid,
    orient,
    orientation_by_uuid,
    resident_may_orient,
    slip_for,
    structures_for_event,
)
from .slips import slip_context

PREFIX = "/<any(kiosk, e):mode>/<code>/orientation/<uuid:checkin_uuid>"


def _own_checkin(event, checkin_uuid):
    checkin = checkin_by_uuid(checkin_uuid)
    if not resident_may_orient(checkin, event.id):
        raise Refusal(410, _("Cette page n'est plus valable. Recommencez depuis l'accueil."))
    return checkin


@bp.get(PREFIX)
def ask(mode: str, code: str, checkin_uuid):
    """Ask "Do you want to know an activity near you?" and show the places to choose from."""
    event = load_event(mode, code)
    checkin = _own_checkin(event, checkin_uuid)
    return render_screen("orientation/_ask.html", mode=mode, code=event.code, event=event, checkin=checkin,
                         structures=structures_for_event(event.id))


@bp.route(PREFIX + "/<int:structure_id>", methods=["GET", "POST"])
def choose(mode: str, code: str, checkin_uuid, structure_id: int):
    """Show one place's activities; record the resident's choice and show the slip."""
    event = load_event(mode, code)
    checkin = _own_checkin(event, checkin_uuid)
    structure = db.session.get(Structure, structure_id)
    if structure is None or not structure.active:
        raise Refusal(404, _("Ce lieu n'accueille plus de public. Choisissez-en un autre."))
    if request.method == "POST":
        try:
            item = orient(checkin, structure.id, parse_id(request.form.get("activity")), source="resident")
        except OrientationError as refusal:
            db.session.rollback()
            raise Refusal(400, str(refusal)) from None
        db.session.commit()
        if request.htmx:
            return slip(mode, event.code, checkin_uuid, item.uuid)
        return redirect(url_for(".slip", mode=mode, code=event.code, checkin_uuid=checkin.uuid,
                                orientation_uuid=item.uuid), 303)
    return render_screen("orientation/_activities.html", mode=mode, code=event.code, event=event,
                         checkin=checkin, structure=structure, activities=activities_of(structure.id))


def _own_orientation(event, checkin_uuid, orientation_uuid):
    checkin = _own_checkin(event, checkin_uuid)
    item = orientation_by_uuid(orientation_uuid)
    if item is None or item.checkin_id != checkin.id:
        abort(404)
    return item


@bp.get(PREFIX + "/slip/<uuid:orientation_uuid>")
def slip(mode: str, code: str, checkin_uuid, orientation_uuid):
    """Show the orientation slip on screen, to photograph or to print on the stand."""
    event = load_event(mode, code)
    item = _own_orientation(event, checkin_uuid, orientation_uuid)
    return render_screen("orientation/_slip.html", mode=mode, code=event.code, event=event, checkin=item.checkin,
                         orientation=item, **slip_context(slip_for(item)))


@bp.get(PREFIX + "/slip/<uuid:orientation_uuid>/print")
def print_slip(mode: str, code: str, checkin_uuid, orientation_uuid):
    """Print the slip as an A6 card, in the resident's language."""
    event = load_event(mode, code)
    item = _own_orientation(event, checkin_uuid, orientation_uuid)
    lang = language()
    with force_language(lang):
        return render_template("orientation/slip_print.html", slip_lang=lang, slip_dir=text_direction(lang),
                               back_url=url_for("checkin.welcome", mode=mode, code=event.code),
                               **slip_context(slip_for(item)))
