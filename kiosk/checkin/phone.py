"""Self check-in on a resident's own phone: the phone's cookie and the limits on what it sends.

A phone is known by a random id in a signed cookie set on its first screen, apart from the
session cookie: browsers drop a session cookie when they close, and this one must remember
the events the phone already checked in at. It holds nothing else and lasts one day, long
enough for any event and too short to follow anyone.

Limits are keyed on the event's stored code, never on the URL as typed (``va2kfb`` and
``%20VA2KFB`` are one event): posts per phone (PHONE_RATE_LIMIT), and check-ins per address
(PHONE_ADDRESS_RATE_LIMIT), generous because a stand's Wi-Fi or a carrier puts many phones
behind one address. A post without the phone's cookie is refused: the cookie is set by the
screen before, so only a client that keeps no cookies at all sends one.
"""

from __future__ import annotations

import secrets

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

from ..extensions import limiter
from ..i18n import _
from . import bp
from .context import PHONE, Refusal, canonical_code

COOKIE = "hlm_phone"
MAX_AGE = 24 * 3600
_REMEMBERED = 10  # events a phone remembers; one a day is the usual


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="hlm-phone")


def _on_phone() -> bool:
    return (request.view_args or {}).get("mode") == PHONE


def phone_device() -> dict | None:
    """Return this phone's cookie value ({"d": id, "e": [event codes]}), or None without a valid one."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return None
    if isinstance(value, dict) and isinstance(value.get("d"), str) and isinstance(value.get("e"), list):
        return value
    return None


def _write(device: dict) -> None:
    config = current_app.config

    @after_this_request
    def set_cookie(response):
        response.set_cookie(COOKIE, _serializer().dumps(device), max_age=MAX_AGE, httponly=True,
                            secure=bool(config.get("SESSION_COOKIE_SECURE")),
                            samesite=config.get("SESSION_COOKIE_SAMESITE") or "Lax")
        return response


def ensure_phone_device() -> None:
    """Give this phone its id, on the screen before its first post."""
    if phone_device() is None:
        _write({"d": secrets.token_urlsafe(12), "e": []})


def phone_already_checked_in(event_code: str) -> bool:
    device = phone_device()
    return device is not None and event_code in device["e"]


def remember_phone_checkin(event_code: str) -> None:
    """Remember the event so that this phone is not counted twice there."""
    device = phone_device()
    if device is not None and event_code not in device["e"]:
        _write({"d": device["d"], "e": [*device["e"][-(_REMEMBERED - 1):], event_code]})


def spend_address_checkin(event_code: str) -> None:
    """Count one phone check-in against the address's ceiling; raise Refusal past it."""
    if not limiter.enabled:
        return
    ceiling = parse(current_app.config["PHONE_ADDRESS_RATE_LIMIT"])
    if not limiter.limiter.hit(ceiling, "phone-checkins", event_code, request.remote_addr or ""):
        raise Refusal(429, _("Trop de personnes se sont enregistrées depuis ce réseau. "
                                "Enregistrez-vous sur la tablette du stand."))


@bp.before_request
def phone_cookie():
    """Give a phone its cookie on every screen; refuse a post that lacks the one set before."""
    if not _on_phone():
        return
    if request.method != "POST":
        ensure_phone_device()
    elif phone_device() is None:
        raise Refusal(400, _("Cette page a expiré. Recommencez depuis l'accueil."))


def _device_key() -> str:
    device = phone_device()
    who = device["d"] if device else "none:" + (request.remote_addr or "")
    return f"{canonical_code((request.view_args or {}).get('code', ''))}:{who}"


def _too_many(_limit):
    raise Refusal(429, _("Trop d'essais en peu de temps. Attendez un peu puis réessayez."))


# One budget for every post of one phone at one event, whichever screen and URL spelling.
phone_limited = limiter.shared_limit(
    lambda: current_app.config["PHONE_RATE_LIMIT"], scope="phone", key_func=_device_key,
    exempt_when=lambda: not _on_phone(), methods=["POST"], on_breach=_too_many)
