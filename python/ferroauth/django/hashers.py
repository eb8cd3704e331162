"""Django password hashers on ferroauth's Rust core.

List these classes in ``PASSWORD_HASHERS`` in place of (or mixed with) Django's::

    PASSWORD_HASHERS = [
        "ferroauth.django.hashers.PBKDF2PasswordHasher",
        "ferroauth.django.hashers.Argon2PasswordHasher",
        ...
    ]

Each class subclasses the installed Django's own hasher and replaces only the key
derivation, which runs in Rust with the GIL released. So the ``algorithm`` names,
encoded formats, default parameters (5.2 LTS: 1,000,000 PBKDF2 iterations; 6.1:
1,500,000), ``decode``, ``verify`` (re-encode and compare whole strings),
``safe_summary``, ``must_update``, ``harden_runtime`` and ``salt`` are Django's,
for whichever Django is installed, and class attributes are overridden in
subclasses exactly as with Django's classes.

``Argon2PasswordHasher`` and the bcrypt hashers need neither argon2-cffi nor
bcrypt: their ``_load_library()`` returns a small ferroauth module that provides
the calls Django makes (``argon2.low_level.hash_secret``, ``extract_parameters``,
``PasswordHasher().verify``; ``bcrypt.gensalt``, ``bcrypt.hashpw``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import enum
import hashlib
import os
import types

import django
from django.contrib.auth import hashers as _dj
from django.contrib.auth.hashers import BasePasswordHasher
from django.utils.encoding import force_bytes, force_str

from ferroauth import _core

__all__ = [
    "Argon2PasswordHasher",
    "BCryptPasswordHasher",
    "BCryptSHA256PasswordHasher",
    "BasePasswordHasher",
    "MD5PasswordHasher",
    "PBKDF2PasswordHasher",
    "PBKDF2SHA1PasswordHasher",
    "ScryptPasswordHasher",
]

# Django 6.0 accepts bytes passwords and salts in every hasher (force_bytes/force_str);
# 5.2 calls str methods on them.
_BYTES_EVERYWHERE = django.VERSION >= (6, 0)

_U32_MAX = 2**32 - 1


def _pbkdf2(password, salt, iterations, digest):
    """``django.utils.crypto.pbkdf2`` (dklen = digest size) on the core's PBKDF2."""
    password = force_bytes(password)
    salt = force_bytes(salt)
    name = digest().name
    if type(iterations) is int and 0 < iterations <= _U32_MAX:
        out = _core.pbkdf2_hmac(name, password, salt, iterations, digest().digest_size)
        if out is not None:
            return out
    # Digests the core does not run, and arguments hashlib refuses (with its own errors).
    return hashlib.pbkdf2_hmac(name, password, salt, iterations, None)


_SCRYPT_DEFAULT_MAXMEM = 32 * 1024 * 1024  # OpenSSL's limit when maxmem=0


def _scrypt(password, salt, n, r, p, maxmem, dklen):
    """``hashlib.scrypt`` on the core's scrypt. Arguments hashlib would refuse go to
    hashlib, which raises its own error."""
    ints = (n, r, p, maxmem)
    valid = (
        all(type(x) is int for x in ints)
        and n > 1
        and n & (n - 1) == 0
        and 0 < r <= _U32_MAX
        and 0 < p <= _U32_MAX
        and 0 <= maxmem < 2**63
        and type(password) is bytes
        and type(salt) is bytes
    )
    # OpenSSL's memory check: the B buffer (128·r·p) and V (128·r·(n+2)).
    if valid and 128 * r * p + 128 * r * (n + 2) > (maxmem or _SCRYPT_DEFAULT_MAXMEM):
        valid = False
    if not valid:
        return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)
    return _core.scrypt(password, salt, n, r, p, dklen)


class PBKDF2PasswordHasher(_dj.PBKDF2PasswordHasher):
    """PBKDF2-HMAC-SHA256 (``pbkdf2_sha256$<iterations>$<salt>$<base64>``), Django's
    default. ``iterations`` is the installed Django's default; subclasses may change it.
    A ``digest`` the core does not run (other than sha1/sha224/sha256/sha384/sha512)
    falls back to hashlib."""

    def encode(self, password, salt, iterations=None):
        self._check_encode_args(password, salt)
        if _BYTES_EVERYWHERE:
            salt = force_str(salt)
        iterations = iterations or self.iterations
        digest = _pbkdf2(password, salt, iterations, self.digest)
        b64 = base64.b64encode(digest).decode("ascii")
        return "%s$%d$%s$%s" % (self.algorithm, iterations, salt, b64)  # noqa: UP031


