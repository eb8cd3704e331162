"""Selecting and caching the Rust fast path.

A :class:`ferroauth._core.SignerCore` holds derived keys and a payload format;
it is built once per configuration and cached here. The fast path is used only
when every piece involved is the stock one (no overridden hooks, a digest we
know by identity, the default serializer); anything else runs the pure-Python
path, which behaves exactly as itsdangerous does.
"""

from __future__ import annotations

import hashlib
import time
import typing as t
from datetime import datetime, timezone

from ferroauth._core import SignerCore

_MAX_ENTRIES = 512
_cache: dict[t.Any, t.Any] = {}


def _lazy_sha1(string: bytes = b"") -> t.Any:
    """SHA-1, looked up when called (itsdangerous's default ``digest_method``)."""
    return hashlib.sha1(string)


DIGEST_NAMES: dict[t.Any, str] = {
    _lazy_sha1: "sha1",
    hashlib.sha1: "sha1",
    hashlib.sha224: "sha224",
    hashlib.sha256: "sha256",
    hashlib.sha384: "sha384",
    hashlib.sha512: "sha512",
    hashlib.md5: "md5",
}

KEY_DERIVATIONS = frozenset({"concat", "django-concat", "hmac", "none"})


def lookup(key: t.Any) -> t.Any:
    """The cached entry for ``key`` (``None`` if absent, ``False`` if ineligible)."""
    try:
        return _cache.get(key)
    except TypeError:  # unhashable configuration: never fast
        return False


def store(key: t.Any, value: t.Any) -> t.Any:
    try:
        if len(_cache) >= _MAX_ENTRIES:
            _cache.clear()
        _cache[key] = value
    except TypeError:
        pass
    return value


def build(signer: t.Any, **fmt: t.Any) -> SignerCore | None:
    """A core equivalent to ``signer`` (a stock Signer/TimestampSigner), or None."""
    from .signer import HMACAlgorithm

    digest = DIGEST_NAMES.get(signer.digest_method)
    algorithm = signer.algorithm
    if (
        digest is None
        or signer.key_derivation not in KEY_DERIVATIONS
        or type(algorithm) is not HMACAlgorithm
        or DIGEST_NAMES.get(algorithm.digest_method) != digest
        or not signer.secret_keys
        or not all(isinstance(k, bytes) for k in signer.secret_keys)
        or not isinstance(signer.salt, bytes)
        or not isinstance(signer.sep, bytes)
    ):
        return None
    return SignerCore(
        digest,
        signer.key_derivation,
        list(signer.secret_keys),
        signer.salt,
        signer.sep,
        **fmt,
    )


def plain_age(max_age: t.Any) -> bool:
    """Whether the core compares ``max_age`` as itsdangerous would: None, an
    int or a float (a bool, a subclass or a Decimal compares by its own rules,
    which only the Python path follows)."""
    return max_age is None or type(max_age) is int or type(max_age) is float


def timed_loads(core: SignerCore, s: t.Any, max_age: t.Any, return_timestamp: bool) -> t.Any:
    """``TimedSerializer.loads`` on a timed core: the object, or ``(obj,
    datetime_signed)`` with ``return_timestamp``; None when the core does not
    answer (invalid, expired, a JSON null payload, a ``max_age`` that is not
    None, an int or a float, or not for the fast path), so the caller's Python
    path decides and raises as itsdangerous does."""
    if not return_timestamp:
        return core.loads_now(s, max_age)  # reads int(time.time()) itself
    if not plain_age(max_age):
        return None
    ok = core.loads(s, True, None if max_age is None else int(time.time()), max_age)
    if ok is None:
        return None
    return ok[0], datetime.fromtimestamp(ok[1], tz=timezone.utc)
