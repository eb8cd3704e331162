"""How ferroauth's Flask session interface reads Flask's configuration: the app
context, and ``app.config`` read directly where Flask 3.1's own getters and
properties would only read it (checked per call, so an override is honoured)."""

from __future__ import annotations

import inspect
import operator
import typing as t
from importlib.metadata import version as _dist_version

from flask import Flask, has_app_context
from flask.sessions import SecureCookieSessionInterface

try:  # the app context's ContextVar (Flask >= 2.2)
    from flask.globals import _cv_app as cv_app
except ImportError:  # pragma: no cover - other Flask versions
    cv_app = None  # type: ignore[assignment]


if cv_app is not None:
    # has_app_context() is `_cv_app.get(None) is not None`; the ContextVar's
    # bound get is one C call instead of a Python frame per dumps/loads.
    app_context = cv_app.get
else:  # pragma: no cover

    def app_context(default: t.Any) -> t.Any:
        return True if has_app_context() else default


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


def has_stock_getters(interface: t.Any) -> bool:
    """Whether a session interface has Flask's own getters: none overridden by
    its class or set on the instance. Checked per call (about as costly as
    three of the nine getter calls it saves), so a getter patched later is seen
    at once."""
    return (
        _FLASK_31
        and _getters_of(type(interface)) == _FLASK_GETTERS
        and _GETTER_SET.isdisjoint(interface.__dict__)
    )


class _PlainConfig(dict[type, bool]):
    """Per app class: whether ``secret_key`` and ``permanent_session_lifetime``
    are Flask's own config attributes (not properties of a subclass), so that
    reading ``app.config`` gives what they would (a timedelta lifetime as is)
    without a Python-level descriptor call per request. A known class is one
    C-level lookup (``PLAIN_CONFIG[type(app)]``); a new one is examined once,
    by ``__missing__``."""

    def __missing__(self, app_type: type) -> bool:
        known = self[app_type] = all(
            inspect.getattr_static(app_type, name, None)
            is inspect.getattr_static(Flask, name, None)
            for name in ("secret_key", "permanent_session_lifetime")
        )
        return known


PLAIN_CONFIG = _PlainConfig()
