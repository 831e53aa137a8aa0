"""The event report against a hand-built event whose answers are known, exact and shared."""

import csv
import html as html_module
import io
import re
from datetime import datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.stand.report import build_report
from kiosk.stats.labels import INDICATOR_TITLES

from . import factories
from .factories_stand import gen_stand, gen_tally

T0 = datetime(2026, 3, 10, 14, 0)  # naive UTC


@pytest.fixture
def stand(app):
    stand = gen_stand(starts_at=T0, ends_at=T0 + timedelta(hours=3), title="Goûter au square")
    event, at = stand.event, T0 + timedelta(minutes=5)
    sanitas = factories.gen_neighbourhood(name="Sanitas")
    cards = [factories.gen_card() for _ in range(12)]
    for card in cards:  # twelve first cards, newcomers, far from structures, from Sanitas
        factories.gen_checkin(event, created_at=at, card=card, first_seen=True, first_time="yes",
                              goes_to_structure="no", age_band="26_40", residence="neighbourhood",
                              residence_neighbourhood_id=sanitas.id, heard_from="passing_by", channel="camera")
    for _ in range(3):  # three without card, needing an Arabic interpreter and childcare for two
        factories.gen_checkin(event, created_at=at, first_time="no", goes_to_structure="yes", age_band="41_60",
                              residence="other", heard_from="poster", channel="keypad",
                              interpreter_language="ar", childcare_children=2, childcare_age_bands="0_2,3_5")
    factories.gen_checkin(event, created_at=at, card=factories.gen_card(), first_seen=False, first_time="skip",
                          goes_to_structure="skip", age_band="skip", residence="skip", heard_from="poster",
                          channel="scanner", accessibility=True)
    factories.gen_checkin(event, created_at=at, first_time="yes", channel="camera", childcare_children=5,
                          voided_at=at, void_reason="doublon")
    gen_tally(event, 5)
    gen_tally(event, 4, undone_at=at)
    # One of the twelve cards comes back at a later action within 90 days: a return.
    later = factories.gen_event(structure=event.structure, starts_at=T0 + timedelta(days=30),
                                ends_at=T0 + timedelta(days=30, hours=2), status="closed")
    factories.gen_checkin(later, created_at=T0 + timedelta(days=30, minutes=5), card=cards[0])
    event.status = "closed"
    db.session.commit()
    stand.sanitas_id = sanitas.id
    return stand


@pytest.fixture
def logged_in(client, auth, stand):
    auth.login_as(stand.animateur)
    return client


def non_zero(rows: dict[str, str]) -> dict[str, str]:
    return {key: shown for key, shown in rows.items() if shown != "0"}


def tables_of(html: str) -> dict[str, dict[str, str]]:
    """Read the report page back: table key -> row key -> the figure shown."""
    tables = {}
    for key, body in re.findall(r'data-table="(\w+)">(.*?)</section>', html, re.S):
        rows = re.findall(r'data-row="(\w+)"><th scope="row">.*?</th><td class="num">([^<]*)</td>', body, re.S)
        tables[key] = {row: html_module.unescape(shown) for row, shown in rows}
    return tables


EXACT = {
    "indicators": {"participations": "16", "newcomers_declared": "12", "newcomers_first_seen": "12",
                   "far_from_structures": "12", "distinct_cards": "13", "returns": "1", "tallies": "5",
                   "reach": "21"},
    "needs": {"childcare_participations": "3", "children": "6", "interpreting": "3", "accessibility": "1"},
    "interpreter_language": {"ar": "3", "total": "3"},
    "age_band": {"26_40": "12", "41_60": "3", "skip": "1", "total": "16"},
    "heard_from": {"passing_by": "12", "poster": "4", "total": "16"},
    "channel": {"camera": "12", "keypad": "3", "scanner": "1", "total": "16"},
}


def test_staff_report_shows_exact_figures(logged_in, stand):
    html = logged_in.get(f"/events/{stand.event.code}/report").get_data(as_text=True)
    tables = tables_of(html)
    for key, rows in EXACT.items():
        assert non_zero(tables[key]) == rows, key
    assert non_zero(tables["residence"]) == {f"n{stand.sanitas_id}": "12", "other": "3", "skip": "1", "total": "16"}
    assert "Sanitas" in html and "Passé" in html


def test_shared_report_hides_small_counts(logged_in, stand):
    html = logged_in.get(f"/events/{stand.event.code}/report?version=shared").get_data(as_text=True)
    tables = tables_of(html)
    indicators = tables["indicators"]
    assert indicators["newcomers_declared"] == "12" and indicators["far_from_structures"] == "12"
    assert indicators["tallies"] == "<11"
    # reach - participations would give the tallies back: one of the two is hidden.
    assert "s" in (indicators["participations"], indicators["reach"])
    assert tables["needs"] == dict.fromkeys(EXACT["needs"], "<11")
    assert tables["interpreter_language"]["ar"] == "<11"
    assert tables["age_band"]["41_60"] == "<11" and tables["age_band"]["skip"] == "<11"
    assert tables["channel"]["keypad"] == "<11" and tables["channel"]["scanner"] == "<11"
    for rows in tables.values():
        for shown in rows.values():
            assert shown in ("<11", "s") or int(shown) >= 11
    assert "secret statistique" in html


def test_shared_report_leaves_no_single_hidden_cell_beside_a_shown_total(app, stand):
    report = build_report(stand.event, "shared")
    for table in report.tables:
        if table.total is None or not table.total.isdigit():
            continue
        hidden = [row for row in table.rows if not row.shown.isdigit()]
        assert len(hidden) != 1, table.key


