"""The store interface every backend implements."""

from __future__ import annotations

import abc
import time
from typing import Any

from ferroauth.store.ids import SessionIds


class StoreUnavailable(RuntimeError):
    """The backend could not be reached; callers must treat the request as unauthenticated."""


class SessionStore(abc.ABC):
    """Server-side sessions and a JWT ``jti`` deny-list.

    ``ttl`` values are seconds. Time is read through :func:`time.time` (so
    freezegun and mocks apply to the memory backend).
    """

    def __init__(self, secret_key: str | bytes, *, default_ttl: int = 14 * 24 * 3600) -> None:
        self.ids = SessionIds(secret_key)
        self.default_ttl = default_ttl

    # sessions ---------------------------------------------------------------
    def create(
        self, data: dict[str, Any], *, user_id: str | None = None, ttl: int | None = None
    ) -> str:
        """Store ``data`` under a new signed session id and return the id."""
        session_id, key = self.ids.new()
        self._put(key, data, user_id, self._ttl(ttl))
        return session_id

    def get(self, session_id: object) -> dict[str, Any] | None:
        """The session's data, or ``None`` for a forged, unknown or expired id."""
        key = self.ids.storage_key(session_id)
        if key is None:
            return None
        record = self._get(key)
        return None if record is None else record[0]

    def save(
        self,
        session_id: str,
        data: dict[str, Any],
        *,
        user_id: str | None = None,
        ttl: int | None = None,
    ) -> bool:
        """Replace the data of an existing session; ``False`` if it no longer exists.

        ``user_id`` indexes the session under a user from now on (e.g. at login);
        without it the session keeps the user it had."""
        key = self.ids.storage_key(session_id)
        if key is None:
            return False
        record = self._get(key)
        if record is None:
            return False
        self._put(key, data, record[1] if user_id is None else user_id, self._ttl(ttl))
        return True

    def touch(self, session_id: str, *, ttl: int | None = None) -> bool:
        """Extend a session's life; ``False`` if it no longer exists."""
        key = self.ids.storage_key(session_id)
        return key is not None and self._expire(key, self._ttl(ttl))

    def rotate(self, session_id: str, *, ttl: int | None = None) -> str | None:
        """Move a session to a new id (do this at login, against fixation); the old id dies."""
        key = self.ids.storage_key(session_id)
        if key is None:
            return None
        new_id, new_key = self.ids.new()
        return new_id if self._move(key, new_key, self._ttl(ttl)) else None

    def delete(self, session_id: str) -> bool:
        key = self.ids.storage_key(session_id)
        return key is not None and self._delete(key)

    @abc.abstractmethod
    def revoke_user(self, user_id: str) -> int:
        """End every session of ``user_id``; returns how many there were."""

    # JWT revocation ---------------------------------------------------------
    def deny_jti(self, jti: str, expires_at: float) -> None:
        """Deny the token ``jti`` until ``expires_at`` (its ``exp``, Unix seconds)."""
        remaining = expires_at - time.time()
        if remaining > 0:
            self._deny(jti, max(1, int(remaining + 0.999)))

    @abc.abstractmethod
    def is_denied(self, jti: str) -> bool:
        """Whether ``jti`` is on the deny-list."""

    def decode_jwt(self, token: str | bytes, key: Any = None, **kwargs: Any) -> dict[str, Any]:
        """:func:`ferroauth.jwt.decode` that also refuses a revoked token with
        ``TokenRevokedError`` (an ``InvalidTokenError``); ``kwargs`` are decode's."""
        from ferroauth.store.revocation import decode_unrevoked

        return decode_unrevoked(self, token, key, **kwargs)

    # backend primitives -----------------------------------------------------
    def _ttl(self, ttl: int | None) -> int:
        ttl = self.default_ttl if ttl is None else int(ttl)
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        return ttl

    @abc.abstractmethod
    def _put(self, key: str, data: dict[str, Any], user_id: str | None, ttl: int) -> None: ...

    @abc.abstractmethod
    def _get(self, key: str) -> tuple[dict[str, Any], str | None] | None: ...

    @abc.abstractmethod
    def _expire(self, key: str, ttl: int) -> bool: ...

    @abc.abstractmethod
    def _move(self, key: str, new_key: str, ttl: int) -> bool: ...

    @abc.abstractmethod
    def _delete(self, key: str) -> bool: ...

    @abc.abstractmethod
    def _deny(self, jti: str, ttl: int) -> None: ...
