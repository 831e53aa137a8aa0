"""Stand devices on the central server: creation, one-time enrolment code, token, revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ..extensions import db
from ..models import Device, Structure, utcnow

ENROL_CODE_VALID = timedelta(hours=24)


def digest(secret: str) -> str:
    """Keep secrets as digests: a copy of the devices table lets nobody enrol or push."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_enrol_code(raw: str) -> str:
    return "".join(c for c in (raw or "").upper() if c.isalnum())


def _new_enrol_code(device: Device) -> str:
    code = secrets.token_hex(6).upper()  # 12 characters, typed on a stand or read from a QR
    device.enrol_code_hash = digest(code)
    device.enrol_expires_at = utcnow() + ENROL_CODE_VALID
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def create_device(name: str, structure: Structure) -> tuple[Device, str]:
    """Create a stand device for a structure; return it and its one-time enrolment code."""
    device = Device(name=name.strip()[:120] or structure.name, structure=structure)
    code = _new_enrol_code(device)
    db.session.add(device)
    db.session.flush()
    return device, code


def renew_enrol_code(device: Device) -> str:
    """Give a device a new enrolment code (a replaced tablet); its current token stops working."""
    device.token_hash, device.revoked_at = None, None
    return _new_enrol_code(device)


class EnrolRefused(Exception):
    """An enrolment code that gives no token: reason is "unknown" (wrong, or used), "expired" or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def enrol(code: str) -> tuple[Device, str]:
    """Exchange a valid enrolment code, once, for a device token; raise EnrolRefused otherwise.

    A used code is forgotten (its digest cleared): it is told "unknown", like a wrong one.
    """
    device = db.session.execute(
        db.select(Device).where(Device.enrol_code_hash == digest(normalise_enrol_code(code)))
    ).scalar()
    if device is None:
        raise EnrolRefused("unknown")
    if device.revoked_at is not None:
        raise EnrolRefused("revoked")
    if device.enrol_expires_at < utcnow():
        raise EnrolRefused("expired")
    token = secrets.token_urlsafe(32)
    device.token_hash, device.enrol_code_hash, device.enrol_expires_at = digest(token), None, None
    device.enrolled_at = device.last_contact_at = utcnow()
    db.session.flush()
    return device, token


def device_for_token(token: str | None) -> Device | None:
    """The enrolled, unrevoked device holding this token."""
    if not token:
        return None
    return db.session.execute(
        db.select(Device).where(Device.token_hash == digest(token), Device.revoked_at.is_(None))
    ).scalar()


def revoke(device: Device) -> None:
    """Revoke a device: its token and any enrolment code stop working at once."""
    device.revoked_at = utcnow()
    device.token_hash = device.enrol_code_hash = None
    db.session.flush()


def list_devices() -> list[Device]:
    return list(db.session.execute(db.select(Device).order_by(Device.revoked_at.isnot(None), Device.name)).scalars())


def device_by_uuid(value) -> Device | None:
    return db.session.execute(db.select(Device).where(Device.uuid == value)).scalar()
