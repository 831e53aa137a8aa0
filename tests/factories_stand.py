"""Factories for the stand's tests: a stand with its animateur, and tallies."""

from dataclasses import dataclass

from kiosk.extensions import db
from kiosk.models import Event, Tally, User

from . import factories


@dataclass
class Stand:
    event: Event
    animateur: User
    colleague: User  # same structure, another person
    outsider: User  # animateur of another structure
    coordinator: User


def gen_stand(**event_kw) -> Stand:
    """An open event of a structure, two of its animateurs, an outsider and a coordinator."""
    home = factories.gen_structure()
    stand = Stand(
        event=factories.gen_event(structure=home, **event_kw),
        animateur=factories.gen_user(structure=home),
        colleague=factories.gen_user(structure=home),
        outsider=factories.gen_user(structure=factories.gen_structure()),
        coordinator=factories.gen_user(role="coordinator"),
    )
    db.session.commit()
    return stand


def gen_tally(event, count=1, **kw) -> Tally:
    tally = Tally(event=event, count=count, **kw)
    db.session.add(tally)
    db.session.flush()
    return tally
