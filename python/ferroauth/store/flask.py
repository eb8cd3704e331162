"""Server-side Flask sessions on a :class:`~ferroauth.store.SessionStore`.

The cookie carries only the signed session id; the data lives in the store
(memory or Redis), encoded with the safe serializer. Install in one line::

    from ferroauth.store import RedisStore
    from ferroauth.store.flask import ServerSessionInterface

    app.session_interface = ServerSessionInterface(RedisStore(app.secret_key, url=...))

Call :func:`regenerate` at login (fixation) and ``store.revoke_user(user_id)``
to log a user out everywhere. When the store is unreachable the request gets
an empty session that is never written back (fail closed).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from ferroauth.store.base import SessionStore, StoreUnavailable

__all__ = ["ServerSession", "ServerSessionInterface", "regenerate"]


class ServerSession(CallbackDict, SessionMixin):
    """The session dict; ``sid`` is ``None`` until it is first saved."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        sid: str | None = None,
        *,
        user_id: str | None = None,
    ) -> None:
        def on_update(self: ServerSession) -> None:
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.user_id = user_id
        self.modified = False
        self.accessed = False
        self.regenerate = False
        self.unavailable = False


def regenerate(session: ServerSession, *, user_id: str | None = None) -> None:
    """Give the session a new id when the response is saved (call it at login);
    ``user_id`` indexes it so that ``store.revoke_user`` can end it."""
    session.regenerate = True
    session.modified = True
    if user_id is not None:
        session.user_id = user_id


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return ServerSession()
        try:
            data = self.store.get(sid)
        except StoreUnavailable:
            session = ServerSession()
            session.unavailable = True
            return session
        return ServerSession() if data is None else ServerSession(data, sid)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if session.unavailable:
            return
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        if not session:
            if session.sid is not None and session.modified:
                self.store.delete(session.sid)
                response.delete_cookie(name, domain=domain, path=path)
                response.vary.add("Cookie")
            return
        if not (session.modified or session.regenerate or self.should_set_cookie(app, session)):
            return
        ttl = int(app.permanent_session_lifetime.total_seconds())
        data = dict(session)
        if session.sid is None or session.regenerate:
            if session.sid is not None:
                self.store.delete(session.sid)
            session.sid = self.store.create(data, user_id=session.user_id, ttl=ttl)
        elif not self.store.save(session.sid, data, ttl=ttl):
            session.sid = self.store.create(data, user_id=session.user_id, ttl=ttl)
        response.set_cookie(
            name,
            session.sid,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            partitioned=self.get_cookie_partitioned(app),
        )
        response.vary.add("Cookie")
