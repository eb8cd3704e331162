# Signatures of the JWT functions and class in ferroauth._core (src/py/jwt.rs).
# The lead assembles these into _core.pyi.
from collections.abc import Iterable
from typing import Any

def jwt_dumps(obj: Any, sort_keys: bool = False) -> bytes | None:
    """json.dumps(obj, separators=(",", ":"), sort_keys=...).encode() for plain JSON data;
    None when obj holds anything else (use Python's json then)."""

def jwt_hmac_sign(bits: int, key: bytes, msg: bytes) -> bytes:
    """HMAC-SHA-bits (256/384/512) of msg; ValueError for other sizes."""

def jwt_hmac_verify(bits: int, key: bytes, msg: bytes, sig: bytes) -> bool:
    """Constant-time check that sig is the HMAC-SHA-bits tag of msg."""

def jwt_encode_hs(payload: dict[str, Any], header_b64: bytes, bits: int, key: bytes) -> str | None:
    """The whole HS* token (PyJWT defaults); None when payload is not plain JSON data
    or has a non-str "iss"."""

def jwt_decode_hs(
    token: Any,
    key: bytes,
    algorithms: Any,
    hs_mask: int,
    audience: Any,
    issuer: Any,
    subject: Any,
    leeway: float,
    now: float,
    max_size: int,
) -> dict[str, Any] | None:
    """Verified claims of an HS* token checked with PyJWT's default options; None when
    rejected or not handled (the caller's PyJWT-compatible path then decides)."""

def jwt_decode_hs_many(
    tokens: Iterable[Any],
    key: bytes,
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
    leeway: float,
    now: float,
    max_size: int,
) -> dict[str, Any] | None:
    """Like jwt_decode_hs, verifying with keys[alg] (GIL released)."""

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
