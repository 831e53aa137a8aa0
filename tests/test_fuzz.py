"""No input gives a server error: every route, every role, hostile path, query and form values.

Each route of the application's own URL map (so a new route is fuzzed without being listed
here) is sent, as an anonymous visitor, an animateur, a coordinator and a kiosk tablet, with
its path filled with real or hostile values and any of the known query and form fields set to
values that could upset their parsers. Under TESTING Flask re-raises a view's exception, so a
crash fails the test with its traceback; any other 5xx answer fails it too. The generator is
seeded and bounded so that `make test` stays quick and gives the same verdict every run;
HLM_FUZZ_EXAMPLES (per route and role) and HLM_FUZZ_SEED search further. A plain seeded
generator rather than Hypothesis: its examples start small and favour the first choices,
which left most routes unexplored for the coordinator.
"""

import os
import random
import re
from urllib.parse import quote

import pytest

from kiosk.extensions import db

from .factories import PASSWORD, gen_card, gen_checkin, gen_event, gen_user
from .factories_checkin import PIN

EXAMPLES = int(os.environ.get("HLM_FUZZ_EXAMPLES", "12"))  # per route and role
SEED = int(os.environ.get("HLM_FUZZ_SEED", "20261201"))
ROLES = ("anonymous", "animateur", "coordinator", "kiosk")

# Values that broke or could break parsing: digits that str.isdigit() accepts but int() or the
# database refuse, NUL bytes, years at the ends of the calendar, header injection, huge numbers.
DATES = ["0001-01-01", "9999-12-31", "01/01/0001", "31/12/9999", "00/00/0000", "0202-01-01", "29/02/2023",
         "2026-13-45", "1/1/1", "01/01/2026", "2026-01-01T00:00", "0001-01-01T00:00", "9999-12-31T23:59",
         "²²/²²/²²²²", "١٢/٠١/٢٠٢٦"]
NUMBERS = ["-1", "0", "1", "2", "1.5", "1e400", "NaN", "inf", "²", "١٢٣", "۴", "𝟙", "99999999999999999999999",
           "9223372036854775808", "2147483648", "-9223372036854775809"]
TEXTS = ["", " ", "\x00", "a\x00b", "\n", "/\r\nSet-Cookie: x=y", "//evil.example", "https://evil.example/",
         "javascript:alert(1)", "../../etc/passwd", "<script>alert(1)</script>", "=1+1", "' OR 1=1 --",
         "x" * 300, "é" * 200, "a@" + "b" * 260 + ".fr", "a\x00@b.fr", "n:1", "n:²", "n:-1",
         "n:99999999999999999999", "skip", "yes", "no", "ok", "none", "link", "childcare", "interpreter", "ar",
         "fr", "xx", "🙂" * 10, "%00", "%", "true", "on", "xlsx", "csv", "past", "upcoming", "partners",
         "camera", "keypad", "centre_social", "coordinator"]
NASTY = DATES + NUMBERS + TEXTS
# Field names the views read, each drawn from the values that could upset its parser.
DATE_FIELDS = ["from", "to", "starts_at", "ends_at"]
NUMBER_FIELDS = ["neighbourhood", "structure", "neighbourhood_id", "structure_id", "partner_ids", "n", "v", "topic_id",
                 "version", "count", "children"]
TEXT_FIELDS = ["theme", "when", "next", "mode", "format", "answer", "choice", "flow", "lang", "code", "channel",
               "secret", "reason", "other_reason", "email", "password", "name", "commune", "is_qpv", "kind",
               "active", "title", "place_label", "interpreter_languages", "childcare_offered", "express_mode",
               "role", "pin", "current", "new_password", "confirm", "fmt",
               # residents' voice
               "c", "t", "sid", "rating", "topic", "text", "initiative", "consent", "seconds", "action", "status",
               "transcript", "paraphrase", "card", "pictogram", "tr_ar", "position"]
_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


