"""The small-count rule of DESIGN.md, for every aggregate that leaves the staff.

Any count under the threshold, zero included, is shown as ``<11`` (primary suppression):
a reader then learns nothing more than "between 0 and 10", whatever the cell. Then, on
every line whose total is shown (a distribution and its total, a row or a column of a
month-by-answer table), other cells are hidden (secondary suppression, shown as ``s``)
until no hidden value can be computed back from the line:

- a reader knows a ``<11`` cell lies in [0, threshold - 1] and an ``s`` cell is at least
  the threshold (secondary cells are always chosen among visible counts >= threshold);
- for every hidden cell, the values the line still allows must form a range, not one value.

The smallest visible cell is hidden first (the least information lost); when no cell is
left to hide, the line's total is hidden too. Shares of hidden counts are hidden as well
(a share times a visible total gives the count back).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

DEFAULT_THRESHOLD = 11
SECONDARY = "s"
TOTAL = "__total__"  # names the total row or column in ``forced``
_PRIMARY, _SECOND = 1, 2


def primary_mark(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"<{threshold}"


@dataclass
class Suppressed:
    """Display values of one distribution: ints where shown, ``"<11"`` or ``"s"`` where hidden."""

    cells: dict
    total: int | str

    def is_hidden(self, key) -> bool:
        return isinstance(self.cells[key], str)


def suppress(counts: Mapping[Hashable, int], threshold: int = DEFAULT_THRESHOLD, *,
             total_shown: bool = True) -> Suppressed:
    """Return the display values of a distribution, small counts and their giveaways hidden.

    :param counts: label -> exact count; the order is kept.
    :param threshold: the smallest count that may be shown (``SUPPRESSION_THRESHOLD``).
    :param total_shown: whether the reader also sees the total (the sum of the counts);
        without a visible total only primary suppression applies.
    """
    grid = suppress_grid({"": dict(counts)}, threshold, row_totals_shown=total_shown)
    return Suppressed(cells=grid.cells[""], total=grid.row_totals[""])


@dataclass
class SuppressedGrid:
    cells: dict  # row -> column -> display value
    row_totals: dict  # row -> display value
    column_totals: dict  # column -> display value
    total: int | str


def suppress_grid(table: Mapping[Hashable, Mapping[Hashable, int]], threshold: int = DEFAULT_THRESHOLD, *,
                  row_totals_shown: bool = True, columns: list | None = None, forced=()) -> SuppressedGrid:
    """Return the display values of a two-way table with its row, column and grand totals.

    Rows and columns are protected in turn until neither changes (the usual heuristic for
    linked tables): each row against its total, each column against its total, and the
    row totals and column totals against the grand total. With ``row_totals_shown`` False
    (one row, nothing added up) only primary suppression applies. ``forced`` lists
    (row, column) pairs hidden elsewhere (``TOTAL`` for a total), so that linked tables
    hide the same shared figures.
    """
    rows = list(table)
    if columns is None:
        columns = list(dict.fromkeys(c for r in rows for c in table[r]))
    # (rows + 1) x (columns + 1): the last row and the last column are the totals.
    values = [[table[r].get(c, 0) for c in columns] for r in rows]
    for line in values:
        line.append(sum(line))
    values.append([sum(values[i][j] for i in range(len(rows))) for j in range(len(columns) + 1)])
    marks = [[_PRIMARY if v < threshold else 0 for v in line] for line in values]
    big = values[-1][-1] + 1
    row_index = {r: i for i, r in enumerate(rows)} | {TOTAL: len(rows)}
    column_index = {c: j for j, c in enumerate(columns)} | {TOTAL: len(columns)}
    for r, c in forced:
        i, j = row_index[r], column_index[c]
        marks[i][j] = marks[i][j] or _SECOND

    if row_totals_shown:
        lines = [[(i, j) for j in range(len(columns) + 1)] for i in range(len(rows) + 1)]
        lines += [[(i, j) for i in range(len(rows) + 1)] for j in range(len(columns) + 1)]
        changed = True
        while changed:
            changed = False
            for line in lines:
                changed |= _protect(line, values, marks, threshold, big)

    def show(i, j):
        if marks[i][j] == _PRIMARY:
            return primary_mark(threshold)
        return SECONDARY if marks[i][j] == _SECOND else values[i][j]

    n, m = len(rows), len(columns)
    return SuppressedGrid(
        cells={r: {c: show(i, j) for j, c in enumerate(columns)} for i, r in enumerate(rows)},
        row_totals={r: show(i, m) for i, r in enumerate(rows)},
        column_totals={c: show(n, j) for j, c in enumerate(columns)},
        total=show(n, m),
    )


def line_exposed(values: list[int], marks: list[int], threshold: int, big: int) -> bool:
    """Whether some hidden entry of ``cells..., total`` is pinned to one value by the line.

    The line says sum(cells) - total = 0; ``marks`` is 0 (shown), 1 (``<t``) or 2 (``s``).
    """
    coefficients = [1] * (len(values) - 1) + [-1]
    hidden = [k for k, mark in enumerate(marks) if mark]
    if not hidden:
        return False
    known = -sum(c * v for c, v, mark in zip(coefficients, values, marks, strict=True) if not mark)
    low = {k: 0 if marks[k] == _PRIMARY else threshold for k in hidden}
    high = {k: threshold - 1 if marks[k] == _PRIMARY else big for k in hidden}
    # Range of sum(c_k x_k) over all hidden entries.
    span_low = sum(low[k] if coefficients[k] > 0 else -high[k] for k in hidden)
    span_high = sum(high[k] if coefficients[k] > 0 else -low[k] for k in hidden)
    for k in hidden:
        c = coefficients[k]
        rest_low = span_low - (low[k] if c > 0 else -high[k])
        rest_high = span_high - (high[k] if c > 0 else -low[k])
        lo, hi = sorted((c * (known - rest_high), c * (known - rest_low)))
        if max(lo, low[k]) >= min(hi, high[k]):
            return True
    return False


def _protect(line, values, marks, threshold, big) -> bool:
    """Hide more of one line until it gives nothing away; return whether anything changed."""
    changed = False
    while line_exposed([values[i][j] for i, j in line], [marks[i][j] for i, j in line], threshold, big):
        *cells, total = line
        candidates = [(values[i][j], (i, j)) for i, j in cells if not marks[i][j] and values[i][j] >= threshold]
        if candidates:
            i, j = min(candidates)[1]
        elif not marks[total[0]][total[1]]:
            i, j = total
        else:
            break  # everything is hidden already: nothing left to give away
        marks[i][j] = _SECOND
        changed = True
    return changed
