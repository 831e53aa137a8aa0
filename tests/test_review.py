"""The annual review of fiche T1.3: every indicator of the sheet, this year and last, page, print and XLSX."""

import io
import uuid
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.orientation.models import Orientation
from kiosk.reception.models import Visit
from kiosk.review.compute import build_review
from kiosk.review.definitions import SHEET
from kiosk.training.services import Attendance, save_session

from .factories import gen_card, gen_checkin, gen_event, gen_structure, gen_user
from .factories_voice import gen_contribution, gen_feedback

YEAR = 2025
NOW = datetime(2026, 3, 1, 12)
EVERY_INDICATOR = [key for _section, _title, items in SHEET for key, _label, _definition in items]


@pytest.fixture
def year_of_work(app):
    structure = gen_structure()
    for year, people in ((YEAR - 1, 2), (YEAR, 3)):
        at = datetime(year, 5, 10, 10)
        event = gen_event(structure=structure, starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
        gen_event(structure=structure, starts_at=at + timedelta(days=3), ends_at=at + timedelta(days=3, hours=1),
                  status="closed")  # nobody came
        for i in range(people):
            checkin = gen_checkin(event, card=gen_card(), first_seen=True, created_at=at + timedelta(minutes=i),
                                  first_time="yes", goes_to_structure="no")
            db.session.add(Orientation(checkin_id=checkin.id, structure_id=structure.id, created_at=checkin.created_at))
            db.session.add(Visit(uuid=uuid.uuid4(), structure_id=structure.id, card_id=checkin.card_id,
                                 created_at=at + timedelta(days=10 + i), kind="first_contact"))
        # The residents' voice: feedback on the action, contributions and what became of them.
        for rating in ("good", "average", "good")[:people - 1]:
            gen_feedback(event, rating=rating)
        received = at + timedelta(hours=1)
        gen_contribution(event, created_at=received, status="done", first_answer_at=received + timedelta(days=3),
                         done_at=received + timedelta(days=40))
        if year == YEAR:
            gen_contribution(event, created_at=received, status="in_progress",
                             first_answer_at=received + timedelta(days=5))
            gen_contribution(event, created_at=received)  # not answered yet
        save_session(None, kind="training", theme="Aller vers", starts_on=date(year, 2, 1), ends_on=date(year, 2, 1),
                     hours=6, attendances=[Attendance(structure.id, "mediateur", people)])
    db.session.commit()
    return structure


def _figures(review):
    return {line.key: (line.value, line.previous) for group in review.sheet for line in group.lines}


def test_every_indicator_of_the_sheet_with_the_year_before(year_of_work):
    figures = _figures(build_review(YEAR, now=NOW))
    assert list(figures) == EVERY_INDICATOR
    assert figures["actions"] == (2, 2) and figures["actions_with_residents"] == (1, 1)
    assert figures["participations"] == (3, 2) and figures["newcomers_first_seen"] == (3, 2)
    assert figures["conversions_30"] == (3, 2) and figures["conversions_oriented"] == (3, 2)
    assert figures["follow_through"] == (100.0, 100.0)
    assert figures["training_sessions"] == (1, 1) and figures["people_trained"] == (3, 2)
    assert figures["visitors"] == (3, 2) and figures["met_outside_share"] == (100.0, 100.0)
    # The residents' voice (issue 13's module).
    assert figures["feedbacks"] == (2, 1) and figures["feedback_rate"] == (66.7, 50.0)
    assert figures["contributions"] == (3, 1) and figures["contributions_answered"] == (2, 1)
    assert figures["contributions_done"] == (1, 1)


def test_the_internal_review_details_conversions_by_structure_format_neighbourhood_and_action(year_of_work):
    review = build_review(YEAR, now=NOW)
    assert review.breakdowns["structure"] == [(year_of_work.name, 0, 3)]
    [(_theme, cohort, converted)] = review.breakdowns["format"]
    assert (cohort, converted) == (3, 3)
    assert build_review(YEAR, shared=True, now=NOW).breakdowns == {}


def test_the_shared_review_hides_small_counts(year_of_work):
    figures = _figures(build_review(YEAR, shared=True, now=NOW))
    assert figures["participations"] == ("<11", "<11")
    assert figures["follow_through"] == ("<11", "<11")
    assert figures["feedbacks"] == ("<11", "<11") and figures["feedback_rate"] == ("<11", "<11")
    assert figures["contributions"] == ("<11", "<11")
    assert figures["training_hours"] == (6.0, 6.0)  # hours are not people


def test_the_review_page_print_and_workbook(client, auth, year_of_work):
    auth.login_as(gen_user(role="coordinator"))
    page = client.get(f"/stats/bilan-annuel/?year={YEAR}")
    assert page.status_code == 200 and "/stats/bilan-annuel/_figures" in page.text
    fragment = client.get(f"/stats/bilan-annuel/_figures?year={YEAR}", headers={"HX-Request": "true"}).text
    for key in EVERY_INDICATOR:
        assert f'data-indicator="{key}"' in fragment
    printed = client.get(f"/stats/bilan-annuel/imprimer?year={YEAR}&mode=partners")
    assert printed.status_code == 200 and "&lt;11" in printed.text
    book = load_workbook(io.BytesIO(client.get(f"/stats/bilan-annuel/bilan.xlsx?year={YEAR}").data))
    assert book.sheetnames == [f"Bilan T1.3 {YEAR}", "Par mois", "Définitions"]
    rows = list(book[f"Bilan T1.3 {YEAR}"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(EVERY_INDICATOR)
    assert ("Participations", 3, 2) in [(r[2], r[3], r[4]) for r in rows]


def test_a_shared_review_of_an_unfinished_year_is_refused(client, auth, app):
    auth.login_as(gen_user(role="coordinator"))
    response = client.get("/stats/bilan-annuel/?mode=partners")
    assert response.status_code == 400 and "année terminée" in response.text


def test_only_coordinators_see_the_review(client, auth, app):
    auth.login_as(gen_user())
    assert client.get("/stats/bilan-annuel/").status_code == 403


def _document_text(data: bytes) -> tuple[str, list[list[str]], int]:
    """Read a DOCX back: its paragraphs' text, its tables' rows, and how many pictures it holds."""
    from docx import Document

    document = Document(io.BytesIO(data))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    text = "\n".join(p.text for p in document.paragraphs)
    return text, rows, len(document.inline_shapes)


def test_the_review_as_a_document_holds_every_indicator_with_its_figures_and_a_chart(client, auth, year_of_work):
    auth.login_as(gen_user(role="coordinator"))
    page = client.get(f"/stats/bilan-annuel/?year={YEAR}")
    assert f"/stats/bilan-annuel/bilan.docx?year={YEAR}" in page.text.replace("&amp;", "&")
    response = client.get(f"/stats/bilan-annuel/bilan.docx?year={YEAR}")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    text, rows, pictures = _document_text(response.data)
    review = build_review(YEAR, now=NOW)
    by_label = {row[0]: row[1:] for row in rows}
    for group in review.sheet:
        assert group.title in text
        for line in group.lines:
            assert line.label in by_label, line.key
            figure, previous, definition = by_label[line.label]
            assert definition == line.definition
            assert (figure, previous) != ("", "")
    assert by_label["Participations"][:2] == ["3", "2"]
    assert by_label["Heures de formation"][:2] == ["6.0", "6.0"]
    assert by_label["Avis sur l'action"][:2] == ["2", "1"]
    assert by_label["Paroles d'habitants (contributions)"][:2] == ["3", "1"]
    assert pictures == len(review.sheet)  # one chart per line of the sheet
    assert "Version interne" in text
    assert [year_of_work.name, "3"] in rows  # the internal detail by structure


def test_the_shared_document_hides_small_counts(client, auth, year_of_work):
    auth.login_as(gen_user(role="coordinator"))
    response = client.get(f"/stats/bilan-annuel/bilan.docx?year={YEAR}&mode=partners")
    assert response.status_code == 200 and "partenaires" in response.headers["Content-Disposition"]
    text, rows, _pictures = _document_text(response.data)
    by_label = {row[0]: row[1:] for row in rows}
    assert by_label["Participations"][:2] == ["<11", "<11"]
    assert by_label["Personnes formées"][:2] == ["<11", "<11"]
    assert by_label["Taux de suite des orientations (%)"][:2] == ["<11", "<11"]
    assert by_label["Heures de formation"][:2] == ["6.0", "6.0"]  # hours are not people
    # No small count anywhere: every figure cell is a mark, a dash or at least the threshold.
    labels = {line.label for group in build_review(YEAR, now=NOW).sheet for line in group.lines} - {
        "Heures de formation", "Heures-personnes de formation", "Délai médian avant la première visite (jours)"}
    for label in labels:
        for cell in by_label[label][:2]:
            assert cell in ("<11", "—") or float(cell.replace("\u202f", "")) >= 11, (label, cell)
    assert "Nouvelles participations dans les structures, en détail" not in text  # internal only
    months = [row for row in rows if row[0].endswith(f"/{YEAR}")]
    assert len(months) == 12 and all(cell in ("<11", "0") or int(cell) >= 11 for row in months for cell in row[1:])


SETTLED = datetime(YEAR + 1, 8, 1, 12)  # more than 180 days after the year's end: every window is over


def _cached_years():
    from kiosk.review.models import ReviewYear

    return db.session.execute(db.select(ReviewYear.year)).scalars().all()


def test_a_settled_year_is_computed_once_then_read_from_the_cache(year_of_work):
    from kiosk.review import compute

    assert not compute.cache.settled(YEAR, NOW) and compute.cache.settled(YEAR, SETTLED)
    first = _figures(build_review(YEAR, now=SETTLED))
    db.session.commit()
    assert sorted(_cached_years()) == [YEAR - 1, YEAR]
    calls = []
    original = compute._recorded_figures
    compute._recorded_figures = lambda *args: calls.append(args) or original(*args)
    try:
        again = build_review(YEAR, now=SETTLED)
    finally:
        compute._recorded_figures = original
    assert calls == [] and _figures(again) == first
    assert again.breakdowns == build_review(YEAR, now=SETTLED).breakdowns
    assert again.breakdowns["structure"] == [(year_of_work.name, 0, 3)]
    # Training and the residents' voice are never cached: a session recorded late counts at once.
    save_session(None, kind="training", theme="Rattrapage", starts_on=date(YEAR, 9, 1), ends_on=date(YEAR, 9, 1),
                 hours=2, attendances=[Attendance(year_of_work.id, "mediateur", 4)])
    db.session.commit()
    assert _figures(build_review(YEAR, now=SETTLED))["training_sessions"] == (2, 1)


def test_the_cache_is_dropped_when_a_void_reaches_back_into_a_settled_year(year_of_work):
    from kiosk.models import CheckIn
    from kiosk.stand.services import void_checkin

    build_review(YEAR, now=SETTLED)
    db.session.commit()
    assert _cached_years()
    checkin = db.session.execute(db.select(CheckIn).where(CheckIn.created_at >= datetime(YEAR, 1, 1))
                                 .limit(1)).scalar_one()
    void_checkin(checkin, by=gen_user(role="coordinator"), reason="doublon")
    db.session.commit()
    assert YEAR not in _cached_years()
    assert _figures(build_review(YEAR, now=SETTLED))["participations"] == (2, 2)


def test_erasing_a_card_or_reopening_an_event_drops_the_cache(year_of_work):
    from kiosk.cards.services import erase_card
    from kiosk.models import Card, Event
    from kiosk.review import cache

    build_review(YEAR, now=SETTLED)
    db.session.commit()
    erase_card(db.session.execute(db.select(Card.code).limit(1)).scalar_one())
    db.session.commit()
    assert _cached_years() == []
    build_review(YEAR, now=SETTLED)
    db.session.commit()
    event = db.session.execute(db.select(Event).where(Event.starts_at >= datetime(YEAR, 1, 1))).scalars().first()
    event.status = "open"  # a year with an open event can still take check-ins: not settled
    db.session.commit()
    assert not cache.settled(YEAR, SETTLED)


def _moving_year_kept(year, now):
    from kiosk.review.models import ReviewYear

    return db.session.execute(db.select(ReviewYear).where(ReviewYear.year == year)).scalar()


def test_a_moving_year_is_kept_while_nothing_new_is_recorded(year_of_work):
    from kiosk.review import compute

    first = compute.year_figures(YEAR + 1, None, now=NOW)
    db.session.commit()
    assert _moving_year_kept(YEAR + 1, NOW).stamp is not None
    calls = []
    original = compute._recorded_figures
    compute._recorded_figures = lambda *args: calls.append(args) or original(*args)
    try:
        assert compute.year_figures(YEAR + 1, None, now=NOW) == first and calls == []
        # A check-in recorded since: computed again, and counted.
        at = NOW - timedelta(days=2)
        event = gen_event(structure=year_of_work, starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
        checkin = gen_checkin(event, card=gen_card(), first_seen=True, created_at=at)
        db.session.commit()
        again = compute.year_figures(YEAR + 1, None, now=NOW)
        assert len(calls) == 1 and again["participations"] == first["participations"] + 1
        # A visit of that card: a conversion within 30 days.
        db.session.add(Visit(uuid=uuid.uuid4(), structure_id=year_of_work.id, card_id=checkin.card_id,
                             created_at=NOW - timedelta(hours=1), kind="first_contact"))
        db.session.commit()
        assert compute.year_figures(YEAR + 1, None, now=NOW)["conversions_30"] == first["conversions_30"] + 1
        # A void changes a row in place: its signal drops the kept figures.
        from kiosk.stand.services import void_checkin

        void_checkin(checkin, by=gen_user(role="coordinator"), reason="doublon")
        db.session.commit()
        assert compute.year_figures(YEAR + 1, None, now=NOW)["participations"] == first["participations"]
        assert len(calls) == 3
    finally:
        compute._recorded_figures = original


def test_a_moving_year_is_computed_again_when_an_orientation_s_90_days_end(year_of_work):
    from kiosk.orientation.services import orient
    from kiosk.review import compute

    at = NOW - timedelta(days=5)
    event = gen_event(structure=year_of_work, starts_at=at, ends_at=at + timedelta(hours=2), status="closed")
    checkin = gen_checkin(event, card=gen_card(), first_seen=True, created_at=at)
    orient(checkin, year_of_work.id)
    db.session.commit()
    oriented_at = db.session.execute(db.select(Orientation.created_at).where(
        Orientation.checkin_id == checkin.id)).scalar_one()
    figures = compute.year_figures(YEAR + 1, None, now=NOW)
    db.session.commit()
    assert figures["oriented_pairs"] == 0 and figures["follow_through"] is None
    assert _moving_year_kept(YEAR + 1, NOW).expires_at == oriented_at + timedelta(days=90)
    # The same rows, 90 days on: the pair is in the rate now (never followed).
    later = oriented_at + timedelta(days=90, minutes=1)
    figures = compute.year_figures(YEAR + 1, None, now=later)
    assert figures["oriented_pairs"] == 1 and figures["followed_pairs"] == 0 and figures["follow_through"] == 0.0
    # An earlier moment than the kept figures' is never answered from them.
    assert compute.year_figures(YEAR + 1, None, now=NOW)["oriented_pairs"] == 0
