"""Training sessions and network meetings: recorded by coordinators, counted as DESIGN.md says."""

from datetime import date
from html import unescape

import pytest

from kiosk.extensions import db
from kiosk.training.models import TrainingSession
from kiosk.training.services import Attendance, TrainingError, save_session, training_figures

from .factories import gen_structure, gen_user


def _count():
    return db.session.execute(db.select(db.func.count()).select_from(TrainingSession)).scalar_one()


def test_training_indicators_from_hand_counted_sessions(app):
    s1, s2 = gen_structure(), gen_structure()
    save_session(None, kind="training", theme="Aller vers", starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 4),
                 hours=12, attendances=[Attendance(s1.id, "adulte_relais", 4), Attendance(s2.id, "mediateur", 3)])
    save_session(None, kind="training", theme="Interprétariat", starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 1),
                 hours=3.5, attendances=[Attendance(s1.id, "centre_social", 5)])
    save_session(None, kind="network", theme="Réseau intercommunal", starts_on=date(2025, 6, 5),
                 ends_on=date(2025, 6, 5), hours=2, attendances=[Attendance(None, "ville", 6)])
    save_session(None, kind="training", theme="Hors période", starts_on=date(2024, 12, 31),
                 ends_on=date(2025, 1, 1), hours=7, attendances=[Attendance(s2.id, "bailleur", 9)])
    db.session.commit()
    f = training_figures(date(2025, 1, 1), date(2025, 12, 31))
    assert (f.sessions, f.hours, f.people_trained, f.person_hours) == (2, 15.5, 12, 4 * 12 + 3 * 12 + 5 * 3.5)
    assert (f.network_meetings, f.network_attendances, f.structures) == (1, 6, 2)


@pytest.mark.parametrize(("fields", "message"), [
    ({"starts_on": "10/03/2025", "ends_on": "09/03/2025"}, "est avant la date de début"),
    ({"hours": "0"}, "La durée doit être comprise"),
    ({"hours": "30"}, "La durée doit être comprise"),
    ({"count-0": "-3"}, "nombre entier positif"),
    ({"starts_on": "31/02/2025"}, "n'est pas une date"),
    ({"kind": "party"}, "formation ou réunion"),
])
def test_a_wrong_training_record_says_why_and_stores_nothing(client, auth, app, fields, message):
    auth.login_as(gen_user(role="coordinator"))
    data = {"kind": "training", "theme": "Aller vers", "starts_on": "10/03/2025", "ends_on": "10/03/2025",
            "hours": "6", "role-0": "mediateur", "count-0": "4", **fields}
    response = client.post("/admin/training/new", data=data)
    assert response.status_code == 400 and message in unescape(response.text)
    assert _count() == 0


def test_a_coordinator_records_a_session_and_an_animateur_cannot(client, auth, app):
    structure = gen_structure()
    auth.login_as(gen_user(structure=structure))
    assert client.get("/admin/training/").status_code == 403
    auth.logout()
    auth.login_as(gen_user(role="coordinator"))
    response = client.post("/admin/training/new", data={
        "kind": "training", "theme": "Aller vers", "starts_on": "10/03/2025", "ends_on": "11/03/2025",
        "hours": "10,5", "structure-0": structure.id, "role-0": "adulte_relais", "count-0": "4"})
    assert response.status_code == 303
    item = db.session.execute(db.select(TrainingSession)).scalar_one()
    assert (item.hours, item.participants, item.attendances[0].structure_id) == (10.5, 4, structure.id)
    assert "Aller vers" in client.get("/admin/training/?year=2025").text


def test_the_service_refuses_dates_out_of_order(app):
    with pytest.raises(TrainingError):
        save_session(None, kind="network", theme="x", starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 1), hours=1,
                     attendances=[])
