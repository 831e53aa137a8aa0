"""The tables every screen and export is made of: exact for staff, suppressed for partners."""

from kiosk.extensions import db
from kiosk.models import CheckIn, Event
from kiosk.stand.services import void_checkin
from kiosk.stats.indicators import Filters, compute
from kiosk.stats.suppression import TOTAL
from kiosk.stats.tables import build_report

from .factories import gen_user
from .factories_stats import gen_activity


def test_the_exact_report_is_compute_laid_out(app):
    gen_activity(checkins=300, events=8)
    indicators = compute(Filters())
    report = build_report(indicators, shared=False)
    headline = {row.key: row.value for row in report.headline}
    assert headline["participations"] == indicators.participations == 300
    assert headline["reach"] == indicators.reach
    assert headline["newcomers_declared"] == indicators.newcomers_declared
    by_key = {table.key: table for table in report.distributions}
    assert {row.key: row.value for row in by_key["gender"].rows} == {
        k: indicators.breakdowns["gender"][k] for k in ("woman", "man", "other", "skip", "not_asked")}
    assert by_key["gender"].total == 300  # tallies never in profiles
    shares = {row.key: row.share for row in report.headline}
    assert shares["far_from_structures"] == indicators.far_from_structures / 300


def test_month_tables_add_up_to_the_distributions(app):
    gen_activity(checkins=300, events=8)
    report = build_report(compute(Filters()), shared=False)
    for table, distribution in zip(report.month_tables, report.distributions, strict=True):
        assert table.columns[-1][0] == TOTAL
        sums = [sum(values[i] for _m, values in table.rows) for i in range(len(table.columns))]
        assert sums == table.total
        assert table.total[:-1] == [row.value for row in distribution.rows]
    assert sum(values[0] for _m, values in report.evolution.rows) == 300


def test_the_shared_report_of_a_tiny_selection_shows_no_person_count(app):
    gen_activity(checkins=30, events=2)
    report = build_report(compute(Filters()), shared=True, threshold=11)
    for row in report.headline:
        if row.key != "actions":
            assert isinstance(row.value, str) or row.value >= 11, row
    for table in report.month_tables:
        for _month, values in table.rows:
            assert all(isinstance(v, str) or v >= 11 for v in values), table.key


def test_voided_check_ins_are_in_no_table(app):
    gen_activity(checkins=60, events=2)
    before = build_report(compute(Filters()), shared=False)
    first = db.session.execute(db.select(CheckIn).join(Event).order_by(CheckIn.id).limit(1)).scalar_one()
    void_checkin(first, by=gen_user(role="coordinator"), reason="Erreur de saisie")  # announces it to the cache
    db.session.commit()
    after = build_report(compute(Filters()), shared=False)
    assert after.headline_value("participations") == before.headline_value("participations") - 1
    assert all(d.total == 59 for d in after.distributions if d.key != "interpreter_language")


def test_generate_activity_command(runner, app):
    gen_activity(checkins=10, events=1)
    result = runner.invoke(args=["generate-activity", "--checkins", "200", "--events", "5", "--years", "2"])
    assert result.exit_code == 0, result.output
    assert "5 actions, 200 enregistrements" in result.output
    assert compute(Filters()).participations == 210


def test_an_interpreter_without_a_language_reads_as_such(app):
    from kiosk.stats.labels import answer_label

    with app.test_request_context():
        assert str(answer_label("interpreter_language", "skip")) == "Langue non précisée"
        assert str(answer_label("interpreter_language", "ar")) == "العربية"
        assert str(answer_label("gender", "skip")) == "Passé (sans réponse)"
