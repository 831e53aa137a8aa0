"""The event report: every indicator of one event as tables, for the page, print and CSV.

The staff see exact figures. The shared version, printed or downloaded for partners,
goes through the small-count rule of DESIGN.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..i18n import _l
from ..models import AGE_BANDS, CHANNELS, HEARD_FROM, SKIP, Event
from ..stats.indicators import NOT_ASKED, Filters, Indicators, compute
from .labels import answer_label, residence_label

VERSIONS = ("internal", "shared")


@dataclass
class Row:
    key: str
    label: str
    count: int
    shown: str = ""  # what the chosen version prints: the figure or "<11"


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    # A partition's total (its rows add up to it): secondary suppression protects it.
    total: int | None = None
    total_label: str = ""
    total_shown: str = ""
    note: str = ""


@dataclass
class Report:
    event: Event
    version: str
    indicators: Indicators
    tables: list[Table] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return self.version == "shared"


def _row(key, label, count) -> Row:
    return Row(key=key, label=str(label), count=int(count or 0))


def _distribution(key, title, counter, order, label, total, total_label) -> Table:
    keys = [k for k in order if counter.get(k)] + sorted(k for k in counter if k not in order and counter[k])
    rows = [_row(k, label(k), counter[k]) for k in keys]
    return Table(key=key, title=str(title), rows=rows, total=total, total_label=str(total_label))


def build_tables(ind: Indicators) -> list[Table]:
    """Lay out every indicator of one event as tables, in the order the report shows them."""
    participations = _l("Participations")
    known_cards = ind.distinct_cards - ind.newcomers_first_seen
    tables = [
        Table("indicators", str(_l("Indicateurs")), [
            _row("participations", participations, ind.participations),
            _row("newcomers_declared", _l("Nouveaux venus (déclarés)"), ind.newcomers_declared),
            _row("newcomers_first_seen", _l("Nouveaux venus (première carte)"), ind.newcomers_first_seen),
            _row("far_from_structures", _l("Loin des structures"), ind.far_from_structures),
            _row("known_cards", _l("Cartes déjà connues"), known_cards),
            _row("returns", _l("Retours à une action suivante (90 jours)"), ind.returns),
            _row("tallies", _l("Passages non enregistrés"), ind.tallies),
            _row("reach", _l("Personnes touchées"), ind.reach),
        ]),
        Table("needs", str(_l("Besoins")), [
            _row("childcare", _l("Participations avec garde d'enfants"), ind.childcare_participations),
            _row("children", _l("Enfants gardés"), ind.children),
            _row("interpreting", _l("Participations avec interprète"), ind.interpreting),
            _row("accessibility", _l("Participations avec besoin d'accessibilité"), ind.accessibility),
        ]),
    ]
    by = ind.breakdowns
    everyone = ind.participations
    tables.append(_distribution(
        "interpreter_language", _l("Interprètes demandés, par langue"), by["interpreter_language"], (),
        lambda k: answer_label("interpreter_language", k), ind.interpreting, _l("Participations avec interprète")))
    tables.append(_distribution(
        "residence", _l("Quartier de résidence"), by["residence"], (),
        lambda k: residence_label(k, ind.neighbourhood_names), everyone, participations))
    tail = (SKIP, NOT_ASKED)
    tables.append(_distribution(
        "age_band", _l("Tranches d'âge"), by["age_band"], (*[a for a in AGE_BANDS if a != SKIP], *tail),
        lambda k: answer_label("age_band", k), everyone, participations))
    tables.append(_distribution(
        "heard_from", _l("Comment ils ont connu l'action"), by["heard_from"],
        (*[h for h in HEARD_FROM if h != SKIP], *tail), lambda k: answer_label("heard_from", k),
        everyone, participations))
    tables.append(_distribution(
        "channel", _l("Moyen d'enregistrement"), by["channel"], CHANNELS,
        lambda k: answer_label("channel", k), everyone, participations))
    return tables


def build_report(event: Event, version: str = "internal") -> Report:
    """Compute the report of one event, exact for the staff or protected for partners."""
    if version not in VERSIONS:
        raise ValueError(version)
    indicators = compute(Filters(event_id=event.id))
    report = Report(event=event, version=version, indicators=indicators, tables=build_tables(indicators))
    if report.shared:
        from .small_counts import protect_tables

        protect_tables(report.tables)
    else:
        for table in report.tables:
            for row in table.rows:
                row.shown = str(row.count)
            table.total_shown = "" if table.total is None else str(table.total)
    return report


def report_csv(report: Report) -> str:
    """The report as CSV for French Excel: semicolons, and a BOM so accents survive."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_l("Action"), report.event.title])
    writer.writerow([_l("Code"), report.event.code])
    writer.writerow([_l("Version"), _l("Partagée (petits effectifs masqués)") if report.shared
                     else _l("Interne (chiffres exacts)")])
    writer.writerow([])
    writer.writerow([_l("Rubrique"), _l("Indicateur"), _l("Nombre")])
    for table in report.tables:
        for row in table.rows:
            writer.writerow([table.title, row.label, row.shown])
        if table.total is not None:
            writer.writerow([table.title, str(_l("Total")) + " : " + table.total_label, table.total_shown])
    return "\ufeff" + out.getvalue()
