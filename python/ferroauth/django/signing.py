"""A drop-in for ``django.core.signing``: the same functions, classes, tokens and
exceptions (``BadSignature`` and ``SignatureExpired`` *are* Django's classes), faster.

Swap an import (``from ferroauth.django import signing``) or set
``SIGNING_BACKEND = "ferroauth.django.signing.TimestampSigner"`` (used by
``get_cookie_signer``, so by ``set_signed_cookie``/``get_signed_cookie``).
Settings (``SECRET_KEY``, ``SECRET_KEY_FALLBACKS``, ``SIGNING_BACKEND``,
``SIGNED_COOKIE_LEGACY_SALT_FALLBACK``) are read at call time, so
``override_settings`` works; time comes from ``time.time()``.

What is identical: the token layout ``value:b62(timestamp):b64(hmac)``, the salted
HMAC key derivation (``hash(salt + "signer" + key)``), the default salt of
``Signer``/``TimestampSigner`` (``"django.core.signing.Signer"``, as Django's own
classes have; a subclass gets its own ``"<module>.<name>"``), the compress rule
(zlib level 6, used only when it saves more than one byte), exact signature
comparison, key fallbacks, and ``max_age`` as int, float or timedelta with no
negative-age check. Where it is faster: the salted HMAC, base64, base62 and plain
JSON run in Rust (``src/djsign.rs``), and ``dumps``/``loads`` with the default
serializer do not build a signer object. Anything unusual (another hashlib
algorithm, overridden methods, keys that are not str/bytes, odd tokens) takes the
Python path, so it raises exactly what Django raises.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import inspect
import json
import re
import time
import warnings
import zlib

from django.conf import settings
from django.core import signing as _djs
from django.core.signing import BadSignature, SignatureExpired
from django.utils.crypto import InvalidAlgorithm
from django.utils.encoding import force_bytes
from django.utils.module_loading import import_string

from ferroauth import _core

__all__ = [
    "BASE62_ALPHABET",
    "BadSignature",
    "JSONSerializer",
    "SignatureExpired",
    "Signer",
    "TimestampSigner",
    "b62_decode",
    "b62_encode",
    "b64_decode",
    "b64_encode",
    "base64_hmac",
    "dumps",
    "get_cookie_signer",
    "loads",
]

# A separator may not be empty or made only of characters that base64 and the
# timestamp use; the class [A-z] (which also spans [\]^_`) is Django's.
_SEP_UNSAFE = re.compile(r"^[A-z0-9-_=]*$")
BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_INDEX = {c: i for i, c in enumerate(BASE62_ALPHABET)}

# The installed Django's default for base64_hmac(algorithm=…): "sha1" up to 5.2;
# 6.0 made it None, which warns and then uses "sha1".
_B64HMAC_DEFAULT = inspect.signature(_djs.base64_hmac).parameters["algorithm"].default


_SAFE_SEPS = set()

# LazySettings caches each setting it has read in its instance __dict__ and
# empties that dict whenever the wrapped settings change (override_settings,
# assignment, deletion). Reading a cached value there is what ``settings.X``
# returns, minus LazyObject.__getattribute__ (about 0.7 µs a read); a miss takes
# the ordinary path, which fills the cache (or raises, e.g. for an empty key).
# Only while this module's ``settings`` is still that object (a test may patch it).
_SETTINGS = settings
try:
    _SETTINGS_CACHE = object.__getattribute__(settings, "__dict__")
except AttributeError:  # pragma: no cover - settings replaced by a plain object
    _SETTINGS_CACHE = {}
_MISSING = object()


def _secret_key():
    return (settings is _SETTINGS and _SETTINGS_CACHE.get("SECRET_KEY")) or settings.SECRET_KEY


def _secret_key_fallbacks():
    fallbacks = (
        _SETTINGS_CACHE.get("SECRET_KEY_FALLBACKS", _MISSING) if settings is _SETTINGS else _MISSING
    )
    return settings.SECRET_KEY_FALLBACKS if fallbacks is _MISSING else fallbacks


def _unsafe_sep(sep):
    if _SEP_UNSAFE.match(sep):
        return True
    if len(_SAFE_SEPS) < 64:
        _SAFE_SEPS.add(sep)
    return False


def b62_encode(s):
    if s == 0:
        return "0"
    sign = "-" if s < 0 else ""
    s = abs(s)
    digits = []
    while s > 0:
        s, remainder = divmod(s, 62)
        digits.append(BASE62_ALPHABET[remainder])
    return sign + "".join(reversed(digits))


def b62_decode(s):
    if s == "0":
        return 0
    sign = 1
    if s[0] == "-":
        s = s[1:]
        sign = -1
    decoded = 0
    for digit in s:
        try:
            decoded = decoded * 62 + _B62_INDEX[digit]
        except KeyError:
            raise ValueError("substring not found") from None
    return sign * decoded


def b64_encode(s):
    return base64.urlsafe_b64encode(s).strip(b"=")


def b64_decode(s):
    pad = b"=" * (-len(s) % 4)
    return base64.urlsafe_b64decode(s + pad)


# hashlib constructors that hmac.digest() runs in one OpenSSL call by name.
_FAST_HMAC = frozenset(
    ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512"]
)


@functools.lru_cache(maxsize=128)
def _derived_key(key_salt, secret, algorithm):
    """Django's salted_hmac key: hash(key_salt + secret), under ``algorithm``."""
    try:
        hasher = getattr(hashlib, algorithm)
    except AttributeError as e:
        raise InvalidAlgorithm(
            "%r is not an algorithm accepted by the hashlib module." % algorithm  # noqa: UP031
        ) from e
    return hasher(key_salt + secret).digest(), hasher


