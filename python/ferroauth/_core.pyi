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

class UnsupportedTypeError(TypeError): ...
class DecodeError(ValueError): ...
class LegacyPickleError(DecodeError): ...

def dumps(value: Any, *, max_depth: int = 64) -> bytes: ...
def loads(data: bytes, *, max_size: int = 16777216, max_depth: int = 64) -> Any: ...

# --- jwt (src/py/jwt.rs) ---
def jwt_dumps(obj: Any, sort_keys: bool = False) -> bytes | None:
    """json.dumps(obj, separators=(",", ":"), sort_keys=...).encode() for plain JSON data;
    None when obj holds anything else (use Python's json then)."""

def jwt_hmac_sign(bits: int, key: bytes, msg: bytes) -> bytes:
    """HMAC-SHA-bits (256/384/512) of msg; ValueError for other sizes."""

def jwt_hmac_verify(bits: int, key: bytes, msg: bytes, sig: bytes) -> bool:
    """Constant-time check that sig is the HMAC-SHA-bits tag of msg."""

def jwt_set_max_token_size(size: int) -> None:
    """The token size cap (bytes) the Rust fast paths apply; longer tokens take the
    Python path, which raises DecodeError."""

class HsKey:
    """A prepared HMAC secret: keyed SHA-256/384/512 states computed once."""

    def __init__(self, secret: bytes) -> None: ...
    def __len__(self) -> int:
        """The secret's length in bytes."""

class HsEncoder:
    """A default-header HS* encoder: base64url header segment, hash bits (256, 384
    or 512) and the prepared secret."""

    def __init__(self, header_b64: bytes, bits: int, key: HsKey) -> None: ...
    @property
    def header_b64(self) -> bytes: ...
    @property
    def bits(self) -> int: ...
    @property
    def key(self) -> HsKey: ...

def jwt_encode_hs(payload: Any, encoder: HsEncoder) -> str | None:
    """The whole HS* token (PyJWT defaults) with encoder's header and secret; None
    when payload is not a plain dict of JSON data or has a non-str "iss"."""

def jwt_decode_hs(
    token: Any,
    key: HsKey,
    algorithms: Any,
    hs_mask: int,
    audience: Any,
    issuer: Any,
    subject: Any,
    leeway: Any,
    now: float,
    checks: int = 127,
    require: list[str] | None = None,
) -> dict[str, Any] | None:
    """Verified claims of an HS* token checked with PyJWT's default options; None when
    rejected or not handled (the caller's PyJWT-compatible path then decides)."""

def jwt_decode_hs_many(
    tokens: Iterable[Any],
    key: HsKey,
    algorithms: Any,
    hs_mask: int,
    audience: Any,
    issuer: Any,
    subject: Any,
    leeway: float,
    now: float,
    max_size: int,
) -> list[dict[str, Any] | None] | None:
    """jwt_decode_hs over many tokens on rayon with the GIL released."""

def jwt_decode_native(
    token: Any,
    keys: dict[str, JwtKey],
    algorithms: Any,
    audience: Any,
    issuer: Any,
    subject: Any,
    leeway: Any,
    now: float,
    checks: int = 127,
    require: list[str] | None = None,
) -> dict[str, Any] | None:
    """Like jwt_decode_hs, verifying with keys[alg] (GIL released around the check)."""

class JwtKey:
    """A parsed RS*/PS*/ES256/ES384/EdDSA(Ed25519) key. Private: RSA PKCS#1 DER, EC and
    Ed25519 PKCS#8 DER. Public: RSA PKCS#1 DER, EC uncompressed point, Ed25519 raw."""

    def __init__(self, alg: str, material: bytes, private: bool) -> None: ...
    @property
    def can_sign(self) -> bool: ...
    @property
    def is_rsa(self) -> bool: ...
    def sign(self, msg: bytes) -> bytes: ...
    def verify(self, msg: bytes, sig: bytes) -> bool: ...

def jwt_decode_native_many(
    tokens: Iterable[Any],
    keys: dict[str, JwtKey],
    algorithms: Any,
    audience: Any,
    issuer: Any,
    subject: Any,
    leeway: float,
    now: float,
    max_size: int,
) -> list[dict[str, Any] | None] | None:
    """jwt_decode_native over many tokens on rayon with the GIL released."""