class World:
    """The records the fuzzer aims at, so that valid paths reach deep into the views.

    A fuzzed request may close the event, deactivate an account or change a password; each
    example starts again from these rows as they were made, so later examples still go deep.
    """

    def __init__(self):
        self.animateur = gen_user(pin=PIN)
        self.coordinator = gen_user(role="coordinator", structure=None)
        self.event = gen_event(structure=self.animateur.structure)
        self.closed = gen_event(structure=self.animateur.structure, status="closed")
        card = gen_card()
        self.checkin = gen_checkin(self.event, card=card, first_seen=True)
        db.session.commit()
        self.codes = [self.event.code, self.closed.code, self.event.code.lower(), " " + self.event.code]
        self.ids = [self.animateur.id, self.coordinator.id, self.event.neighbourhood_id, self.animateur.structure_id]
        self.uuids = [str(self.checkin.uuid)]
        self._rows = [(type(row).__table__, row.id, self._columns(row))
                      for row in (self.animateur, self.coordinator, self.event, self.closed, self.checkin)]

    @staticmethod
    def _columns(row) -> dict:
        return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}

    def restore(self) -> None:
        db.session.rollback()
        for table, row_id, values in self._rows:
            db.session.execute(table.update().where(table.c.id == row_id).values(**values))
        db.session.commit()


@pytest.fixture
def fuzz_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "100000 per minute"  # the fuzzer logs in once per role, from one address
    world = World()
    routes = [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in app.url_map.iter_rules()]
    return app, world, routes


def _text(rng: random.Random, pool: list[str]) -> str:
    if rng.random() < 0.25:  # anything at all, from the whole of Unicode
        points = (rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x2FFFF))) for _ in range(rng.randrange(12)))
        return "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)  # no lone surrogates in UTF-8
    return rng.choice(pool)


def _fields(rng: random.Random, max_values: int) -> dict[str, list[str]]:
    """Some of the known fields, each with values that could upset its parser."""
    fields = {}
    for names, pool in ((DATE_FIELDS, DATES), (NUMBER_FIELDS, NUMBERS), (TEXT_FIELDS, TEXTS)):
        for name in names:
            if rng.random() < 0.3:
                fields[name] = [_text(rng, pool) for _ in range(rng.randint(1, max_values))]
    return fields


def _path(rng: random.Random, rule: str, world: "World") -> str:
    def value(match):
        converter, args = match.group(1), match.group(2)
        if converter == "int":
            return rng.choice([*map(str, world.ids), "0", "2147483648", "9223372036854775808", "9" * 30])
        if converter == "uuid":
            return rng.choice([*world.uuids, "00000000-0000-0000-0000-000000000000"])
        if converter == "any":
            return rng.choice(re.findall(r"\w+", args or ""))
        return quote(rng.choice(world.codes) if rng.random() < 0.5 else _text(rng, NASTY), safe="")
    return _PARAM.sub(value, rule)


def _session_cookies(app, world: World) -> dict[str, str | None]:
    """Log each role in once; every example starts from a copy of that role's session cookie."""
    cookies = {"anonymous": None}
    for role, user in (("animateur", world.animateur), ("coordinator", world.coordinator),
                       ("kiosk", world.animateur)):
        client = app.test_client()
        assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        if role == "kiosk":
            assert client.post(f"/kiosk/{world.event.code}/open").status_code == 303
        cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return cookies


def _client_as(app, cookie: str | None, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if cookie is not None:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client


def test_no_input_gives_a_server_error(fuzz_app):
    app, world, routes = fuzz_app
    cookies = _session_cookies(app, world)
    rng = random.Random(SEED)
    failures: dict[tuple, dict] = {}  # one example per route, role and kind of failure
    for rule, methods in routes:
        for role in ROLES:
            for _ in range(EXAMPLES):
                method = rng.choice(methods)
                request = {"role": role, "method": method, "path": _path(rng, rule, world),
                           "query_string": {k: v[0] for k, v in _fields(rng, 1).items()},
                           "data": _fields(rng, 3) if method == "POST" else None,
                           "headers": {"HX-Request": "true"} if rng.random() < 0.5 else {}}
                client = _client_as(app, cookies[role], f"10.{rng.randrange(256)}.{rng.randrange(256)}.1")
                try:
                    response = client.open(request["path"], method=method, query_string=request["query_string"],
                                           data=request["data"], headers=request["headers"])
                    failure = f"status {response.status_code}" if response.status_code >= 500 else None
                except Exception as error:  # the view crashed: Flask re-raises it under TESTING
                    failure = f"{type(error).__name__}: {str(error)[:120]}"
                if failure:
                    failures.setdefault((rule, role, failure.split(":")[0]), {**request, "failure": failure})
                world.restore()
    assert not failures, "\n".join(
        f"{f['failure']} <- {f['role']} {f['method']} {f['path']} query={f['query_string']} form={f['data']}"
        for f in failures.values())
