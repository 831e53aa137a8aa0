"""Shared exports resist differencing: subtracting two of them gives no small count back."""

import csv
import html
import io
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import AGE_BANDS, CHANNELS, FIRST_TIME, GENDERS, HEARD_FROM, YES_NO
from kiosk.stats.filters import FilterInput, shared_selection
from kiosk.stats.indicators import Figures, Filters, Indicators
from kiosk.stats.tables import build_report

from . import factories

THRESHOLD = 11
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
NAMES = {1: "Sanitas", 2: "Rabaterie"}

checkin = st.fixed_dictionaries({
    "first_time": st.sampled_from(FIRST_TIME + (None,)),
    "residence": st.sampled_from(["n1", "n2", "other", "skip", "not_asked"]),
    "age_band": st.sampled_from(AGE_BANDS + (None,)),
    "gender": st.sampled_from(GENDERS + (None,)),
    "goes_to_structure": st.sampled_from(YES_NO + (None,)),
    "heard_from": st.sampled_from(HEARD_FROM + (None,)),
    "channel": st.sampled_from(CHANNELS),
    "language": st.sampled_from(["fr", "ar", "en"]),
    "interpreter_language": st.sampled_from([None, None, "ar", "tr"]),
    "children": st.integers(0, 3),
    "accessibility": st.booleans(),
    "first_seen": st.booleans(),
})
month_data = st.fixed_dictionaries({
    "checkins": st.lists(checkin, max_size=30),
    "tallies": st.integers(0, 25),
    "returns": st.integers(0, 15),
})


def month_figures(data) -> Figures:
    """Fold random check-ins into a month's figures, as summaries.scan would count them."""
    figures = Figures(tallies=data["tallies"], breakdowns=defaultdict(Counter))
    for c in data["checkins"]:
        figures.participations += 1
        figures.newcomers_declared += c["first_time"] == "yes"
        figures.newcomers_first_seen += c["first_seen"]
        figures.far_from_structures += c["goes_to_structure"] == "no"
        figures.childcare_participations += c["children"] > 0
        figures.children += c["children"]
        figures.accessibility += c["accessibility"]
        figures.interpreting += c["interpreter_language"] is not None
        for dim in ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from",
                    "channel", "language"):
            figures.breakdowns[dim][c[dim] or "not_asked"] += 1
        if c["interpreter_language"]:
            figures.breakdowns["interpreter_language"][c["interpreter_language"]] += 1
    figures.returns = min(data["returns"], figures.newcomers_first_seen)
    return figures


def indicators_for(months: dict[str, Figures], period: list[str]) -> Indicators:
    """What compute() gives for a period made of these months."""
    result = Indicators(actions=len(period), neighbourhood_names=NAMES)
    for m in period:
        figures = months[m]
        for name in Figures.__dataclass_fields__:
            if name != "breakdowns":
                setattr(result, name, getattr(result, name) + getattr(figures, name))
        for dim, counts in figures.breakdowns.items():
            result.breakdowns[dim].update(counts)
        result.months[m] = figures
    result.distinct_cards = result.newcomers_first_seen
    return result


def month_cells(report) -> dict:
    """(table, column key) -> {month: shown value}: every month's figures of a report."""
    cells = defaultdict(dict)
    for table in [report.evolution, *report.month_tables]:
        for m, values in table.rows:
            for (key, _label), value in zip(table.columns, values, strict=True):
                cells[(table.key, key)][m] = value
    return cells


def period_figures(report) -> dict:
    """Every figure of a report over the whole period, named so two reports can be compared."""
    figures = {("headline", row.key): row.value for row in report.headline}
    for table in [report.evolution, *report.month_tables]:
        for (key, _label), value in zip(table.columns, table.total, strict=True):
            figures[(table.key, key)] = value
    return figures


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(month_data, min_size=len(MONTHS), max_size=len(MONTHS)),
       bounds=st.tuples(*[st.integers(0, len(MONTHS) - 1)] * 4))
