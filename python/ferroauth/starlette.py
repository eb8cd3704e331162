"""Starlette's ``SessionMiddleware`` on ferroauth's Rust core.

Same constructor, cookie format and ``Set-Cookie`` attributes as Starlette
1.10's middleware: the session is ``base64.b64encode(json.dumps(session))``
signed by an itsdangerous ``TimestampSigner(str(secret_key))`` (django-concat
key derivation, SHA-1). A tampered, expired or oversized cookie gives an empty
session. Cookies are byte-identical both ways, so workers with and without
ferroauth can serve the same users. For FastAPI::

    from ferroauth.starlette import SessionMiddleware
    app.add_middleware(SessionMiddleware, secret_key="...")
"""

from __future__ import annotations

import json
import typing as t
from base64 import b64decode, b64encode

from starlette.datastructures import MutableHeaders, Secret
from starlette.middleware.sessions import Session
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ferroauth._core import SignerCore
from ferroauth.itsdangerous.exc import BadSignature
from ferroauth.itsdangerous.timed import TimestampSigner

__all__ = ["Session", "SessionMiddleware"]


class SessionMiddleware:
    """Signed-cookie sessions for Starlette and FastAPI (``scope["session"]``)."""

    #: Cookies longer than this are not read (an empty session is used).
    max_cookie_size: int = 64 * 1024

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str | Secret,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,  # 14 days, in seconds
        path: str = "/",
        same_site: t.Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
        partitioned: bool = False,
    ) -> None:
        self.app = app
        self.signer = TimestampSigner(str(secret_key))
        self._core = SignerCore(
            "sha1",
            "django-concat",
            list(self.signer.secret_keys),
            self.signer.salt,
            self.signer.sep,
            compact=False,
            ensure_ascii=True,
            encoding="std",
            mapping_type=Session,
        )
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.path = path
        flags = "httponly; samesite=" + same_site
        if https_only:
            flags += "; secure"
        if domain is not None:
            flags += f"; domain={domain}"
        if partitioned:
            flags += "; partitioned"
        self.security_flags = flags

    def load(self, cookie: str) -> Session:
        """The session stored in ``cookie`` (empty if it does not verify).

        Raises what Starlette raises for a correctly signed cookie whose
        content is not base64 JSON."""
        if len(cookie) > self.max_cookie_size:
            raise BadSignature("session cookie is larger than max_cookie_size")
        max_age = self.max_age
        if max_age is None or type(max_age) is int:
            # The core reads int(time.time()) and builds the Session itself (a
            # JSON object only; else None).
            session = self._core.loads_now(cookie, max_age)
            if session is not None:
                return session
        data = self.signer.unsign(cookie.encode("utf-8"), max_age=max_age)
        return Session(json.loads(b64decode(data)))

    def dump(self, session: dict[str, t.Any]) -> str:
        """The signed cookie value for ``session``."""
        # A Session (or dict) is written as json.dumps writes a dict; other types
        # get None and take Starlette's own path below.
        rv = self._core.dumps_now(session)
        if rv is not None:
            return rv
        data = b64encode(json.dumps(session).encode("utf-8"))
        return self.signer.sign(data).decode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # pragma: no cover
            await self.app(scope, receive, send)
            return

        connection = HTTPConnection(scope)
        initial_session_was_empty = True
        cookie = connection.cookies.get(self.session_cookie)
        if cookie is not None:
            try:
                scope["session"] = self.load(cookie)
                initial_session_was_empty = False
            except BadSignature:
                scope["session"] = Session()
        else:
            scope["session"] = Session()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: Session = scope["session"]
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                if getattr(session, "accessed", False):
                    headers.add_vary_header("Cookie")
                modified = getattr(session, "modified", True)
                if modified and session:
                    max_age = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
                    headers.append(
                        "Set-Cookie",
                        f"{self.session_cookie}={self.dump(session)}; path={self.path}; "
                        f"{max_age}{self.security_flags}",
                    )
                elif modified and not initial_session_was_empty:
                    headers.append(
                        "Set-Cookie",
                        f"{self.session_cookie}=null; path={self.path}; "
                        f"expires=Thu, 01 Jan 1970 00:00:00 GMT; {self.security_flags}",
                    )
            await send(message)

        await self.app(scope, receive, send_wrapper)
