"""What travels between a stand and the central server, as plain JSON, and its validation.

Objects are named by UUID (cards by their code, the QR), never by a database id: ids differ
from one server to the other. Times are naive UTC in ISO 8601. Everything received is
untrusted: ``parse_*`` functions check every field and raise PayloadError.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from ..checkin.services import companions_count
from ..codes import is_valid_card_code
from ..models import (
    AGE_BANDS,
    CHANNELS,
    FIRST_TIME,
    GENDERS,
    HEARD_FROM,
    ROLES,
    STRUCTURE_KINDS,
    YES_NO,
    CheckIn,
    Event,
    Neighbourhood,
    Structure,
    Tally,
    User,
)

ITEM_KINDS = ("event", "checkin", "void", "tally")
EVENT_STATUSES = ("draft", "open", "closed")


class PayloadError(ValueError):
    """A pushed or pulled document is malformed; nothing of it is stored."""


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _uuid(value) -> str | None:
    return str(value) if value is not None else None


# Central → stand (pull) -------------------------------------------------------------------

def neighbourhood_doc(n: Neighbourhood) -> dict:
    return {"uuid": str(n.uuid), "code": n.code, "name": n.name, "commune": n.commune,
            "is_qpv": n.is_qpv, "active": n.active}


def structure_doc(s: Structure) -> dict:
    return {"uuid": str(s.uuid), "name": s.name, "kind": s.kind, "active": s.active,
            "neighbourhood": _uuid(s.neighbourhood.uuid if s.neighbourhood else None)}


def user_doc(u: User) -> dict:
    # Hashes only: a stand checks passwords and PINs offline, it never learns them.
    return {"uuid": str(u.uuid), "name": u.name, "email": u.email, "role": u.role, "city": u.city,
            "structure": _uuid(u.structure.uuid if u.structure else None),
            "password_hash": u.password_hash, "pin_hash": u.pin_hash, "active": u.active}


def event_doc(e: Event) -> dict:
    return {"uuid": str(e.uuid), "code": e.code, "title": e.title, "theme": e.theme,
            "place_label": e.place_label, "neighbourhood": str(e.neighbourhood.uuid),
            "structure": _uuid(e.structure.uuid if e.structure else None),
            "starts_at": iso(e.starts_at), "ends_at": iso(e.ends_at),
            "interpreter_languages": e.interpreter_languages, "childcare_offered": e.childcare_offered,
            "express_mode": e.express_mode, "status": e.status,
            "opened_at": iso(e.opened_at), "closed_at": iso(e.closed_at),
            "partners": [str(p.uuid) for p in e.partners], "volunteers": [str(v.uuid) for v in e.volunteers]}


def language_doc(code: str, texts: dict[str, str], recordings) -> dict:
    """A language whole: its approved texts (French msgid → text) and its recordings (the audio
    is fetched apart, once, by its file name: its content's hash)."""
    return {"code": code, "texts": texts,
            "recordings": [{"key": r.prompt_key, "file": r.file, "mime": r.mime, "size": r.size, "demo": r.demo}
                           for r in recordings]}


# Stand → central (push) -------------------------------------------------------------------

ANSWER_FIELDS = ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from",
                 "needs_skipped", "childcare_children", "childcare_age_bands", "interpreter_language",
                 "accessibility")


def checkin_doc(c: CheckIn) -> dict:
    doc = {"uuid": str(c.uuid), "event": str(c.event.uuid), "card": c.card.code if c.card else None,
           "created_at": iso(c.created_at), "channel": c.channel, "language": c.language,
           "residence_neighbourhood": _uuid(c.residence_neighbourhood.uuid if c.residence_neighbourhood else None),
           "voided_at": iso(c.voided_at), "void_reason": c.void_reason}
    doc.update({name: getattr(c, name) for name in ANSWER_FIELDS})
    doc["companions"] = c.companions
    return doc


def void_doc(c: CheckIn) -> dict:
    return {"uuid": str(c.uuid), "voided_at": iso(c.voided_at), "void_reason": c.void_reason}


def tally_doc(t: Tally) -> dict:
    return {"uuid": str(t.uuid), "event": str(t.event.uuid), "count": t.count,
            "created_at": iso(t.created_at), "undone_at": iso(t.undone_at)}