def test_subtracting_two_shared_exports_gives_no_small_count_back(data, bounds):
    months = {m: month_figures(d) for m, d in zip(MONTHS, data, strict=True)}
    a1, b1, a2, b2 = bounds
    p1, p2 = MONTHS[min(a1, b1):max(a1, b1) + 1], MONTHS[min(a2, b2):max(a2, b2) + 1]
    if not set(p1) & set(p2):
        p2 = sorted(set(p2) | {p1[0]})  # overlapping periods only
        p2 = MONTHS[MONTHS.index(p2[0]):MONTHS.index(p2[-1]) + 1]
    r1, r2 = (build_report(indicators_for(months, p), shared=True, threshold=THRESHOLD) for p in (p1, p2))
    cells1, cells2 = month_cells(r1), month_cells(r2)

    # A month reads the same in every export: nothing to gain by comparing them.
    for key, by_month in cells1.items():
        for m in set(p1) & set(p2):
            # An answer no one gave in either period has no column: zero, hidden, the same.
            assert by_month[m] == cells2.get(key, {}).get(m, f"<{THRESHOLD}"), (key, m)

    only1, only2 = [m for m in p1 if m not in p2], [m for m in p2 if m not in p1]
    figures1, figures2 = period_figures(r1), period_figures(r2)
    evolution_of = {("headline", key): ("evolution", key) for _t, key in cells1 if _t == "evolution"}
    for name, v1 in figures1.items():
        v2 = figures2.get(name)
        if not (isinstance(v1, int) and isinstance(v2, int)) or name == ("headline", "actions"):
            continue
        difference = v1 - v2
        if name == ("headline", "distinct_cards"):
            continue  # not a sum over months (see README: what differencing can still tell)
        if not only2 and only1 or not only1 and only2:  # nested: the difference is the figure of some months
            assert abs(difference) >= THRESHOLD, (name, p1, p2, difference)
        key = evolution_of.get(name, name)
        if key in cells1 and key in cells2:  # the difference must not pin one hidden month figure either
            hidden = [m for m in only1 if isinstance(cells1[key][m], str)] + [
                m for m in only2 if isinstance(cells2[key][m], str)]
            assert len(hidden) != 1, (name, p1, p2, hidden)


# The attack of the field test, through the real exports: a 3-person event in January.

@pytest.fixture
def small_january(app, client, auth):
    place = factories.gen_neighbourhood(name="Rabaterie", code="QN0370042")
    structure = factories.gen_structure(neighbourhood=place)
    for start, people in ((datetime(2025, 1, 15, 14), 3), (datetime(2025, 2, 12, 14), 20),
                          (datetime(2025, 3, 12, 14), 25)):
        event = factories.gen_event(structure=structure, starts_at=start, ends_at=start + timedelta(hours=2),
                                    status="closed")
        for _ in range(people):
            factories.gen_checkin(event, created_at=start, first_time="yes")
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(coordinator)
    return place


def headline(response) -> dict[str, str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    rows = csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";")
    return {r[2]: r[3] for r in rows if r[0] == "Indicateurs"}


def test_overlapping_shared_exports_do_not_give_the_small_event_back(client, small_january):
    first = headline(client.get("/stats/export.csv?from=2025-01-01&to=2025-03-31&neighbourhood=QN0370042"))
    second = headline(client.get("/stats/export.csv?from=2025-02-01&to=2025-03-31&neighbourhood=QN0370042"))
    assert second["Participations"] == "45"
    assert not first["Participations"].isdigit()  # January is small: the total over it is hidden
    exact = headline(client.get("/stats/export.csv?from=2025-01-01&to=2025-03-31&neighbourhood=QN0370042"
                                "&mode=internal"))
    assert exact["Participations"] == "48"


@pytest.mark.parametrize(("query", "field", "message"), [
    ("from=2025-01-02&to=2025-03-31", "from", "commencez un 1er du mois"),
    ("from=2025-01-01&to=2025-03-30", "to", "finissez le dernier jour d'un mois"),
])
def test_a_shared_export_refuses_a_period_cut_inside_a_month(client, small_january, query, field, message):
    for url in (f"/stats/export.csv?{query}", f"/stats/export.xlsx?{query}", f"/stats/rapport?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in html.unescape(response.get_data(as_text=True))
    assert client.get(f"/stats/export.csv?{query}&mode=internal").status_code == 200  # staff figures are exact


def test_the_cli_refuses_a_shared_period_cut_inside_a_month(runner, small_january, tmp_path):
    out = tmp_path / "x.csv"
    args = ["stats", "export", "--from", "02/01/2025", "--to", "31/03/2025", "--format", "csv", "--out", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "commencez un 1er du mois" in result.output
    assert runner.invoke(args=[*args, "--internal"]).exit_code == 0


@pytest.mark.parametrize(("end", "error"), [
    (None, None), (date(2026, 11, 30), None), (date(2026, 12, 31), "dernier mois fini"),
])
def test_a_shared_period_ends_with_the_last_finished_month(app, end, error):
    selection = FilterInput(filters=Filters(start=date(2026, 1, 1), end=end))
    shared = shared_selection(selection, today=date(2026, 12, 1))
    if error:
        assert error in shared.errors["to"]
    else:
        assert shared.valid and shared.filters.end == date(2026, 11, 30)


def test_the_definitions_sheet_explains_the_method(client, small_january):
    response = client.get("/stats/export.xlsx?from=2025-01-01&to=2025-03-31")
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(book["Définitions et filtres"].iter_rows(values_only=True))
    book.close()
    assert any(row[0] == "Méthode" and "mois entiers" in row[1] for row in rows)