def test_report_csv_is_for_french_excel(logged_in, stand):
    response = logged_in.get(f"/events/{stand.event.code}/report.csv?version=internal")
    assert response.mimetype == "text/csv"
    assert f"rapport-{stand.event.code}-interne.csv" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Action", "Goûter au square"]
    figures = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert figures[("Indicateurs", "Participations")] == "16"
    assert figures[("Indicateurs", str(INDICATOR_TITLES["reach"]))] == "21"
    assert figures[("Besoins", str(INDICATOR_TITLES["children"]))] == "6"
    assert figures[("Quartier de résidence", "Sanitas")] == "12"


def test_shared_csv_follows_the_small_count_rule(logged_in, stand):
    response = logged_in.get(f"/events/{stand.event.code}/report.csv?version=shared")
    assert "partage" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    figures = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert figures[("Indicateurs", str(INDICATOR_TITLES["newcomers_declared"]))] == "12"
    assert figures[("Indicateurs", str(INDICATOR_TITLES["tallies"]))] == "<11"
    assert figures[("Besoins", str(INDICATOR_TITLES["children"]))] == "<11"
    assert "6" not in {v for (section, _), v in figures.items() if section == "Besoins"}


def test_unknown_version_is_refused(logged_in, stand):
    assert logged_in.get(f"/events/{stand.event.code}/report?version=raw").status_code == 400
    assert logged_in.get(f"/events/{stand.event.code}/report.csv?version=raw").status_code == 400


def test_report_of_an_event_without_checkins(client, auth, app):
    empty = gen_stand()
    auth.login_as(empty.animateur)
    html = client.get(f"/events/{empty.event.code}/report").get_data(as_text=True)
    tables = tables_of(html)
    assert tables["indicators"]["participations"] == "0"
    assert non_zero(tables["age_band"]) == {}


@pytest.fixture
def voiced(stand):
    """Feedback and contributions at the stand's event, counted by hand below."""
    from .factories_voice import gen_contribution, gen_feedback, gen_topic

    event = stand.event
    for rating, n in (("good", 5), ("ok", 2), ("bad", 1)):
        for _ in range(n):
            gen_feedback(event, rating=rating)
    propre, jeunes = gen_topic(name="Propreté"), gen_topic(name="Jeunesse")
    gen_contribution(event, propre, channel="kiosk")
    gen_contribution(event, propre, channel="kiosk", initiative=True)
    gen_contribution(event, propre, channel="phone")
    gen_contribution(event, jeunes, channel="animateur")
    # Another event's feedback and words are not this report's.
    other = factories.gen_event(structure=event.structure, starts_at=T0 + timedelta(days=1),
                                ends_at=T0 + timedelta(days=1, hours=2), status="closed")
    gen_feedback(other, rating="bad")
    gen_contribution(other, jeunes, channel="phone")
    db.session.commit()
    stand.topics = (propre.id, jeunes.id)
    return stand


def test_staff_report_shows_the_residents_voice(logged_in, voiced):
    tables = tables_of(logged_in.get(f"/events/{voiced.event.code}/report").get_data(as_text=True))
    # 8 feedbacks for 16 participations: 50 %.
    assert tables["voice"] == {"feedbacks": "8", "feedback_rate": "50,0 %", "contributions": "4",
                               "initiatives": "1"}
    assert tables["voice_rating"] == {"good": "5", "ok": "2", "bad": "1", "total": "8"}
    propre, jeunes = voiced.topics
    assert tables["voice_topic"] == {str(jeunes): "1", str(propre): "3", "total": "4"}
    assert tables["voice_channel"] == {"kiosk": "2", "phone": "1", "animateur": "1", "total": "4"}


def test_shared_report_hides_the_voices_small_counts(logged_in, voiced):
    html = logged_in.get(f"/events/{voiced.event.code}/report?version=shared").get_data(as_text=True)
    tables = tables_of(html)
    assert tables["voice"]["feedbacks"] == "<11" and tables["voice"]["contributions"] == "<11"
    assert tables["voice"]["feedback_rate"] in ("<11", "s")  # a rate of a hidden count would give it back
    for key in ("voice_rating", "voice_topic", "voice_channel"):
        assert set(tables[key].values()) <= {"<11", "s"}, key


def test_report_csv_carries_the_residents_voice(logged_in, voiced):
    response = logged_in.get(f"/events/{voiced.event.code}/report.csv?version=internal")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    figures = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert figures[("Parole des habitants", "Avis sur l'action")] == "8"
    assert figures[("Parole des habitants", "Taux d'avis (avis ÷ participations)")] == "50,0 %"
    assert figures[("Avis sur l'action : répartition", "Pas bien")] == "1"
    assert figures[("Paroles par sujet", "Propreté")] == "3"
    assert figures[("Paroles par canal", "animateur")] == "1"


def test_report_without_voice_says_no_feedback_yet(logged_in, stand):
    tables = tables_of(logged_in.get(f"/events/{stand.event.code}/report").get_data(as_text=True))
    assert tables["voice"] == {"feedbacks": "0", "feedback_rate": "0,0 %", "contributions": "0",
                               "initiatives": "0"}
    assert tables["voice_rating"] == {"good": "0", "ok": "0", "bad": "0", "total": "0"}
    assert "voice_topic" not in tables  # no contribution: no topic to list
    assert set(tables["voice_channel"].values()) == {"0"}
