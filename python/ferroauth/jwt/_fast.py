"""The bridge between the PyJWT-compatible API and the Rust core.

* ``dumps`` serializes plain JSON data (dict/list/str/int/float/bool/None) in Rust,
  byte for byte as ``json.dumps(separators=(",", ":"), ensure_ascii=True)``; any
  other object, a ``json_encoder``, or a patched ``json.dumps`` uses Python's json.
* ``sign``/``verify`` prepare a key once per (algorithm, key material) and keep it
  in a bounded cache: the validation PyJWT does on every call (PEM parsing, the
  HMAC-secret checks) runs once, with the same errors. HS* then sign in Rust;
  RS*/PS*/ES256/ES384/EdDSA(Ed25519) sign and verify through aws-lc-rs with the
  parsed key held in Rust. Everything else runs the algorithm object's own code.
* Token size is capped (``set_max_token_size``) before any parsing.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections import OrderedDict
from typing import Any

from .exceptions import DecodeError, InvalidKeyError
from .warnings import InsecureKeyLengthWarning

try:
    from ferroauth import _core

    _jwt_dumps = _core.jwt_dumps
    _jwt_hmac = _core.jwt_hmac_sign
    _jwt_hmac_verify = _core.jwt_hmac_verify
    _AsymKey = _core.JwtKey
    _HsKey = _core.HsKey
    HsEncoder = _core.HsEncoder
    _set_core_max_size = _core.jwt_set_max_token_size
    encode_hs = _core.jwt_encode_hs
    decode_hs = _core.jwt_decode_hs
    decode_hs_many = _core.jwt_decode_hs_many
    decode_native = _core.jwt_decode_native
    decode_native_many = _core.jwt_decode_native_many
except (ImportError, AttributeError):  # pragma: no cover - a build without the JWT core
    _core = None
    _jwt_dumps = None
    _jwt_hmac = None
    _jwt_hmac_verify = None
    _AsymKey = None
    _HsKey = None
    HsEncoder = None
    _set_core_max_size = None
    encode_hs = None
    decode_hs = None
    decode_hs_many = None
    decode_native = None
    decode_native_many = None

_JSON_DUMPS = json.dumps
_JSON_LOADS = json.loads

#: Default upper bound on a token's length in bytes (1 MiB).
DEFAULT_MAX_TOKEN_SIZE = 1 << 20
_limits = {"max_token_size": DEFAULT_MAX_TOKEN_SIZE}


def set_max_token_size(size: int) -> None:
    """Reject tokens longer than ``size`` bytes with DecodeError before parsing them."""
    if not isinstance(size, int) or size < 1:
        raise ValueError("max token size must be a positive int")
    _limits["max_token_size"] = size
    if _set_core_max_size is not None:
        _set_core_max_size(size)


def get_max_token_size() -> int:
    """The current token size cap in bytes."""
    return _limits["max_token_size"]


def check_size(token: bytes) -> None:
    if len(token) > _limits["max_token_size"]:
        raise DecodeError(
            f"Token is too large: {len(token)} bytes (limit {_limits['max_token_size']}; "
            "see ferroauth.jwt.set_max_token_size)"
        )


def dumps(obj: Any, json_encoder: Any, sort_keys: bool) -> bytes:
    """``json.dumps(obj, separators=(",", ":"), cls=json_encoder, sort_keys=...)`` as UTF-8."""
    if json_encoder is None and _jwt_dumps is not None and json.dumps is _JSON_DUMPS:
        out = _jwt_dumps(obj, sort_keys)
        if out is not None:
            return out
    return json.dumps(obj, separators=(",", ":"), cls=json_encoder, sort_keys=sort_keys).encode(
        "utf-8"
    )


class _Prepared:
    """A key prepared for one algorithm: the algorithm's own prepared key, the
    key-length warning (or None), and how to run it fast (``kind``/``native``)."""

    __slots__ = ("prepared", "length_msg", "kind", "native", "ref")

    def __init__(self, prepared: Any, length_msg: str | None, kind: int, native: Any) -> None:
        self.prepared = prepared
        self.length_msg = length_msg
        self.kind = kind  # 0: Python algorithm; 1: HMAC in Rust; 2: asymmetric in Rust
        self.native = native
        self.ref: Any = None  # the key object, for entries keyed by id()


_CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], _Prepared] = OrderedDict()
_cache_lock = threading.Lock()
# Bumped whenever a natively-verifiable key enters the cache (see PyJWS._native_keys).
_generation = [0]

_HASH_IDS = {"sha256": 256, "sha384": 384, "sha512": 512}


_METHODS = ("prepare_key", "sign", "verify", "check_key_length", "check_crypto_key_type")
_pristine: dict[type, tuple[Any, ...]] = {}


def _methods_of(cls: type) -> tuple[Any, ...]:
    return tuple(getattr(cls, name, None) for name in _METHODS)


def _default_classes() -> tuple[type, ...]:
    from . import algorithms as A

    classes: list[type] = [A.HMACAlgorithm]
    if A.has_crypto:
        classes += [A.RSAAlgorithm, A.RSAPSSAlgorithm, A.ECAlgorithm, A.OKPAlgorithm]
    return tuple(classes)


def _capture_pristine() -> None:
    for cls in _default_classes():
        _pristine.setdefault(cls, _methods_of(cls))


def _algorithm_profile(alg_obj: Any) -> tuple[Any, ...] | None:
    """A hashable description of a default-algorithm object whose code is ours and
    unpatched (no instance attributes beyond its parameters, class methods as
    shipped); None for anything else, which then takes the algorithm's own code."""
    cls = type(alg_obj)
    methods = _pristine.get(cls)
    if methods is None:
        if cls not in _default_classes():
            return None
        methods = _pristine.setdefault(cls, _methods_of(cls))
    if alg_obj.__dict__.keys() - {"hash_alg", "expected_curve"} or _methods_of(cls) != methods:
        return None
    return (cls, getattr(alg_obj, "hash_alg", None), getattr(alg_obj, "expected_curve", None))


