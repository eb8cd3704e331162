"""Type stubs for ferroauth._core, the Rust extension module."""

from collections.abc import Iterable
from typing import Any, final

from typing_extensions import Buffer

_Secret = str | Buffer
_Stored = str | bytes

class InvalidHashError(ValueError):
    """The stored hash is malformed or truncated."""

class UnsupportedSchemeError(ValueError):
    """The stored hash uses a scheme or variant ferroauth does not implement."""

class LimitExceededError(ValueError):
    """A work parameter is over the configured limit (see set_limits)."""

@final
class Policy:
    """A scheme with its parameters (default: argon2id with argon2-cffi's defaults)."""

    def __init__(self, scheme: str = "argon2id", **params: int | str) -> None: ...
    @property
    def scheme(self) -> str: ...
    @property
    def params(self) -> dict[str, int | str]: ...
    def __eq__(self, other: object) -> bool: ...

def compare_digest(a: str | Buffer, b: str | Buffer, /) -> bool: ...
def hash_password(
    password: _Secret,
    *,
    scheme: str = "argon2id",
    salt: _Secret | None = None,
    policy: Policy | None = None,
    **params: int | str,
) -> str: ...
def verify_password(password: _Secret, stored: _Stored) -> bool: ...
def identify(stored: _Stored) -> dict[str, Any]: ...
def needs_rehash(stored: _Stored, policy: Policy) -> bool: ...
def verify_and_update(
    password: _Secret, stored: _Stored, policy: Policy | None = None
) -> tuple[bool, str | None]: ...
def hash_many(
    passwords: Iterable[_Secret],
    *,
    scheme: str = "argon2id",
    policy: Policy | None = None,
    **params: int | str,
) -> list[str]: ...
def verify_many(passwords: Iterable[_Secret], hashes: Iterable[_Stored]) -> list[bool]: ...
def get_limits() -> dict[str, int]: ...
def set_limits(*, defaults: bool = False, **changes: int) -> dict[str, int]: ...
def schemes() -> tuple[str, ...]: ...
def pbkdf2_hmac(
    digest: str, password: bytes, salt: bytes, iterations: int, dklen: int
) -> bytes | None: ...
def scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes: ...
def census(
    hashes: Iterable[_Stored],
) -> tuple[list[tuple[str, dict[str, int | str], int]], list[tuple[str, int, list[int]]]]: ...
