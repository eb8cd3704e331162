"""A drop-in for ``werkzeug.security`` (Werkzeug 3.1).

Swap ``from werkzeug.security import generate_password_hash, check_password_hash``
for ``from ferroauth.werkzeug import ...``: the stored strings are the same for the
same salt, every hash werkzeug ever wrote still verifies, and the errors are the
same classes with the same messages. The KDFs run in Rust with the GIL released.

One deliberate difference: work parameters are bounded (see
:func:`ferroauth.set_limits`). A stored ``pbkdf2:sha256:1000000000`` hash makes
werkzeug loop for minutes; here it raises :class:`ferroauth.LimitExceededError`
(a ``ValueError``) before any work starts.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import secrets

from ferroauth import _core

__all__ = [
    "DEFAULT_PBKDF2_ITERATIONS",
    "SALT_CHARS",
    "check_password_hash",
    "gen_salt",
    "generate_password_hash",
    "safe_join",
]

SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DEFAULT_PBKDF2_ITERATIONS = 1_000_000

# werkzeug's defaults for bare "scrypt" (n, r, p).
_SCRYPT_DEFAULTS = (2**15, 8, 1)
# Largest value of a C int / long, which bound hashlib's arguments.
_INT_MAX = 2**31 - 1
_LONG_MAX = 2**63 - 1


def gen_salt(length: int) -> str:
    """Generate a random string of ``SALT_CHARS`` with the given ``length``."""
    if length <= 0:
        raise ValueError("Salt length must be at least 1.")
    return "".join(secrets.choice(SALT_CHARS) for _ in range(length))


def generate_password_hash(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
    """Hash ``password`` for storage as ``method$salt$hexdigest``.

    ``method`` is ``"scrypt"`` (the default, ``scrypt:32768:8:1``) or ``"pbkdf2"``
    (``pbkdf2:sha256:1000000``), optionally with parameters:
    ``scrypt:n:r:p`` or ``pbkdf2:hash_name[:iterations]``.
    """
    salt = gen_salt(salt_length)
    digest, canonical_method = _derive_hex(method, salt, password)
    return f"{canonical_method}${salt}${digest}"


def check_password_hash(pwhash: str, password: str) -> bool:
    """Check ``password`` against a hash written by :func:`generate_password_hash`.

    A string with fewer than two ``$`` is not a hash and gives ``False``; an
    unknown or removed method (e.g. the plain ``sha256$`` of Werkzeug < 3.0)
    raises ``ValueError`` as werkzeug does.
    """
    fields = pwhash.split("$", 2)
    if len(fields) != 3:
        return False
    method, salt, expected = fields
    return _core.compare_digest(_derive_hex(method, salt, password)[0], expected)


def _derive_hex(method: str, salt: str, password: str) -> tuple[str, str]:
    """Run ``method`` over ``password`` and ``salt``; return (hex digest, canonical method)."""
    name, *args = method.split(":")
    salt_bytes = salt.encode()
    password_bytes = password.encode()
    if name == "scrypt":
        n, r, p = _scrypt_args(args)
        return _scrypt_hex(password_bytes, salt_bytes, n, r, p), f"scrypt:{n}:{r}:{p}"
    if name == "pbkdf2":
        hash_name, iterations = _pbkdf2_args(args)
        digest = _pbkdf2_hex(hash_name, password_bytes, salt_bytes, iterations)
        return digest, f"pbkdf2:{hash_name}:{iterations}"
    raise ValueError(f"Invalid hash method '{name}'.")


def _scrypt_args(args: list[str]) -> tuple[int, int, int]:
    if not args:
        return _SCRYPT_DEFAULTS
    try:
        n, r, p = (int(a) for a in args)
    except ValueError:
        raise ValueError("'scrypt' takes 3 arguments.") from None
    return n, r, p


def _pbkdf2_args(args: list[str]) -> tuple[str, int]:
    if len(args) > 2:
        raise ValueError("'pbkdf2' takes 2 arguments.")
    hash_name = args[0] if args else "sha256"
    iterations = int(args[1]) if len(args) == 2 else DEFAULT_PBKDF2_ITERATIONS
    return hash_name, iterations


def _pbkdf2_hex(hash_name: str, password: bytes, salt: bytes, iterations: int) -> str:
    # hashlib's own argument errors, in hashlib's order.
    if iterations < 1:
        raise ValueError("iteration value must be greater than 0.")
    if iterations > _LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    if iterations > _INT_MAX:
        raise OverflowError("iteration value is too great.")
    dklen = _digest_size(hash_name)
    derived = _core.pbkdf2_hmac(hash_name, password, salt, iterations, dklen)
    if derived is None:
        # A digest the core does not run (sha3_*, blake2, ...): hashlib decides,
        # after the same iteration limit the core applies.
        _check_iterations(iterations)
        derived = hashlib.pbkdf2_hmac(hash_name, password, salt, iterations)
    return derived.hex()


def _digest_size(hash_name: str) -> int:
    sizes = {"md5": 16, "sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
    return sizes.get(hash_name, 0)


def _check_iterations(iterations: int) -> None:
    limit = _core.get_limits()["pbkdf2_max_iterations"]
    if iterations > limit:
        raise _core.LimitExceededError(
            f"PBKDF2 iterations {iterations} exceeds the limit of {limit} "
            "(see ferroauth.set_limits)"
        )


def _scrypt_hex(password: bytes, salt: bytes, n: int, r: int, p: int) -> str:
    maxmem = 132 * n * r * p  # the headroom werkzeug gives OpenSSL
    for label, value in (("n", n), ("r", r), ("p", p)):
        if value < 0:
            raise TypeError(f"{label} is required and must be an unsigned int")
    if n < 2 or n & (n - 1):
        raise ValueError("n must be a power of 2.")
    if maxmem < 0 or maxmem > _INT_MAX:
        raise ValueError(f"maxmem must be positive and smaller than {_INT_MAX}")
    if r == 0 or p == 0 or p * r > 2**30 - 1:
        raise ValueError("Invalid parameter combination for n, r, p, maxmem.")
    # OpenSSL's bounds: n below 2^(16 r), and its buffers within maxmem.
    if (16 * r <= 63 and n >= 1 << (16 * r)) or 128 * r * p + 128 * r * (n + 2) > maxmem:
        raise ValueError("[digital envelope routines] memory limit exceeded")
    return _core.scrypt(password, salt, n, r, p, 64).hex()


# Path separators other than "/" that a URL path component must not contain.
_os_alt_seps: list[str] = [sep for sep in (os.sep, os.altsep) if sep is not None and sep != "/"]

# Names Windows treats as devices whatever the extension or trailing spaces.
_windows_device_files = frozenset(
    ["AUX", "CON", "CONIN$", "CONOUT$", "NUL", "PRN"]
    + [f"{kind}{n}" for kind in ("COM", "LPT") for n in "123456789¹²³"]
)


def safe_join(directory: str, *untrusted: str) -> str | None:
    """Join untrusted URL path components onto a trusted ``directory``.

    Returns ``None`` when a component is absolute, climbs out with ``..``,
    contains an OS path separator other than ``/``, or (on Windows) names a
    device such as ``CON``.
    """
    parts = [directory or "."]
    for component in untrusted:
        if not component:
            continue
        normalized = posixpath.normpath(component)
        if _escapes(normalized):
            return None
        parts.append(normalized)
    return posixpath.join(*parts)


def _escapes(component: str) -> bool:
    if os.path.isabs(component) or component.startswith("/"):
        return True
    if component == ".." or component.startswith("../"):
        return True
    if any(sep in component for sep in _os_alt_seps):
        return True
    if os.name == "nt":
        stems = (segment.partition(".")[0].strip().upper() for segment in component.split("/"))
        return any(stem in _windows_device_files for stem in stems)
    return False
