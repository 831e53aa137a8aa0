"""The live view: counters from the indicators, needs now, latest check-ins, cheap polling."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event

from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.stand.queries import NEEDS_WINDOW, needs_now, version_fingerprint

from . import factories
from .factories_stand import gen_stand, gen_tally


@pytest.fixture
def stand(app):
    return gen_stand(interpreter_languages="ar", childcare_offered=True)


@pytest.fixture
def logged_in(client, auth, stand):
    auth.login_as(stand.animateur)
    return client


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def panel_version(html: str) -> str:
    return re.search(r'data-version="(\w+)"', html).group(1)


@contextmanager
def statements():
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)


def test_counters_show_the_event_indicators(logged_in, stand):
    event = stand.event
    card_new, card_known = factories.gen_card(), factories.gen_card()
    factories.gen_checkin(event, card=card_new, first_seen=True, first_time="yes", goes_to_structure="no")
    factories.gen_checkin(event, card=card_known, first_seen=False, first_time="no")
    factories.gen_checkin(event, first_time="yes", companions=2)
    factories.gen_checkin(event, first_time="yes", companions=4, voided_at=utcnow(), void_reason="doublon")
    gen_tally(event, 5)
    gen_tally(event, 1, undone_at=utcnow())
    db.session.commit()

    html = logged_in.get(f"/events/{event.code}/live").get_data(as_text=True)
    assert counts(html) == {
        "participations": 3, "reach": 10, "newcomers_declared": 2, "newcomers_first_seen": 1,
        "far_from_structures": 1, "known_cards": 1, "tallies": 5, "companions": 2,
    }


def test_latest_checkins_show_answers_but_never_the_card_code(logged_in, stand):
    card = factories.gen_card()
    factories.gen_checkin(stand.event, card=card, first_seen=True, channel="camera", age_band="26_40",
                          childcare_children=2, interpreter_language="ar")
    db.session.commit()
    html = logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    assert "Carte lue par la caméra" in html
    assert "26-40 ans" in html and "2 enfants" in html
    assert card.code not in html and card.code[:5] not in html


def test_needs_now_counts_recent_live_checkins_only(app, stand):
    event, now = stand.event, utcnow()
    factories.gen_checkin(event, created_at=now - timedelta(minutes=5), childcare_children=2,
                          childcare_age_bands="0_2,3_5", interpreter_language="ar")
    factories.gen_checkin(event, created_at=now - timedelta(minutes=10), interpreter_language="tr",
                          accessibility=True)
    factories.gen_checkin(event, created_at=now - timedelta(minutes=1), interpreter_language="ar")
    factories.gen_checkin(event, created_at=now - NEEDS_WINDOW - timedelta(minutes=1), childcare_children=3)
    factories.gen_checkin(event, created_at=now, childcare_children=4, voided_at=now, void_reason="erreur")
    needs = needs_now(event, now=now)
    assert needs.children == 2
    assert needs.childcare_age_bands == {"0_2": 1, "3_5": 1}
    assert needs.interpreters == {"ar": 2, "tr": 1}
    assert needs.accessibility == 1


def test_needs_panel_flags_a_language_without_interpreter(logged_in, stand):
    factories.gen_checkin(stand.event, interpreter_language="tr")
    db.session.commit()
    html = logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    needs = html[html.index('id="needs-title"'):html.index('id="latest-title"')]
    assert "Türkçe" in needs and "pas d'interprète sur place" in needs


def test_an_unchanged_poll_is_204_and_a_change_resends_the_panel(logged_in, stand):
    url = f"/events/{stand.event.code}/live/_panel"
    first = logged_in.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200
    version = panel_version(first.get_data(as_text=True))

    unchanged = logged_in.get(url, query_string={"v": version}, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204 and unchanged.data == b""

    factories.gen_checkin(stand.event, first_time="yes")
    db.session.commit()
    changed = logged_in.get(url, query_string={"v": version}, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    html = changed.get_data(as_text=True)
    assert counts(html)["participations"] == 1
    assert panel_version(html) != version
    # The fragment polls again with the version it shows.
    assert f"v={panel_version(html)}" in html and "<html" not in html


def test_an_unchanged_poll_costs_three_small_queries(logged_in, stand):
    url = f"/events/{stand.event.code}/live/_panel"
    version = panel_version(logged_in.get(url).get_data(as_text=True))
    with statements() as seen:
        assert logged_in.get(url, query_string={"v": version}).status_code == 204
    # The user of the session, the event by its code, and the fingerprint itself: the
    # request has its own database session, as in production, so nothing comes for free.
    assert len(seen) == 3, seen
    assert "union all" in seen[-1].lower()


@pytest.mark.parametrize("change", ["checkin", "void", "tally", "undo", "close"])
def test_every_change_moves_the_fingerprint(app, stand, change):
    event = stand.event
    checkin = factories.gen_checkin(event)
    tally = gen_tally(event, 1)
    db.session.commit()
    now = utcnow()
    before = version_fingerprint(event, now=now)
    if change == "checkin":
        factories.gen_checkin(event)
    elif change == "void":
        checkin.voided_at = utcnow()
    elif change == "tally":
        gen_tally(event, 5)
    elif change == "undo":
        tally.undone_at = utcnow()
    else:
        event.status = "closed"
    db.session.commit()
    assert version_fingerprint(event, now=now) != before


def test_the_fingerprint_ignores_other_events(app, stand):
    now = utcnow()
    before = version_fingerprint(stand.event, now=now)
    factories.gen_checkin(factories.gen_event())
    db.session.commit()
    assert version_fingerprint(stand.event, now=now) == before


def test_a_closed_event_panel_stops_polling_and_links_the_report(logged_in, stand):
    stand.event.status = "closed"
    db.session.commit()
    html = logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    assert "hx-trigger" not in html
    assert f"/events/{stand.event.code}/report" in html
    assert "+5" not in html  # no tallies after closing


def test_the_event_page_links_the_live_view_poster_and_cards(logged_in, stand):
    html = logged_in.get(f"/events/{stand.event.code}").get_data(as_text=True)
    for path in ("live", "poster", "cards"):
        assert f"/events/{stand.event.code}/{path}" in html


def test_a_poll_after_the_session_expired_sends_the_page_to_the_login_form(client, stand):
    response = client.get(f"/events/{stand.event.code}/live/_panel?v=x", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/auth/login?next=")
    assert f"/events/{stand.event.code}/live" in response.headers["HX-Redirect"].replace("%2F", "/")
