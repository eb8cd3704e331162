"""Decoding JWTs against a store's deny-list."""

from __future__ import annotations

from typing import Any

from ferroauth import jwt


class TokenRevokedError(jwt.InvalidTokenError):
    """The token is valid but was revoked (its ``jti`` is on the deny-list)."""


def decode_unrevoked(store: Any, token: str | bytes, key: Any = None, **kwargs: Any) -> dict:
    """``ferroauth.jwt.decode(token, key, **kwargs)``, then refuse a revoked ``jti``."""
    claims = jwt.decode(token, key, **kwargs)
    jti = claims.get("jti")
    if jti is not None and store.is_denied(str(jti)):
        raise TokenRevokedError("The token has been revoked")
    return claims
