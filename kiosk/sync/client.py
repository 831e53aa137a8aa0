"""The stand's side of the sync: enrolment, push of the outbox, pull of what it needs.

The device token lives in ``instance/stand.json`` (mode 600); the sync's progress (pull
cursor, last success, last error) in ``instance/stand-sync.json``. ``sync_once`` pushes the
outbox in batches, oldest first, then pulls; a cut anywhere leaves both files and the outbox
consistent, and the next run resumes: the central server stores a batch once.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func

from ..extensions import db
from ..i18n import _l
from ..models import OutboxItem, utcnow
from . import apply, outbox

CREDENTIALS = "stand.json"
STATE = "stand-sync.json"
TIMEOUT_SECONDS = 15


class SyncFailed(Exception):
    """The sync stopped; the message is in plain French, for the animateur."""


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0


def _path(name: str) -> Path:
    return Path(current_app.instance_path) / name


def _write_private(path: Path, data: dict) -> None:
    """Write a file only the service account can read, replaced whole (never half written)."""
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _read(name: str) -> dict:
    try:
        return json.loads(_path(name).read_text())
    except (OSError, ValueError):
        return {}


def credentials() -> dict | None:
    found = _read(CREDENTIALS)
    return found if found.get("token") else None


def state() -> dict:
    return _read(STATE)


def _save_state(**changes) -> None:
    _write_private(_path(STATE), {**state(), **changes})


def _request(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            payload = json.loads(exc.read() or b"{}")
        except (OSError, ValueError, http.client.HTTPException):
            payload = {}  # an error half received: its status is enough
        return exc.code, payload
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, cut, timed out, half a response
        raise SyncFailed(f"Serveur central injoignable ({exc.__class__.__name__}).") from exc


class EnrolFailed(SyncFailed):
    """Enrolment did not happen; reason says why (see ENROL_REASONS), the message in plain French."""

    def __init__(self, reason: str, message):
        super().__init__(message)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])  # a lazy string, rendered in the current language


ENROL_REASONS = {  # shown on the setup page and by `flask stand enrol`
    "invalid_url": _l("Adresse du serveur central invalide : elle commence par https:// (ou http://)."),
    "unreachable": _l("Serveur central injoignable à cette adresse : vérifiez l'adresse et la connexion du stand."),
    "not_central": _l("Cette adresse répond, mais pas comme un serveur central Hors-les-murs : vérifiez-la."),
    "unknown": _l("Code d'inscription inconnu : vérifiez-le. Un code ne sert qu'une fois ; "
                  "s'il a déjà servi, demandez-en un nouveau sur le serveur central."),
    "expired": _l("Code d'inscription expiré (il vaut 24 heures) : demandez-en un nouveau sur le serveur central."),
    "revoked": _l("Ce stand a été révoqué sur le serveur central : demandez un nouveau code."),
    "too_many": _l("Trop d'essais : patientez une minute avant de recommencer."),
    "already_enrolled": _l("Ce stand est déjà inscrit sur un serveur central."),
}


def _refuse(reason: str) -> EnrolFailed:
    return EnrolFailed(reason, ENROL_REASONS[reason])


def enrol(central_url: str, code: str, *, replace: bool = True) -> dict:
    """Exchange a one-time enrolment code for this stand's device token, kept in instance/.

    With ``replace`` False, a stand enrolled already is refused (EnrolFailed "already_enrolled").
    """
    central_url = (central_url or "").strip().rstrip("/")
    parts = urllib.parse.urlsplit(central_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise _refuse("invalid_url")
    if not replace and credentials() is not None:
        raise _refuse("already_enrolled")
    try:
        status, payload = _request("POST", central_url + "/api/sync/enrol", {"code": code})
    except SyncFailed:
        raise _refuse("unreachable") from None
    payload = payload if isinstance(payload, dict) else {}
    if status == 403 and payload.get("reason") in ("unknown", "expired", "revoked"):
        raise _refuse(payload["reason"])
    if status == 403:  # a central server of before the reasons
        raise _refuse("unknown")
    if status == 429:
        raise _refuse("too_many")
    if status != 200 or not isinstance(payload.get("token"), str):
        raise _refuse("not_central")
    saved = {"central_url": central_url, "device": payload["device"], "name": payload["name"],
             "structure": payload["structure"], "token": payload["token"]}
    _write_private(_path(CREDENTIALS), saved)
    _save_state(cursor=None)
    return saved


def push(creds: dict, *, batch_size: int) -> int:
    """Push the outbox, oldest first, until it is empty; return the items the central server took."""
    pushed = 0
    while True:
        items = outbox.pending(batch_size)
        documents = [outbox.document(item) for item in items]
        body = {"sent_at": utcnow().isoformat(), "backlog": outbox.backlog(),
                "items": [doc for doc in documents if doc["data"] is not None]}
        status, payload = _request("POST", creds["central_url"] + "/api/sync/push", body, creds["token"])
        if status in (200, 409) and not isinstance(payload.get("pushed_through"), int):
            raise SyncFailed("Réponse du serveur central incomplète (connexion coupée).")
        if status in (200, 409):  # 409: stored already (a response lost in a cut)
            through = payload["pushed_through"]
            if status == 200 and items:
                through = max(through, items[-1].id)
            pushed += outbox.mark_sent(through)
            db.session.commit()
            if not items or len(items) < batch_size:
                return pushed
            continue
        if status in (401, 403) and not items:
            raise SyncFailed("Cet appareil n'est plus autorisé par le serveur central (révoqué ?).")
        if status in (401, 403):
            raise SyncFailed("Envoi refusé par le serveur central : appareil révoqué ou action d'une autre structure.")
        if status == 413:
            raise SyncFailed("Lot trop gros pour le serveur central.")
        raise SyncFailed(f"Envoi refusé par le serveur central (code {status}) : {payload.get('error', '')}".strip())


def fetch_prompt(creds: dict, name: str) -> tuple[str, bytes] | None:
    """A recorded prompt's audio from the central server: its content type and at most one byte
    over the largest allowed (so a bigger one is refused, never read whole); None when gone (404)."""
    request = urllib.request.Request(creds["central_url"] + "/prompts/audio/" + urllib.parse.quote(name))
    limit = current_app.config["PROMPT_MAX_BYTES"] + 1
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.headers.get_content_type(), response.read(limit)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise SyncFailed(f"Enregistrement refusé par le serveur central (code {exc.code}).") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise SyncFailed(f"Serveur central injoignable ({exc.__class__.__name__}).") from exc


def pull(creds: dict) -> int:
    cursor = state().get("cursor")
    url = creds["central_url"] + "/api/sync/pull" + (f"?cursor={cursor}" if cursor is not None else "")
    status, payload = _request("GET", url, token=creds["token"])
    if status != 200:
        raise SyncFailed(f"Mise à jour refusée par le serveur central (code {status}).")
    if not isinstance(payload.get("revision"), int):
        raise SyncFailed("Réponse du serveur central incomplète (connexion coupée).")
    count = 0 if payload.get("unchanged") else apply.apply_pull(payload, lambda name: fetch_prompt(creds, name))
    db.session.commit()
    _save_state(cursor=payload["revision"])
    return count


def sync_once(*, batch_size: int = 200) -> SyncReport:
    """Push everything waiting, then pull; record the outcome for the live view."""
    creds = credentials()
    if creds is None:
        raise SyncFailed("Ce stand n'est pas inscrit sur un serveur central.")
    _save_state(last_attempt=utcnow().isoformat())
    try:
        report = SyncReport(pushed=push(creds, batch_size=batch_size))
        report.pulled = pull(creds)
    except SyncFailed as exc:
        db.session.rollback()
        _save_state(last_error=str(exc), last_error_at=utcnow().isoformat())
        raise
    _save_state(last_success=utcnow().isoformat(), last_error=None)
    return report


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def status() -> dict:
    """What the live view and `flask stand status` show: enrolled, last success, backlog, last error."""
    creds = credentials()
    current = state()
    return {"enrolled": creds is not None, "central_url": creds and creds["central_url"],
            "name": creds and creds.get("name"), "backlog": outbox.backlog(),
            "last_success": _time(current.get("last_success")), "last_error": current.get("last_error"),
            "last_error_at": _time(current.get("last_error_at")), "cursor": current.get("cursor"),
            "outbox_total": db.session.execute(db.select(func.count(OutboxItem.id))).scalar_one()}
