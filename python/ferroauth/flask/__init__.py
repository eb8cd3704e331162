"""Flask's signed-cookie session on ferroauth's Rust core.

``SessionInterface`` is Flask 3.1's ``SecureCookieSessionInterface`` (salt
``"cookie-session"``, HMAC key derivation, SHA-1, tagged JSON, keys from
``SECRET_KEY_FALLBACKS`` then ``SECRET_KEY``, ``PERMANENT_SESSION_LIFETIME`` as
``max_age``, a bad or expired cookie gives an empty session) with the cookie
signed and verified in one Rust call. Cookies are byte-identical both ways, so
workers with and without ferroauth can serve the same users.

Install it with one line::

    from ferroauth.flask import init_app
    init_app(app)          # or: app.session_interface = SessionInterface()

Where the interface steps around Flask's and Werkzeug's own code for speed, the
short-cut lives in a private module by side, each tested against the code it
stands in for: ``_config`` (config reads in place of Flask's getters),
``_request`` (the cookie and the session object) and ``_response`` (the
``Set-Cookie`` and ``Vary`` headers).
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Response
from werkzeug.datastructures import Headers

from ferroauth.flask._config import PLAIN_CONFIG, app_context, has_stock_getters
from ferroauth.flask._request import FAST_SESSION, new_session, request_cookie
from ferroauth.flask._response import (
    add_header,
    max_cookie_size,
    session_cookie_header,
    vary_cookie,
)
from ferroauth.itsdangerous import _fast
from ferroauth.itsdangerous.exc import BadSignature
from ferroauth.itsdangerous.url_safe import URLSafeTimedSerializer

__all__ = ["SessionInterface", "SessionSerializer", "init_app"]

_DEFAULT_TAG_ORDER = [type(tag) for tag in TaggedJSONSerializer().order]

# Flask's default digest is its own lazy SHA-1 wrapper: the same hash.
try:
    from flask.sessions import _lazy_sha1 as _flask_lazy_sha1

    _fast.DIGEST_NAMES.setdefault(_flask_lazy_sha1, "sha1")
except ImportError:  # pragma: no cover - other Flask versions
    pass


class SessionSerializer(URLSafeTimedSerializer):
    """The ``URLSafeTimedSerializer`` Flask signs sessions with, whose ``dumps``
    and ``loads`` run in Rust when the configuration is Flask's stock one and an
    app context is active (Flask's JSON sorts keys only there). Values the core
    does not know (Markup, UUID, datetime, custom tags) use Flask's own
    ``TaggedJSONSerializer``."""

    _core: t.Any = None
    #: Cookies longer than this are refused (treated as a bad signature).
    max_cookie_size: int = 64 * 1024

    def dumps(self, obj: t.Any, salt: str | bytes | None = None) -> str:
        core = self._core
        if core is not None and salt is None and app_context(None) is not None:
            rv = core.dumps_now(obj)
            if rv is not None:
                return rv
        return super().dumps(obj, salt)

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        if len(s) > self.max_cookie_size:
            raise BadSignature("Session cookie is larger than max_cookie_size")
        core = self._core
        if core is not None and salt is None and app_context(None) is not None:
            # None when the core has no answer: itsdangerous's path decides.
            rv = _fast.timed_loads(core, s, max_age, return_timestamp)
            if rv is not None:
                return rv
        return super().loads(s, max_age, return_timestamp, salt)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's ``SecureCookieSessionInterface`` with signing done by ferroauth.

    The cookie settings come from Flask's own getters (``get_cookie_name``,
    ``get_cookie_path``, ..., ``get_expiration_time``), so overriding them works
    as with Flask; while none is overridden (on the class or the instance,
    checked on every call) ``save_session`` reads ``app.config`` exactly as
    Flask 3.1's getters do instead of calling them. The ``Set-Cookie`` and
    ``Vary`` headers are the ones Flask writes (tested header for header across
    cookie configurations).
    """

    session_class = SecureCookieSession
    #: The last serializer and the settings it was built for.
    _last: tuple[tuple[t.Any, ...], SessionSerializer] | None = None

    def __init__(self) -> None:
        self._serializers: dict[t.Any, SessionSerializer] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The session in the request's cookie; an empty one if the cookie is
        missing, tampered with, expired or oversized (Flask's behaviour)."""
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        cookie = request_cookie(request, self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
        if type(lifetime) is not timedelta or not PLAIN_CONFIG[type(app)]:
            lifetime = app.permanent_session_lifetime
        max_age = int(lifetime.total_seconds())
        try:
            data = s.loads(cookie, max_age=max_age)
        except BadSignature:  # ferroauth's class: Flask's own catches itsdangerous's
            return self.session_class()
        cls = self.session_class
        if cls is SecureCookieSession and FAST_SESSION and type(data) is dict:
            return new_session(data)
        return cls(data)

    def save_session(self, app: Flask, session: t.Any, response: Response) -> None:
        """Flask's ``save_session``, with the common case (a non-empty session
        whose cookie is set, no cookie domain, default Werkzeug headers) writing
        the very ``Set-Cookie`` header ``Response.set_cookie`` would, without
        its general-purpose parsing. Anything else runs Flask's own code."""
        stock = has_stock_getters(self)
        if stock:
            # Flask's getters, read from app.config as they read it (no calls).
            config = app.config
            domain = config["SESSION_COOKIE_DOMAIN"]
        else:
            domain = self.get_cookie_domain(app)
        if not session or type(response.headers) is not Headers or domain is not None:
            return super().save_session(app, session, response)
        accessed = session.accessed
        if accessed:
            vary_cookie(response)
        if stock:
            if not (
                session.modified or (session.permanent and config["SESSION_REFRESH_EACH_REQUEST"])
            ):
                return
            name = config["SESSION_COOKIE_NAME"]
            path = config["SESSION_COOKIE_PATH"] or config["APPLICATION_ROOT"]
            secure = config["SESSION_COOKIE_SECURE"]
            partitioned = config["SESSION_COOKIE_PARTITIONED"]
            samesite = config["SESSION_COOKIE_SAMESITE"]
            httponly = config["SESSION_COOKIE_HTTPONLY"]
            expires = self.get_expiration_time(app, session) if session.permanent else None
        else:
            if not self.should_set_cookie(app, session):
                return
            name = self.get_cookie_name(app)
            path = self.get_cookie_path(app)
            secure = self.get_cookie_secure(app)
            partitioned = self.get_cookie_partitioned(app)
            samesite = self.get_cookie_samesite(app)
            httponly = self.get_cookie_httponly(app)
            expires = self.get_expiration_time(app, session)
        value = self.get_signing_serializer(app).dumps(dict(session))  # type: ignore[union-attr]
        if samesite is not None:
            samesite = samesite.title()
        header = session_cookie_header(
            name, value, expires, path, secure, httponly, samesite, partitioned
        )
        if (
            header is None
            or samesite not in (None, "Strict", "Lax", "None")
            or len(header) > max_cookie_size(app, response)
        ):
            # Quoting, a bad SameSite or an oversized cookie: Werkzeug decides
            # (and warns or raises) exactly as it would for stock Flask.
            response.set_cookie(
                name,
                value,
                expires=expires,
                httponly=httponly,
                path=path,
                secure=secure,
                partitioned=partitioned,
                samesite=samesite,
            )
        else:
            add_header(response.headers, "Set-Cookie", header)
        if not accessed:  # else it is there already: adding it again changes nothing
            vary_cookie(response)

    def get_signing_serializer(self, app: Flask) -> SessionSerializer | None:  # type: ignore[override]
        # Flask builds a serializer per call; ours keeps one per configuration.
        # open_session and save_session ask twice per request, so the last one
        # is kept beside the settings it was built for (compared as a tuple:
        # one comparison, identity first), then a cache by value is tried.
        config = app.config
        provider = app.json
        settings = (
            config["SECRET_KEY"] if PLAIN_CONFIG[type(app)] else app.secret_key,
            config["SECRET_KEY_FALLBACKS"],
            provider,
            getattr(provider, "sort_keys", None),
            getattr(provider, "ensure_ascii", None),
            self.serializer,
            self.salt,
            self.key_derivation,
            self.digest_method,
        )
        last = self._last
        if last is not None and last[0] == settings:
            return last[1]  # type: ignore[no-any-return]
        secret, fallbacks = settings[0], settings[1]
        if not secret:
            return None
        rv = self._cached_serializer(app, settings)
        # Only immutable keys: the kept settings must not change behind it (a
        # fallbacks list changed in place is seen by comparing with a copy).
        if all(type(k) in (str, bytes) for k in (secret, *(fallbacks or ()))):
            if type(fallbacks) is list:
                settings = (secret, fallbacks.copy(), *settings[2:])
            self._last = (settings, rv)
        return rv

    def _cached_serializer(self, app: Flask, settings: tuple[t.Any, ...]) -> SessionSerializer:
        """The serializer for ``settings`` (``get_signing_serializer``'s tuple),
        from a cache keyed by their values: the provider by its type, the
        fallbacks as a tuple."""
        secret, fallbacks, provider = settings[:3]
        key = (secret, tuple(fallbacks) if fallbacks else (), type(provider), *settings[3:])
        cache = self.__dict__.setdefault("_serializers", {})
        try:
            return cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        except TypeError:  # unhashable configuration
            return self._build(app, secret, fallbacks)
        if len(cache) > 64:
            cache.clear()
        cache[key] = rv = self._build(app, secret, fallbacks)
        return rv

    def _build(self, app: Flask, secret: t.Any, fallbacks: t.Any) -> SessionSerializer:
        keys: list[str | bytes] = [*fallbacks, secret] if fallbacks else [secret]
        s = SessionSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        s._core = self._build_core(app, s)
        return s

    def _build_core(self, app: Flask, s: SessionSerializer) -> t.Any:
        serializer = self.serializer
        provider = app.json
        if (
            type(serializer) is not TaggedJSONSerializer
            or [type(tag) for tag in serializer.order] != _DEFAULT_TAG_ORDER
            or type(provider).dumps is not DefaultJSONProvider.dumps
            or type(provider).loads is not DefaultJSONProvider.loads
        ):
            return None
        signer = s.make_signer()
        if not signer._eligible():
            return None
        return _fast.build(
            signer,
            compact=True,
            ensure_ascii=bool(provider.ensure_ascii),
            sort_keys=bool(provider.sort_keys),
            tagged=True,
            encoding="urlsafe",
        )


def init_app(app: Flask) -> SessionInterface:
    """Install :class:`SessionInterface` on ``app`` and return it."""
    app.session_interface = SessionInterface()
    return app.session_interface
