"""Tallies with their undo, voiding a check-in, and closing the event from the stand."""

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditLog, CheckIn, Tally
from kiosk.stand.services import StandError, add_tally, undo_last_tally, void_checkin
from kiosk.stats.indicators import Filters, compute

from . import factories
from .factories_stand import gen_stand


@pytest.fixture
def stand(app):
    return gen_stand()


@pytest.fixture
def logged_in(client, auth, stand):
    auth.login_as(stand.animateur)
    return client


def tallies_of(event):
    return list(db.session.execute(select(Tally).where(Tally.event_id == event.id).order_by(Tally.id)).scalars())


def test_plus_one_and_plus_five_are_stored_with_author_and_time(logged_in, stand):
    url = f"/events/{stand.event.code}/tallies"
    assert logged_in.post(url, data={"count": "1"}).status_code == 303
    assert logged_in.post(url, data={"count": "5"}).status_code == 303
    stored = tallies_of(stand.event)
    assert [(t.count, t.author_id, t.undone_at) for t in stored] == [
        (1, stand.animateur.id, None), (5, stand.animateur.id, None)]
    assert all(t.created_at is not None for t in stored)
    result = compute(Filters(event_id=stand.event.id))
    assert (result.tallies, result.reach) == (6, 6)


def test_htmx_tally_answers_with_the_panel(logged_in, stand):
    response = logged_in.post(f"/events/{stand.event.code}/tallies", data={"count": "5"},
                              headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="live-panel"' in html and "<html" not in html
    assert 'data-count="tallies">5<' in html


@pytest.mark.parametrize("count", ["0", "2", "-1", "100", ""])
def test_only_plus_one_or_plus_five(logged_in, stand, count):
    logged_in.post(f"/events/{stand.event.code}/tallies", data={"count": count})
    assert tallies_of(stand.event) == []


def test_undo_takes_back_my_last_tally_only(logged_in, stand):
    url = f"/events/{stand.event.code}/tallies"
    logged_in.post(url, data={"count": "1"})
    logged_in.post(url, data={"count": "5"})
    add_tally(stand.event, count=1, author=stand.colleague)  # a colleague's tally, made after mine
    db.session.commit()

    assert logged_in.post(f"{url}/undo").status_code == 303
    mine_1, mine_5, theirs = tallies_of(stand.event)
    assert mine_5.undone_at is not None  # kept, marked undone
    assert mine_1.undone_at is None and theirs.undone_at is None
    assert compute(Filters(event_id=stand.event.id)).tallies == 2

    logged_in.post(f"{url}/undo")
    logged_in.post(f"{url}/undo")  # nothing of mine left: refused, nothing else changes
    assert [t.undone_at is not None for t in tallies_of(stand.event)] == [True, True, False]


def test_tallies_stop_when_the_event_is_closed(app, stand):
    stand.event.status = "closed"
    with pytest.raises(StandError):
        add_tally(stand.event, count=1, author=stand.animateur)
    with pytest.raises(StandError):
        undo_last_tally(stand.event, author=stand.animateur)


def test_voiding_keeps_the_checkin_and_removes_it_from_every_count(logged_in, stand):
    keep = factories.gen_checkin(stand.event, first_time="yes")
    mistake = factories.gen_checkin(stand.event, first_time="yes", childcare_children=2, interpreter_language="ar")
    db.session.commit()
    url = f"/events/{stand.event.code}/checkins/{mistake.uuid}/void"
    page = logged_in.get(url).get_data(as_text=True)
    assert "Enregistré deux fois" in page

    assert logged_in.post(url, data={"reason": "duplicate"}).status_code == 303
    db.session.refresh(mistake)
    assert mistake.voided_at is not None and mistake.voided_by_id == stand.animateur.id
    assert mistake.void_reason == "Enregistré deux fois"
    assert db.session.get(CheckIn, keep.id).voided_at is None
    result = compute(Filters(event_id=stand.event.id))
    assert (result.participations, result.newcomers_declared, result.children, result.interpreting) == (1, 1, 0, 0)
    log = db.session.execute(select(AuditLog).where(AuditLog.action == "checkin.void")).scalar_one()
    assert log.user_id == stand.animateur.id and str(mistake.uuid) in log.detail

    live = logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    assert 'data-count="participations">1<' in live and "annulé" in live


def test_voiding_needs_a_reason(logged_in, stand):
    checkin = factories.gen_checkin(stand.event)
    db.session.commit()
    url = f"/events/{stand.event.code}/checkins/{checkin.uuid}/void"
    assert logged_in.post(url, data={"reason": "other", "other_reason": "  "}).status_code == 400
    assert logged_in.post(url, data={}).status_code == 400
    db.session.refresh(checkin)
    assert checkin.voided_at is None
    assert logged_in.post(url, data={"reason": "other", "other_reason": "Enfant qui jouait"}).status_code == 303
    db.session.refresh(checkin)
    assert checkin.void_reason == "Enfant qui jouait"


def test_a_checkin_is_voided_once(app, stand):
    checkin = factories.gen_checkin(stand.event)
    void_checkin(checkin, by=stand.animateur, reason="test")
    first_time = checkin.voided_at
    with pytest.raises(StandError):
        void_checkin(checkin, by=stand.colleague, reason="encore")
    assert checkin.voided_at == first_time and checkin.voided_by_id == stand.animateur.id


def test_a_voided_card_may_check_in_again(app, stand):
    card = factories.gen_card()
    first = factories.gen_checkin(stand.event, card=card, first_seen=True)
    void_checkin(first, by=stand.animateur, reason="scanné par erreur")
    factories.gen_checkin(stand.event, card=card)  # the unique index ignores voided rows
    db.session.commit()
    assert compute(Filters(event_id=stand.event.id)).participations == 1


def test_closing_from_the_live_view_shows_the_report(logged_in, stand):
    factories.gen_checkin(stand.event, first_time="yes")
    db.session.commit()
    live = logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    assert f'action="/events/{stand.event.code}/close"' in live

    response = logged_in.post(f"/events/{stand.event.code}/close", follow_redirects=True)
    assert response.request.path == f"/events/{stand.event.code}/report"
    html = response.get_data(as_text=True)
    assert "Action clôturée" in html and 'data-row="participations"' in html
    db.session.refresh(stand.event)
    assert stand.event.status == "closed" and stand.event.closed_at is not None

    # Closing twice is refused with a message, and the report stays reachable.
    again = logged_in.post(f"/events/{stand.event.code}/close", follow_redirects=True)
    assert "Seule une action ouverte peut être clôturée." in again.get_data(as_text=True)
    shown = logged_in.get(f"/events/{stand.event.code}").get_data(as_text=True)
    assert f"/events/{stand.event.code}/report" in shown and "Clôturée" in shown


def test_a_mistake_found_in_the_report_can_still_be_voided(logged_in, stand):
    checkin = factories.gen_checkin(stand.event)
    stand.event.status = "closed"
    db.session.commit()
    response = logged_in.post(f"/events/{stand.event.code}/checkins/{checkin.uuid}/void",
                              data={"reason": "test"})
    assert response.headers["Location"].endswith(f"/events/{stand.event.code}/report")
    assert compute(Filters(event_id=stand.event.id)).participations == 0


def test_an_older_checkin_is_found_in_the_full_list_and_voided(logged_in, stand):
    old = factories.gen_checkin(stand.event, created_at=stand.event.starts_at, age_band="over_75")
    for _ in range(15):
        factories.gen_checkin(stand.event)
    db.session.commit()
    void_url = f"/events/{stand.event.code}/checkins/{old.uuid}/void"
    assert void_url not in logged_in.get(f"/events/{stand.event.code}/live").get_data(as_text=True)
    listing = logged_in.get(f"/events/{stand.event.code}/checkins").get_data(as_text=True)
    assert void_url in listing and "16 passages" in listing and "Plus de 75 ans" in listing
    logged_in.post(void_url, data={"reason": "mistake"})
    assert compute(Filters(event_id=stand.event.id)).participations == 15
