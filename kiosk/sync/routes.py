"""Routes of the sync: the API stands call (JSON, token), and the coordinator's devices pages."""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db, limiter
from ..i18n import _
from ..models import Structure
from ..permissions import metropole_coordinator_required
from ..qr import qr_svg
from . import bp, client, devices
from .ingest import SyncRefused, ingest
from .pull import pull as pull_changes


def _central_only() -> None:
    if current_app.config["ROLE"] != "central":
        abort(404)


def _error(status: int, message: str, **extra):
    return jsonify(error=message, **extra), status


def _device():
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else None
    return devices.device_for_token(token)


@bp.post("/api/sync/enrol")
@limiter.limit(lambda: current_app.config["SYNC_ENROL_RATE_LIMIT"])
def enrol_device():
    """Exchange a one-time enrolment code for a device token."""
    _central_only()
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    try:
        if not isinstance(code, str) or len(code) > 40:
            raise devices.EnrolRefused("unknown")
        device, token = devices.enrol(code)
    except devices.EnrolRefused as refused:
        db.session.rollback()
        # The reason lets the stand's setup page say what to do; a code's 12 random characters
        # and the rate limit keep "expired" from helping anyone guess one.
        return _error(403, "unknown, spent or expired enrolment code", reason=refused.reason)
    db.session.commit()
    return jsonify(device=str(device.uuid), name=device.name, structure=str(device.structure.uuid), token=token)


@bp.get("/api/sync/pull")
def pull():
    """Send a stand what changed since its cursor (everything without one)."""
    _central_only()
    device = _device() or abort(401)
    cursor = request.args.get("cursor", type=int)
    return jsonify(pull_changes(device, cursor))


@bp.post("/api/sync/push")
def push():
    """Store a stand's batch, all of it or nothing; 409 when it was stored already."""
    _central_only()
    device = _device()
    if device is None:
        return _error(401, "unknown or revoked device token")
    body = request.get_json(silent=True)
    if body is None:
        return _error(400, "the body is not JSON")
    for _attempt in range(3):
        try:
            result = ingest(device, body)
        except SyncRefused as refused:
            db.session.rollback()
            return _error(refused.status, refused.message, **refused.extra)
        except Exception as exc:  # a concurrent batch wrote the same card first: read again
            from sqlalchemy.exc import IntegrityError, OperationalError

            db.session.rollback()
            if not isinstance(exc, IntegrityError | OperationalError):
                raise
            device = _device() or abort(401)
            continue
        db.session.commit()
        return jsonify(result)
    return _error(503, "busy, try again")


@bp.get("/admin/devices")
@metropole_coordinator_required
def device_list():
    """List the stand devices: last contact, backlog, clock offset."""
    _central_only()
    return render_template("sync/devices.html", devices=devices.list_devices(),
                           structures=db.session.execute(db.select(Structure).where(Structure.active)
                                                         .order_by(Structure.name)).scalars().all(),
                           tolerance=current_app.config["SYNC_CLOCK_TOLERANCE_SECONDS"])


def _show_code(device, code: str):
    url = current_app.config["PUBLIC_URL"]
    return render_template("sync/enrol_code.html", device=device, code=code, central_url=url,
                           qr=qr_svg(f"{url} {code}", label=_("Code d'inscription du stand")))


@bp.post("/admin/devices")
@metropole_coordinator_required
def device_create():
    """Create a stand device for a structure and show its one-time enrolment code."""
    _central_only()
    structure = db.session.get(Structure, request.form.get("structure_id", type=int) or 0) or abort(400)
    device, code = devices.create_device(request.form.get("name", ""), structure)
    db.session.commit()
    return _show_code(device, code)


@bp.post("/admin/devices/<uuid:device_uuid>/renew")
@metropole_coordinator_required
def device_renew(device_uuid):
    """Give a device a new enrolment code (its current token stops working)."""
    _central_only()
    device = devices.device_by_uuid(device_uuid) or abort(404)
    code = devices.renew_enrol_code(device)
    db.session.commit()
    return _show_code(device, code)


@bp.post("/admin/devices/<uuid:device_uuid>/revoke")
@metropole_coordinator_required
def device_revoke(device_uuid):
    """Revoke a device: it can push nothing more."""
    _central_only()
    device = devices.device_by_uuid(device_uuid) or abort(404)
    devices.revoke(device)
    db.session.commit()
    return redirect(url_for(".device_list"), 303)


def stand_sync_status() -> dict | None:
    """The sync status for the live view of a stand (None on the central server)."""
    if current_app.config["ROLE"] != "stand" or not current_user.is_authenticated:
        return None
    return client.status()