# Validation -------------------------------------------------------------------------------

def field(doc: dict, name: str, kind, *, optional: bool = False, choices=None, max_length: int = 200):
    """Return doc[name] checked: its type, its length, its vocabulary."""
    if not isinstance(doc, dict):
        raise PayloadError("an object was expected")
    value = doc.get(name)
    if value is None:
        if optional:
            return None
        raise PayloadError(f"{name} is missing")
    if kind is bool:
        if not isinstance(value, bool):
            raise PayloadError(f"{name} must be true or false")
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
            raise PayloadError(f"{name} must be a whole number")
    elif kind is str:
        if not isinstance(value, str) or len(value) > max_length:
            raise PayloadError(f"{name} must be a text of at most {max_length} characters")
    elif kind is datetime:
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise PayloadError(f"{name} must be an ISO time") from None
        if value.tzinfo is not None or not 2000 <= value.year <= 2100:
            raise PayloadError(f"{name} must be a naive UTC time")
    elif kind is uuid_module.UUID:
        try:
            value = uuid_module.UUID(str(value))
        except ValueError:
            raise PayloadError(f"{name} must be a UUID") from None
    if choices is not None and value not in choices:
        raise PayloadError(f"{name} has an unknown value")
    return value


def _companions(doc: dict) -> int:
    """A stand that predates companions sends none: that is none (DESIGN.md "companion")."""
    value = field(doc, "companions", int, optional=True)
    try:
        return companions_count(value)
    except ValueError:
        raise PayloadError("companions is out of range") from None


def parse_checkin(doc: dict) -> dict:
    card = field(doc, "card", str, optional=True, max_length=16)
    if card is not None and not is_valid_card_code(card):
        raise PayloadError("card is not a valid card code")
    children = field(doc, "childcare_children", int)
    if children > 20:
        raise PayloadError("childcare_children is out of range")
    answers = {
        "first_time": field(doc, "first_time", str, optional=True, choices=FIRST_TIME),
        "residence": field(doc, "residence", str, optional=True, choices=("neighbourhood", "other", "skip")),
        "age_band": field(doc, "age_band", str, optional=True, choices=AGE_BANDS),
        "gender": field(doc, "gender", str, optional=True, choices=GENDERS),
        "goes_to_structure": field(doc, "goes_to_structure", str, optional=True, choices=YES_NO),
        "heard_from": field(doc, "heard_from", str, optional=True, choices=HEARD_FROM),
        "needs_skipped": field(doc, "needs_skipped", bool),
        "childcare_children": children,
        "childcare_age_bands": field(doc, "childcare_age_bands", str, max_length=40),
        "interpreter_language": field(doc, "interpreter_language", str, optional=True, max_length=8),
        "accessibility": field(doc, "accessibility", bool),
        "companions": _companions(doc),
    }
    return {
        "uuid": field(doc, "uuid", uuid_module.UUID), "event": field(doc, "event", uuid_module.UUID),
        "card": card, "created_at": field(doc, "created_at", datetime),
        "channel": field(doc, "channel", str, choices=CHANNELS),
        "language": field(doc, "language", str, max_length=8),
        "residence_neighbourhood": field(doc, "residence_neighbourhood", uuid_module.UUID, optional=True),
        "voided_at": field(doc, "voided_at", datetime, optional=True),
        "void_reason": field(doc, "void_reason", str, optional=True),
        "answers": answers,
    }


def parse_void(doc: dict) -> dict:
    return {"uuid": field(doc, "uuid", uuid_module.UUID), "voided_at": field(doc, "voided_at", datetime),
            "void_reason": field(doc, "void_reason", str)}


def parse_tally(doc: dict) -> dict:
    count = field(doc, "count", int)
    if not 1 <= count <= 100:
        raise PayloadError("count is out of range")
    return {"uuid": field(doc, "uuid", uuid_module.UUID), "event": field(doc, "event", uuid_module.UUID),
            "count": count, "created_at": field(doc, "created_at", datetime),
            "undone_at": field(doc, "undone_at", datetime, optional=True)}


