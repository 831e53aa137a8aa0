"""Routes of this area: thin, one service call each."""

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user, login_required

from ..extensions import db
from ..fragments import render_page_or_fragment
from ..permissions import allowed, stats_scope
from . import bp
from .charts import bar_chart, line_chart
from .exports import csv_chunks, raw_checkins_rows, report_csv, report_xlsx
from .filters import choices
from .labels import DEFINITIONS, INDICATOR_TITLES
from .services import MODES, export_filename, for_sharing, log_export, report_for, scope_for, selection_for
from .voice import definitions as voice_definitions

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _render_page(selection, report, status=200):
    scope = scope_for(current_user)
    return render_page_or_fragment("stats/index.html", "stats/_results.html", status, selection=selection,
                                   report=report, choices=choices(scope.structure_id, scope.city), scope=scope,
                                   bar_chart=bar_chart, line_chart=line_chart)


@bp.get("/")
@login_required
def index():
    """Show the indicators of the selection: exact figures for staff, shared ones for the State's delegates."""
    exact = scope_for(current_user).exact
    selection = _selection(shared=not exact)
    report = report_for(selection, shared=not exact) if selection.valid else None
    db.session.commit()  # keeps the summaries of events that settled since the last look
    return _render_page(selection, report)


@bp.get("/rapport")
@login_required
def printable():
    """Show the report for the steering committee, ready to print on A4 (shared by default)."""
    shared = _shared_mode()
    selection = _selection(shared)
    if not selection.valid:
        return _render_page(selection, None, 400)
    if not shared and request.method != "HEAD":  # each exact export is logged; a HEAD takes nothing out
        log_export(current_user, "export_internal", selection, "report")
    report = report_for(selection, shared=shared)
    db.session.commit()  # keeps the new summaries and the log of an exact report
    definitions = [(INDICATOR_TITLES[key], text) for key, text in DEFINITIONS.items()] + voice_definitions()
    return render_template("stats/report.html", selection=selection, report=report, definitions=definitions,
                           bar_chart=bar_chart, line_chart=line_chart)


@bp.get("/export.<fmt>")
@login_required
def export(fmt):
    """Download the indicators as CSV or XLSX, shared unless a coordinator asks for exact figures."""
    if fmt not in MIMETYPES:
        abort(404)
    shared = _shared_mode()
    selection = _selection(shared)
    if not selection.valid:
        return _render_page(selection, None, 400)
    if not shared and request.method != "HEAD":  # each exact export is logged; a HEAD takes nothing out
        log_export(current_user, "export_internal", selection, fmt)
    report = report_for(selection, shared=shared)
    db.session.commit()  # keeps the new summaries, and the log of an exact export before any figure leaves
    chunks = report_csv(report, selection) if fmt == "csv" else report_xlsx(report, selection)
    name = export_filename(selection, "indicateurs" if shared else "indicateurs-internes", fmt)
    return _download(chunks, fmt, name)


def _may_take_raw(user) -> bool:
    scope = stats_scope(user)
    return scope is not None and scope.raw


@bp.get("/enregistrements.csv")
@allowed(_may_take_raw, "coordination")
def raw_export():
    """Download the check-ins of the selection one per row (no card code), logged."""
    selection = selection_for(request.args, current_user)
    if not selection.valid:
        return _render_page(selection, None, 400)
    if request.method != "HEAD":  # a HEAD takes nothing out: it must not read as an export in the log
        log_export(current_user, "export_raw", selection, "csv")
        db.session.commit()  # logged before any row leaves
    return _download(csv_chunks(raw_checkins_rows(selection)), "csv",
                     export_filename(selection, "enregistrements", "csv"))


def _selection(shared: bool):
    selection = selection_for(request.args, current_user)
    return for_sharing(selection) if shared else selection


def _shared_mode() -> bool:
    """Read the mode; exact figures are for coordinators only."""
    mode = request.args.get("mode", "shared")
    if mode not in MODES:
        abort(400)
    scope = scope_for(current_user)
    if mode == "shared":
        return True
    if not scope.internal:
        abort(403)
    return False


def _download(chunks, fmt: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
