"""The request side of a session: the cookie read from Werkzeug's storage and
the session object built without Flask's constructor frames, each checked
against the code it stands in for."""

from __future__ import annotations

import typing as t

from flask import Request
from flask.sessions import SecureCookieSession
from werkzeug.datastructures import ImmutableMultiDict


def request_cookie(request: Request, name: str) -> str | None:
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


def new_session(data: dict[str, t.Any]) -> SecureCookieSession:
    """``SecureCookieSession(data)`` without its two Python ``__init__`` frames
    and the closure made per session (a third of open_session's own work).
    Used only while :data:`FAST_SESSION` holds, checked once against Flask's
    own constructor, and while that constructor is not replaced."""
    if SecureCookieSession.__init__ is not _SESSION_INIT:
        return SecureCookieSession(data)
    session = _dict_new(SecureCookieSession)
    _dict_update(session, data)
    session.on_update = _on_update
    return session  # type: ignore[no-any-return]


def same_sessions() -> bool:
    """Whether :func:`new_session` builds what Flask's constructor builds: the
    same items and instance attributes, and the same effect of an update."""
    try:
        ours, flasks = new_session({"a": 1}), SecureCookieSession({"a": 1})
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


FAST_SESSION = same_sessions()