def _native_for(alg_obj: Any, prepared: Any, private: bool) -> tuple[int, Any]:
    """Build the Rust-side key for a prepared key, or (0, None) when the core lacks it."""
    from . import algorithms as A

    cls = type(alg_obj)
    if cls is A.HMACAlgorithm:
        if _jwt_hmac is None:
            return 0, None
        name = alg_obj.hash_alg().name
        return (1, _HASH_IDS[name]) if name in _HASH_IDS else (0, None)
    if _AsymKey is None:
        return 0, None
    from cryptography.hazmat.primitives import serialization as S
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    hash_bits = getattr(alg_obj, "hash_alg", None)
    hash_bits = {"sha256": 256, "sha384": 384, "sha512": 512}.get(getattr(hash_bits, "name", ""), 0)
    try:
        if cls in (A.RSAAlgorithm, A.RSAPSSAlgorithm):
            if prepared.key_size < 2048 or prepared.key_size > 8192 or not hash_bits:
                return 0, None
            scheme = "PS" if cls is A.RSAPSSAlgorithm else "RS"
            if isinstance(prepared, rsa.RSAPrivateKey):
                der = prepared.private_bytes(
                    S.Encoding.DER, S.PrivateFormat.TraditionalOpenSSL, S.NoEncryption()
                )
                return 2, _AsymKey(f"{scheme}{hash_bits}", der, True)
            der = prepared.public_bytes(S.Encoding.DER, S.PublicFormat.PKCS1)
            return 2, _AsymKey(f"{scheme}{hash_bits}", der, False)
        if cls is A.ECAlgorithm:
            curve = prepared.curve
            if isinstance(curve, ec.SECP256R1) and hash_bits == 256:
                alg = "ES256"
            elif isinstance(curve, ec.SECP384R1) and hash_bits == 384:
                alg = "ES384"
            else:
                return 0, None
            if isinstance(prepared, ec.EllipticCurvePrivateKey):
                der = prepared.private_bytes(
                    S.Encoding.DER, S.PrivateFormat.PKCS8, S.NoEncryption()
                )
                return 2, _AsymKey(alg, der, True)
            point = prepared.public_bytes(S.Encoding.X962, S.PublicFormat.UncompressedPoint)
            return 2, _AsymKey(alg, point, False)
        if cls is A.OKPAlgorithm:
            if isinstance(prepared, ed25519.Ed25519PrivateKey):
                der = prepared.private_bytes(
                    S.Encoding.DER, S.PrivateFormat.PKCS8, S.NoEncryption()
                )
                return 2, _AsymKey("EdDSA", der, True)
            if isinstance(prepared, ed25519.Ed25519PublicKey):
                raw = prepared.public_bytes(S.Encoding.Raw, S.PublicFormat.Raw)
                return 2, _AsymKey("EdDSA", raw, False)
    except (ValueError, TypeError):
        return 0, None
    return 0, None


_BY_ID = object()


def key_identity(key: Any) -> Any:
    """A hashable stand-in for ``key``: the key itself, or ``(marker, id(key))`` for
    unhashable key objects (cryptography public keys); cache entries for those keep
    a reference to the object, so the id cannot be reused while they live."""
    if type(key) is str or type(key) is bytes:
        return key
    try:
        hash(key)
    except TypeError:
        return (_BY_ID, id(key))
    return key