def parse_event(doc: dict) -> dict:
    starts_at, ends_at = field(doc, "starts_at", datetime), field(doc, "ends_at", datetime)
    if ends_at <= starts_at:
        raise PayloadError("ends_at must be after starts_at")
    return {
        "uuid": field(doc, "uuid", uuid_module.UUID), "code": field(doc, "code", str, max_length=12),
        "title": field(doc, "title", str, max_length=160), "theme": field(doc, "theme", str, max_length=80),
        "place_label": field(doc, "place_label", str, max_length=160),
        "neighbourhood": field(doc, "neighbourhood", uuid_module.UUID),
        "structure": field(doc, "structure", uuid_module.UUID, optional=True),
        "starts_at": starts_at, "ends_at": ends_at,
        "interpreter_languages": field(doc, "interpreter_languages", str),
        "childcare_offered": field(doc, "childcare_offered", bool),
        "express_mode": field(doc, "express_mode", bool),
        "status": field(doc, "status", str, choices=EVENT_STATUSES),
        "opened_at": field(doc, "opened_at", datetime, optional=True),
        "closed_at": field(doc, "closed_at", datetime, optional=True),
        # Absent from a central server of an earlier version: the stand then keeps what it had.
        "partners": _uuid_list(doc, "partners"), "volunteers": _uuid_list(doc, "volunteers"),
    }


def _uuid_list(doc: dict, name: str) -> list | None:
    value = doc.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > 500:
        raise PayloadError(f"{name} must be a list")
    try:
        return [uuid_module.UUID(v) for v in value if isinstance(v, str)]
    except ValueError as exc:
        raise PayloadError(f"{name} holds something that is not a UUID") from exc


def parse_user(doc: dict) -> dict:
    return {"uuid": field(doc, "uuid", uuid_module.UUID), "name": field(doc, "name", str, max_length=120),
            "email": field(doc, "email", str, max_length=254), "role": field(doc, "role", str, choices=ROLES),
            "structure": field(doc, "structure", uuid_module.UUID, optional=True),
            "password_hash": field(doc, "password_hash", str, max_length=256),
            "pin_hash": field(doc, "pin_hash", str, optional=True, max_length=256),
            "active": field(doc, "active", bool),
            "city": field(doc, "city", str, optional=True, max_length=120)}


def parse_structure(doc: dict) -> dict:
    return {"uuid": field(doc, "uuid", uuid_module.UUID), "name": field(doc, "name", str, max_length=160),
            "kind": field(doc, "kind", str, choices=STRUCTURE_KINDS), "active": field(doc, "active", bool),
            "neighbourhood": field(doc, "neighbourhood", uuid_module.UUID, optional=True)}


def parse_neighbourhood(doc: dict) -> dict:
    return {"uuid": field(doc, "uuid", uuid_module.UUID), "code": field(doc, "code", str, optional=True, max_length=9),
            "name": field(doc, "name", str, max_length=120), "commune": field(doc, "commune", str, max_length=120),
            "is_qpv": field(doc, "is_qpv", bool), "active": field(doc, "active", bool)}


MAX_LANGUAGE_ITEMS = 5000


def parse_language(doc: dict) -> dict:
    """Check a language's shape; its texts and recordings are checked by the languages area."""
    texts = doc.get("texts") if isinstance(doc, dict) else None
    recordings = doc.get("recordings") if isinstance(doc, dict) else None
    if not isinstance(texts, dict) or len(texts) > MAX_LANGUAGE_ITEMS:
        raise PayloadError("texts must be an object")
    if not all(isinstance(k, str) and isinstance(v, str) and len(k) <= 4000 and len(v) <= 4000
               for k, v in texts.items()):
        raise PayloadError("texts must map texts to texts")
    if not isinstance(recordings, list) or len(recordings) > MAX_LANGUAGE_ITEMS:
        raise PayloadError("recordings must be a list")
    return {"code": field(doc, "code", str, max_length=8), "texts": texts,
            "recordings": [{"key": field(r, "key", str, max_length=60), "file": field(r, "file", str, max_length=80),
                            "size": field(r, "size", int), "demo": field(r, "demo", bool)} for r in recordings]}
