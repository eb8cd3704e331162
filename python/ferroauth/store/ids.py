"""Session ids: 256 random bits, signed, checked in constant time.

The signature lets a store reject forged or guessed ids without a backend
lookup, and ties ids to the application's secret: rotating the secret ends
every session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from ferroauth import compare_digest


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class SessionIds:
    """Mints and checks ``<token>.<signature>`` session ids."""

    TOKEN_BYTES = 32

    def __init__(self, secret_key: str | bytes, *, salt: str = "ferroauth.session-id") -> None:
        if not secret_key:
            raise ValueError("a secret key is required to sign session ids")
        key = secret_key.encode() if isinstance(secret_key, str) else bytes(secret_key)
        self._key = hashlib.sha256(salt.encode() + b"\x00" + key).digest()

    def _sign(self, token: str) -> str:
        return _b64(hmac.new(self._key, token.encode("ascii"), hashlib.sha256).digest())

    def new(self) -> tuple[str, str]:
        """A fresh ``(session_id, storage_key)``."""
        token = _b64(secrets.token_bytes(self.TOKEN_BYTES))
        return f"{token}.{self._sign(token)}", token

    def storage_key(self, session_id: object) -> str | None:
        """The token behind a valid id, or ``None`` for anything forged or malformed."""
        if not isinstance(session_id, str) or len(session_id) > 128 or not session_id.isascii():
            return None
        token, dot, signature = session_id.partition(".")
        if not dot or not token:
            return None
        return token if compare_digest(self._sign(token), signature) else None
