"""Plain factories for tests: each makes one valid record, overridable by keyword."""

import itertools
from datetime import timedelta

from kiosk.auth.services import create_user
from kiosk.codes import new_card_code
from kiosk.events.services import unique_event_code
from kiosk.extensions import db
from kiosk.models import Card, CheckIn, Event, Neighbourhood, Structure, utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def gen_neighbourhood(**kw) -> Neighbourhood:
    n = next(_seq)
    values = {"name": f"Quartier {n}", "commune": "Tours", "is_qpv": True}
    values.update(kw)
    item = Neighbourhood(**values)
    db.session.add(item)
    db.session.flush()
    return item


def gen_structure(**kw) -> Structure:
    n = next(_seq)
    values = {"name": f"Structure {n}", "kind": "centre_social"}
    values.update(kw)
    if "neighbourhood" not in values and "neighbourhood_id" not in values:
        values["neighbourhood"] = gen_neighbourhood()
    item = Structure(**values)
    db.session.add(item)
    db.session.flush()
    return item


def gen_user(role: str = "animateur", structure=None, **kw):
    n = next(_seq)
    if role == "animateur" and structure is None:
        structure = gen_structure()
    values = {"name": f"Personne {n}", "email": f"user{n}@example.org", "password": PASSWORD, "role": role,
              "structure_id": structure.id if structure else None}
    city = kw.pop("city", None)  # a coordinator's, delegate's or volunteer's territory
    values.update(kw)
    user = create_user(**values)
    user.city = city
    return user


def gen_event(structure=None, **kw) -> Event:
    now = utcnow()
    structure = structure or gen_structure()
    values = {"code": unique_event_code(), "title": "Café des habitants", "neighbourhood":
              structure.neighbourhood or gen_neighbourhood(), "structure": structure,
              "starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=2), "status": "open"}
    values.update(kw)
    event = Event(**values)
    db.session.add(event)
    db.session.flush()
    return event


def gen_card(**kw) -> Card:
    values = {"code": new_card_code()}
    values.update(kw)
    card = Card(**values)
    db.session.add(card)
    db.session.flush()
    return card


def gen_checkin(event, **kw) -> CheckIn:
    values = {"event": event, "channel": "nocard"}
    values.update(kw)
    item = CheckIn(**values)
    db.session.add(item)
    db.session.flush()
    return item
