"""The in-process backend: the default, for one process and for tests."""

from __future__ import annotations

import threading
import time
from typing import Any

from ferroauth import serializers
from ferroauth.store.base import SessionStore


class MemoryStore(SessionStore):
    """Sessions in a dict, serialized like every other backend so that what
    works here works on Redis. Expired entries are dropped when touched."""

    def __init__(self, secret_key: str | bytes, *, default_ttl: int = 14 * 24 * 3600) -> None:
        super().__init__(secret_key, default_ttl=default_ttl)
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[bytes, str | None, float]] = {}
        self._by_user: dict[str, set[str]] = {}
        self._denied: dict[str, float] = {}

    def _live(self, key: str) -> tuple[bytes, str | None, float] | None:
        entry = self._sessions.get(key)
        if entry is not None and entry[2] <= time.time():
            self._forget(key)
            return None
        return entry

    def _forget(self, key: str) -> bool:
        entry = self._sessions.pop(key, None)
        if entry is None:
            return False
        if entry[1] is not None:
            self._by_user.get(entry[1], set()).discard(key)
        return True

    def _put(self, key: str, data: dict[str, Any], user_id: str | None, ttl: int) -> None:
        payload = serializers.dumps(data)
        with self._lock:
            self._sessions[key] = (payload, user_id, time.time() + ttl)
            if user_id is not None:
                self._by_user.setdefault(user_id, set()).add(key)

    def _get(self, key: str) -> tuple[dict[str, Any], str | None] | None:
        with self._lock:
            entry = self._live(key)
        return None if entry is None else (serializers.loads(entry[0]), entry[1])

    def _expire(self, key: str, ttl: int) -> bool:
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._sessions[key] = (entry[0], entry[1], time.time() + ttl)
            return True

    def _move(self, key: str, new_key: str, ttl: int) -> bool:
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._forget(key)
            self._sessions[new_key] = (entry[0], entry[1], time.time() + ttl)
            if entry[1] is not None:
                self._by_user.setdefault(entry[1], set()).add(new_key)
            return True

    def _delete(self, key: str) -> bool:
        with self._lock:
            return self._live(key) is not None and self._forget(key)

    def revoke_user(self, user_id: str) -> int:
        with self._lock:
            keys = list(self._by_user.pop(user_id, set()))
            return sum(self._sessions.pop(k, None) is not None for k in keys)

    def _deny(self, jti: str, ttl: int) -> None:
        with self._lock:
            self._denied[jti] = time.time() + ttl

    def is_denied(self, jti: str) -> bool:
        with self._lock:
            until = self._denied.get(jti)
            if until is not None and until <= time.time():
                del self._denied[jti]
                return False
            return until is not None
