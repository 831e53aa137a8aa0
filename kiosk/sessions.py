"""The session cookie: signed exactly as Flask signs it, but never compressed.

itsdangerous tries zlib on every payload it signs, and setting up a deflate stream costs
about 0.1 ms however small the payload (more under load): on the kiosk, where every tap
saves the session, that was a tenth of a screen's time, to shorten a cookie of a few
hundred bytes. Cookies written compressed by an earlier version still load.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import Serializer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode


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
