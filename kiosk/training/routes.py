"""Coordinators record training sessions and network meetings."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..i18n import _
from ..inputs import parse_id
from ..models import utcnow
from ..permissions import coordinator_required
from ..places.services import active_structures
from ..stats.filters import FilterError, parse_date
from . import bp
from .models import TrainingSession
from .services import MAX_ATTENDANCE_ROWS, Attendance, TrainingError, save_session, training_figures


@bp.get("/")
@coordinator_required
def index():
    """List sessions and meetings of a year, with the year's indicators."""
    year = _year(request.args.get("year"))
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = list(db.session.execute(db.select(TrainingSession).where(
        TrainingSession.starts_on >= start, TrainingSession.starts_on <= end)
        .order_by(TrainingSession.starts_on.desc())).scalars())
    return render_template("training/index.html", year=year, sessions=rows, figures=training_figures(start, end))


def _year(text: str | None) -> int:
    value = parse_id(text)
    return value if value and 2000 <= value <= 2100 else utcnow().year


def _date(text: str | None) -> date | None:
    try:
        return parse_date(text) if text and text.strip() else None
    except FilterError as problem:
        raise TrainingError(str(problem)) from None


def _hours(text: str | None) -> float | None:
    try:
        value = float((text or "").replace(",", ".").strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:session_id>", methods=["GET", "POST"])
@coordinator_required
def form(session_id: int | None = None):
    """Create or edit a session or meeting, with its participants by structure and role."""
    item = db.session.get(TrainingSession, session_id) if session_id else None
    if session_id and item is None:
        abort(404)
    error = None
    if request.method == "POST":
        f = request.form
        try:
            rows = []
            for i in range(MAX_ATTENDANCE_ROWS):
                count = f.get(f"count-{i}", "").strip()
                if not count:
                    continue
                if not (count.isascii() and count.isdecimal()) or len(count) > 6:
                    raise TrainingError(_("Le nombre de participants doit être un nombre entier positif."))
                rows.append(Attendance(parse_id(f.get(f"structure-{i}")), f.get(f"role-{i}", ""), int(count)))
            item = save_session(item, kind=f.get("kind", ""), theme=f.get("theme", "")[:160],
                                starts_on=_date(f.get("starts_on")), ends_on=_date(f.get("ends_on")),
                                hours=_hours(f.get("hours")), attendances=rows, notes=f.get("notes", "")[:2000],
                                author=current_user)
        except TrainingError as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            flash(_("Session enregistrée."), "success")
            return redirect(url_for(".index", year=item.starts_on.year), 303)
    return render_template("training/form.html", item=item, error=error, values=request.form,
                           structures=active_structures(), rows=range(MAX_ATTENDANCE_ROWS)), 400 if error else 200
