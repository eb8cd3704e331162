"""A Django session engine on a :class:`~ferroauth.store.SessionStore`::

    SESSION_ENGINE = "ferroauth.store.django"
    FERROAUTH_SESSION_STORE = "myproject.auth.session_store"  # dotted path to a store

``FERROAUTH_SESSION_STORE`` names a ``SessionStore`` instance or a callable
returning one; without it, a process-local ``MemoryStore(SECRET_KEY)`` is used.
Session ids are the store's signed ids. Sessions are indexed by
``_auth_user_id``, so ``store.revoke_user(str(user.pk))`` logs a user out
everywhere. An unreachable store raises ``StoreUnavailable`` from the request
(fail closed: Django answers 500 rather than serving without a session).
"""

from __future__ import annotations

import threading
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from django.utils.module_loading import import_string

from ferroauth.store.base import SessionStore as Store
from ferroauth.store.memory import MemoryStore

_default: Store | None = None
_default_lock = threading.Lock()


def get_store() -> Store:
    """The configured store (read at call time, so ``override_settings`` works)."""
    global _default
    path = getattr(settings, "FERROAUTH_SESSION_STORE", None)
    if path:
        target = import_string(path)
        return target() if callable(target) and not isinstance(target, Store) else target
    with _default_lock:
        if _default is None:
            _default = MemoryStore(settings.SECRET_KEY)
        return _default


class SessionStore(SessionBase):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._store = get_store()

    def load(self) -> dict[str, Any]:
        data = self._store.get(self._session_key) if self._session_key else None
        if data is None:
            self._session_key = None
            return {}
        return data

    def exists(self, session_key: str) -> bool:
        return self._store.get(session_key) is not None

    def create(self) -> None:
        data = self._get_session(no_load=True)
        self._session_key = self._store.create(
            data, user_id=_user_of(data), ttl=self.get_expiry_age()
        )
        self.modified = True

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        if must_create:
            raise CreateError  # ids come from the store; an existing one is never re-created
        data = self._get_session()
        saved = self._store.save(
            self.session_key, data, user_id=_user_of(data), ttl=self.get_expiry_age()
        )
        if not saved:
            raise UpdateError

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            self._store.delete(key)

    @classmethod
    def clear_expired(cls) -> None:
        """Both backends expire sessions themselves."""

    async def aload(self) -> dict[str, Any]:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate(self) -> None:
        await sync_to_async(self.create)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)

    @classmethod
    async def aclear_expired(cls) -> None:
        """Both backends expire sessions themselves."""


def _user_of(data: dict[str, Any]) -> str | None:
    user = data.get("_auth_user_id")
    return None if user is None else str(user)
