"""Companions: people with a resident who do not check in, added to the reach, never participations."""

import uuid

import pytest

from kiosk.checkin.services import MAX_COMPANIONS, Answers, companions_count
from kiosk.extensions import db
from kiosk.stats.exports import raw_checkins_rows
from kiosk.stats.filters import FilterInput
from kiosk.stats.indicators import Filters, compute
from kiosk.sync.payloads import PayloadError, checkin_doc, parse_checkin

from .factories import gen_event
from .factories_checkin import checkins, kiosk_resident, new_card_code, record


@pytest.mark.parametrize("raw, count", [(None, 0), ("", 0), ("0", 0), ("3", 3), (str(MAX_COMPANIONS), 6), (2, 2)])
def test_a_declared_number_of_companions_is_read(raw, count):
    assert companions_count(raw) == count


@pytest.mark.parametrize("raw", ["7", "-1", "x", "2.5", -1, 99])
def test_a_number_the_kiosk_does_not_offer_is_refused(raw):
    with pytest.raises(ValueError):
        companions_count(raw)


def test_companions_said_on_the_needs_screen_reach_the_check_in(client):
    resident = kiosk_resident(client)
    done = resident.submit({"needs": "none", "card_offer": "no"}, extra={"companions": "3"})
    assert done.status_code == 200, done.text
    [checkin] = checkins(resident.event)
    assert checkin.companions == 3


def test_a_known_card_says_its_companions_too(client):
    card = new_card_code()
    record(gen_event(), card)
    db.session.commit()
    again = kiosk_resident(client)
    # A card seen before: no profile asked, the needs screen carries the companions.
    done = again.submit({"needs": "none"}, card=card, extra={"companions": "2"})
    assert done.status_code == 200, done.text
    [checkin] = checkins(again.event)
    assert checkin.companions == 2 and checkin.card_id is not None


@pytest.mark.parametrize("bad", ["7", "many", "-2"])
def test_a_tampered_count_sends_back_to_the_needs_screen_and_stores_nothing(client, bad):
    resident = kiosk_resident(client)
    refused = resident.submit({"needs": "none", "card_offer": "no"}, extra={"companions": bad})
    assert refused.status_code == 422
    assert 'data-send-back="needs"' in refused.text
    assert checkins(resident.event) == []


def test_companions_are_reach_never_participations_nor_profiles(client):
    resident = kiosk_resident(client)
    event = resident.event
    record(event, answers=Answers(first_time="yes", age_band="26_40", companions=4))
    record(event, answers=Answers(first_time="no", companions=1))
    record(event)
    result = compute(Filters(event_id=event.id))
    assert result.participations == 3
    assert result.companions == 5
    assert result.reach == 3 + 5  # no tallies here
    # Profiles add up to the participations: a companion has none.
    assert sum(result.breakdowns["first_time"].values()) == 3
    assert sum(result.breakdowns["age_band"].values()) == 3


def test_the_raw_export_gives_each_check_in_its_companions(client):
    resident = kiosk_resident(client)
    record(resident.event, answers=Answers(companions=2))
    header, *rows = list(raw_checkins_rows(FilterInput(filters=Filters(event_id=resident.event.id))))
    assert header[-1] == "Accompagnants"
    assert [row[-1] for row in rows] == [2]


def test_the_stand_pushes_companions_and_the_central_checks_them(client):
    resident = kiosk_resident(client)
    result = record(resident.event, answers=Answers(companions=3))
    doc = checkin_doc(result.checkin)
    assert doc["companions"] == 3
    assert parse_checkin(doc)["answers"]["companions"] == 3
    older = {k: v for k, v in doc.items() if k != "companions"}  # a stand not yet upgraded
    assert parse_checkin(older)["answers"]["companions"] == 0
    with pytest.raises(PayloadError):
        parse_checkin({**doc, "companions": 40})
    db.session.rollback()


def test_a_check_in_without_the_question_has_no_companions(client):
    resident = kiosk_resident(client, express_mode=True)
    done = resident.submit({}, extra={"companions": "5", "flow": str(uuid.uuid4())})
    assert done.status_code == 200, done.text
    [checkin] = checkins(resident.event)
    assert checkin.companions == 0