# --- signing (src/py/signing.rs) ---
class SignerCore:
    """A signer with derived keys plus one serializer's payload format."""

    def __new__(
        cls,
        digest: str,
        key_derivation: str,
        secret_keys: list[bytes],
        salt: bytes,
        sep: bytes,
        *,
        compact: bool = True,
        ensure_ascii: bool = False,
        sort_keys: bool = False,
        tagged: bool = False,
        encoding: str = "urlsafe",
        max_token_len: int = 1048576,
        mapping_type: type[dict[str, Any]] | None = None,
    ) -> SignerCore: ...
    def sign(self, value: bytes, ts: int | None = None) -> bytes: ...
    def unsign(
        self,
        token: str | bytes,
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> tuple[bytes, int | None] | None: ...
    def unsign_many(
        self,
        tokens: list[bytes],
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> list[tuple[bytes, int | None] | None]: ...
    def dumps_now(self, obj: Any) -> str | None:
        """``dumps(obj, int(time.time()))``, reading the clock through ``time``."""
    def loads_now(self, token: str | bytes, max_age: float | None = None) -> Any | None:
        """A timed ``loads`` returning only the object (None: invalid, expired,
        a JSON null, a ``max_age`` that is not None, an int or a float, or not
        for the fast path); reads ``time.time()`` itself."""
    def dumps(self, obj: Any, ts: int | None = None) -> str | None: ...
    def loads(
        self,
        token: str | bytes,
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> tuple[Any, int | None] | None: ...
    def json_dumps(self, obj: Any) -> str | None: ...

def signing_b64decode(data: bytes) -> bytes: ...
def signing_b64encode(data: bytes) -> bytes: ...

# --- django (src/py/djsign.rs) ---
def django_signature(
    algorithm: str, key_salt: str | bytes, secret: str | bytes, value: str | bytes
) -> str | None:
    """URL-safe base64 (no padding) of Django's salted HMAC:
    HMAC-H(H(key_salt + secret), value). None for an algorithm other than
    sha1/sha224/sha256/sha384/sha512."""

def django_sign_payload(
    algorithm: str,
    key_salt: str | bytes,
    secret: str | bytes,
    payload: bytes,
    compressed: bool,
    sep: str,
    timestamp: int | None = None,
) -> str | None:
    """The token Signer.sign_object writes for serialized ``payload``:
    ["."]b64(payload)[sep b62(timestamp)] sep signature. None for an unsupported
    algorithm."""

def django_unsign_payload(
    algorithm: str,
    key_salt: str | bytes,
    keys: list[str | bytes] | tuple[str | bytes, ...],
    signed: str,
    sep: str,
    timestamped: bool,
) -> tuple[bytes, bool, int | None] | None:
    """(payload, compressed, timestamp) when one key's signature matches exactly
    and the token parses; None otherwise (the caller raises Django's exception)."""

def django_loads_object(
    algorithm: str,
    key_salt: str | bytes,
    keys: list[str | bytes] | tuple[str | bytes, ...],
    signed: str,
    sep: str,
) -> tuple[Any, int] | None:
    """TimestampSigner.unsign_object with the JSON serializer in one call:
    (object, timestamp), or None when Django's own path must decide."""

def django_json_loads(data: bytes) -> tuple[object] | None:
    """(json.loads(data.decode("latin-1")),) for documents the core is sure to read
    exactly as json.loads does; None otherwise (invalid JSON, lone surrogates,
    integers outside 64 bits, nesting over 200)."""

def django_compress(data: bytes) -> bytes | None:
    """``zlib.compress(data)`` when shorter than ``len(data) - 1``, else None."""

def django_json_dumps(obj: object) -> bytes | None:
    """json.dumps(obj, separators=(",", ":")).encode("latin-1") for plain JSON data
    (exact dict with str keys, list, tuple, str, 64-bit int, float, bool, None,
    nesting up to 200); None otherwise (the caller runs json.dumps)."""