def prepare(alg_obj: Any, key: Any) -> _Prepared:
    """The algorithm's prepared key for ``key``: cached per (algorithm, key) when the
    algorithm is an unmodified default one, so key parsing and validation run once."""
    profile = _algorithm_profile(alg_obj)
    cache_key = None
    if profile is not None and key is not None:
        ident = key_identity(key)
        cache_key = (profile, type(key), ident)
        entry = _cache.get(cache_key)
        if entry is not None and (entry.ref is None or entry.ref is key):
            return entry
    prepared = alg_obj.prepare_key(key)
    length_msg = alg_obj.check_key_length(prepared)
    if cache_key is None:
        return _Prepared(prepared, length_msg, 0, None)
    kind, native = _native_for(alg_obj, prepared, True)
    entry = _Prepared(prepared, length_msg, kind, native)
    if type(ident) is tuple and len(ident) == 2 and ident[0] is _BY_ID:
        entry.ref = key
    if kind == 1 and type(key) in (str, bytes) and key not in _secrets:
        if len(_secrets) >= _SECRETS_MAX:
            _secrets.clear()
        _secrets[key] = _HsKey(prepared)
    with _cache_lock:
        _cache[cache_key] = entry
        if kind == 2:
            _generation[0] += 1
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return entry


def clear_key_cache() -> None:
    """Forget every prepared key."""
    with _cache_lock:
        _cache.clear()
        _secrets.clear()
        _generation[0] += 1


def _length_policy(entry: _Prepared, options: dict[str, Any], level: int) -> None:
    if entry.length_msg:
        if options.get("enforce_minimum_key_length", False):
            raise InvalidKeyError(entry.length_msg)
        warnings.warn(entry.length_msg, InsecureKeyLengthWarning, stacklevel=level)


def sign(
    jws: Any, alg_obj: Any, key: Any, msg: bytes, options: dict[str, Any], level: int
) -> bytes:
    entry = prepare(alg_obj, key)
    _length_policy(entry, options, level)
    if entry.kind == 1:
        return _jwt_hmac(entry.native, entry.prepared, msg)
    if entry.kind == 2 and entry.native.can_sign:
        return entry.native.sign(msg)
    return alg_obj.sign(msg, entry.prepared)


def verify(
    jws: Any, alg_obj: Any, key: Any, msg: bytes, sig: bytes, options: dict[str, Any], level: int
) -> bool:
    entry = prepare(alg_obj, key)
    _length_policy(entry, options, level)
    if entry.kind == 1:
        return _jwt_hmac_verify(entry.native, entry.prepared, msg, sig)
    # PyJWT's RSA verify needs a public key (a private one raises AttributeError):
    # leave that to the algorithm object so the outcome is the same.
    if entry.kind == 2 and not (entry.native.can_sign and entry.native.is_rsa):
        return entry.native.verify(msg, sig)
    return alg_obj.verify(msg, entry.prepared, sig)


# HMAC secrets that passed HMACAlgorithm.prepare_key (which does not depend on the
# hash), keyed by the str/bytes the caller passed, as the core's HsKey (keyed hash
# states precomputed).
_secrets: dict[Any, Any] = {}
_SECRETS_MAX = 256


def hmac_secret(key: Any) -> Any:
    """The prepared HMAC secret for ``key`` if it was prepared before, else None."""
    try:
        return _secrets.get(key) if type(key) in (str, bytes) else None
    except TypeError:  # pragma: no cover
        return None


def remember_hmac_secret(key: Any) -> Any:
    """Prepare ``key`` as an HMAC secret (once), as an ``HsKey``; None when it is
    not acceptable (the full path then raises PyJWT's error)."""
    if type(key) not in (str, bytes):
        return None
    secret = _secrets.get(key)
    if secret is None:
        from .algorithms import HMACAlgorithm

        try:
            secret = _HsKey(HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(key))
        except Exception:
            return None
        if len(_secrets) >= _SECRETS_MAX:
            _secrets.clear()
        _secrets[key] = secret
    return secret


def pyjwk_natives(jwk: Any) -> dict[str, Any] | None:
    """``{alg: JwtKey}`` for a PyJWK whose algorithm runs natively, computed once
    per PyJWK (None when it does not, or when its key is below the recommended
    length, which PyJWT warns about on every call)."""
    cached = jwk.__dict__.get("_ferroauth_natives", False)
    if cached is False:
        cached = None
        alg_obj = jwk.Algorithm
        if _algorithm_profile(alg_obj) is not None and type(alg_obj).__name__ != "HMACAlgorithm":
            try:
                prepared = alg_obj.prepare_key(jwk.key)
                if not alg_obj.check_key_length(prepared):
                    kind, native = _native_for(alg_obj, prepared, True)
                    if kind == 2 and not (native.can_sign and native.is_rsa):
                        cached = {jwk.algorithm_name: native}
            except Exception:
                cached = None
        jwk.__dict__["_ferroauth_natives"] = cached
    return cached


_capture_pristine()
