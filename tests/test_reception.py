"""A structure's reception: visits with a card or without, recognition, the tablet lock, bad input."""

import uuid
from datetime import timedelta
from html import unescape

import pytest

from kiosk.cards.services import purge_unused_cards
from kiosk.codes import display_card_code, new_card_code
from kiosk.extensions import db
from kiosk.models import CheckIn, utcnow
from kiosk.orientation.services import orient
from kiosk.reception.models import Visit
from kiosk.reception.services import DUPLICATE, RECORDED, ReceptionError, record_visit

from .factories import gen_card, gen_checkin, gen_event, gen_structure, gen_user
from .factories_checkin import PIN


def _visits():
    return list(db.session.execute(db.select(Visit).order_by(Visit.id)).scalars())


@pytest.fixture
def desk(app):
    structure = gen_structure(name="Centre social de la Rabaterie")
    staff = gen_user(structure=structure, pin=PIN)
    event = gen_event(title="Pied d'immeuble")
    card = gen_card()
    checkin = gen_checkin(event, card=card, first_seen=True)
    db.session.commit()
    return {"structure": structure, "staff": staff, "event": event, "card": card, "checkin": checkin}


def _post(client, structure, **data):
    return client.post(f"/reception/{structure.id}", data={"visit": str(uuid.uuid4()), "kind": "first_contact",
                                                            **data})


def test_a_reception_tablet_recognises_a_card_met_on_a_stand(client, auth, desk):
    auth.login_as(desk["staff"])
    orient(desk["checkin"], desk["structure"].id)
    db.session.commit()
    assert client.post(f"/reception/{desk['structure'].id}/open").status_code == 303
    response = _post(client, desk["structure"], code=display_card_code(desk["card"].code))
    assert response.status_code == 303
    page = unescape(client.get(response.location).text)
    assert "Visite enregistrée." in page
    assert "Carte rencontrée hors les murs" in page and "Orientée vers votre structure" in page
    assert "Visites de cette carte ici : 1" in page  # this one included
    [visit] = _visits()
    assert (visit.card_id, visit.kind, visit.recorded_by_id) == (desk["card"].id, "first_contact", desk["staff"].id)
    # A visit is never an outreach participation.
    assert db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar_one() == 1


def test_a_visit_without_a_card_keeps_its_optional_profile(client, auth, desk):
    auth.login_as(desk["staff"])
    response = _post(client, desk["structure"], kind="participation", age_band="26_40", gender="skip",
                     residence=f"n:{desk['structure'].neighbourhood_id}")
    assert response.status_code == 303
    [visit] = _visits()
    assert (visit.card_id, visit.kind, visit.age_band, visit.gender, visit.residence,
            visit.residence_neighbourhood_id) == (None, "participation", "26_40", "skip", "neighbourhood",
                                                  desk["structure"].neighbourhood_id)


@pytest.mark.parametrize(("data", "message"), [
    ({"code": "ZZZZZ-ZZZZZ"}, "pas un code de carte valide"),
    ({"code": "unknown"}, "Cette carte n'est pas connue"),
    ({"kind": "party"}, "Choisissez le type de visite."),
    ({"age_band": "12"}, "Tranche d'âge inconnue."),
    ({"residence": "n:99999999"}, "Quartier inconnu."),
    ({"visit": "not-a-uuid"}, "plus valable"),
])
def test_bad_input_at_the_reception_says_why_and_stores_nothing(client, auth, desk, data, message):
    if data.get("code") == "unknown":
        data = {"code": new_card_code()}  # valid, but never issued
    auth.login_as(desk["staff"])
    response = _post(client, desk["structure"], **data)
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert _visits() == []


def test_a_visit_recorded_twice_within_a_minute_is_stored_once(app, desk):
    now = utcnow()
    first = record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=desk["card"].code,
                         kind="first_contact", now=now)
    again = record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=desk["card"].code,
                         kind="first_contact", now=now + timedelta(seconds=59))
    later = record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=desk["card"].code,
                         kind="registration", now=now + timedelta(seconds=61))
    same_form = record_visit(desk["structure"].id, visit_uuid=later.visit.uuid, card_code="", kind="registration",
                             now=now + timedelta(seconds=120))
    assert [r.outcome for r in (first, again, later, same_form)] == [RECORDED, DUPLICATE, RECORDED, DUPLICATE]
    db.session.commit()
    assert len(_visits()) == 2


def test_a_visit_refreshes_the_cards_last_use_so_retention_counts_from_it(app, desk):
    card, long_ago = desk["card"], utcnow() - timedelta(days=400)
    card.last_used_at = card.created_at = long_ago
    db.session.commit()
    visit_at = utcnow() - timedelta(days=10)
    record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=card.code, kind="participation",
                 now=visit_at)
    db.session.commit()
    db.session.refresh(card)
    assert card.last_used_at == visit_at
    # A card unused on stands for 13 months but seen at a reception 10 days ago is kept.
    assert purge_unused_cards(months=12, dry_run=True).cards == 0
    # A visit recorded late (earlier than the last use) never moves the last use back.
    record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=card.code, kind="participation",
                 now=visit_at - timedelta(days=5))
    db.session.commit()
    db.session.refresh(card)
    assert card.last_used_at == visit_at


def test_an_inactive_structure_records_no_visit(app, desk):
    desk["structure"].active = False
    with pytest.raises(ReceptionError, match="désactivée"):
        record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=None, kind="first_contact")


def test_a_reception_sees_nothing_of_other_structures_visits(client, auth, desk):
    other = gen_structure(name="Maison de quartier des Fontaines")
    record_visit(other.id, visit_uuid=uuid.uuid4(), card_code=desk["card"].code, kind="participation")
    record_visit(desk["structure"].id, visit_uuid=uuid.uuid4(), card_code=None, kind="registration")
    db.session.commit()
    auth.login_as(desk["staff"])
    assert client.get(f"/reception/{other.id}").status_code == 403
    assert client.post(f"/reception/{other.id}/open").status_code == 403
    page = unescape(client.get(f"/reception/{desk['structure'].id}").text)
    assert "Visites d'aujourd'hui (1)" in page and "Inscription à une activité" in page
    assert "Participation à une activité ·" not in page
    # Bound to its own structure, the tablet cannot reach another's reception either.
    client.post(f"/reception/{desk['structure'].id}/open")
    response = client.get(f"/reception/{other.id}")
    assert response.status_code == 302 and response.location.endswith(f"/reception/{desk['structure'].id}/unlock")


def test_a_bound_reception_tablet_reaches_no_staff_page_and_leaves_with_the_pin(client, auth, desk):
    auth.login_as(desk["staff"])
    client.post(f"/reception/{desk['structure'].id}/open")
    for path in ("/events/", "/reception/", f"/kiosk/{desk['event'].code}", "/stats/"):
        response = client.get(path)
        assert response.status_code == 302 and "/unlock" in response.location, path
    unlock = f"/reception/{desk['structure'].id}/unlock"
    assert client.post(unlock, data={"secret": "000000"}).status_code == 403
    assert client.post(unlock, data={"secret": PIN}).status_code == 303
    assert client.get("/events/").status_code == 200


def test_anonymous_people_are_sent_to_login(client, desk):
    response = client.get(f"/reception/{desk['structure'].id}")
    assert response.status_code == 302 and "/auth/login" in response.location
