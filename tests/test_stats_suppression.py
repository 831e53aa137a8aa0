"""The small-count rule: nothing under the threshold is shown, nothing hidden can be computed back."""

import random

import pytest

from kiosk.stats.suppression import SECONDARY, suppress, suppress_grid


def test_a_small_count_is_hidden_and_the_next_smallest_with_it():
    shown = suppress({"woman": 40, "man": 25, "other": 3}, 11)
    assert shown.cells == {"woman": 40, "man": SECONDARY, "other": "<11"}
    assert shown.total == 68


def test_a_zero_is_hidden_too_so_that_a_hidden_cell_may_be_anything_under_the_threshold():
    shown = suppress({"woman": 40, "man": 25, "other": 0}, 11)
    assert shown.cells == {"woman": 40, "man": SECONDARY, "other": "<11"}


def test_two_small_counts_protect_each_other():
    shown = suppress({"a": 40, "b": 5, "c": 6}, 11)
    assert shown.cells == {"a": 40, "b": "<11", "c": "<11"}


def test_a_hidden_zero_next_to_an_eleven_needs_a_third_cell():
    # 0 + 11 = 11 would say "the <11 is 0", since an "s" is at least 11.
    shown = suppress({"a": 30, "b": 11, "c": 0}, 11)
    assert shown.cells == {"a": SECONDARY, "b": SECONDARY, "c": "<11"}


def test_two_tens_alone_hide_their_total():
    shown = suppress({"a": 10, "b": 10}, 11)
    assert shown.cells == {"a": "<11", "b": "<11"}
    assert shown.total == SECONDARY


def test_without_a_visible_total_only_small_counts_are_hidden():
    shown = suppress({"a": 40, "b": 25, "c": 3}, 11, total_shown=False)
    assert shown.cells == {"a": 40, "b": 25, "c": "<11"}


def test_the_threshold_is_a_parameter():
    assert suppress({"a": 4, "b": 5, "c": 5}, 5).cells == {"a": "<5", "b": SECONDARY, "c": 5}


def _allowed(display, threshold, big):
    """The values a reader allows for one displayed entry."""
    if display == SECONDARY:
        return range(threshold, big + 1)
    if isinstance(display, str):
        assert display == f"<{threshold}"
        return range(0, threshold)
    return range(display, display + 1)


def _pinned_entries(displays, threshold, big):
    """Entries of a line (cells..., total) whose hidden value the line leaves single-valued.

    Written independently of the code under test. Every entry allows a range of values, and a
    sum of integer ranges is the range of the sums: whether the other entries can complete
    sum(cells) == total is a check on two ranges (enumerating the sums took minutes on a line
    with two hidden cells up to 10,000).
    """
    *cells, total = [_allowed(d, threshold, big) for d in displays]
    pinned = []
    for k, display in enumerate(displays):
        if not isinstance(display, str):
            continue
        possible = 0
        for value in (cells + [total])[k]:
            ranges = [range(value, value + 1) if index == k else choices for index, choices in enumerate(cells)]
            low, high = sum(r.start for r in ranges), min(sum(r.stop - 1 for r in ranges), big)
            totals = range(value, value + 1) if k == len(cells) else total
            if low <= high and max(low, totals.start) <= min(high, totals.stop - 1):
                possible += 1
                if possible > 1:
                    break
        if possible <= 1:
            pinned.append(k)
    return pinned


def _check_grid(table, threshold):
    grid = suppress_grid(table, threshold)
    rows = list(table)
    columns = list(dict.fromkeys(c for r in rows for c in table[r]))
    exact_total = sum(sum(r.values()) for r in table.values())
    big = exact_total + 3 * threshold  # a loose bound: the reader may not see the grand total
    lines = [[grid.cells[r][c] for c in columns] + [grid.row_totals[r]] for r in rows]
    lines.append([grid.column_totals[c] for c in columns] + [grid.total])
    lines += [[grid.cells[r][c] for r in rows] + [grid.column_totals[c]] for c in columns]
    lines.append([grid.row_totals[r] for r in rows] + [grid.total])
    for r in rows:
        for c in columns:
            value, shown = table[r].get(c, 0), grid.cells[r][c]
            assert not (isinstance(shown, int) and shown < threshold)
            assert shown == value or (shown == SECONDARY and value >= threshold) or (
                shown == f"<{threshold}" and value < threshold)
    for line in lines:
        assert _pinned_entries(line, threshold, big) == [], (table, line)


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_cell_can_be_computed_back_from_random_distributions(seed):
    rng = random.Random(seed)
    threshold = rng.choice([3, 5, 11])
    counts = {f"c{i}": rng.choice([0, rng.randint(1, threshold - 1), rng.randint(threshold, 3 * threshold)])
              for i in range(rng.randint(1, 6))}
    _check_grid({"all": counts}, threshold)


@pytest.mark.parametrize("seed", range(120))
def test_no_hidden_cell_can_be_computed_back_from_random_month_tables(seed):
    rng = random.Random(1000 + seed)
    threshold = rng.choice([3, 5])
    table = {f"m{m}": {f"c{i}": rng.choice([0, rng.randint(1, threshold - 1), rng.randint(threshold, 12)])
                       for i in range(rng.randint(1, 4))} for m in range(rng.randint(1, 4))}
    _check_grid(table, threshold)
