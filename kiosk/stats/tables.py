"""The figures of one selection laid out as tables: the one source of page, charts and exports.

``build_report(indicators, shared=...)`` gives exact figures for staff screens, or the
small-count rule applied for anything that leaves the staff. A month's tables are linked
(its participations are the total of every answer table), so they are suppressed together
until they agree on what is hidden.

Shared outputs also resist differencing (DESIGN.md): two exports over overlapping periods
must not give a small count back by subtraction. Their periods are whole calendar months
(``forms.shared_selection``), each month is suppressed on its own, the same in every
export, and a total over several months is shown only when every month it adds up is
shown. Every figure of a shared export is then a month's figure or a sum of shown ones:
subtracting two exports can only give back sums of figures already shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .indicators import DIMENSIONS, Figures, Indicators
from .labels import DIMENSION_TITLES, INDICATOR_TITLES, ORDER, answer_label
from .suppression import SECONDARY, TOTAL, primary_mark, suppress, suppress_grid

# Distributions in the order the page shows them; profile ones add up to participations.
SHOWN_DIMENSIONS = ("age_band", "gender", "residence", "heard_from", "first_time", "goes_to_structure",
                    "channel", "language", "interpreter_language")
PROFILE_DIMENSIONS = tuple(d for d in DIMENSIONS if d != "interpreter_language")
SERIES = ("newcomers_first_seen", "childcare_participations", "children", "accessibility")
EVOLUTION_COLUMNS = ("participations", "tallies", "companions", "reach", "newcomers_declared", "newcomers_first_seen",
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
    voice: object | None = None  # the residents' voice indicators (stats/voice.py), laid out alike

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
    if not shared:
        return _layout(indicators, shared=False, threshold=0)  # nothing is under zero: exact figures
    if len(indicators.months) <= 1:
        return _layout(indicators, shared=True, threshold=threshold)
    return _month_by_month(indicators, threshold)


def _layout(indicators: Indicators, *, shared: bool, threshold: int) -> Report:
    """Lay the indicators out as linked tables suppressed together (threshold 0: exact)."""
    months = list(indicators.months)
    keys = {dim: answer_keys(indicators, dim) for dim in SHOWN_DIMENSIONS}
    tables = {dim: {m: {k: indicators.months[m].breakdowns[dim][k] for k in keys[dim]} for m in months}
              for dim in SHOWN_DIMENSIONS}
    reach_table = {m: {"participations": indicators.months[m].participations,
                       "tallies": indicators.months[m].tallies,
                       "companions": indicators.months[m].companions} for m in months}
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
        "companions": reach.column_totals["companions"],
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
            "companions": reach.cells[m]["companions"],
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
    # Reach = participations + tallies + companions: when the tallies or the companions are
    # small, hide the reach rather than the participations, the figure the sheet asks for first.
    reach_first = [(m, TOTAL) for m in months
                   if min(reach_table[m]["tallies"], reach_table[m]["companions"]) < threshold]
    if min(sum(row[name] for row in reach_table.values()) for name in ("tallies", "companions")) < threshold:
        reach_first.append((TOTAL, TOTAL))
    while True:
        forced = [(m, TOTAL) for m in hidden_months] + ([(TOTAL, TOTAL)] if hidden_total else [])
        grids = {dim: suppress_grid(table, threshold, columns=keys[dim], forced=forced if dim in
                                    PROFILE_DIMENSIONS else ()) for dim, table in tables.items()}
        reach = suppress_grid(reach_table, threshold, columns=["participations", "tallies", "companions"],
                              forced=[(m, "participations") for m in hidden_months]
                              + ([(TOTAL, "participations")] if hidden_total else []) + reach_first)
        now_months = {m for m in months if isinstance(reach.cells[m]["participations"], str)} | {
            m for dim in PROFILE_DIMENSIONS for m in months if isinstance(grids[dim].row_totals[m], str)}
        now_total = isinstance(reach.column_totals["participations"], str) or any(
            isinstance(grids[dim].total, str) for dim in PROFILE_DIMENSIONS)
        if now_months == hidden_months and now_total == hidden_total:
            return grids, reach
        hidden_months, hidden_total = now_months, now_total


def _one_month(indicators: Indicators, month: str) -> Indicators:
    figures = indicators.months[month]
    values = {name: getattr(figures, name) for name in Figures.__dataclass_fields__}
    return Indicators(**values, months={month: figures}, neighbourhood_names=indicators.neighbourhood_names)


def _month_by_month(indicators: Indicators, threshold: int) -> Report:
    """Suppress each month on its own, then show a period total only where all its months are shown."""
    exact = _layout(indicators, shared=False, threshold=0)  # the shape: keys, labels, exact totals
    monthly = {m: _layout(_one_month(indicators, m), shared=True, threshold=threshold) for m in indicators.months}
    hidden = primary_mark(threshold)

    def total(values, exact_value):
        if all(isinstance(v, int) for v in values):
            return sum(values)
        return hidden if exact_value < threshold else SECONDARY

    def rows_of(table, month_table):
        keys = [key for key, _label in table.columns]
        rows = []
        for m, _values in table.rows:
            shown = month_table(monthly[m])
            by_key = dict(zip([key for key, _label in shown.columns], shown.rows[0][1], strict=True))
            rows.append((m, [by_key.get(key, hidden) for key in keys]))  # absent that month: zero
        totals = [total([values[j] for _m, values in rows], table.total[j]) for j in range(len(keys))]
        return MonthTable(table.key, table.title, table.columns, rows, totals)

    report = Report(shared=True, threshold=threshold)
    report.evolution = rows_of(exact.evolution, lambda r: r.evolution)
    report.month_tables = [rows_of(t, lambda r, k=t.key: next(x for x in r.month_tables if x.key == k))
                           for t in exact.month_tables]
    period = dict(zip([key for key, _label in report.evolution.columns], report.evolution.total, strict=True))
    participations = period["participations"]
    period["actions"] = indicators.actions  # events, not persons: never suppressed
    period["distinct_cards"] = suppress({"": indicators.distinct_cards}, threshold, total_shown=False).cells[""]
    period["returns"] = total([r.headline_value("returns") for r in monthly.values()], indicators.returns)
    for row in exact.headline:
        value = period[row.key]
        share = None
        if row.key in SHARED_OF_PARTICIPATIONS:
            share = _share(value, participations)
        elif row.key == "returns":
            share = _share(value, period["newcomers_first_seen"])
        report.headline.append(Row(row.key, row.label, value, share))
    for dist, table in zip(exact.distributions, report.month_tables, strict=True):
        rows = [Row(row.key, row.label, value, _share(value, participations))
                for row, value in zip(dist.rows, table.total, strict=False)]
        report.distributions.append(Distribution(dist.key, dist.title, rows, table.total[-1]))
    return report
