"""A stand applies what it pulled, through the owning areas' services, without feeding its outbox."""

from __future__ import annotations

import logging

from ..accounts.services import mirror_user
from ..events.services import mirror_event, set_event_team
from ..extensions import db
from ..languages.mirror import Fetch, mirror_language
from ..models import Neighbourhood, Structure, User
from ..places.services import mirror_neighbourhood, mirror_structure
from . import payloads
from .journal import mirroring

log = logging.getLogger(__name__)


def _id_of(model, value) -> int | None:
    if value is None:
        return None
    return db.session.execute(db.select(model.id).where(model.uuid == value)).scalar()


def _all_of(model, uuids):
    if uuids is None:
        return None
    return list(db.session.execute(db.select(model).where(model.uuid.in_(uuids))).scalars()) if uuids else []


def _no_fetch(_name: str) -> None:
    return None


def apply_pull(payload: dict, fetch: Fetch = _no_fetch) -> int:
    """Apply a pull's documents in dependency order; return how many objects were applied.

    ``fetch`` downloads a recording's audio from the central server (kiosk.languages.mirror.Fetch).
    """
    count = 0
    with mirroring():
        for doc in payload.get("neighbourhoods", []):
            mirror_neighbourhood(**payloads.parse_neighbourhood(doc))
            count += 1
        for doc in payload.get("structures", []):
            data = payloads.parse_structure(doc)
            data["neighbourhood_id"] = _id_of(Neighbourhood, data.pop("neighbourhood"))
            mirror_structure(**data)
            count += 1
        for doc in payload.get("users", []):
            data = payloads.parse_user(doc)
            data["structure_id"] = _id_of(Structure, data.pop("structure"))
            mirror_user(**data)
            count += 1
        for doc in payload.get("events", []):
            data = payloads.parse_event(doc)
            neighbourhood_id = _id_of(Neighbourhood, data["neighbourhood"])
            if neighbourhood_id is None:
                continue
            fields = {name: data[name] for name in ("title", "theme", "place_label", "starts_at", "ends_at",
                                                    "interpreter_languages", "childcare_offered", "express_mode")}
            fields.update(neighbourhood_id=neighbourhood_id, structure_id=_id_of(Structure, data["structure"]))
            event = mirror_event(fields, status=data["status"], opened_at=data["opened_at"],
                                 closed_at=data["closed_at"], code=data["code"], uuid=data["uuid"], settings=True)
            set_event_team(event, partners=_all_of(Structure, data["partners"]),
                           volunteers=_all_of(User, data["volunteers"]))
            count += 1
        for doc in payload.get("languages", []):
            try:
                data = payloads.parse_language(doc)
            except payloads.PayloadError as error:  # never half applied to a kiosk: the whole language waits
                log.warning("refused from the central server: a language: %s", error)
                continue
            result = mirror_language(data["code"], data["texts"], data["recordings"], fetch)
            count += result.applied + result.removed
    return count
