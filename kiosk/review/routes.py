"""The annual review: a page (its figures load after it, with a visible progress), A4 print and XLSX."""

from flask import Response, current_app, render_template, request, stream_with_context
from flask_login import current_user

from ..extensions import db
from ..inputs import parse_id
from ..models import Neighbourhood, utcnow
from ..permissions import allowed, can_read_review, review_neighbourhoods_condition, review_shared_only, territory
from ..stats.charts import bar_chart, line_chart
from ..stats.exports import month_label
from . import bp
from .compute import build_review, chart_rows
from .definitions import SECTIONS
from .document import review_docx
from .export import review_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _choice():
    """Read the year (this one by default) and the territory; say why a year is refused."""
    this_year = utcnow().year
    shared_only = review_shared_only(current_user)
    # A delegate reads the shared review, which covers a year that is over: last year by default.
    year = parse_id(request.args.get("year")) or (this_year - 1 if shared_only else this_year)
    problem = None
    if not 2000 <= year <= this_year:
        problem = "year"
        year = this_year
    neighbourhood_id = parse_id(request.args.get("neighbourhood"))
    if neighbourhood_id and _territory_neighbourhood(neighbourhood_id) is None:
        neighbourhood_id, problem = None, "neighbourhood"
    if not neighbourhood_id and territory(current_user):
        # A city's review is the review of one of its neighbourhoods: the first by default.
        first = db.session.execute(db.select(Neighbourhood.id).where(review_neighbourhoods_condition(current_user))
                                   .order_by(Neighbourhood.name).limit(1)).scalar()
        neighbourhood_id, problem = first, problem or (None if first else "neighbourhood")
    shared = shared_only or request.args.get("mode") == "partners"
    if shared and year >= this_year:
        problem = "unfinished"  # a shared review covers whole months that are over: a past year
    return year, neighbourhood_id, shared, problem


def _territory_neighbourhood(neighbourhood_id: int) -> Neighbourhood | None:
    return db.session.execute(db.select(Neighbourhood).where(
        Neighbourhood.id == neighbourhood_id, review_neighbourhoods_condition(current_user))).scalar()


def _context(year, neighbourhood_id, shared, problem):
    neighbourhoods = list(db.session.execute(db.select(Neighbourhood).where(
        review_neighbourhoods_condition(current_user)).order_by(Neighbourhood.is_qpv.desc(), Neighbourhood.name))
        .scalars())
    return {"year": year, "neighbourhood_id": neighbourhood_id, "shared": shared, "problem": problem,
            "neighbourhoods": neighbourhoods, "this_year": utcnow().year,
            "territory": next((str(n) for n in neighbourhoods if n.id == neighbourhood_id), None)}


def _drawing() -> dict:
    return {"bar_chart": bar_chart, "line_chart": line_chart, "month_label": month_label, "chart_rows": chart_rows,
            "sections": SECTIONS}


def _review(year, neighbourhood_id, shared):
    return build_review(year, neighbourhood_id, shared=shared,
                        threshold=current_app.config["SUPPRESSION_THRESHOLD"])


@bp.get("/")
@allowed(can_read_review)
def index():
    """Show the annual review's frame; its figures arrive in a second request, with a progress line."""
    year, neighbourhood_id, shared, problem = _choice()
    return render_template("review/index.html", **_context(year, neighbourhood_id, shared, problem)), (
        400 if problem else 200)


@bp.get("/_figures")
@allowed(can_read_review)
def figures():
    """Compute and send the review's figures (the page loads this fragment)."""
    year, neighbourhood_id, shared, problem = _choice()
    if problem:
        return render_template("review/_figures.html", review=None, problem=problem), 400
    review = _review(year, neighbourhood_id, shared)
    db.session.commit()  # keeps the event summaries the computation settled
    return render_template("review/_figures.html", review=review, problem=None, **_drawing())


@bp.get("/imprimer")
@allowed(can_read_review)
def printable():
    """Show the whole review on A4 pages for the steering committee."""
    year, neighbourhood_id, shared, problem = _choice()
    context = _context(year, neighbourhood_id, shared, problem)
    review = None if problem else _review(year, neighbourhood_id, shared)
    db.session.commit()
    return render_template("review/print.html", review=review, **_drawing(), **context), 400 if problem else 200


@bp.get("/bilan.xlsx")
@allowed(can_read_review)
def xlsx():
    """Download the review as a workbook with a definitions sheet."""
    return _download("xlsx", XLSX, lambda review, _territory: stream_with_context(review_xlsx(review)))


@bp.get("/bilan.docx")
@allowed(can_read_review)
def docx():
    """Download the review as a word-processor document: each line with its definition and chart."""
    return _download("docx", DOCX, lambda review, territory: review_docx(review, territory=territory))


def _download(extension: str, mimetype: str, write):
    year, neighbourhood_id, shared, problem = _choice()
    context = _context(year, neighbourhood_id, shared, problem)
    if problem:
        return render_template("review/index.html", **context), 400
    review = _review(year, neighbourhood_id, shared)
    db.session.commit()
    name = f"bilan-T1.3-{year}{'-partenaires' if shared else ''}.{extension}"
    return Response(write(review, context["territory"]), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
