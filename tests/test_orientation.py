"""Orientation on the stand: activities, the animateur's two taps, the resident's question, the slip."""

import re
from datetime import timedelta
from html import unescape

import pytest

from kiosk.codes import display_card_code
from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.orientation.models import Activity, Orientation
from kiosk.orientation.services import OrientationError, orient, save_activity

from .factories import gen_card, gen_checkin, gen_event, gen_structure, gen_user
from .factories_checkin import checkins, kiosk_resident


def _orientations():
    return list(db.session.execute(db.select(Orientation)).scalars())


@pytest.fixture
def stand(app):
    home = gen_structure(name="Centre social du Sanitas")
    user = gen_user(structure=home)
    event = gen_event(structure=home)
    card = gen_card()
    checkin = gen_checkin(event, card=card, first_seen=True, language="ar")
    activity = save_activity(None, home, name="Atelier couture", schedule="mardi 14 h – 16 h",
                             address="3 place Saint-Paul, Tours", public="Adultes", free=True)
    db.session.commit()
    return {"structure": home, "user": user, "event": event, "card": card, "checkin": checkin, "activity": activity}


def test_an_animateur_keeps_their_structures_activities_and_no_other(client, auth, stand):
    auth.login_as(stand["user"])
    sid = stand["structure"].id
    response = client.post(f"/structures/{sid}/activities/new",
                           data={"name": "Café des parents", "schedule": "vendredi 9 h", "free": "y", "active": "y"})
    assert response.status_code == 303
    names = {a.name for a in db.session.execute(db.select(Activity)).scalars()}
    assert names == {"Atelier couture", "Café des parents"}
    other = gen_structure()
    db.session.commit()
    assert client.get(f"/structures/{other.id}/activities").status_code == 403
    assert client.post(f"/structures/{other.id}/activities/new", data={"name": "x"}).status_code == 403
    # An activity is edited under its own structure only.
    assert client.get(f"/structures/{other.id}/activities/{stand['activity'].id}").status_code == 403


def test_a_nameless_activity_is_refused_with_a_message(client, auth, stand):
    auth.login_as(stand["user"])
    response = client.post(f"/structures/{stand['structure'].id}/activities/new", data={"name": "  "})
    assert response.status_code == 400 and "Indiquez un nom." in unescape(response.text)
    assert db.session.execute(db.select(db.func.count()).select_from(Activity)).scalar_one() == 1


def test_the_animateur_orients_a_participation_in_two_taps_and_prints_the_slip_in_its_language(client, auth, stand):
    auth.login_as(stand["user"])
    code, checkin = stand["event"].code, stand["checkin"]
    live = client.get(f"/events/{code}/live").text
    first_tap = f"/events/{code}/orientations/{checkin.uuid}"
    assert first_tap in live
    assert "Atelier couture" in client.get(first_tap).text
    response = client.post(first_tap, data={"structure": stand["structure"].id, "activity": stand["activity"].id})
    assert response.status_code == 303
    [item] = _orientations()
    assert (item.checkin_id, item.activity_id, item.source) == (checkin.id, stand["activity"].id, "animateur")
    slip = unescape(client.get(response.location).text)
    assert "Atelier couture" in slip and "3 place Saint-Paul, Tours" in slip
    # The card in the resident's language (Arabic, right to left), the page around it in the animateur's.
    assert re.search(r'<html lang="fr"[^>]*dir="ltr"', slip) and '<div class="slip-screen" lang="ar" dir="rtl">' in slip
    assert "Orientation enregistrée." in slip and "Un lieu près de chez vous" not in slip
    printed = unescape(client.get(response.location + "/print").text)
    # In the resident's language (Arabic, right to left), with their card's QR and code.
    assert 'lang="ar" dir="rtl"' in printed
    assert f'aria-label="{display_card_code(stand["card"].code)}"' in printed
    assert "@page" not in printed  # the A6 size is in the stylesheet (CSP: no inline style)


def test_orienting_twice_to_one_structure_changes_the_activity_rather_than_adding_one(app, stand):
    orient(stand["checkin"], stand["structure"].id, None)
    orient(stand["checkin"], stand["structure"].id, stand["activity"].id)
    db.session.commit()
    [item] = _orientations()
    assert item.activity_id == stand["activity"].id


@pytest.mark.parametrize("case", ["inactive", "foreign_activity", "voided", "unknown"])
def test_a_bad_orientation_is_refused_and_stores_nothing(client, auth, stand, case):
    structure, activity, checkin = stand["structure"], stand["activity"], stand["checkin"]
    data = {"structure": structure.id, "activity": activity.id}
    if case == "inactive":
        structure.active = False
    elif case == "foreign_activity":
        data["structure"] = gen_structure().id
    elif case == "voided":
        checkin.voided_at = utcnow()
    else:
        data["structure"] = "999999"
    db.session.commit()
    auth.login_as(stand["user"])
    response = client.post(f"/events/{stand['event'].code}/orientations/{checkin.uuid}", data=data)
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert _orientations() == []


def test_the_service_refuses_an_inactive_structure_by_name(app, stand):
    stand["structure"].active = False
    with pytest.raises(OrientationError, match="désactivée"):
        orient(stand["checkin"], stand["structure"].id)


def test_the_resident_answers_the_orientation_question_after_checking_in(client):
    kiosk = kiosk_resident(client)
    structure = kiosk.event.structure
    save_activity(None, structure, name="Aide aux devoirs", schedule="mercredi 14 h", address="Rue X")
    db.session.commit()
    done = kiosk.submit({"card_offer": "yes"}, lang="ar").text
    [checkin] = checkins(kiosk.event)
    ask = f"{kiosk.base}/orientation/{checkin.uuid}"
    assert ask in done  # the offer, on the confirmation screen only once recorded
    assert structure.name in unescape(client.get(ask).text)
    activity_id = db.session.execute(db.select(Activity.id)).scalar_one()
    response = client.post(f"{ask}/{structure.id}", data={"activity": activity_id})
    assert response.status_code == 303
    [item] = _orientations()
    assert (item.source, item.activity_id) == ("resident", activity_id)
    slip = unescape(client.get(response.location).text)
    assert "Aide aux devoirs" in slip and 'dir="rtl"' in slip
    assert display_card_code(checkin.card.code) in slip
    printed = client.get(response.location + "/print")
    assert printed.status_code == 200 and 'lang="ar"' in printed.text


def test_a_resident_cannot_orient_an_old_or_foreign_check_in(client):
    kiosk = kiosk_resident(client)
    other = gen_checkin(gen_event())
    old = gen_checkin(kiosk.event, created_at=utcnow() - timedelta(hours=1))
    db.session.commit()
    for checkin in (other, old):
        response = client.get(f"{kiosk.base}/orientation/{checkin.uuid}")
        assert response.status_code == 410
    assert _orientations() == []
