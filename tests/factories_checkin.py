"""Factories and helpers for the kiosk tests: an open event, a resident walking the screens."""

import re

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


def flow_id(html: str) -> str:
    match = re.search(r'name="flow" value="([^"]+)"', html)
    assert match, "the screen carries no flow id"
    return match.group(1)


def record(event, card_code=None, *, channel="keypad", answers=None, language="fr"):
    """Record one check-in directly through the service, with a fresh uuid."""
    import uuid

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

    def choose(self, lang="fr"):
        if self.mode == "e":
            self.client.get(self.base)  # the welcome screen, which gives the phone its cookie
        return self.client.post(self.base + "/lang", data={"lang": lang})

    def start_without_card(self):
        return self.client.post(self.base + "/start")

    def scan(self, code, channel="keypad", flow=None):
        data = {"code": code, "channel": channel}
        if flow:
            data["flow"] = flow
        return self.client.post(self.base + "/scan", data=data)

    def current_flow(self):
        with self.client.session_transaction() as session:
            flow = session.get("flow")
        return flow["id"] if flow else None

    def answer(self, step, answer, choices=(), flow=None):
        data = {"flow": flow or self.current_flow(), "answer": answer}
        if choices:
            data["choice"] = list(choices)
        return self.client.post(f"{self.base}/q/{step}", data=data)

    def answer_all(self, answers: dict, *, stop_at: str | None = None):
        """Answer each screen the server asks for (until `stop_at`), from a dict step -> answer or (answer, choices)."""
        response = None
        for _ in range(20):
            with self.client.session_transaction() as session:
                flow = session.get("flow")
            if flow is None:
                return response
            from kiosk.checkin.flow import LINK_SCAN, next_step

            step = next_step(flow)
            if step in (None, LINK_SCAN, stop_at):
                return response
            value = answers.get(step, "skip")
            answer, choices = value if isinstance(value, tuple) else (value, ())
            response = self.answer(step, answer, choices, flow=flow["id"])
            assert response.status_code == 303, (step, response.status_code)
        raise AssertionError("the flow never ended")


__all__ = ["PIN", "Resident", "checkins", "flow_id", "gen_kiosk_setup", "gen_neighbourhood", "kiosk_resident",
           "new_card_code", "record"]
