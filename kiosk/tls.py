"""HTTPS on the stand's own network: a local certificate authority and the server's certificate.

Browsers give the camera (and service workers) only to secure pages: https, or localhost.
A tablet reaching the stand at http://192.168.x.y has none. So the stand makes, on its first
run, its own certificate authority (kept in instance/tls/, its key readable by the service
account only) and a server certificate it signs for the stand's addresses; a tablet trusts
the authority once (the setup page /stand/https) and every later certificate with it.

The authority may only vouch for local names (name constraints: private and loopback
addresses, localhost, *.local): its key, were it stolen from a stand, could not be used
to impersonate a real site to a tablet that trusts it. The server certificate is made
again when the stand's address changes (another Wi-Fi) or a month before it expires;
it lasts 397 days, the most Apple's and Chrome's rules accept.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=30)
LOCAL_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8",
                  "fc00::/7", "fe80::/10", "::1/128")
LOCAL_NAMES = ("localhost", "local")  # a DNS name constraint covers the name and its subdomains


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca-key.pem"

    @property
    def cert(self) -> Path:
        return self.folder / "server.pem"

    @property
    def key(self) -> Path:
        return self.folder / "server-key.pem"


def files(instance_path: str | Path) -> TlsFiles:
    return TlsFiles(Path(instance_path) / "tls")


def _now() -> datetime:
    return datetime.now(UTC)


def _write(path: Path, data: bytes, *, private: bool) -> None:
    """Replace a file whole; a key is created readable by its owner only, from its first byte."""
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temporary, 0o600 if private else 0o644)
    os.replace(temporary, path)


def _key_bytes(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _local_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".local") or host.endswith(".localhost")


def _is_local(address) -> bool:
    return any(address in ipaddress.ip_network(net) for net in LOCAL_NETWORKS)


def stand_hosts(lan: str | None) -> list[str]:
    """What the server certificate names: localhost, loopback, the LAN address, <hostname>.local."""
    hosts = ["localhost", "127.0.0.1"]
    if lan and lan not in hosts:
        hosts.append(lan)
    label = socket.gethostname().split(".")[0].lower()
    if re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", label):
        hosts.append(f"{label}.local")
    return hosts


def _san(hosts: list[str]) -> x509.SubjectAlternativeName:
    names = []
    for host in hosts:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            if _local_name(host):
                names.append(x509.DNSName(host))
            continue
        if _is_local(address):  # outside the authority's constraints a certificate fails whole
            names.append(x509.IPAddress(address))
    return x509.SubjectAlternativeName(names)


def _make_ca(paths: TlsFiles, label: str) -> tuple:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hors-les-murs"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"Hors-les-murs, autorité du stand {label}"[:64])])
    now = _now()
    constraints = x509.NameConstraints(
        permitted_subtrees=[x509.IPAddress(ipaddress.ip_network(net)) for net in LOCAL_NETWORKS]
        + [x509.DNSName(n) for n in LOCAL_NAMES], excluded_subtrees=None)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(constraints, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write(paths.ca_key, _key_bytes(key), private=True)
    _write(paths.ca_cert, cert.public_bytes(serialization.Encoding.PEM), private=False)
    return cert, key


def _load_ca(paths: TlsFiles) -> tuple | None:
    try:
        cert = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
        key = serialization.load_pem_private_key(paths.ca_key.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if cert.not_valid_after_utc - RENEW_BEFORE < _now():
        return None
    return cert, key


def _server_is_current(paths: TlsFiles, ca_cert, hosts: list[str]) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
        serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
    except (OSError, ValueError):
        return False
    if cert.issuer != ca_cert.subject or cert.not_valid_after_utc - RENEW_BEFORE < _now():
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, Exception):  # another authority's, or a broken signature
        return False
    named = set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    return set(_san(hosts)) <= named


def _make_server(paths: TlsFiles, ca_cert, ca_key, hosts: list[str]) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    san = _san(hosts)
    common = next((h for h in hosts if h not in ("localhost", "127.0.0.1")), "localhost")
    now = _now()
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=SERVER_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(san, critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write(paths.key, _key_bytes(key), private=True)
    _write(paths.cert, cert.public_bytes(serialization.Encoding.PEM), private=False)


def ensure_certificates(instance_path: str | Path, hosts: list[str]) -> TlsFiles:
    """Make the authority if there is none, and a server certificate for ``hosts`` if needed."""
    paths = files(instance_path)
    paths.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    found = _load_ca(paths)
    if found is None:
        found = _make_ca(paths, socket.gethostname().split(".")[0][:40] or "local")
    ca_cert, ca_key = found
    if not _server_is_current(paths, ca_cert, hosts):
        _make_server(paths, ca_cert, ca_key, hosts)
    return paths


def ca_certificate(instance_path: str | Path) -> x509.Certificate | None:
    """The stand's authority, if it was made (None on a central server, or before the first run)."""
    try:
        return x509.load_pem_x509_certificate(files(instance_path).ca_cert.read_bytes())
    except (OSError, ValueError):
        return None


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate, as iPad and Android show it: pairs of hex digits."""
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return " ".join(digest[i:i + 2] for i in range(0, len(digest), 2))
