"""Exports: French spreadsheets, the page's figures, small counts hidden, the CLI's file the same."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditLog
from kiosk.stats.indicators import Filters, compute
from kiosk.stats.tables import build_report

from . import factories
from .factories_stats import gen_activity
from .test_stats_suppression import _pinned_entries

THRESHOLD = 11


@pytest.fixture
def activity(app):
    return gen_activity()


@pytest.fixture
def coordinator(client, auth):
    user = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(user)
    return user


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def as_number(text: str):
    return int(text) if text.isdigit() else text


def exact_report(**filters):
    return build_report(compute(Filters(**filters)), shared=False)


def test_internal_csv_equals_the_page_figures(client, coordinator, activity):
    rows = read_csv(client.get("/stats/export.csv?mode=internal&from=2025-01-01&to=2025-12-31"))
    report = exact_report(start=date(2025, 1, 1), end=date(2025, 12, 31))
    headline = {r[2]: as_number(r[3]) for r in rows if r[0] == "Indicateurs"}
    assert headline == {row.label: row.value for row in report.headline}
    assert headline["Participations"] == 400
    page = client.get("/stats/?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    participations = '<th scope="row">Participations</th><td class="n">400</td>'
    assert participations in page
    ages = {r[2]: as_number(r[3]) for r in rows if r[0] == "Tranche d'âge" and r[1] == "Toute la période"}
    assert ages["Total"] == 400
    assert ages["26-40 ans"] == compute(Filters()).breakdowns["age_band"]["26_40"]


def test_csv_is_for_a_french_spreadsheet(client, coordinator, activity):
    response = client.get("/stats/export.csv?from=01/03/2025&to=31/10/2025")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Tableau", "Mois", "Libellé", "Nombre", "Part (%)"]
    assert all(len(r) == 5 for r in rows)
    assert ["Sélection", "", "Du : 01/03/2025", "", ""] in rows
    months = {r[1] for r in rows[1:] if r[1] and r[1] != "Toute la période"}
    assert months and all(len(m) == 7 and m[2] == "/" for m in months)  # 03/2025
    shares = [r[4] for r in rows if r[4] and r[4][0].isdigit()]
    assert shares and all("," in s and "." not in s for s in shares)  # decimal comma


def shared_numbers(rows):
    for r in rows[1:]:
        if r[0] in ("Sélection",) or r[2] == "Actions":
            continue  # selection text; actions are events, not persons
        yield r[3]


@pytest.mark.parametrize("query", ["", "from=2025-06-01&to=2025-06-30", "neighbourhood=QN0370001"])
def test_no_small_count_survives_a_shared_csv(client, coordinator, activity, query):
    rows = read_csv(client.get(f"/stats/export.csv?{query}"))
    for value in shared_numbers(rows):
        assert value in ("<11", "s") or int(value) >= THRESHOLD, value


def test_no_hidden_count_of_a_shared_csv_can_be_computed_back(client, coordinator, activity):
    rows = read_csv(client.get("/stats/export.csv?neighbourhood=QN0370002"))
    tables: dict[str, list] = {}
    for r in rows[1:]:
        if r[1] == "Toute la période" and r[0] not in ("Indicateurs", "Parole des habitants"):  # not lines
            tables.setdefault(r[0], []).append(as_number(r[3]))
    assert any("<11" in values for values in tables.values())
    for title, values in tables.items():
        assert _pinned_entries(values, THRESHOLD, 10_000) == [], title
    headline = {r[2]: as_number(r[3]) for r in rows if r[0] == "Indicateurs"}
    reach_line = [headline["Participations"], headline["Passages non enregistrés"], headline["Accompagnants"],
                  headline["Personnes touchées (participations + passages + accompagnants)"]]
    assert _pinned_entries(reach_line, THRESHOLD, 10_000) == []


def test_xlsx_has_definitions_and_one_sheet_per_breakdown(client, coordinator, activity):
    response = client.get("/stats/export.xlsx?mode=internal&neighbourhood=QN0370001")
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    names = book.sheetnames
    assert names[0] == "Définitions et filtres"
    assert {"Indicateurs", "Tranche d'âge", "Genre", "Quartier de résidence", "Connu par", "Évolution mensuelle",
            "Tranche d'âge par mois"} <= set(names)
    assert all(len(name) <= 31 for name in names)
    definitions = list(book["Définitions et filtres"].iter_rows(values_only=True))
    assert ("Quartier de l'action", "Quartier 1 (Tours)") in definitions
    assert any(row[0] == "Retours sous 90 jours" and "90 jours" in row[1] for row in definitions)
    neighbourhood = activity["neighbourhoods"][1]
    report = exact_report(neighbourhood_id=neighbourhood.id)
    sheet = {row[0]: row[1] for row in book["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    assert sheet == {row.label: row.value for row in report.headline}
    genders = {row[0]: row[1] for row in book["Genre"].iter_rows(min_row=2, values_only=True)}
    assert genders["Femme"] == compute(Filters(neighbourhood_id=neighbourhood.id)).breakdowns["gender"]["woman"]
    book.close()


def test_shared_xlsx_hides_small_counts(client, coordinator, activity):
    response = client.get("/stats/export.xlsx?from=2025-06-01&to=2025-06-30")
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    for name in book.sheetnames[1:]:
        for row in book[name].iter_rows(min_row=2, values_only=True):
            if row[0] == "Actions":
                continue
            for value in row[1:]:
                assert value is None or value in ("<11", "s") or value >= THRESHOLD or isinstance(value, float), \
                    (name, row)
    book.close()


def test_an_empty_period_exports_valid_empty_files(client, coordinator, activity):
    rows = read_csv(client.get("/stats/export.csv?from=2030-01-01&to=2030-12-31&mode=internal"))
    headline = {r[2]: r[3] for r in rows if r[0] == "Indicateurs"}
    assert headline["Actions"] == "0" and headline["Participations"] == "0"
    response = client.get("/stats/export.xlsx?from=2024-01-01&to=2024-12-31")
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert "Indicateurs" in book.sheetnames
    book.close()


def test_the_cli_writes_the_same_file_as_the_web(client, coordinator, runner, activity, tmp_path):
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        result = runner.invoke(args=["stats", "export", "--from", "01/02/2025", "--to", "2025-11-30",
                                     "--neighbourhood", "QN0370000", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        web = client.get(f"/stats/export.{fmt}?from=01/02/2025&to=2025-11-30&neighbourhood=QN0370000")
        if fmt == "csv":
            assert out.read_bytes() == web.get_data()
        else:
            cli_book = load_workbook(out, read_only=True)
            web_book = load_workbook(io.BytesIO(web.get_data()), read_only=True)
            assert cli_book.sheetnames == web_book.sheetnames
            for name in cli_book.sheetnames:
                assert list(cli_book[name].values) == list(web_book[name].values)
            cli_book.close()
            web_book.close()


def test_the_cli_refuses_bad_dates_in_french(runner, app, tmp_path):
    result = runner.invoke(args=["stats", "export", "--from", "2025-13-45", "--format", "csv",
                                 "--out", str(tmp_path / "x.csv")])
    assert result.exit_code != 0
    assert "n'est pas une date" in result.output


def test_internal_and_raw_exports_are_logged(client, coordinator, activity):
    client.get("/stats/export.xlsx?mode=internal")
    response = client.get("/stats/enregistrements.csv?neighbourhood=QN0370001")
    rows = read_csv(response)
    logs = db.session.execute(select(AuditLog).order_by(AuditLog.id)).scalars().all()
    assert [(log.action, log.user_id) for log in logs] == [("export_internal", coordinator.id),
                                                           ("export_raw", coordinator.id)]
    assert "Quartier 1" in logs[1].detail
    report = exact_report(neighbourhood_id=activity["neighbourhoods"][1].id)
    assert len(rows) - 1 == report.headline_value("participations")


def test_the_raw_export_holds_no_card_code(client, coordinator, activity):
    codes = [code for (code,) in db.session.execute(db.text("SELECT code FROM cards")).all()]
    body = client.get("/stats/enregistrements.csv").get_data(as_text=True)
    header = body.splitlines()[0].lower()
    assert "carte" in header and "code" not in header
    assert codes and not any(code in body for code in codes)
