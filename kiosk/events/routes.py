from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import permissions
from ..accounts.services import active_volunteers
from ..extensions import db
from ..fragments import render_page_or_fragment
from ..i18n import _
from ..permissions import MANAGE, event_or_404
from ..places.services import active_neighbourhoods, active_structures
from . import bp
from .forms import EventForm
from .services import (
    EventData,
    EventError,
    close_event,
    close_finished_events,
    create_event,
    list_events,
    local_to_utc,
    open_event,
    update_event,
    utc_to_local,
)

TABS = ("today", "upcoming", "past")


@bp.before_app_request
def close_finished():
    """Close the events nobody closed before a staff page shows one: their check-in window is over."""
    # The live view's poll stays one small query: its page, the lists and the cron close instead.
    if (request.blueprint in ("events", "stand") and request.endpoint != "stand.live_panel"
            and current_user.is_authenticated and close_finished_events()):
        db.session.commit()


def _form(event=None) -> EventForm:
    form = EventForm(
        obj=event,
        neighbourhoods=[n for n in active_neighbourhoods() if permissions.can_place_event(current_user, n)],
        structures=active_structures(),
        owners=[s for s in active_structures() if permissions.can_manage_structure_record(current_user, s)]
        if permissions.chooses_event_structure(current_user) else None,
        volunteers=active_volunteers(),
        with_structure=permissions.chooses_event_structure(current_user),
    )
    if event is not None and not form.is_submitted():
        form.starts_at.data = utc_to_local(event.starts_at)
        form.ends_at.data = utc_to_local(event.ends_at)
        form.partner_ids.data = [p.id for p in event.partners]
        form.volunteer_ids.data = [v.id for v in event.volunteers]
        form.interpreter_languages.data = event.language_codes
        if "structure_id" in form:
            form.structure_id.data = event.structure_id or 0
    return form


def _data(form: EventForm) -> EventData:
    return EventData(
        title=form.title.data,
        theme=form.theme.data or "",
        place_label=form.place_label.data or "",
        neighbourhood_id=form.neighbourhood_id.data,
        structure_id=(form.structure_id.data or None) if "structure_id" in form else None,
        starts_at=local_to_utc(form.starts_at.data),
        ends_at=local_to_utc(form.ends_at.data),
        partner_ids=tuple(form.partner_ids.data or ()),
        volunteer_ids=tuple(form.volunteer_ids.data or ()),
        interpreter_languages=tuple(form.interpreter_languages.data or ()),
        childcare_offered=form.childcare_offered.data,
        express_mode=form.express_mode.data,
    )


@bp.get("/")
@permissions.allowed(permissions.can_list_events, "role")
def index():
    """List the events the user manages: today's, upcoming and past."""
    when = request.args.get("when", "today")
    if when not in TABS:
        when = "today"
    events = list_events(current_user, when)
    return render_page_or_fragment("events/index.html", "events/_list.html", events=events, when=when, tabs=TABS)


@bp.route("/new", methods=["GET", "POST"])
@permissions.allowed(permissions.can_create_events, "role")
def new():
    """Create an event."""
    form = _form()
    if form.validate_on_submit():
        try:
            event = create_event(_data(form), author=current_user)
        except EventError as exc:
            form.ends_at.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Action « %(title)s » créée.", title=event.title), "success")
            return redirect(url_for(".show", code=event.code))
    return render_template("events/form.html", form=form, event=None), 400 if form.errors else 200


@bp.get("/<code>")
@login_required
def show(code: str):
    """Show one event and what can be done with it."""
    return render_template("events/show.html", event=event_or_404(code))


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str):
    """Edit an event that is not closed."""
    event = event_or_404(code, MANAGE)
    form = _form(event)
    if form.validate_on_submit():
        try:
            update_event(event, _data(form), author=current_user)
        except EventError as exc:
            db.session.rollback()
            form.ends_at.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Action mise à jour."), "success")
            return redirect(url_for(".show", code=event.code))
    return render_template("events/form.html", form=form, event=event), 400 if form.errors else 200


@bp.post("/<code>/open")
@login_required
def open_(code: str):
    """Open check-in for an event."""
    return _change_status(code, open_event, _("Action ouverte : le kiosque peut accueillir les habitants."))


@bp.post("/<code>/close")
@login_required
def close(code: str):
    """Close an event, from its page or its live view: kiosks and self check-in stop, its report opens."""
    message = _("Action clôturée : le kiosque et l'enregistrement par téléphone sont arrêtés.")
    return _change_status(code, close_event, message, then="stand.report")


def _change_status(code: str, change, message: str, *, then: str = ".show"):
    """Apply a status change, then show where it leads; a refused change stays on the event page."""
    event = event_or_404(code, MANAGE)
    try:
        change(event)
    except EventError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".show", code=event.code), 303)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(then, code=event.code), 303)
