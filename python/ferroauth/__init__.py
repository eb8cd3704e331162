"""ferroauth: fast, safe web authentication on a Rust core.

The native API hashes and verifies passwords in every format the common Python
libraries write (argon2, scrypt, PBKDF2, bcrypt; PHC, werkzeug, Django and
passlib encodings), compares secrets in constant time, and bounds the work an
attacker-supplied hash can demand. Framework drop-ins live in submodules:
``ferroauth.werkzeug`` mirrors ``werkzeug.security``.
"""

from __future__ import annotations

from ferroauth._core import (
    InvalidHashError,
    LimitExceededError,
    Policy,
    UnsupportedSchemeError,
    compare_digest,
    get_limits,
    hash_many,
    hash_password,
    identify,
    needs_rehash,
    schemes,
    set_limits,
    verify_and_update,
    verify_many,
    verify_password,
)
from ferroauth.patching import patch, unpatch

__all__ = [
    "InvalidHashError",
    "LimitExceededError",
    "Policy",
    "UnsupportedSchemeError",
    "compare_digest",
    "get_limits",
    "hash_many",
    "hash_password",
    "identify",
    "needs_rehash",
    "patch",
    "schemes",
    "set_limits",
    "unpatch",
    "verify_and_update",
    "verify_many",
    "verify_password",
]

__version__ = "0.1.0"
