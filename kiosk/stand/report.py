"""The event report: every indicator of one event, for the page, print and CSV.

It is the statistics report (``kiosk.stats.tables``) of a selection holding one event, so
an event's figures read the same here and in the coordinator's exports. The staff see
exact figures; the shared version, printed or downloaded for partners, follows the
small-count rule of DESIGN.md (``kiosk.stats.suppression``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from flask import current_app

from ..i18n import _
from ..models import Event
from ..stats import tables as stats_tables
from ..stats import voice as stats_voice
from ..stats.exports import csv_chunks, legend, percent_text
from ..stats.indicators import Filters, compute

VERSIONS = ("internal", "shared")
NEEDS = ("childcare_participations", "children", "interpreting", "accessibility")
# What the issue asks the report to break down, in the order it is printed.
DIMENSIONS = ("interpreter_language", "residence", "age_band", "heard_from", "channel")
# The residents' voice at this event: how many gave their feedback, which face, and what was said
# by topic and by channel (the neighbourhood is the event's own, one line: left out).
VOICE_HEADLINE = ("feedbacks", "feedback_rate", "contributions", "initiatives")
VOICE_DISTRIBUTIONS = ("voice_rating", "voice_topic", "voice_channel")


@dataclass
class Row:
    key: str
    label: str
    shown: str  # the figure, or "<11" / "s" in the shared version


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    total: str | None = None  # a distribution's total; None for a list of indicators


@dataclass
class Report:
    event: Event
    version: str
    tables: list[Table] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return self.version == "shared"

    @property
    def team(self) -> list[tuple[str, str]]:
        """Who ran the event together: its structure, its partners, how many volunteers (never their names)."""
        event = self.event
        rows = [(_("Structure porteuse"), event.structure.name if event.structure else "—")]
        if event.partners:
            rows.append((_("Avec les partenaires"), ", ".join(p.name for p in event.partners)))
        if event.volunteers:
            rows.append((_("Bénévoles"), str(len(event.volunteers))))
        return rows


def build_report(event: Event, version: str = "internal") -> Report:
    """Compute the report of one event, exact for the staff or protected for partners."""
    if version not in VERSIONS:
        raise ValueError(version)
    figures = stats_tables.build_report(
        compute(Filters(event_id=event.id)), shared=version == "shared",
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
    )
    voice = stats_voice.layout_voice(
        stats_voice.compute_voice(Filters(event_id=event.id)), figures.headline_value("participations"),
        shared=version == "shared", threshold=current_app.config["SUPPRESSION_THRESHOLD"])
    headline = {row.key: row for row in figures.headline}
    report = Report(event=event, version=version, legend=legend(figures))
    # "actions" is always 1 here: the event itself.
    report.tables.append(Table("indicators", _("Indicateurs"), [
        Row(row.key, row.label, str(row.value)) for row in figures.headline
        if row.key not in NEEDS and row.key != "actions"]))
    report.tables.append(Table("needs", _("Besoins"), [
        Row(key, headline[key].label, str(headline[key].value)) for key in NEEDS]))
    distributions = {d.key: d for d in figures.distributions}
    for key in DIMENSIONS:
        dist = distributions[key]
        report.tables.append(Table(key, dist.title, [Row(r.key, r.label, str(r.value)) for r in dist.rows],
                                   total=str(dist.total)))
    voice_rows = {row.key: row for row in voice.headline}
    report.tables.append(Table("voice", str(stats_voice.HEADLINE_TABLE), [
        Row(key, voice_rows[key].label, _percent(voice_rows[key].share) if key == "feedback_rate"
            else str(voice_rows[key].value)) for key in VOICE_HEADLINE]))
    voice_distributions = {d.key: d for d in voice.distributions}
    for key in VOICE_DISTRIBUTIONS:
        dist = voice_distributions.get(key)
        if dist is not None:  # no feedback or no contribution: no table, as on the stats page
            report.tables.append(Table(key, dist.title, [Row(r.key, r.label, str(r.value)) for r in dist.rows],
                                       total=str(dist.total)))
    return report


def _percent(share) -> str:
    """A rate as the report prints it: "50,0 %", the small-count mark when hidden, "—" without a base."""
    shown = percent_text(share)
    if not shown:
        return "—"
    return shown if isinstance(share, str) else f"{shown} %"


def report_rows(report: Report) -> Iterator[list]:
    """Yield the report as one long table: section, label, count."""
    yield [_("Action"), report.event.title]
    yield [_("Code"), report.event.code]
    for term, value in report.team:
        yield [term, value]
    for term, meaning in report.legend:
        yield [term, meaning]
    yield []
    yield [_("Rubrique"), _("Indicateur"), _("Nombre")]
    for table in report.tables:
        for row in table.rows:
            yield [table.title, row.label, row.shown]
        if table.total is not None:
            yield [table.title, _("Total"), table.total]


def report_csv(report: Report) -> bytes:
    """The report as CSV for French Excel: semicolons, and a BOM so accents survive."""
    return b"".join(csv_chunks(report_rows(report)))