def _hmac(key_salt, value, secret, algorithm):
    if secret is None:
        secret = _secret_key()
    key, hasher = _derived_key(force_bytes(key_salt), force_bytes(secret), algorithm)
    msg = force_bytes(value)
    if algorithm in _FAST_HMAC:
        return hmac.digest(key, msg, algorithm)
    return hmac.new(key, msg=msg, digestmod=hasher).digest()


def base64_hmac(salt, value, key, algorithm=_B64HMAC_DEFAULT):
    if algorithm is None:
        from django.utils import deprecation

        warnings.warn(
            "The default argument for algorithm in base64_hmac() will change "
            "from 'sha1' to 'sha256' in Django 2028. Pass an explicit "
            "algorithm to silence this warning.",
            category=deprecation.RemovedInDjango2028Warning,
            skip_file_prefixes=deprecation.django_file_prefixes(),
        )
        algorithm = "sha1"
    if type(salt) in _TEXT and type(value) in _TEXT and type(key) in _TEXT:
        sig = _core.django_signature(algorithm, salt, key, value)
        if sig is not None:
            return sig
    return _b64(_hmac(salt, value, key, algorithm))


def _b64(digest):
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _cookie_signer_key(key):
    # SECRET_KEY and its fallbacks may be str or bytes.
    return b"django.http.cookies" + force_bytes(key)


def _cookie_signer_salt(cookie_name, salt=""):
    # The salt's length comes first so (cookie_name, salt) pairs cannot collide.
    return f"django.http.cookies.v2:{len(salt)}:{salt}{cookie_name}"


def _cookie_signer_legacy_salt(cookie_name, salt=""):
    return cookie_name + salt


def _unsign_cookie(signed_value, *, cookie_name, salt="", max_age=None):
    """Read a signed cookie: the v2 salt first, then (unless the cookie expired or
    ``SIGNED_COOKIE_LEGACY_SALT_FALLBACK`` is off) the legacy ``name + salt``."""
    try:
        return get_cookie_signer(salt=_cookie_signer_salt(cookie_name, salt)).unsign(
            signed_value, max_age=max_age
        )
    except BadSignature as exc:
        if settings.SIGNED_COOKIE_LEGACY_SALT_FALLBACK and not isinstance(exc, SignatureExpired):
            return get_cookie_signer(salt=_cookie_signer_legacy_salt(cookie_name, salt)).unsign(
                signed_value, max_age=max_age
            )
        raise


def get_cookie_signer(salt="django.core.signing.get_cookie_signer"):
    signer_class = import_string(settings.SIGNING_BACKEND)
    return signer_class(
        key=_cookie_signer_key(_secret_key()),
        fallback_keys=map(_cookie_signer_key, _secret_key_fallbacks()),
        salt=salt,
    )


_JSON_ENCODER = json.JSONEncoder(separators=(",", ":"))


