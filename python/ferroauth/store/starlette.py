"""Server-side sessions for Starlette and FastAPI on a :class:`~ferroauth.store.SessionStore`.

Same constructor shape as Starlette's ``SessionMiddleware`` plus the store; the
cookie holds only the signed session id::

    app.add_middleware(ServerSessionMiddleware, store=RedisStore(secret, url=...))

``request.session`` is a plain dict. Put ``request.scope["session_regenerate"] =
True`` at login to move the session to a new id, and ``"session_user_id"`` to
index it for ``store.revoke_user``. An unreachable store gives an empty session
that is never written back (fail closed).
"""

from __future__ import annotations

import typing as t

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ferroauth.store.base import SessionStore, StoreUnavailable

__all__ = ["ServerSessionMiddleware"]


class ServerSessionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        store: SessionStore,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,
        path: str = "/",
        same_site: t.Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.session_cookie = session_cookie
        self.max_age = max_age
        flags = f"path={path}; httponly; samesite={same_site}"
        if https_only:
            flags += "; secure"
        if domain is not None:
            flags += f"; domain={domain}"
        self.flags = flags

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        sid = HTTPConnection(scope).cookies.get(self.session_cookie)
        data, unavailable = None, False
        if sid:
            try:
                data = self.store.get(sid)
            except StoreUnavailable:
                unavailable = True
        if data is None:
            sid = None
        scope["session"] = dict(data or {})
        original = dict(data or {})

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and not unavailable:
                self._save(scope, message, sid, original)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _save(self, scope: Scope, message: Message, sid: str | None, original: dict) -> None:
        session = scope["session"]
        headers = MutableHeaders(scope=message)
        ttl = self.max_age or 14 * 24 * 60 * 60
        user_id = scope.get("session_user_id")
        if not session:
            if sid is not None:
                self.store.delete(sid)
                headers.append(
                    "Set-Cookie",
                    f"{self.session_cookie}=null; {self.flags}; "
                    "expires=Thu, 01 Jan 1970 00:00:00 GMT",
                )
            return
        regenerate = scope.get("session_regenerate", False)
        if sid is not None and not regenerate and session == original:
            return
        if sid is None or regenerate or not self.store.save(sid, session, ttl=ttl):
            if sid is not None:
                self.store.delete(sid)
            sid = self.store.create(session, user_id=user_id, ttl=ttl)
        max_age = f"Max-Age={self.max_age}; " if self.max_age else ""
        headers.append("Set-Cookie", f"{self.session_cookie}={sid}; {max_age}{self.flags}")
