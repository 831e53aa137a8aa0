"""The figures of one selection laid out as tables: the one source of page, charts and exports.

``build_report(indicators, shared=...)`` gives exact figures for staff screens, or the
small-count rule applied for anything that leaves the staff. In the shared version the
tables are linked (a month's participations are the total of every month-by-answer
table), so they are suppressed together until they agree on what is hidden.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .indicators import DIMENSIONS, Indicators
from .labels import DIMENSION_TITLES, INDICATOR_TITLES, ORDER, answer_label
from .suppression import TOTAL, suppress, suppress_grid

# Distributions in the order the page shows them; profile ones add up to participations.
SHOWN_DIMENSIONS = ("age_band", "gender", "residence", "heard_from", "first_time", "goes_to_structure",
                    "channel", "language", "interpreter_language")
PROFILE_DIMENSIONS = tuple(d for d in DIMENSIONS if d != "interpreter_language")
SERIES = ("newcomers_first_seen", "childcare_participations", "children", "accessibility")
EVOLUTION_COLUMNS = ("participations", "tallies", "reach", "newcomers_declared", "newcomers_first_seen",
                     "far_from_structures", "childcare_participations", "children", "interpreting",
                     "accessibility")
SHARED_OF_PARTICIPATIONS = {"newcomers_declared", "newcomers_first_seen", "far_from_structures",
                            "childcare_participations", "interpreting", "accessibility"}


@dataclass
class Row:
    key: str
    label: str
    value: int | str
    share: float | str | None = None  # of participations (returns: of first-seen newcomers)


@dataclass
class Distribution:
    key: str
    title: str
    rows: list[Row]
    total: int | str

    @property
    def chart_rows(self) -> list[tuple[str, int | str]]:
        return [(row.label, row.value) for row in self.rows]


@dataclass
class MonthTable:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[tuple[str, list]]  # (month "YYYY-MM", values in column order)
    total: list


@dataclass
class Report:
    shared: bool
    threshold: int
    headline: list[Row] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    evolution: MonthTable | None = None
    month_tables: list[MonthTable] = field(default_factory=list)

    def headline_value(self, key: str):
        return next(row.value for row in self.headline if row.key == key)

    @property
    def months(self) -> list[str]:
        return [month for month, _values in self.evolution.rows]

    def evolution_series(self, names=("participations", "newcomers_declared", "newcomers_first_seen")):
        """Return (label, values by month) of some evolution columns, for a line chart."""
        keys = [key for key, _label in self.evolution.columns]
        return [(self.evolution.columns[keys.index(n)][1], [values[keys.index(n)] for _m, values in
                                                            self.evolution.rows]) for n in names]


def answer_keys(indicators: Indicators, dimension: str) -> list[str]:
    """Every answer of a dimension worth a row: the vocabulary, then what the data holds."""
    seen = list(indicators.breakdowns.get(dimension, Counter()))
    keys = list(ORDER.get(dimension, []))
    extra = [k for k in seen if k not in keys]
    if dimension == "residence":
        names = indicators.neighbourhood_names
        extra.sort(key=lambda k: (not k.startswith("n"), answer_label(dimension, k, names)))
    return keys + extra


def _share(count, total):
    if isinstance(count, str) or isinstance(total, str):
        return count if isinstance(count, str) else None  # never give a hidden figure back
    return count / total if total else None


def build_report(indicators: Indicators, *, shared: bool, threshold: int = 11) -> Report:
    """Lay the indicators out as tables, exact or with the small-count rule applied."""
    months = list(indicators.months)
    keys = {dim: answer_keys(indicators, dim) for dim in SHOWN_DIMENSIONS}
    tables = {dim: {m: {k: indicators.months[m].breakdowns[dim][k] for k in keys[dim]} for m in months}
              for dim in SHOWN_DIMENSIONS}
    reach_table = {m: {"participations": indicators.months[m].participations,
                       "tallies": indicators.months[m].tallies} for m in months}
    if not shared:
        threshold = 0  # nothing is under a threshold of zero: exact figures throughout
    grids, reach = _linked_grids(tables, reach_table, keys, months, threshold)
    series = {name: suppress({m: getattr(indicators.months[m], name) for m in months}, threshold,
                             total_shown=True) for name in SERIES}
    if not months:  # an empty selection still gets its (zero) totals
        series = {name: suppress({"": 0}, threshold) for name in SERIES}

    def alone(value):
        return suppress({"": value}, threshold, total_shown=False).cells[""]

    participations = reach.column_totals["participations"]
    values = {
        "actions": indicators.actions,  # events, not persons: never suppressed
        "participations": participations,
        "tallies": reach.column_totals["tallies"],
        "reach": reach.total,
        "distinct_cards": alone(indicators.distinct_cards),
        "newcomers_declared": grids["first_time"].column_totals["yes"],
        "newcomers_first_seen": series["newcomers_first_seen"].total,
        "far_from_structures": grids["goes_to_structure"].column_totals["no"],
        "returns": alone(indicators.returns),
        "childcare_participations": series["childcare_participations"].total,
        "children": series["children"].total,
        "interpreting": grids["interpreter_language"].total,
        "accessibility": series["accessibility"].total,
    }
    report = Report(shared=shared, threshold=threshold)
    for key, value in values.items():
        share = None
        if key in SHARED_OF_PARTICIPATIONS:
            share = _share(value, participations)
        elif key == "returns":
            share = _share(value, values["newcomers_first_seen"])
        report.headline.append(Row(key, str(INDICATOR_TITLES[key]), value, share))

    names = indicators.neighbourhood_names
    for dim in SHOWN_DIMENSIONS:
        grid = grids[dim]
        rows = [Row(k, answer_label(dim, k, names), grid.column_totals[k],
                    _share(grid.column_totals[k], participations)) for k in keys[dim]]
        report.distributions.append(Distribution(dim, str(DIMENSION_TITLES[dim]), rows, grid.total))
        report.month_tables.append(MonthTable(
            dim, str(DIMENSION_TITLES[dim]),
            [(k, answer_label(dim, k, names)) for k in keys[dim]] + [(TOTAL, "Total")],
            [(m, [grid.cells[m][k] for k in keys[dim]] + [grid.row_totals[m]]) for m in months],
            [grid.column_totals[k] for k in keys[dim]] + [grid.total],
        ))

    def month_value(name, m):
        return {
            "participations": reach.cells[m]["participations"], "tallies": reach.cells[m]["tallies"],
            "reach": reach.row_totals[m], "newcomers_declared": grids["first_time"].cells[m]["yes"],
            "far_from_structures": grids["goes_to_structure"].cells[m]["no"],
            "interpreting": grids["interpreter_language"].row_totals[m],
        }.get(name) if name not in SERIES else series[name].cells[m]

    report.evolution = MonthTable(
        "evolution", "Évolution mois par mois",
        [(name, str(INDICATOR_TITLES[name])) for name in EVOLUTION_COLUMNS],
        [(m, [month_value(name, m) for name in EVOLUTION_COLUMNS]) for m in months],
        [values[name] for name in EVOLUTION_COLUMNS],
    )
    return report


def _linked_grids(tables, reach_table, keys, months, threshold):
    """Suppress every month table until they all hide the same months' participations."""
    hidden_months: set[str] = set()
    hidden_total = False
    # Reach = participations + tallies: when the tallies are small, hide the reach rather
    # than the participations, the figure the sheet asks for first.
    reach_first = [(m, TOTAL) for m in months if reach_table[m]["tallies"] < threshold]
    if sum(row["tallies"] for row in reach_table.values()) < threshold:
        reach_first.append((TOTAL, TOTAL))
    while True:
        forced = [(m, TOTAL) for m in hidden_months] + ([(TOTAL, TOTAL)] if hidden_total else [])
        grids = {dim: suppress_grid(table, threshold, columns=keys[dim], forced=forced if dim in
                                    PROFILE_DIMENSIONS else ()) for dim, table in tables.items()}
        reach = suppress_grid(reach_table, threshold, columns=["participations", "tallies"],
                              forced=[(m, "participations") for m in hidden_months]
                              + ([(TOTAL, "participations")] if hidden_total else []) + reach_first)
        now_months = {m for m in months if isinstance(reach.cells[m]["participations"], str)} | {
            m for dim in PROFILE_DIMENSIONS for m in months if isinstance(grids[dim].row_totals[m], str)}
        now_total = isinstance(reach.column_totals["participations"], str) or any(
            isinstance(grids[dim].total, str) for dim in PROFILE_DIMENSIONS)
        if now_months == hidden_months and now_total == hidden_total:
            return grids, reach
        hidden_months, hidden_total = now_months, now_total