class JSONSerializer:
    """Compact JSON (``separators=(",", ":")``) as latin-1 bytes, as Django's."""

    def dumps(self, obj):
        # Plain JSON data is written by the core; anything else (subclasses, non-str
        # keys, cycles, unserializable objects) by json, errors included.
        data = _core.django_json_dumps(obj)
        if data is not None:
            return data
        return _JSON_ENCODER.encode(obj).encode("latin-1")

    def loads(self, data):
        if type(data) is bytes:
            # The core parses what it is sure to read as json.loads does; anything
            # else (errors included) is json.loads's.
            found = _core.django_json_loads(data)
            if found is not None:
                return found[0]
        return json.loads(data.decode("latin-1"))


def dumps(obj, key=None, salt="django.core.signing", serializer=JSONSerializer, compress=False):
    """A URL-safe, timestamped, HMAC-signed token of ``obj`` serialized with
    ``serializer`` (JSON by default). ``key`` defaults to ``settings.SECRET_KEY``.
    ``compress=True`` zlib-compresses when that saves space, flagged by a leading
    ``"."`` that is covered by the signature."""
    if serializer is JSONSerializer and TimestampSigner is _TimestampSigner:
        # TimestampSigner(key, salt).sign_object(obj) without building the signer.
        key = key or _secret_key()
        if type(key) in _TEXT and type(salt) is str:
            data = _core.django_json_dumps(obj)
            if data is not None:
                return _sign_json(data, compress, key, salt)
    return TimestampSigner(key=key, salt=salt).sign_object(
        obj, serializer=serializer, compress=compress
    )


def _compress(data):
    """Django's rule: ``(zlib.compress(data), True)`` when that saves more than one
    byte, else ``(data, False)``. Bytes use the core's reused zlib stream."""
    if type(data) is bytes:
        compressed = _core.django_compress(data)  # None when it would not save enough
        return (data, False) if compressed is None else (compressed, True)
    compressed = zlib.compress(data)
    return (compressed, True) if len(compressed) < len(data) - 1 else (data, False)


def _sign_json(data, compress, key, salt):
    """The rest of dumps() for serialized ``data``, in the core."""
    data, is_compressed = _compress(data) if compress else (data, False)
    timestamp = int(time.time())
    if not _I64_MIN <= timestamp <= _I64_MAX:
        # Beyond the core's 64-bit timestamps: Django's way.
        base64d = ("." if is_compressed else "") + b64_encode(data).decode()
        signer = TimestampSigner(key=key, salt=salt)
        return Signer.sign(signer, "%s:%s" % (base64d, b62_encode(timestamp)))  # noqa: UP031
    return _core.django_sign_payload(
        "sha256",
        (salt or "django.core.signing.TimestampSigner") + "signer",
        key,
        data,
        is_compressed,
        ":",
        timestamp,
    )


def loads(
    s,
    key=None,
    salt="django.core.signing",
    serializer=JSONSerializer,
    max_age=None,
    fallback_keys=None,
):
    """The object in a token from ``dumps``; raises ``BadSignature`` (or
    ``SignatureExpired`` when older than ``max_age`` seconds)."""
    if serializer is JSONSerializer and TimestampSigner is _TimestampSigner and type(s) is str:
        # TimestampSigner(...).unsign_object(s) without building the signer.
        if key is None and fallback_keys is None:
            keys = _settings_keys()
        else:
            keys = _keys_or_none(key or _secret_key(), fallback_keys)
        if keys is not None and type(salt) is str:
            key_salt = _KEY_SALTS.get(salt)
            if key_salt is None:
                key_salt = _key_salt(salt)
            found = _core.django_loads_object("sha256", key_salt, keys, s, ":")
            if found is not None:
                # An int max_age is checked inline; the rest (and expiry) by _check_age.
                if max_age is not None and not (
                    type(max_age) is int and time.time() - found[1] <= max_age
                ):
                    _check_age(found[1], max_age)
                return found[0]
        key = key or _secret_key()
        if fallback_keys is None:
            fallback_keys = _secret_key_fallbacks()
    return TimestampSigner(key=key, salt=salt, fallback_keys=fallback_keys).unsign_object(
        s, serializer=serializer, max_age=max_age
    )


