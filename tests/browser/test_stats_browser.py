"""A coordinator filters the statistics, downloads the exports and prints the report."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kiosk.demo import DEMO_USERS

from .conftest import SCREENSHOTS, login, screenshot

pytestmark = pytest.mark.browser


def test_coordinator_filters_downloads_and_prints(page, live_server, tmp_path):
    login(page, live_server, DEMO_USERS[0][1])
    page.get_by_role("link", name="Statistiques").click()
    page.get_by_role("heading", name="Statistiques et indicateurs").wait_for()
    screenshot(page, "stats-all")

    page.get_by_label("Quartier de l'action").select_option(label="Sanitas (Tours)")
    page.wait_for_url("**neighbourhood=*")
    headline = page.locator("table.headline")
    assert headline.locator("tr", has_text="Actions").locator("td").first.inner_text() != ""
    screenshot(page, "stats-sanitas")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV partagé").click()
    raw = info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tableau", "Mois", "Libellé", "Nombre", "Part (%)"]
    assert any(r[2].startswith("Quartier de l'action : Sanitas") for r in rows)

    with page.expect_download() as info:
        page.get_by_role("link", name="Classeur XLSX partagé").click()
    xlsx = tmp_path / "export.xlsx"
    info.value.save_as(xlsx)
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "Définitions et filtres"
    book.close()

    page.get_by_role("link", name="Rapport imprimable").click()
    page.get_by_role("heading", name="Profils des participants").wait_for()
    page.emulate_media(media="print")
    screenshot(page, "stats-report-print")
    page.pdf(path=str(SCREENSHOTS / "stats-report.pdf"), format="A4")


def test_bad_dates_get_a_french_message(page, live_server):
    login(page, live_server, DEMO_USERS[0][1])
    page.goto(live_server.url + "/stats/?from=2026-05-01&to=2026-04-01")
    page.get_by_text("La date de fin (01/04/2026) est avant la date de début (01/05/2026).").wait_for()
    screenshot(page, "stats-bad-dates")
