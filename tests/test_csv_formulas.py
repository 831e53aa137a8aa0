"""No CSV cell starts a formula: text typed by staff reaches spreadsheets as text."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.stats.exports import spreadsheet_text

from . import factories

HOSTILE = ("=HYPERLINK(\"http://x.example\";\"clic\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\r=1")
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
T0 = datetime(2026, 3, 10, 14, 0)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_cell_starting_a_formula_is_neutralised(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Sanitas", "<11", "s", "12,5", 42, None, "", "Quartier - nord"])
def test_other_cells_are_left_alone(value):
    assert spreadsheet_text(value) == value


@pytest.fixture
def hostile(app, client, auth):
    place = factories.gen_neighbourhood(name=HOSTILE[0], code="QN0379999")
    structure = factories.gen_structure(name=HOSTILE[1], neighbourhood=place)
    event = factories.gen_event(structure=structure, title=HOSTILE[2], theme=HOSTILE[3], place_label=HOSTILE[4],
                                starts_at=T0, ends_at=T0 + timedelta(hours=2), status="closed")
    for _ in range(12):
        factories.gen_checkin(event, created_at=T0, residence="neighbourhood", residence_neighbourhood_id=place.id)
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(coordinator)
    return {"event": event, "place": place, "structure": structure}


def cells(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    return [cell for row in rows for cell in row]


def export_routes(hostile):
    event, place, structure = hostile["event"], hostile["place"], hostile["structure"]
    period = "from=2026-03-01&to=2026-03-31"
    theme = HOSTILE[3].replace("+", "%2B")
    return [
        f"/stats/export.csv?{period}&neighbourhood={place.id}",
        f"/stats/export.csv?{period}&structure={structure.id}&theme={theme}&mode=internal",
        f"/stats/enregistrements.csv?{period}&neighbourhood={place.id}",
        f"/events/{event.code}/report.csv?version=internal",
        f"/events/{event.code}/report.csv?version=shared",
    ]


def test_no_csv_export_route_lets_a_formula_through(client, hostile):
    for url in export_routes(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        found = cells(response.get_data())
        # The hostile text is there, neutralised, and nothing starts a formula.
        assert any(cell.startswith("'") and cell[1:].startswith(DANGEROUS_STARTS) for cell in found), url
        assert not [cell for cell in found if cell.startswith(DANGEROUS_STARTS)], url


def test_the_cli_csv_export_lets_no_formula_through(runner, hostile, tmp_path):
    out = tmp_path / "export.csv"
    result = runner.invoke(args=["stats", "export", "--from", "01/03/2026", "--to", "31/03/2026",
                                 "--neighbourhood", "QN0379999", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    found = cells(out.read_bytes())
    assert any(cell.startswith("'=") for cell in found)
    assert not [cell for cell in found if cell.startswith(DANGEROUS_STARTS)]
