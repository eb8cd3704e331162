"""The response side of a session: the ``Set-Cookie`` and ``Vary`` headers
written as Werkzeug writes them, without its general-purpose parsing, for the
common case; anything else is left to Werkzeug."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from urllib.parse import quote

from flask import Flask
from flask.wrappers import Response
from werkzeug.datastructures import Headers
from werkzeug.http import http_date

from ferroauth.flask._config import cv_app

_FLASK_MAX_COOKIE_SIZE = Response.max_cookie_size


# The characters Werkzeug leaves unquoted in a cookie value (as bytes: a
# bytes.translate that deletes them is twice as fast as a regex fullmatch).
_PLAIN_COOKIE_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"


def session_cookie_header(
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
        head, tail = cookie_attributes(*settings)
    except TypeError:  # an unhashable setting: no memo
        head, tail = cookie_attributes.__wrapped__(*settings)
    if expires is None:
        return f"{head}{value}{tail}"
    return f"{head}{value}; Expires={expires_text(expires)}{tail}"


# The last Expires text and the UTC second it is for: a permanent session's
# expiry moves once a second, and email.utils' formatting costs more than all
# the rest of the header.
_last_expires: tuple[float, str] = (float("nan"), "")


def expires_text(expires: datetime) -> str:
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
def cookie_attributes(
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


def max_cookie_size(app: Flask, response: Response) -> int:
    """``response.max_cookie_size``: Flask's property reads ``MAX_COOKIE_SIZE``
    from ``current_app`` through a LocalProxy (about 2 µs). When the property is
    Flask's own and ``app`` is the current app, read the config directly."""
    if cv_app is not None and type(response).max_cookie_size is _FLASK_MAX_COOKIE_SIZE:
        ctx = cv_app.get(None)
        if ctx is not None and ctx.app is app:
            return app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
    return response.max_cookie_size


def add_header(headers: Headers, name: str, value: str) -> None:
    """``headers.add(name, value)`` for a str value. Werkzeug's ``add`` only
    checks the value for CR/LF, by a regex search that costs more than the rest
    of the cookie's header (~0.4 µs on a session cookie); ``in`` does that check
    here, and a value with either character goes to ``add`` to raise as it does."""
    items = getattr(headers, "_list", None)
    if type(items) is list and "\n" not in value and "\r" not in value:
        items.append((name, value))
    else:
        headers.add(name, value)


def vary_cookie(response: Response) -> None:
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
