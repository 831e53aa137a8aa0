"""Monthly figures follow the deployment's calendar (TIMEZONE), not UTC's."""

from datetime import date, datetime, timedelta

import pytest

from kiosk.extensions import db
from kiosk.stats.indicators import Filters, compute
from kiosk.stats.tables import build_report

from . import factories


@pytest.mark.parametrize(("utc_start", "month"), [
    (datetime(2026, 2, 28, 23, 30), "2026-03"),  # 00:30 on 1 March in Paris (UTC+1)
    (datetime(2026, 6, 30, 22, 30), "2026-07"),  # 00:30 on 1 July in Paris (UTC+2)
    (datetime(2026, 3, 31, 21, 59), "2026-03"),  # 23:59 on 31 March in Paris (UTC+2 since the 29th)
])
def test_an_event_counts_in_its_local_month(app, utc_start, month):
    event = factories.gen_event(starts_at=utc_start, ends_at=utc_start + timedelta(hours=2), status="closed")
    for _ in range(3):
        factories.gen_checkin(event, created_at=utc_start + timedelta(minutes=5))
    db.session.commit()
    figures = compute(Filters())
    assert list(figures.months) == [month]
    assert figures.months[month].participations == 3
    report = build_report(figures, shared=False)
    assert report.months == [month]


def test_a_local_month_selection_and_its_rows_agree(app):
    # 00:30 on 1 March local: in March's selection and in March's row, not February's.
    start = datetime(2026, 2, 28, 23, 30)
    event = factories.gen_event(starts_at=start, ends_at=start + timedelta(hours=2), status="closed")
    factories.gen_checkin(event, created_at=start)
    db.session.commit()
    march = compute(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert (march.participations, list(march.months)) == (1, ["2026-03"])
    assert compute(Filters(start=date(2026, 2, 1), end=date(2026, 2, 28))).participations == 0


def test_the_month_follows_the_configured_timezone(database_url):
    from .conftest import clear_tables, make_app

    app = make_app(database_url, BABEL_DEFAULT_TIMEZONE="America/Cayenne")  # UTC-3
    with app.app_context():
        clear_tables()
        start = datetime(2026, 4, 1, 1, 0)  # 22:00 on 31 March in Cayenne
        event = factories.gen_event(starts_at=start, ends_at=start + timedelta(hours=2), status="closed")
        factories.gen_checkin(event, created_at=start)
        db.session.commit()
        try:
            assert list(compute(Filters()).months) == ["2026-03"]
        finally:
            clear_tables()
            db.session.remove()
            db.engine.dispose()
