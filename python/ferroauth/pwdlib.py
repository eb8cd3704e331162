"""Hashers for ``pwdlib.PasswordHash`` (FastAPI's documented password library).

:class:`Argon2Hasher` and :class:`BcryptHasher` are drop-ins for pwdlib's own
(same constructors, defaults, identify rules and outputs) running on ferroauth's
Rust core, so neither argon2-cffi nor bcrypt needs to be installed.
:class:`LegacyHasher` verifies werkzeug, Django and passlib hashes and always
asks for a rehash, so ``PasswordHash.verify_and_update`` moves those users to
the current hasher on their next login::

    from pwdlib import PasswordHash
    from ferroauth.pwdlib import Argon2Hasher, LegacyHasher

    password_hash = PasswordHash((Argon2Hasher(), LegacyHasher()))
    valid, new_hash = password_hash.verify_and_update(password, stored)

One difference from pwdlib's argon2 hasher: a hash whose parameters exceed
:func:`ferroauth.set_limits` verifies as ``False`` instead of being run.
"""

from __future__ import annotations

import base64
import re
from typing import Any, Literal

import ferroauth
from ferroauth import InvalidHashError, LimitExceededError, UnsupportedSchemeError

__all__ = ["Argon2Hasher", "BcryptHasher", "LegacyHasher"]

_UNVERIFIABLE = (InvalidHashError, UnsupportedSchemeError, LimitExceededError)

# An argon2 PHC string: variant, optional version, m/t/p, then salt and hash.
# Linear-time: no nested quantifiers, a lazy tail.
_ARGON2 = re.compile(r"\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+(?:\$[^$]+(?:\$.+?)?)?")
_BCRYPT = re.compile(r"\$(2[abxy])\$(\d{2})\$([A-Za-z0-9+/.]{22})([A-Za-z0-9+/.]{31})")
_BCRYPT_SALT = re.compile(r"\$(2[abxy])\$(\d{2})\$([./A-Za-z0-9]{22})")
_BCRYPT_ALPHABET = str.maketrans(
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
)


def _require_str_or_bytes(value: Any, name: str) -> None:
    if not isinstance(value, str | bytes):
        raise TypeError(f"{name} must be str or bytes")


def _text(value: str | bytes) -> str | None:
    """``value`` as text, or ``None`` when bytes are not UTF-8 (argon2's rule)."""
    try:
        return _strict_text(value)
    except UnicodeDecodeError:
        return None


def _strict_text(value: str | bytes) -> str:
    """``value`` as text; non-UTF-8 bytes raise, as pwdlib's bcrypt hasher does."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _verify_or_false(password: str | bytes, hash: str | bytes) -> bool:
    """pwdlib's verify: a hash that cannot be read or run verifies as False."""
    _require_str_or_bytes(password, "password")
    _require_str_or_bytes(hash, "hash")
    try:
        return ferroauth.verify_password(password, hash)
    except _UNVERIFIABLE:
        return False


class Argon2Hasher:
    """pwdlib's argon2 hasher; defaults are argon2-cffi's (t=3, 64 MiB, p=4)."""

    def __init__(
        self,
        time_cost: int = 3,
        memory_cost: int = 65536,
        parallelism: int = 4,
        hash_len: int = 32,
        salt_len: int = 16,
        type: Any = "id",
    ) -> None:
        variant = getattr(type, "name", type)  # argon2.Type.ID or "id"
        variant = str(variant).lower()
        if variant not in ("id", "i", "d"):
            raise ValueError(f"argon2 type must be id, i or d, not {type!r}")
        self.policy = ferroauth.Policy(
            f"argon2{variant}",
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            hash_len=hash_len,
            salt_len=salt_len,
        )

    @classmethod
    def identify(cls, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        text = _text(hash)
        return text is not None and _ARGON2.fullmatch(text) is not None

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        _require_str_or_bytes(password, "password")
        return ferroauth.hash_password(password, policy=self.policy, salt=salt)

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        return _verify_or_false(password, hash)

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        return ferroauth.needs_rehash(hash, self.policy)


class BcryptHasher:
    """pwdlib's bcrypt hasher (pyca/bcrypt 5 rules: passwords over 72 bytes raise)."""

    def __init__(self, rounds: int = 12, prefix: Literal["2a", "2b"] = "2b") -> None:
        self.rounds = rounds
        self.prefix = prefix.encode("utf-8")

    @classmethod
    def identify(cls, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        return _BCRYPT.match(_strict_text(hash)) is not None

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        _require_str_or_bytes(password, "password")
        if salt is None:
            return ferroauth.hash_password(
                password, scheme="bcrypt", rounds=self.rounds, ident=self.prefix.decode()
            )
        # A salt from bcrypt.gensalt(): "$2b$12$" and 22 salt characters.
        match = _BCRYPT_SALT.match(_text(salt) or "")
        if match is None:
            raise ValueError("Invalid salt")
        ident, rounds, encoded = match.groups()
        raw = base64.b64decode(encoded.translate(_BCRYPT_ALPHABET) + "==")[:16]
        return ferroauth.hash_password(
            password, scheme="bcrypt", rounds=int(rounds), ident=ident, salt=raw
        )

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        _require_str_or_bytes(password, "password")
        _require_str_or_bytes(hash, "hash")
        try:
            return ferroauth.verify_password(password, hash)
        except InvalidHashError:
            raise ValueError("Invalid salt") from None

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        match = _BCRYPT.match(_strict_text(hash))
        if match is None:
            return True
        return int(match.group(2)) != self.rounds or match.group(1) != self.prefix.decode()


class LegacyHasher:
    """Verifies werkzeug, Django and passlib hashes (and any other format ferroauth
    reads) but never writes: place it after the current hasher. Every hash it
    verifies needs a rehash."""

    @classmethod
    def identify(cls, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        try:
            ferroauth.identify(hash)
        except (ValueError, TypeError):
            return False
        return True

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        raise TypeError(
            "LegacyHasher only verifies old hashes; put a hasher that writes first in "
            "PasswordHash((Argon2Hasher(), LegacyHasher()))"
        )

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        return _verify_or_false(password, hash)

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        _require_str_or_bytes(hash, "hash")
        return True
