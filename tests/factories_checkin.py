"""Factories and helpers for the kiosk tests: an open event, a resident walking the screens."""

import uuid

from kiosk.checkin.services import Answers, record_checkin
from kiosk.codes import new_card_code
from kiosk.extensions import db

from .factories import PASSWORD, gen_event, gen_neighbourhood, gen_structure, gen_user

PIN = "246810"


def gen_kiosk_setup(**event_kw):
    """Return (animateur, open event) of one structure; the animateur's PIN is PIN."""
    structure = gen_structure()
    user = gen_user(structure=structure, pin=PIN)
    event = gen_event(structure=structure, **event_kw)
    db.session.commit()
    return user, event


def kiosk_resident(client, **event_kw) -> "Resident":
    """Open kiosk mode on a fresh open event, as its animateur would; return the resident at it."""
    user, event = gen_kiosk_setup(**event_kw)
    resident = Resident(client, event)
    resident.open_kiosk(user)
    resident.user = user
    return resident


def checkins(event) -> list:
    from kiosk.models import CheckIn

    return list(db.session.execute(db.select(CheckIn).where(CheckIn.event_id == event.id)).scalars())


def record(event, card_code=None, *, channel="keypad", answers=None, language="fr"):
    """Record one check-in directly through the service, with a fresh uuid."""
    return record_checkin(event, checkin_uuid=uuid.uuid4(), channel=channel, language=language,
                          card_code=card_code, answers=answers or Answers())


class Resident:
    """A resident in front of a kiosk (or their phone), driving the screens with a test client."""

    def __init__(self, client, event, mode="kiosk"):
        self.client = client
        self.event = event
        self.mode = mode
        self.base = f"/{mode}/{event.code}"

    def open_kiosk(self, user):
        """Log the animateur in and open kiosk mode, as on the tablet."""
        self.client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert self.client.post(f"/kiosk/{self.event.code}/open").status_code == 303
        response = self.client.get(self.base)
        assert response.status_code == 200
        return response

    def page(self, **headers):
        """Load the page of the whole flow (it gives a phone its cookie)."""
        return self.client.get(self.base, headers=headers)

    def submit(self, answers: dict | None = None, *, card: str | None = None, channel: str = "keypad",
               lang: str = "fr", flow: str | None = None, profile: bool | None = None, long_form: bool = False,
               htmx: bool = True, extra: dict | None = None):
        """Send the page's one submission, as kiosk.js builds it (or the long form, without JavaScript)."""
        data = {"flow": flow or str(uuid.uuid4()), "lang": lang, **form_for(answers, card=card, profile=profile)}
        if card is not None:
            data["card"] = card
            data["channel"] = channel
        if long_form:
            data["long"] = "1"
        data.update(extra or {})
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(self.base + "/checkin", data=data, headers=headers)

    def choose(self, lang="fr"):
        """Without JavaScript: choose the language by the welcome screen's form."""
        if self.mode == "e":
            self.page()
        return self.client.post(self.base + "/lang", data={"lang": lang})


def form_for(answers: dict | None = None, *, card: str | None = None, profile: bool | None = None) -> dict:
    """The fields of every question, "skip" unless given; the profile is left out for a card unless asked.

    A value is a string, or (ok|none|skip, [choices]) for the questions with boxes to tick.
    """
    from kiosk.checkin.flow import MULTI_STEPS, PROFILE_STEPS, STEPS

    answers = dict(answers or {})
    with_profile = profile if profile is not None else card is None
    data: dict = {}
    for step in STEPS:
        if step in PROFILE_STEPS and not with_profile and step not in answers:
            continue
        value = answers.get(step, "skip")
        if step in MULTI_STEPS:
            do, choices = value if isinstance(value, tuple) else (value, ())
            data[step] = list(choices)
            data[step + "_do"] = do
        else:
            data[step] = value
    return data


__all__ = ["PIN", "Resident", "checkins", "form_for", "gen_kiosk_setup", "gen_neighbourhood", "kiosk_resident",
           "new_card_code", "record"]
