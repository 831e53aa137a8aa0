"""The session cookie and the CSRF token: signed exactly as Flask and Flask-WTF sign them, never compressed.

itsdangerous tries zlib on every payload it signs, and setting up a deflate stream costs
about 0.1 ms however small the payload (more under load): on the kiosk, where every tap
saves the session, that was a tenth of a screen's time, to shorten a cookie of a few
hundred bytes. Cookies written compressed by an earlier version still load.
"""

import hashlib
import os

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import Serializer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode

CSRF_SALT = "wtf-csrf-token"  # flask_wtf.csrf signs and checks its tokens with this salt


class UncompressedSerializer(URLSafeTimedSerializer):
    def dump_payload(self, obj) -> bytes:
        # Serializer's own dump (JSON to bytes), skipping the URL-safe mixin's compression.
        return base64_encode(Serializer.dump_payload(self, obj))


class CookieSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key]  # current key last
        return UncompressedSerializer(
            keys, salt=self.salt, serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
        )


def csrf_token() -> str:
    """Return Flask-WTF's CSRF token for this request, signed without zlib either.

    The same steps as flask_wtf.csrf.generate_csrf (same salt, same raw token kept in the
    session, the signed one cached in g where Flask-WTF looks first), so validate_csrf
    accepts it; only the serializer differs. Every kiosk screen carries a token.
    """
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    if field not in g:
        raw = session.get(field)
        if not isinstance(raw, str):
            raw = session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        setattr(g, field, UncompressedSerializer(secret, salt=CSRF_SALT).dumps(raw))
    return g.get(field)