class Signer:
    """Signs strings as ``value<sep>signature``. ``key`` defaults to
    ``settings.SECRET_KEY``, ``fallback_keys`` to ``settings.SECRET_KEY_FALLBACKS``,
    ``algorithm`` to sha256 and ``salt`` to ``"<module>.<ClassName>"`` (for this class
    and ``TimestampSigner``, Django's ``"django.core.signing.…"`` so tokens match)."""

    def __init__(self, *, key=None, sep=":", salt=None, algorithm=None, fallback_keys=None):
        self.key = key or _secret_key()
        self.fallback_keys = fallback_keys if fallback_keys is not None else _secret_key_fallbacks()
        self.sep = sep
        self.salt = salt or _default_salt(self.__class__)
        self.algorithm = algorithm or "sha256"
        if not (type(sep) is str and sep in _SAFE_SEPS) and _unsafe_sep(sep):
            raise ValueError(
                "Unsafe Signer separator: %r (cannot be empty or consist of "  # noqa: UP031
                "only A-z0-9-_=)" % sep,
            )

    def signature(self, value, key=None):
        key = key or self.key
        salt = self.salt + "signer"
        if type(value) in _TEXT and type(key) in _TEXT:
            sig = _core.django_signature(self.algorithm, salt, key, value)
            if sig is not None:
                return sig
        return _b64(_hmac(salt, value, key, self.algorithm))

    def sign(self, value):
        return "%s%s%s" % (value, self.sep, self.signature(value))  # noqa: UP031

    def unsign(self, signed_value):
        if self.sep not in signed_value:
            raise BadSignature('No "%s" found in value' % self.sep)  # noqa: UP031
        value, sig = signed_value.rsplit(self.sep, 1)
        sig_bytes = force_bytes(sig)
        for key in [self.key, *self.fallback_keys]:
            if hmac.compare_digest(sig_bytes, self.signature(value, key).encode()):
                return value
        raise BadSignature('Signature "%s" does not match' % sig)  # noqa: UP031

    def sign_object(self, obj, serializer=JSONSerializer, compress=False):
        """A signed, URL-safe base64 token of ``serializer().dumps(obj)``, zlib
        compressed (and prefixed ``"."``) when ``compress`` and it saves space."""
        data = serializer().dumps(obj)
        data, is_compressed = _compress(data) if compress else (data, False)
        fast = _FAST_SIGN.get(type(self))
        if fast:
            timestamp = int(time.time())
            if not _I64_MIN <= timestamp <= _I64_MAX:
                fast = None
        if fast is not None and type(data) is bytes and type(self.key) in _TEXT:
            token = _core.django_sign_payload(
                self.algorithm,
                self.salt + "signer",
                self.key,
                data,
                is_compressed,
                self.sep,
                timestamp if fast else None,
            )
            if token is not None:
                return token
        base64d = b64_encode(data).decode()
        if is_compressed:
            base64d = "." + base64d
        return self.sign(base64d)

    def unsign_object(self, signed_obj, serializer=JSONSerializer, **kwargs):
        fast = _FAST_UNSIGN[type(self)]
        fallback_keys = self.fallback_keys
        if (
            fast is not None
            and type(signed_obj) is str
            and (not kwargs or (fast and len(kwargs) == 1 and "max_age" in kwargs))
            and type(fallback_keys) in _SEQUENCES
            and type(self.salt) is str
            and type(self.sep) is str
            and type(self.key) in _TEXT
        ):
            keys = [self.key, *fallback_keys]
            # The core takes str and bytes keys; anything else goes Django's way.
            found = (
                _core.django_unsign_payload(
                    self.algorithm, self.salt + "signer", keys, signed_obj, self.sep, fast
                )
                if not fallback_keys or _all_text(fallback_keys)
                else None
            )
            if found is not None:
                data, decompress, timestamp = found
                if fast and kwargs:
                    _check_age(timestamp, kwargs["max_age"])
                if decompress:
                    data = zlib.decompress(data)
                return serializer().loads(data)
        base64d = self.unsign(signed_obj, **kwargs).encode()
        decompress = base64d[:1] == b"."
        if decompress:
            base64d = base64d[1:]
        data = b64_decode(base64d)
        if decompress:
            data = zlib.decompress(data)
        return serializer().loads(data)


class TimestampSigner(Signer):
    """A ``Signer`` that appends a base62 timestamp (``time.time()``) before signing;
    ``unsign(max_age=…)`` raises ``SignatureExpired`` for older values."""

    def timestamp(self):
        return b62_encode(int(time.time()))

    def sign(self, value):
        value = "%s%s%s" % (value, self.sep, self.timestamp())  # noqa: UP031
        return super().sign(value)

    def unsign(self, value, max_age=None):
        result = super().unsign(value)
        value, timestamp = result.rsplit(self.sep, 1)
        _check_age(b62_decode(timestamp), max_age)
        return value


