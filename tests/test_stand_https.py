"""HTTPS on the stand's network: its own authority, a server certificate, TLS over a real socket, the setup page."""

from __future__ import annotations

import os
import socket
import ssl
import stat
import threading
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from kiosk import tls
from kiosk.serve import https_server

from .sync_support import app_for, migrate

LAN = "192.168.1.23"


@pytest.fixture(scope="module")
def stand(tmp_path_factory):
    """A stand's app on its own SQLite file and instance folder (its authority is made there)."""
    tmp = tmp_path_factory.mktemp("stand-https")
    url = "sqlite:///" + str(tmp / "stand.sqlite3")
    migrate(url, tmp / "migrate")
    return app_for(url, tmp / "instance", "stand", HTTPS_PORT=5443, PORT=5012)


def _load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_first_run_makes_an_authority_and_a_server_certificate_for_the_stand_addresses(tmp_path):
    paths = tls.ensure_certificates(tmp_path, tls.stand_hosts(LAN))
    for key in (paths.ca_key, paths.key):
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    ca, server = _load(paths.ca_cert), _load(paths.cert)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} >= {LAN, "127.0.0.1"}
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    usage = server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usage
    assert (server.not_valid_after_utc - server.not_valid_before_utc).days <= 398  # Apple's and Chrome's limit


def test_the_authority_is_kept_and_the_server_certificate_follows_the_stand_to_another_network(tmp_path):
    paths = tls.ensure_certificates(tmp_path, tls.stand_hosts(LAN))
    ca_bytes, cert_bytes = paths.ca_cert.read_bytes(), paths.cert.read_bytes()
    tls.ensure_certificates(tmp_path, tls.stand_hosts(LAN))
    assert (paths.ca_cert.read_bytes(), paths.cert.read_bytes()) == (ca_bytes, cert_bytes)
    tls.ensure_certificates(tmp_path, tls.stand_hosts("10.0.0.7"))  # another Wi-Fi, another address
    assert paths.ca_cert.read_bytes() == ca_bytes  # tablets need not install anything again
    names = _load(paths.cert).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "10.0.0.7" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    _load(paths.cert).verify_directly_issued_by(_load(paths.ca_cert))


def test_the_authority_vouches_only_for_local_addresses(tmp_path):
    paths = tls.ensure_certificates(tmp_path, ["localhost", "127.0.0.1", "203.0.113.5", "example.org"])
    constraints = _load(paths.ca_cert).extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    assert x509.DNSName("local") in constraints.value.permitted_subtrees
    names = _load(paths.cert).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "203.0.113.5" not in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    assert "example.org" not in names.get_values_for_type(x509.DNSName)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_stand_serves_https_that_a_device_trusting_its_authority_accepts(stand):
    paths = tls.ensure_certificates(stand.instance_path, tls.stand_hosts(LAN))
    port = _free_port()
    server = https_server(stand, port, paths, host="127.0.0.1")
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        trusting = ssl.create_default_context(cafile=str(paths.ca_cert))  # checks the name too
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=trusting, timeout=10) as answer:
            assert answer.status == 200
        with urllib.request.urlopen(f"https://localhost:{port}/installation", context=trusting, timeout=10) as answer:
            page = answer.read().decode()
        assert "Cette page est sécurisée" in page  # the app sees the request came over TLS
        stranger = ssl.create_default_context()  # a device that never installed the stand's authority
        with pytest.raises(urllib.error.URLError) as refused:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=stranger, timeout=10)
        assert isinstance(refused.value.reason, ssl.SSLCertVerificationError)
    finally:
        server.stop()
        thread.join(timeout=10)


def test_the_setup_page_gives_the_certificate_and_plain_french_steps(stand):
    paths = tls.ensure_certificates(stand.instance_path, tls.stand_hosts(LAN))
    client = stand.test_client()
    page = client.get("/installation", base_url=f"http://{LAN}:5012").get_data(as_text=True)
    assert f"http://{LAN}:5012/installation/certificat-stand.crt" in page
    assert f"https://{LAN}:5443/" in page
    assert "Sur une tablette Android" in page and "Sur un iPad" in page
    assert page.count("<svg") >= 2  # the QR of the certificate and of the secure address
    assert tls.fingerprint(_load(paths.ca_cert)) in page
    answer = client.get("/installation/certificat-stand.crt")
    assert answer.mimetype == "application/x-x509-ca-cert"
    assert x509.load_der_x509_certificate(answer.data) == _load(paths.ca_cert)


def test_the_central_server_has_no_setup_page(tmp_path):
    url = "sqlite:///" + str(tmp_path / "central.sqlite3")
    migrate(url, tmp_path / "migrate")
    central = app_for(url, tmp_path / "instance", "central")
    assert central.test_client().get("/installation").status_code == 404
