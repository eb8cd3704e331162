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
"""

from __future__ import annotations

import functools
import inspect
import operator
import typing as t
from datetime import datetime, timedelta, timezone
from importlib.metadata import version as _dist_version
from urllib.parse import quote

from flask import Flask, Request, has_app_context
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Response
from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.http import http_date

from ferroauth.itsdangerous import _fast
from ferroauth.itsdangerous.exc import BadSignature
from ferroauth.itsdangerous.url_safe import URLSafeTimedSerializer

__all__ = ["SessionInterface", "SessionSerializer", "init_app"]

try:  # the app context's ContextVar (Flask >= 2.2)
    from flask.globals import _cv_app
except ImportError:  # pragma: no cover - other Flask versions
    _cv_app = None  # type: ignore[assignment]


if _cv_app is not None:
    # has_app_context() is `_cv_app.get(None) is not None`; the ContextVar's
    # bound get is one C call instead of a Python frame per dumps/loads.
    _app_context = _cv_app.get
else:  # pragma: no cover

    def _app_context(default: t.Any) -> t.Any:
        return True if has_app_context() else default


_FLASK_MAX_COOKIE_SIZE = Response.max_cookie_size

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
        if core is not None and salt is None and _app_context(None) is not None:
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
        if (
            core is not None
            and salt is None
            and (max_age is None or type(max_age) is int)
            and _app_context(None) is not None
        ):
            rv = _fast.timed_loads(core, s, max_age, return_timestamp)
            if rv is not _fast.MISS:
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
        cookie = _request_cookie(request, self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
        if type(lifetime) is not timedelta or not (
            _PLAIN_CONFIG.get(type(app)) or _plain_config(type(app))
        ):
            lifetime = app.permanent_session_lifetime
        max_age = int(lifetime.total_seconds())
        try:
            data = s.loads(cookie, max_age=max_age)
        except BadSignature:  # ferroauth's class: Flask's own catches itsdangerous's
            return self.session_class()
        cls = self.session_class
        if cls is SecureCookieSession and _FAST_SESSION and type(data) is dict:
            return _new_session(data)
        return cls(data)

    def save_session(self, app: Flask, session: t.Any, response: Response) -> None:
        """Flask's ``save_session``, with the common case (a non-empty session
        whose cookie is set, no cookie domain, default Werkzeug headers) writing
        the very ``Set-Cookie`` header ``Response.set_cookie`` would, without
        its general-purpose parsing. Anything else runs Flask's own code."""
        stock = _has_stock_getters(self)
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
            _vary_cookie(response)
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
        header = _session_cookie_header(
            name, value, expires, path, secure, httponly, samesite, partitioned
        )
        if (
            header is None
            or samesite not in (None, "Strict", "Lax", "None")
            or len(header) > _max_cookie_size(app, response)
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
            _add_header(response.headers, "Set-Cookie", header)
        if not accessed:  # else it is there already: adding it again changes nothing
            _vary_cookie(response)

    def get_signing_serializer(self, app: Flask) -> SessionSerializer | None:  # type: ignore[override]
        # Flask builds a serializer per call; ours keeps one per configuration.
        # open_session and save_session ask twice per request, so the last one
        # is kept beside the settings it was built for (compared as a tuple:
        # one comparison, identity first), then a cache by value is tried.
        config = app.config
        provider = app.json
        plain = _PLAIN_CONFIG.get(type(app)) or _plain_config(type(app))
        settings = (
            config["SECRET_KEY"] if plain else app.secret_key,
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


# The getters whose Flask 3.1 bodies are single reads of app.config (or, for
# should_set_cookie and get_expiration_time, of the session and app.config).
# While a SessionInterface class keeps all of them, save_session makes those
# reads itself instead of nine method calls per request.
_GETTER_NAMES = (
    "get_cookie_name",
    "get_cookie_domain",
    "get_cookie_path",
    "get_cookie_secure",
    "get_cookie_partitioned",
    "get_cookie_samesite",
    "get_cookie_httponly",
    "should_set_cookie",
    "get_expiration_time",
)
_FLASK_GETTERS = tuple(getattr(SecureCookieSessionInterface, n) for n in _GETTER_NAMES)
# Their bodies are known for the Flask series this module mirrors; another
# series calls them.
try:
    _FLASK_31 = _dist_version("flask").split(".")[:2] == ["3", "1"]
except Exception:  # pragma: no cover - Flask without package metadata: call the getters
    _FLASK_31 = False
_GETTER_SET = frozenset(_GETTER_NAMES)
_getters_of = operator.attrgetter(*_GETTER_NAMES)


def _has_stock_getters(interface: t.Any) -> bool:
    """Whether a session interface has Flask's own getters: none overridden by
    its class or set on the instance. Checked per call (about as costly as
    three of the nine getter calls it saves), so a getter patched later is seen
    at once."""
    return (
        _FLASK_31
        and _getters_of(type(interface)) == _FLASK_GETTERS
        and _GETTER_SET.isdisjoint(interface.__dict__)
    )


def _request_cookie(request: Request, name: str) -> str | None:
    """``request.cookies.get(name)``. Werkzeug's ``MultiDict.get`` is two Python
    calls (and a ``BadRequestKeyError`` built and caught when the cookie is
    missing); its storage is a dict of value lists, read here directly."""
    cookies = request.cookies
    if type(cookies) is ImmutableMultiDict:
        values = dict.get(cookies, name)
        return values[0] if values else None
    return cookies.get(name)  # type: ignore[no-any-return]


def _on_update(session: SecureCookieSession) -> None:
    # What the closure SecureCookieSession.__init__ makes does.
    session.modified = True


_dict_new = dict.__new__
_dict_update = dict.update
_SESSION_INIT = SecureCookieSession.__init__


def _new_session(data: dict[str, t.Any]) -> SecureCookieSession:
    """``SecureCookieSession(data)`` without its two Python ``__init__`` frames
    and the closure made per session (a third of open_session's own work).
    Used only while :data:`_FAST_SESSION` holds, checked once against Flask's
    own constructor, and while that constructor is not replaced."""
    if SecureCookieSession.__init__ is not _SESSION_INIT:
        return SecureCookieSession(data)
    session = _dict_new(SecureCookieSession)
    _dict_update(session, data)
    session.on_update = _on_update
    return session  # type: ignore[no-any-return]


def _same_sessions() -> bool:
    """Whether :func:`_new_session` builds what Flask's constructor builds: the
    same items and instance attributes, and the same effect of an update."""
    try:
        ours, flasks = _new_session({"a": 1}), SecureCookieSession({"a": 1})
        same = (
            type(ours) is type(flasks)
            and dict(ours) == dict(flasks)
            and vars(ours).keys() == vars(flasks).keys()
            and not ours.modified
            and not flasks.modified
        )
        ours["b"] = flasks["b"] = 2
        return (
            same and ours.modified and flasks.modified and vars(ours).keys() == vars(flasks).keys()
        )
    except Exception:  # pragma: no cover - another Flask/Werkzeug
        return False


_FAST_SESSION = _same_sessions()


_PLAIN_CONFIG: dict[type, bool] = {}


def _plain_config(app_type: type) -> bool:
    """Whether ``app_type.secret_key`` and ``.permanent_session_lifetime`` are
    Flask's own config attributes (not properties of a subclass), so that
    reading ``app.config`` gives what they would (a timedelta lifetime as is)
    without a Python-level descriptor call per request. The request path reads
    a known answer from ``_PLAIN_CONFIG`` first and calls this only for a new
    or non-plain app class."""
    known = _PLAIN_CONFIG.get(app_type)
    if known is None:
        known = _PLAIN_CONFIG[app_type] = all(
            inspect.getattr_static(app_type, name, None)
            is inspect.getattr_static(Flask, name, None)
            for name in ("secret_key", "permanent_session_lifetime")
        )
    return known


# The characters Werkzeug leaves unquoted in a cookie value (as bytes: a
# bytes.translate that deletes them is twice as fast as a regex fullmatch).
_PLAIN_COOKIE_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"


def _session_cookie_header(
    name: str,
    value: str,
    expires: datetime | None,
    path: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
    partitioned: bool,
) -> str | None:
    """What ``werkzeug.http.dump_cookie`` writes for a session cookie without a
    domain or max_age, or None when the value would need quoting."""
    if not value.isascii() or value.encode().translate(None, _PLAIN_COOKIE_BYTES):
        return None
    settings = (name, path, secure, httponly, samesite, partitioned)
    try:
        head, tail = _cookie_attributes(*settings)
    except TypeError:  # an unhashable setting: no memo
        head, tail = _cookie_attributes.__wrapped__(*settings)
    if expires is None:
        return f"{head}{value}{tail}"
    return f"{head}{value}; Expires={_expires_text(expires)}{tail}"


# The last Expires text and the UTC second it is for: a permanent session's
# expiry moves once a second, and email.utils' formatting costs more than all
# the rest of the header.
_last_expires: tuple[float, str] = (float("nan"), "")


def _expires_text(expires: datetime) -> str:
    """``http_date(expires)``, remembered for the last second written."""
    global _last_expires
    if type(expires) is not datetime or expires.tzinfo is not timezone.utc:
        return http_date(expires)
    second = expires.timestamp() // 1
    last = _last_expires
    if last[0] == second:
        return last[1]
    text = http_date(expires)
    _last_expires = (second, text)
    return text


_PATH_SAFE = "%!$&'()*+,/:=@"


@functools.lru_cache(maxsize=64)
def _cookie_attributes(
    name: str,
    path: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
    partitioned: bool,
) -> tuple[str, str]:
    """The header's text before the value (``name=``) and after it (or after
    ``Expires``, which changes per request): the same for every request of an
    app, so built once per configuration."""
    tail = []
    if secure or partitioned:
        tail.append("Secure")
    if httponly:
        tail.append("HttpOnly")
    if path is not None:
        tail.append(f"Path={quote(path, safe=_PATH_SAFE)}")
    if samesite is not None:
        tail.append(f"SameSite={samesite}")
    if partitioned:
        tail.append("Partitioned")
    return f"{name.encode().decode('latin1')}=", "".join(f"; {part}" for part in tail)


def _max_cookie_size(app: Flask, response: Response) -> int:
    """``response.max_cookie_size``: Flask's property reads ``MAX_COOKIE_SIZE``
    from ``current_app`` through a LocalProxy (about 2 µs). When the property is
    Flask's own and ``app`` is the current app, read the config directly."""
    if _cv_app is not None and type(response).max_cookie_size is _FLASK_MAX_COOKIE_SIZE:
        ctx = _cv_app.get(None)
        if ctx is not None and ctx.app is app:
            return app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
    return response.max_cookie_size


def _add_header(headers: Headers, name: str, value: str) -> None:
    """``headers.add(name, value)`` for a str value. Werkzeug's ``add`` only
    checks the value for CR/LF, by a regex search that costs more than the rest
    of the cookie's header (~0.4 µs on a session cookie); ``in`` does that check
    here, and a value with either character goes to ``add`` to raise as it does."""
    items = getattr(headers, "_list", None)
    if type(items) is list and "\n" not in value and "\r" not in value:
        items.append((name, value))
    else:
        headers.add(name, value)


def _vary_cookie(response: Response) -> None:
    """``response.vary.add("Cookie")``, short-cut when there is no Vary yet (the
    header is appended to Werkzeug's list as ``Headers.add`` would) or it is
    exactly ``Cookie`` already (then adding it changes nothing)."""
    headers = response.headers
    items = getattr(headers, "_list", None)
    if type(headers) is Headers and type(items) is list:
        for key, _ in items:
            if key.lower() == "vary":
                break
        else:
            items.append(("Vary", "Cookie"))
            return
    vary = headers.getlist("Vary")
    if not vary:
        headers.add("Vary", "Cookie")
    elif vary != ["Cookie"]:
        response.vary.add("Cookie")


def init_app(app: Flask) -> SessionInterface:
    """Install :class:`SessionInterface` on ``app`` and return it."""
    app.session_interface = SessionInterface()
    return app.session_interface
