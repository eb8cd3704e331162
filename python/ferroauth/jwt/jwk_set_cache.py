"""The JWK Set cache of :class:`~ferroauth.jwt.PyJWKClient`."""

from __future__ import annotations

import time
from typing import Any

from .api_jwk import PyJWKSet, PyJWTSetWithTimestamp
from .exceptions import PyJWKSetError


class JWKSetCache:
    """Holds one parsed key set for ``lifespan`` seconds (``-1``: forever)."""

    def __init__(self, lifespan: float) -> None:
        self.jwk_set_with_timestamp: PyJWTSetWithTimestamp | None = None
        self.lifespan = lifespan

    def put(self, jwk_set: PyJWKSet | dict[str, Any] | None) -> None:
        """Store ``jwk_set`` (parsing a raw JWKS dict), or clear the cache with None."""
        if jwk_set is None:
            self.jwk_set_with_timestamp = None
            return
        if not isinstance(jwk_set, PyJWKSet):
            if not isinstance(jwk_set, dict):
                raise PyJWKSetError("Invalid JWK Set value")
            jwk_set = PyJWKSet.from_dict(jwk_set)
        self.jwk_set_with_timestamp = PyJWTSetWithTimestamp(jwk_set)

    def get(self) -> PyJWKSet | None:
        """The cached set, or None when empty or expired."""
        if self.jwk_set_with_timestamp is None or self.is_expired():
            return None
        return self.jwk_set_with_timestamp.get_jwk_set()

    def is_expired(self) -> bool:
        entry = self.jwk_set_with_timestamp
        return (
            entry is not None
            and self.lifespan > -1
            and time.monotonic() > entry.get_timestamp() + self.lifespan
        )
