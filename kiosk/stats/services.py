"""What the routes and the CLI share: one selection, one report, one audit trail."""

from __future__ import annotations

from datetime import date

from flask import current_app

from ..events.services import utc_to_local
from ..extensions import db
from ..models import AuditLog, User, utcnow
from ..permissions import StatsScope, require_stats
from . import voice
from .filters import FilterInput, read_filters, shared_selection
from .indicators import compute
from .tables import Report, build_report

MODES = ("shared", "internal")


def scope_for(user: User) -> StatsScope:
    """What this user's figures may cover (the rule: permissions.stats_scope); 403 for no figures."""
    return require_stats(user)


def selection_for(args, user: User) -> FilterInput:
    scope = scope_for(user)
    return read_filters(args, scope_structure_id=scope.structure_id, scope_city=scope.city)


def for_sharing(selection: FilterInput) -> FilterInput:
    """Narrow a selection to what a shared export may cover: whole months that are over."""
    return shared_selection(selection, utc_to_local(utcnow()).date())


def report_for(selection: FilterInput, *, shared: bool) -> Report:
    """Compute the indicators of a valid selection and lay them out, shared or exact."""
    threshold = current_app.config["SUPPRESSION_THRESHOLD"]
    indicators = compute(selection.filters)
    report = build_report(indicators, shared=shared, threshold=threshold)
    report.voice = voice.layout_voice(voice.compute_voice(selection.filters), report.headline_value("participations"),
                                      shared=shared, threshold=threshold)
    return report


def log_export(user: User | None, action: str, selection: FilterInput, fmt: str) -> None:
    """Record who took exact or raw figures out, when, and for which selection."""
    detail = "; ".join(f"{label} : {value}" for label, value in selection.describe())
    db.session.add(AuditLog(user_id=user.id if user else None, action=action, detail=f"{fmt} — {detail}"))
    db.session.flush()


def export_filename(selection: FilterInput, kind: str, extension: str) -> str:
    f = selection.filters
    start = f.start.isoformat() if f.start else "debut"
    end = (f.end or date.today()).isoformat()
    return f"hors-les-murs_{kind}_{start}_{end}.{extension}"