class PBKDF2SHA1PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-HMAC-SHA1 (``pbkdf2_sha1$…``)."""

    algorithm = _dj.PBKDF2SHA1PasswordHasher.algorithm
    digest = _dj.PBKDF2SHA1PasswordHasher.digest


# --- argon2 -----------------------------------------------------------------------
# With argon2-cffi installed, its Parameters/Type/errors are used so decode() and
# must_update() hand out exactly the objects Django's hasher does; without it,
# look-alikes with the same fields and equality.
try:
    import argon2 as _argon2  # noqa: I001

    _Argon2Parameters = _argon2.Parameters
    _Argon2Type = _argon2.low_level.Type
    _ARGON2_VERSION = _argon2.low_level.ARGON2_VERSION
    _ARGON2_SALT_LEN = _argon2.DEFAULT_RANDOM_SALT_LENGTH
    _ARGON2_HASH_LEN = _argon2.DEFAULT_HASH_LENGTH
    _Argon2InvalidHash = _argon2.exceptions.InvalidHashError
    _Argon2VerificationError = _argon2.exceptions.VerificationError
    _Argon2Mismatch = _argon2.exceptions.VerifyMismatchError
except ImportError:  # pragma: no cover - covered by the no-argon2 subprocess test

    class _Argon2Type(enum.Enum):
        D = 0
        I = 1  # noqa: E741
        ID = 2

    @dataclasses.dataclass
    class _Argon2Parameters:
        type: _Argon2Type
        version: int
        salt_len: int
        hash_len: int
        time_cost: int
        memory_cost: int
        parallelism: int

    class _Argon2VerificationError(Exception):
        """Verification failed (argon2-cffi's VerificationError)."""

    class _Argon2Mismatch(_Argon2VerificationError):
        """The password does not match (argon2-cffi's VerifyMismatchError)."""

    _ARGON2_VERSION = 19
    _ARGON2_SALT_LEN = 16
    _ARGON2_HASH_LEN = 32
    _Argon2InvalidHash = _core.InvalidHashError

_ARGON2_NAMES = {"argon2id": _Argon2Type.ID, "argon2i": _Argon2Type.I, "argon2d": _Argon2Type.D}
_ARGON2_TYPE_NAMES = {v: k for k, v in _ARGON2_NAMES.items()}


def _b64_decoded_len(length):
    rem = length % 4
    return length // 4 * 3 + (2 if rem == 3 else 1 if rem == 2 else 0)


def _argon2_extract_parameters(hash):
    """The parameters of a ``$argon2…`` string (argon2-cffi's extract_parameters)."""
    parts = hash.split("$")
    if len(parts) == 5:  # Argon2 v1.2 hashes have no version field.
        parts.insert(2, "v=18")
    if len(parts) != 6 or parts[0]:
        raise _Argon2InvalidHash
    try:
        type_ = _ARGON2_NAMES[parts[1]]
        kvs = {k: int(v) for k, v in (s.split("=") for s in [parts[2], *parts[3].split(",")])}
    except Exception:  # noqa: BLE001 - any parse error means an invalid hash
        raise _Argon2InvalidHash from None
    if sorted(kvs) != ["m", "p", "t", "v"]:
        raise _Argon2InvalidHash
    return _Argon2Parameters(
        type=type_,
        version=kvs["v"],
        salt_len=_b64_decoded_len(len(parts[4])),
        hash_len=_b64_decoded_len(len(parts[5])),
        time_cost=kvs["t"],
        memory_cost=kvs["m"],
        parallelism=kvs["p"],
    )


def _argon2_hash_secret(
    secret, salt, time_cost, memory_cost, parallelism, hash_len, type, version=_ARGON2_VERSION
):
    """argon2.low_level.hash_secret: the encoded ``$argon2…`` hash as bytes."""
    return _core.hash_password(
        secret,
        scheme=_ARGON2_TYPE_NAMES[type],
        salt=salt,
        time_cost=time_cost,
        memory_cost=memory_cost,
        parallelism=parallelism,
        hash_len=hash_len,
        version=version,
    ).encode("ascii")


class _Argon2PasswordHasherShim:
    """argon2.PasswordHasher().verify: True, or VerifyMismatchError/InvalidHashError."""

    def verify(self, hash, password):
        if isinstance(hash, bytes):
            hash = hash.decode("ascii")
        if not hash.startswith(("$argon2id$", "$argon2i$", "$argon2d$")):
            raise _Argon2InvalidHash
        try:
            ok = _core.verify_password(password, hash)
        except _core.LimitExceededError:
            # Work parameters over ferroauth's limits (see ferroauth.set_limits).
            raise
        except ValueError as exc:
            # A string libargon2 cannot decode, or parameters it refuses: argon2-cffi
            # raises VerificationError for both (Django then returns False).
            raise _Argon2VerificationError(str(exc)) from None
        if not ok:
            raise _Argon2Mismatch("The password does not match the supplied hash")
        return True


_ARGON2_LIBRARY = types.SimpleNamespace(
    __name__="ferroauth.django.hashers:argon2",
    low_level=types.SimpleNamespace(
        hash_secret=_argon2_hash_secret, Type=_Argon2Type, ARGON2_VERSION=_ARGON2_VERSION
    ),
    exceptions=types.SimpleNamespace(
        VerificationError=_Argon2VerificationError,
        VerifyMismatchError=_Argon2Mismatch,
        InvalidHashError=_Argon2InvalidHash,
    ),
    extract_parameters=_argon2_extract_parameters,
    Parameters=_Argon2Parameters,
    PasswordHasher=_Argon2PasswordHasherShim,
    DEFAULT_RANDOM_SALT_LENGTH=_ARGON2_SALT_LEN,
    DEFAULT_HASH_LENGTH=_ARGON2_HASH_LEN,
)


class Argon2PasswordHasher(_dj.Argon2PasswordHasher):
    """argon2id (``argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash``), Django's parameters,
    without argon2-cffi. ``time_cost``, ``memory_cost`` and ``parallelism`` may be
    overridden in subclasses."""

    def _load_library(self):
        return _ARGON2_LIBRARY


# --- bcrypt -----------------------------------------------------------------------
_BCRYPT64 = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_STD64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TO_BCRYPT64 = bytes.maketrans(_STD64, _BCRYPT64)
_FROM_BCRYPT64 = bytes.maketrans(_BCRYPT64, _STD64)


def _bcrypt_gensalt(rounds=12, prefix=b"2b"):
    """bcrypt.gensalt: ``$2b$<rounds>$`` and 22 characters of bcrypt's base64."""
    if prefix not in (b"2a", b"2b"):
        raise ValueError("Supported prefixes are b'2a' or b'2b'")
    if rounds < 4 or rounds > 31:
        raise ValueError("Invalid rounds")
    salt = base64.b64encode(os.urandom(16)).rstrip(b"=").translate(_TO_BCRYPT64)
    return b"$" + prefix + b"$" + (b"%2.2u" % rounds) + b"$" + salt


def _bcrypt_hashpw(password, salt):
    """bcrypt.hashpw with bcrypt 5's rules (over 72 bytes raises ValueError); the salt
    may be a whole stored hash, whose first 29 characters are used."""
    if not isinstance(password, bytes):
        raise TypeError(f"password must be bytes, not {type(password).__name__}")
    if not isinstance(salt, bytes):
        raise TypeError(f"salt must be bytes, not {type(salt).__name__}")
    parts = [p for p in salt.split(b"$") if p]
    if len(parts) < 3 or parts[0] not in (b"2a", b"2b", b"2x", b"2y") or len(parts[2]) < 22:
        raise ValueError("Invalid salt")
    try:
        cost = int(parts[1].decode("ascii"))
        raw = base64.b64decode(parts[2][:22].translate(_FROM_BCRYPT64) + b"==", validate=True)
    except (ValueError, binascii.Error):
        raise ValueError("Invalid salt") from None
    if not 4 <= cost <= 31 or len(raw) != 16:
        raise ValueError("Invalid salt")
    encoded = _core.hash_password(password, scheme="django_bcrypt", salt=raw, rounds=cost)
    # The core writes "bcrypt$$2b$…"; hashpw keeps the salt's own version prefix.
    return b"$" + parts[0] + encoded[len("bcrypt$$2b") :].encode("ascii")


_BCRYPT_LIBRARY = types.SimpleNamespace(
    __name__="ferroauth.django.hashers:bcrypt",
    gensalt=_bcrypt_gensalt,
    hashpw=_bcrypt_hashpw,
)


class BCryptSHA256PasswordHasher(_dj.BCryptSHA256PasswordHasher):
    """bcrypt over the hex SHA-256 of the password (``bcrypt_sha256$$2b$12$…``),
    without the bcrypt package. ``rounds`` defaults to Django's value."""

    def _load_library(self):
        return _BCRYPT_LIBRARY


class BCryptPasswordHasher(_dj.BCryptPasswordHasher):
    """Plain bcrypt (``bcrypt$$2b$12$…``); passwords over 72 bytes raise ValueError,
    as with bcrypt 5."""

    def _load_library(self):
        return _BCRYPT_LIBRARY


# --- scrypt and md5 -----------------------------------------------------------------
class ScryptPasswordHasher(_dj.ScryptPasswordHasher):
    """scrypt (``scrypt$<n>$<salt>$<r>$<p>$<base64>``), Django's n=2**14, r=8, p=5,
    64-byte key; ``maxmem`` is honoured as hashlib honours it."""

    def encode(self, password, salt, n=None, r=None, p=None):
        self._check_encode_args(password, salt)
        n = n or self.work_factor
        r = r or self.block_size
        p = p or self.parallelism
        if _BYTES_EVERYWHERE:
            secret, salt_bytes, salt = force_bytes(password), force_bytes(salt), force_str(salt)
        else:
            secret, salt_bytes = password.encode(), salt.encode()
        key = _scrypt(secret, salt_bytes, n, r, p, self.maxmem, 64)
        b64 = base64.b64encode(key).decode("ascii")
        return "%s$%d$%s$%d$%d$%s" % (self.algorithm, n, salt, r, p, b64)  # noqa: UP031


class MD5PasswordHasher(_dj.MD5PasswordHasher):
    """Salted MD5 (``md5$salt$hex``), for legacy rows and fast test settings. MD5 is
    hashlib's (already C, and faster than a call into the core)."""
