"""Indicators of the residents' voice: delays from fixed timestamps, small counts in shared exports."""

import csv
import io
from datetime import datetime, timedelta

from kiosk.extensions import db
from kiosk.stats.indicators import Filters
from kiosk.stats.voice import NOT_REACHED, compute_voice, layout_voice, median_days

from . import factories
from .factories_voice import gen_contribution, gen_feedback, gen_topic

T0 = datetime(2025, 3, 3, 10, 0)
NOW = datetime(2025, 6, 1, 12, 0)


def _headline(report):
    return {row.key: (row.value, row.share) for row in report.headline}


def test_median_ranks_the_unanswered_after_every_answer():
    assert median_days([1.0, 3.0, 10.0]) == 3.0
    assert median_days([1.0, 3.0, None, None]) == NOT_REACHED
    assert median_days([1.0, 3.0, 5.0, None]) == 4.0
    assert median_days([]) is None


def test_time_to_answer_and_within_30_days_from_fixed_timestamps(app):
    event = factories.gen_event(starts_at=T0 - timedelta(hours=1), ends_at=T0 + timedelta(hours=2), status="closed")
    topic = gen_topic()
    # answered after 2, 10 and 40 days; one never answered; one received 5 days before NOW (window open)
    gen_contribution(event, topic, created_at=T0, first_answer_at=T0 + timedelta(days=2), status="transmitted")
    gen_contribution(event, topic, created_at=T0, first_answer_at=T0 + timedelta(days=10),
                     done_at=T0 + timedelta(days=20), status="done", initiative=True)
    gen_contribution(event, topic, created_at=T0, first_answer_at=T0 + timedelta(days=40), status="not_possible",
                     status_reason="Terrain privé")
    gen_contribution(event, topic, created_at=T0)
    gen_contribution(event, topic, created_at=NOW - timedelta(days=5))
    for rating in ("good", "good", "ok"):
        gen_feedback(event, rating=rating)
    factories.gen_checkin(event)
    factories.gen_checkin(event)
    db.session.commit()
    report = layout_voice(compute_voice(Filters(), now=NOW), 6, shared=False, threshold=11)
    h = _headline(report)
    assert h["contributions"] == (5, None)
    assert h["answered"] == (3, 3 / 5)
    assert h["answered_30"] == (2, 2 / 4)  # of the 4 whose 30 days are over; the unanswered one counts
    assert h["median_first_answer"][0] == 40.0  # 2, 10, 40, never, never: the 3rd of 5
    assert h["median_done"][0] == NOT_REACHED  # 20, never x3 (the "pas possible" one is left out)
    assert h["initiatives"] == (1, 1 / 5)
    assert h["feedbacks"] == (3, None) and h["feedback_rate"] == (3, 3 / 6)
    ratings = next(d for d in report.distributions if d.key == "voice_rating")
    assert [(r.key, r.value) for r in ratings.rows] == [("good", 2), ("ok", 1), ("bad", 0)]


def test_the_feedback_distribution_keeps_the_small_count_rule_in_shared_exports(client, auth):
    event = factories.gen_event(starts_at=datetime(2025, 5, 10, 9), ends_at=datetime(2025, 5, 10, 12),
                                status="closed")
    for _ in range(30):
        factories.gen_checkin(event)
    for rating, n in (("good", 20), ("ok", 3), ("bad", 12)):
        for _ in range(n):
            gen_feedback(event, rating=rating)
    auth.login_as(factories.gen_user(role="coordinator", structure=None))
    rows = list(csv.reader(io.StringIO(
        client.get("/stats/export.csv?from=2025-05-01&to=2025-05-31").get_data(as_text=True).lstrip("\ufeff")),
        delimiter=";"))
    ratings = {r[2]: r[3] for r in rows if r[0] == "Avis sur l'action : répartition"}
    assert ratings["Moyen"] == "<11"
    assert ratings["Bien"] == "s" or ratings["Pas bien"] == "s"  # else Moyen = total - the others
    assert "3" not in ratings.values()
    internal = list(csv.reader(io.StringIO(client.get(
        "/stats/export.csv?from=2025-05-01&to=2025-05-31&mode=internal").get_data(as_text=True).lstrip("\ufeff")),
        delimiter=";"))
    assert {r[2]: r[3] for r in internal if r[0] == "Avis sur l'action : répartition"}["Moyen"] == "3"


def test_the_cli_and_the_xlsx_carry_the_voice_indicators_and_their_definitions(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "bilan.xlsx"
    result = runner.invoke(args=["stats", "export", "--from", "01/01/2025", "--to", "31/12/2025", "--format",
                                 "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert "Parole des habitants" in book.sheetnames
    definitions = [row[0] for row in book[book.sheetnames[0]].iter_rows(values_only=True)]
    assert "Délai médian jusqu'à la première réponse (jours)" in definitions
    assert "Paroles répondues en 30 jours au plus" in definitions
    book.close()
