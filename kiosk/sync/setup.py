"""The stand's setup pages: make a tablet trust the stand's HTTPS, and enrol the stand.

/installation is open to anyone on the stand's network: a tablet being set up is logged in
nowhere yet, and the authority's certificate is public (its key never leaves the stand).
Enrolment binds the stand to a structure: a coordinator's act.
"""

from __future__ import annotations

import ipaddress

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from ..config import lan_address
from ..i18n import _
from ..permissions import coordinator_required
from ..qr import qr_svg
from . import bp, client


def _stand_only() -> None:
    if current_app.config["ROLE"] != "stand":
        abort(404)


def _stand_host() -> str:
    """The stand's address as the tablets reach it: the one this page was asked on, unless loopback."""
    host = request.host.rsplit(":", 1)[0].strip("[]")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return (lan_address() or host) if loopback else host


@bp.get("/installation")
def setup():
    """Show how to make a tablet trust the stand's HTTPS, step by step for Android and iPad."""
    _stand_only()
    from .. import tls  # cryptography loads only where a page needs it, not in every central worker

    ca = tls.ca_certificate(current_app.instance_path)
    https_port = current_app.config["HTTPS_PORT"]
    host = _stand_host()
    certificate_url = f"http://{host}:{current_app.config['PORT']}{url_for('.setup_certificate')}"
    https_url = f"https://{host}:{https_port}/" if ca is not None and https_port else None
    return render_template(
        "sync/setup.html", ca=ca, fingerprint=tls.fingerprint(ca) if ca is not None else None,
        certificate_url=certificate_url, https_url=https_url, secure=request.is_secure,
        certificate_qr=qr_svg(certificate_url, label=_("Certificat du stand")),
        https_qr=qr_svg(https_url, label=_("Adresse sécurisée du stand")) if https_url else None)


@bp.get("/installation/certificat-stand.crt")
def setup_certificate():
    """Send the stand's authority certificate, as tablets install it (DER)."""
    _stand_only()
    from cryptography.hazmat.primitives.serialization import Encoding

    from .. import tls

    ca = tls.ca_certificate(current_app.instance_path) or abort(404)
    return Response(ca.public_bytes(Encoding.DER), mimetype="application/x-x509-ca-cert", headers={
        "Content-Disposition": 'attachment; filename="hors-les-murs-stand.crt"'})


def _split_scanned(central_url: str, code: str) -> tuple[str, str]:
    # The QR of the central server's enrolment page holds "URL CODE": scanned or pasted in one field.
    parts = central_url.split()
    if len(parts) == 2 and not code.strip():
        return parts[0], parts[1]
    return central_url.strip(), code.strip()


@bp.route("/installation/inscription", methods=["GET", "POST"])
@coordinator_required
def setup_enrol():
    """Enrol this stand on the central server with the one-time code a coordinator got there."""
    _stand_only()
    error = reason = None
    central_url, code = "", ""
    if request.method == "POST":
        central_url, code = _split_scanned(request.form.get("central_url", "")[:300],
                                           request.form.get("code", "")[:60])
        try:
            client.enrol(central_url, code, replace=request.form.get("replace") == "1")
        except client.EnrolFailed as failed:
            error, reason = str(failed), failed.reason
        else:
            return redirect(url_for(".setup_enrol", done=1), 303)
    status = client.status()
    return render_template("sync/setup_enrol.html", status=status, error=error, reason=reason,
                           central_url=central_url, code=code, done=request.args.get("done") == "1",
                           decoder=url_for("static", filename="vendor/jsQR.js")), 422 if error else 200
