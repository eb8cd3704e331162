"""A safe, typed replacement for pickle in session and cache stores.

``dumps``/``loads`` round-trip str, int (any size), float (NaN and infinities
too), bool, None, bytes, list, tuple, dict (any supported hashable keys), set,
frozenset, datetime (naive or aware; the zone is kept as its UTC offset), date,
time, timedelta, UUID and Decimal — nested as deep as ``max_depth``. Anything
else raises :class:`UnsupportedTypeError` naming the type. Decoding never runs
code: it reads a versioned, bounded format and raises :class:`DecodeError` for
truncated, malformed, oversized or too deeply nested input.

A payload written by pickle raises :class:`LegacyPickleError` unless the caller
opts in with ``allow_pickle=True`` (which warns): migration is explicit.

:class:`SafeSerializer` plugs in where pickle is configured today: as a
cachelib serializer, a django-redis ``SERIALIZER`` and a Django
``SESSION_SERIALIZER``; :class:`FlaskSessionSerializer` replaces Flask-Session's
(whose reader falls back to ``pickle.loads``).
"""

from __future__ import annotations

import pickle
import warnings
from typing import IO, Any

from ferroauth._core import DecodeError, LegacyPickleError, UnsupportedTypeError
from ferroauth._core import dumps as _dumps
from ferroauth._core import loads as _loads

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_SIZE",
    "DecodeError",
    "FlaskSessionSerializer",
    "LegacyPickleError",
    "LegacyPickleWarning",
    "SafeRedisSerializer",
    "SafeSerializer",
    "UnsupportedTypeError",
    "dumps",
    "loads",
]

DEFAULT_MAX_SIZE = 16 << 20
DEFAULT_MAX_DEPTH = 64


class LegacyPickleWarning(UserWarning):
    """A pickle payload was unpickled because the caller allowed it."""


def dumps(value: Any, *, max_depth: int = DEFAULT_MAX_DEPTH) -> bytes:
    """Encode ``value``; raises :class:`UnsupportedTypeError` naming any other type."""
    return _dumps(value, max_depth=max_depth)


def loads(
    data: bytes,
    *,
    allow_pickle: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Decode a payload written by :func:`dumps`.

    With ``allow_pickle=True`` a legacy pickle payload is unpickled with a
    :class:`LegacyPickleWarning` — only for data you wrote yourself, during a
    migration; re-save it with :func:`dumps`.
    """
    try:
        return _loads(bytes(data), max_size=max_size, max_depth=max_depth)
    except LegacyPickleError:
        if not allow_pickle:
            raise
        warnings.warn(
            "unpickling a legacy pickle payload (allow_pickle=True); re-save it with "
            "ferroauth.serializers.dumps",
            LegacyPickleWarning,
            stacklevel=2,
        )
        return pickle.loads(data)  # noqa: S301 - explicit, warned opt-in for trusted legacy data


class SafeSerializer:
    """The safe format behind the serializer interfaces stores expect.

    - cachelib / Flask-Session: ``dumps``, ``loads``, ``dump(value, file)``, ``load(file)``.
    - django-redis ``SERIALIZER``: constructed with the cache ``options`` dict.
    - Django ``SESSION_SERIALIZER``: constructed with no arguments.

    ``allow_pickle=True`` (or ``options={"ALLOW_PICKLE": True}``) reads legacy
    pickle payloads during a migration, with a warning.
    """

    def __init__(self, options: dict[str, Any] | None = None, *, allow_pickle: bool = False):
        options = options or {}
        self.allow_pickle = allow_pickle or bool(options.get("ALLOW_PICKLE", False))
        self.max_size = int(options.get("MAX_SIZE", DEFAULT_MAX_SIZE))
        self.max_depth = int(options.get("MAX_DEPTH", DEFAULT_MAX_DEPTH))

    # ``protocol`` is accepted (and ignored) where cachelib passes pickle's.
    def dumps(self, value: Any, protocol: int | None = None) -> bytes:
        return dumps(value, max_depth=self.max_depth)

    def loads(self, data: bytes) -> Any:
        return loads(
            data, allow_pickle=self.allow_pickle, max_size=self.max_size, max_depth=self.max_depth
        )

    def dump(self, value: Any, f: IO[bytes], protocol: int | None = None) -> None:
        f.write(self.dumps(value))

    def load(self, f: IO[bytes]) -> Any:
        return self.loads(f.read(self.max_size + 1))


class SafeRedisSerializer(SafeSerializer):
    """For cachelib's ``RedisCache``: plain ints stay ASCII so ``inc``/``dec``
    (Redis INCRBY) keep working, and a missing key (``None``) reads as ``None``.
    Legacy ``b"!"``-prefixed pickle values are refused unless pickle is allowed."""

    def dumps(self, value: Any, protocol: int | None = None) -> bytes:
        if type(value) is int:
            return str(value).encode("ascii")
        return super().dumps(value)

    def loads(self, data: bytes | None) -> Any:
        if data is None:
            return None
        if data[:1] == b"!":  # cachelib's pickle marker
            return super().loads(data[1:])
        if data[:1].isdigit() or data[:1] == b"-":
            return int(data)
        return super().loads(data)


class FlaskSessionSerializer:
    """Flask-Session (0.6+) ``serializer``: its msgspec serializer turns datetimes
    and tuples into strings and lists, and its reader falls back to
    ``pickle.loads``. Install after ``Session(app)``::

        app.session_interface.serializer = FlaskSessionSerializer()

    A legacy pickle payload raises :class:`LegacyPickleError` (the request fails
    rather than unpickling) unless ``allow_pickle=True``, which warns.
    """

    def __init__(self, *, allow_pickle: bool = False) -> None:
        self.allow_pickle = allow_pickle

    def encode(self, session: Any) -> bytes:
        return dumps(dict(session))

    def decode(self, serialized_data: bytes) -> dict:
        return loads(serialized_data, allow_pickle=self.allow_pickle)
