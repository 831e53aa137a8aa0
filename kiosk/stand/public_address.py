"""Is PUBLIC_URL an address residents' phones can open? Posters printed with a dead one fail silently.

The check resolves the host and opens a TCP connection to it from this server, with short
timeouts; results are kept a few minutes per address, so only the first poster page pays.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from urllib.parse import urlsplit

from ..i18n import _

CONNECT_TIMEOUT = 1.5
KEEP_SECONDS = 300.0
_checked: dict[str, tuple[float, str | None]] = {}  # url -> (when, problem)
_lock = threading.Lock()


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def find_problem(url: str) -> str | None:
    """Return why phones cannot open `url`: invalid, loopback, unresolvable, unreachable; or None."""
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https") or not host:
        return "invalid"
    if _is_loopback(host):
        return "loopback"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return "unresolvable"
    if all(_is_loopback(info[4][0]) for info in found):
        return "loopback"
    for family, kind, proto, _name, address in found:
        try:
            with socket.socket(family, kind, proto) as conn:
                conn.settimeout(CONNECT_TIMEOUT)
                conn.connect(address)
                return None
        except OSError:
            continue
    return "unreachable"


def _explain(problem: str, url: str) -> str:
    return {
        "invalid": _("L'adresse publique « %(url)s » n'est pas une adresse web valide.", url=url),
        "loopback": _("L'adresse « %(url)s » ne mène qu'à cet ordinateur : les téléphones des habitants "
                      "ne pourront pas l'ouvrir.", url=url),
        "unresolvable": _("L'adresse « %(url)s » est introuvable : son nom n'existe pas sur le réseau.",
                          url=url),
        "unreachable": _("L'adresse « %(url)s » ne répond pas : ce serveur lui-même ne l'atteint pas.",
                         url=url),
    }[problem]


def address_warning(url: str) -> str | None:
    """Explain what find_problem(url) found, remembered KEEP_SECONDS: a stand's network rarely changes."""
    now = time.monotonic()
    with _lock:
        known = _checked.get(url)
    if known and now - known[0] < KEEP_SECONDS:
        problem = known[1]
    else:
        problem = find_problem(url)
        with _lock:
            _checked[url] = (now, problem)
    if problem is None:
        return None
    return _explain(problem, url) + " " + _(
        "Réglez PUBLIC_URL sur l'adresse que les téléphones atteignent (celle du réseau du stand ou "
        "du serveur central) avant d'imprimer.")