def _check_age(timestamp, max_age):
    # No check for timestamps in the future: Django has none.
    if max_age is not None:
        if isinstance(max_age, datetime.timedelta):
            max_age = max_age.total_seconds()
        age = time.time() - timestamp
        if age > max_age:
            raise SignatureExpired("Signature age %s > %s seconds" % (age, max_age))  # noqa: UP031


_OWN_CLASSES = frozenset({Signer, TimestampSigner})
_TimestampSigner = TimestampSigner
_TEXT = (str, bytes)
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_SEQUENCES = (list, tuple)


def _keys_or_none(key, fallbacks):
    """``[key, *fallbacks]`` when the core can take them (str or bytes in a
    list or tuple), else None."""
    if fallbacks is None:
        fallbacks = _secret_key_fallbacks()
    if type(key) in _TEXT and type(fallbacks) in _SEQUENCES and _all_text(fallbacks):
        return [key, *fallbacks]
    return None


def _settings_keys():
    """``_keys_or_none`` of SECRET_KEY and SECRET_KEY_FALLBACKS, kept in the
    settings' own read cache (see ``_SETTINGS_CACHE``). It is used only while
    that cache still holds the very objects it was made from: Django empties
    the cache on override_settings and drops a name on assignment. A fallbacks
    list changed in place is noticed by comparing it with a copy."""
    if settings is not _SETTINGS:
        return _keys_or_none(_secret_key(), None)
    cache = _SETTINGS_CACHE
    entry = cache.get(_KEYS_ENTRY)
    if entry is not None:
        secret, fallbacks, snapshot, keys = entry
        if (
            cache.get("SECRET_KEY") is secret
            and cache.get("SECRET_KEY_FALLBACKS", _MISSING) is fallbacks
            and fallbacks == snapshot
        ):
            return keys
    secret, fallbacks = _secret_key(), _secret_key_fallbacks()
    keys = _keys_or_none(secret, fallbacks)
    if type(fallbacks) is list:
        snapshot = fallbacks.copy()
    elif fallbacks is None or type(fallbacks) is tuple:
        snapshot = fallbacks
    else:  # another container could change unseen: not kept
        return keys
    cache[_KEYS_ENTRY] = (secret, fallbacks, snapshot, keys)
    return keys


#: The entry ``_settings_keys`` adds to the settings cache (not a setting name:
#: settings are upper case, so it cannot shadow one).
_KEYS_ENTRY = "_ferroauth_signing_keys"

#: ``salt + "signer"`` per salt (TimestampSigner's key salt), for the few salts
#: an application uses.
_KEY_SALTS = {}


def _key_salt(salt):
    key_salt = (salt or "django.core.signing.TimestampSigner") + "signer"
    if len(_KEY_SALTS) < 64:
        _KEY_SALTS[salt] = key_salt
    return key_salt


def _all_text(keys):
    for key in keys:
        if type(key) not in _TEXT:
            return False
    return True


class _FastSignTable(dict):
    """Per class: may sign_object build the whole token in the core? True (with a
    timestamp) for TimestampSigner and subclasses that override none of sign,
    timestamp and signature; False (no timestamp) likewise for Signer; absent
    (use the Python methods, so overrides are honoured) otherwise."""

    def __missing__(self, cls):
        if issubclass(cls, TimestampSigner):
            plain = all(
                getattr(cls, m) is getattr(TimestampSigner, m)
                for m in ("sign", "timestamp", "signature")
            )
            value = True if plain else None
        else:
            plain = all(getattr(cls, m) is getattr(Signer, m) for m in ("sign", "signature"))
            value = False if plain else None
        self[cls] = value
        return value

    def get(self, cls, default=None):
        return self[cls]


_FAST_SIGN = _FastSignTable()


class _FastUnsignTable(dict):
    """Per class: may unsign_object verify and decode in the core? True (timestamped)
    or False (plain) when unsign and signature are Django's; absent otherwise."""

    def __missing__(self, cls):
        if issubclass(cls, TimestampSigner):
            base, value = TimestampSigner, True
        else:
            base, value = Signer, False
        if any(getattr(cls, m) is not getattr(base, m) for m in ("unsign", "signature")):
            value = None
        self[cls] = value
        return value


_FAST_UNSIGN = _FastUnsignTable()


def _default_salt(cls):
    # Django's classes salt with "django.core.signing.<Name>"; ours must too, or
    # every token signed with the default salt would change on the swap.
    module = "django.core.signing" if cls in _OWN_CLASSES else cls.__module__
    return "%s.%s" % (module, cls.__name__)  # noqa: UP031
