"""JSON Web Signatures (compact serialization): :class:`PyJWS`, as in PyJWT 2.15.

Tokens are byte-identical to PyJWT's. The default algorithms with ``str``/``bytes``
keys run on the Rust core with parsed keys cached (see ``_fast``); everything else
(custom algorithms, ``json_encoder``, cryptography key objects for algorithms the
core lacks) takes the same path PyJWT takes.
"""

from __future__ import annotations

import binascii
import json
import warnings
from collections.abc import Sequence
from typing import Any

from . import _fast
from .algorithms import Algorithm, get_default_algorithms, has_crypto, requires_cryptography
from .api_jwk import PyJWK
from .exceptions import (
    DecodeError,
    InvalidAlgorithmError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
)
from .utils import base64url_decode, base64url_encode
from .warnings import InsecureKeyLengthWarning, RemovedInPyjwt3Warning

_ALGORITHM_UNSET: Any = object()
_B64URL_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _warn_extra_kwargs(kwargs: dict[str, Any], fname: str) -> None:
    warnings.warn(
        f"passing additional kwargs to {fname}() is deprecated "
        "and will be removed in pyjwt version 3. "
        f"Unsupported kwargs: {tuple(kwargs.keys())}",
        RemovedInPyjwt3Warning,
        stacklevel=3,
    )


def _b64_segment(segment: bytes, name: str) -> bytes:
    """Decode one base64url segment by PyJWT 2.15's rules: up to two ``=`` of
    canonical padding are accepted, anything non-canonical is a DecodeError."""
    error = f"Invalid {name} padding"
    body = segment.rstrip(b"=")
    pad = len(segment) - len(body)
    if pad > 2 or (pad and len(segment) % 4) or len(body) % 4 == 1:
        raise DecodeError(error)
    if not _B64URL_CHARS.issuperset(body):
        raise DecodeError(error)
    try:
        raw = base64url_decode(body)
    except (TypeError, binascii.Error) as err:
        raise DecodeError(error) from err
    if base64url_encode(raw) != body:
        raise DecodeError(error)
    return raw


class PyJWS:
    """Sign and verify JWS tokens with a registry of algorithms."""

    header_typ = "JWT"

    # Critical header extensions this implementation understands.
    _supported_crit: set[str] = {"b64"}

    def __init__(
        self, algorithms: Sequence[str] | None = None, options: dict[str, Any] | None = None
    ) -> None:
        registry = get_default_algorithms()
        self._valid_algs = set(algorithms) if algorithms is not None else set(registry)
        self._algorithms = {k: v for k, v in registry.items() if k in self._valid_algs}
        self.options: dict[str, Any] = self._get_default_options()
        if options is not None:
            self.options = {**self.options, **options}
        self._reset_fast()

    def _reset_fast(self) -> None:
        # Fast-path state derived from the algorithm registry; rebuilt on change.
        self._hs_mask_value: int | None = None
        self._plain_value = False
        self._hs_entries: dict[Any, Any] = {}
        # key -> (algorithm, header_typ, encoder) of its latest new entry: PyJWT.encode
        # checks it by identity before building the (algorithm, key, typ) tuple.
        self._hs_by_key: dict[Any, tuple[Any, Any, Any]] = {}
        self._natives: dict[Any, tuple[Any, dict[str, Any]]] = {}
        self._natives_generation = -1

    def _native_keys(self, key: Any) -> dict[str, Any] | None:
        """``{alg: JwtKey}`` for the algorithms of this registry that verify ``key``
        natively (the key was prepared before by the same unmodified default
        algorithm, with no key-length warning); None when there are none."""
        if _fast._generation[0] != self._natives_generation:
            self._natives = {}
            self._natives_generation = _fast._generation[0]
        ident = _fast.key_identity(key)
        cached = self._natives.get(ident)
        found = cached[1] if cached is not None and (ident is key or cached[0] is key) else None
        if found is None:
            self._hs_mask()
            if not self._plain_value:
                return None
            found = {}
            for name, obj in self._algorithms.items():
                profile = _fast._algorithm_profile(obj)
                if profile is None:
                    continue
                entry = _fast._cache.get((profile, type(key), ident))
                if entry is not None and entry.ref is not None and entry.ref is not key:
                    continue
                if (
                    entry is not None
                    and entry.kind == 2
                    and not entry.length_msg
                    and not (entry.native.can_sign and entry.native.is_rsa)
                ):
                    found[name] = entry.native
            if len(self._natives) > 64:
                self._natives.clear()
            self._natives[ident] = (key, found)
        return found or None

    def _hs_mask(self) -> int:
        """Bits 0/1/2: HS256/384/512 are registered as unmodified default HMAC
        algorithms and this object's methods are PyJWS's own (so the Rust fast
        path behaves exactly as this class would)."""
        mask = self._hs_mask_value
        if mask is None:
            mask = 0
            # Subclasses may change anything (e.g. header_typ, options), and so may
            # methods assigned on the instance: both take the full path.
            plain = type(self) is PyJWS and not (
                self.__dict__.keys() & {"encode", "decode_complete", "_load"}
            )
            self._plain_value = plain and _fast.decode_native is not None
            if plain and _fast.decode_hs is not None:
                for bit, name, hash_name in (
                    (1, "HS256", "sha256"),
                    (2, "HS384", "sha384"),
                    (4, "HS512", "sha512"),
                ):
                    alg = self._algorithms.get(name)
                    if (
                        alg is not None
                        and _fast._algorithm_profile(alg) is not None
                        and type(alg).__name__ == "HMACAlgorithm"
                        and alg.hash_alg().name == hash_name
                    ):
                        mask |= bit
            self._hs_mask_value = mask
        return mask

    def _hs_entry(self, algorithm: Any, key: Any) -> Any:
        """The core's ``HsEncoder`` (header segment, hash bits, prepared secret) for a
        default-header HS* encode, or None."""
        try:
            entry = self._hs_entries.get((algorithm, key, self.header_typ))
        except TypeError:
            return None
        if entry is not None:
            return entry
        if type(key) not in (str, bytes):
            return None
        alg = "HS256" if algorithm is _ALGORITHM_UNSET else algorithm
        bits = {"HS256": 256, "HS384": 384, "HS512": 512}.get(alg) if type(alg) is str else None
        if bits is None or not self._hs_mask() & {256: 1, 384: 2, 512: 4}[bits]:
            return None
        secret = _fast.remember_hmac_secret(key)
        if secret is None or len(secret) < bits // 8:
            return None
        header: dict[str, Any] = {"typ": self.header_typ, "alg": alg}
        if not header["typ"]:
            del header["typ"]
        header_b64 = base64url_encode(
            json.dumps(header, separators=(",", ":"), sort_keys=True).encode("utf-8")
        )
        entry = _fast.HsEncoder(header_b64, bits, secret)
        if len(self._hs_entries) > 64:
            self._hs_entries.clear()
            self._hs_by_key.clear()
        self._hs_entries[(algorithm, key, self.header_typ)] = entry
        self._hs_by_key[key] = (algorithm, self.header_typ, entry)
        return entry

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        """Decode one token segment (PyJWT 2.15's padding rules)."""
        return _b64_segment(segment, name)

    @staticmethod
    def _get_default_options() -> dict[str, Any]:
        return {"verify_signature": True, "enforce_minimum_key_length": False}

    def register_algorithm(self, alg_id: str, alg_obj: Algorithm) -> None:
        """Add an algorithm; ValueError if the name is taken, TypeError if not an Algorithm."""
        if alg_id in self._algorithms:
            raise ValueError("Algorithm already has a handler.")
        if not isinstance(alg_obj, Algorithm):
            raise TypeError("Object is not of type `Algorithm`")
        self._algorithms[alg_id] = alg_obj
        self._valid_algs.add(alg_id)
        self._reset_fast()

    def unregister_algorithm(self, alg_id: str) -> None:
        """Remove an algorithm; KeyError if it is not registered."""
        if alg_id not in self._algorithms:
            raise KeyError(
                "The specified algorithm could not be removed because it is not registered."
            )
        del self._algorithms[alg_id]
        self._valid_algs.remove(alg_id)
        self._reset_fast()

    def get_algorithms(self) -> list[str]:
        """The names usable as ``alg``."""
        return list(self._valid_algs)

    def get_algorithm_by_name(self, alg_name: str) -> Algorithm:
        """The :class:`Algorithm` registered as ``alg_name``; NotImplementedError if none."""
        try:
            return self._algorithms[alg_name]
        except KeyError as err:
            if not has_crypto and alg_name in requires_cryptography:
                raise NotImplementedError(
                    f"Algorithm '{alg_name}' could not be found. "
                    "Do you have cryptography installed?"
                ) from err
            raise NotImplementedError("Algorithm not supported") from err

    def _key_length_check(self, message: str | None, options: dict[str, Any], level: int) -> None:
        if message:
            if options.get("enforce_minimum_key_length", False):
                raise InvalidKeyError(message)
            warnings.warn(message, InsecureKeyLengthWarning, stacklevel=level)

    def encode(
        self,
        payload: bytes,
        key: Any,
        algorithm: str | None = _ALGORITHM_UNSET,
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
        is_payload_detached: bool = False,
        sort_headers: bool = True,
    ) -> str:
        """Sign ``payload`` (bytes) and return the compact token."""
        if algorithm is _ALGORITHM_UNSET:
            alg = key.algorithm_name if isinstance(key, PyJWK) else "HS256"
        elif algorithm is None:
            alg = key.algorithm_name if isinstance(key, PyJWK) else "none"
        else:
            alg = algorithm
        if headers:
            if headers.get("alg"):
                alg = headers["alg"]
            if headers.get("b64") is False:
                is_payload_detached = True

        header: dict[str, Any] = {"typ": self.header_typ, "alg": alg}
        if headers:
            self._validate_headers(headers, encoding=True)
            header.update(headers)
        if not header["typ"]:
            del header["typ"]
        if is_payload_detached:
            header["b64"] = False
            # RFC 7797: "b64" in the header must be listed in "crit".
            crit = header.get("crit", [])
            if not isinstance(crit, list):
                raise InvalidTokenError("Invalid 'crit' header: must be a list")
            if "b64" not in crit:
                header["crit"] = [*crit, "b64"]
        elif "b64" in header:
            del header["b64"]

        header_json = _fast.dumps(header, json_encoder, sort_headers)
        header_b64 = base64url_encode(header_json)
        body_b64 = payload if is_payload_detached else base64url_encode(payload)
        signing_input = header_b64 + b"." + body_b64

        alg_obj = self.get_algorithm_by_name(alg)
        raw_key = key.key if isinstance(key, PyJWK) else key
        signature = _fast.sign(self, alg_obj, raw_key, signing_input, self.options, 4)
        if is_payload_detached:
            body_b64 = b""
        return b".".join((header_b64, body_b64, base64url_encode(signature))).decode("utf-8")

    def decode_complete(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: dict[str, Any] | None = None,
        detached_payload: bytes | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify the token and return ``{"payload", "header", "signature"}``
        (the payload as bytes)."""
        if kwargs:
            _warn_extra_kwargs(kwargs, "decode_complete")
        merged = self.options if options is None else {**self.options, **options}
        verify_signature = merged["verify_signature"]
        if verify_signature and not algorithms and not isinstance(key, PyJWK):
            raise DecodeError(
                'It is required that you pass in a value for the "algorithms" argument '
                "when calling decode()."
            )
        payload, signing_input, header, signature = self._load(jwt)
        self._validate_headers(header)

        b64 = header.get("b64", True) is not False
        if detached_payload is not None and b64:
            raise DecodeError(
                'It is only valid to pass "detached_payload" when the protected header '
                'has "b64" set to false.'
            )
        if not b64:
            crit = header.get("crit") or []
            if not isinstance(crit, list) or "b64" not in crit:
                raise InvalidTokenError(
                    "The 'b64' header parameter requires 'b64' to be listed in 'crit'."
                )
            if detached_payload is None:
                raise DecodeError(
                    'It is required that you pass in a value for the "detached_payload" '
                    "argument to decode a message having the b64 header set to false."
                )
            payload = detached_payload
            signing_input = signing_input.rsplit(b".", 1)[0] + b"." + payload

        if verify_signature:
            self._verify_signature(signing_input, header, signature, key, algorithms, merged)
        return {"payload": payload, "header": header, "signature": signature}

    def decode(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: dict[str, Any] | None = None,
        detached_payload: bytes | None = None,
        **kwargs: Any,
    ) -> Any:
        """Verify the token and return its payload bytes."""
        if kwargs:
            _warn_extra_kwargs(kwargs, "decode")
        return self.decode_complete(
            jwt, key, algorithms, options, detached_payload=detached_payload
        )["payload"]

    def get_unverified_header(self, jwt: str | bytes) -> dict[str, Any]:
        """The token's header, without verifying anything (do not trust it)."""
        header = self._load(jwt)[2]
        self._validate_headers(header)
        return header

    def _load(self, jwt: str | bytes) -> tuple[bytes, bytes, dict[str, Any], bytes]:
        if isinstance(jwt, str):
            jwt = jwt.encode("utf-8")
        if not isinstance(jwt, bytes):
            raise DecodeError(f"Invalid token type. Token must be a {bytes}")
        _fast.check_size(jwt)
        try:
            signing_input, crypto_segment = jwt.rsplit(b".", 1)
            header_segment, payload_segment = signing_input.split(b".", 1)
        except ValueError as err:
            raise DecodeError("Not enough segments") from err

        header_data = _b64_segment(header_segment, "header")
        try:
            header = json.loads(header_data)
        except (ValueError, RecursionError) as err:
            raise DecodeError(f"Invalid header string: {err}") from err
        if not isinstance(header, dict):
            raise DecodeError("Invalid header string: must be a json object")

        if header.get("b64", True) is False:
            # Detached payload (RFC 7515 F): the segment must be empty; not decoding
            # it keeps an unauthenticated attacker from making us do work.
            if payload_segment:
                raise DecodeError("Payload segment must be empty when 'b64' is false.")
            payload = b""
        else:
            payload = _b64_segment(payload_segment, "payload")
        signature = _b64_segment(crypto_segment, "crypto")
        return payload, signing_input, header, signature

    def _verify_signature(
        self,
        signing_input: bytes,
        header: dict[str, Any],
        signature: bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        options = self.options if options is None else options
        if algorithms is None and isinstance(key, PyJWK):
            algorithms = [key.algorithm_name]
        try:
            alg = header["alg"]
        except KeyError:
            raise InvalidAlgorithmError("Algorithm not specified") from None
        if not alg or (algorithms is not None and alg not in algorithms):
            raise InvalidAlgorithmError("The specified alg value is not allowed")

        if isinstance(key, PyJWK):
            # A PyJWK is bound to one algorithm; the header must not pick another.
            if alg != key.algorithm_name:
                raise InvalidAlgorithmError(
                    f"Token algorithm {alg!r} does not match the key's "
                    f"algorithm {key.algorithm_name!r}"
                )
            alg_obj = key.Algorithm
            raw_key = key.key
        else:
            try:
                alg_obj = self.get_algorithm_by_name(alg)
            except NotImplementedError as err:
                raise InvalidAlgorithmError("Algorithm not supported") from err
            raw_key = key
        if not _fast.verify(self, alg_obj, raw_key, signing_input, signature, options, 6):
            raise InvalidSignatureError("Signature verification failed")

    def _validate_headers(self, headers: dict[str, Any], *, encoding: bool = False) -> None:
        if "kid" in headers:
            self._validate_kid(headers["kid"])
        if not encoding and "crit" in headers:
            self._validate_crit(headers)

    def _validate_kid(self, kid: Any) -> None:
        if not isinstance(kid, str):
            raise InvalidTokenError("Key ID header parameter must be a string")

    def _validate_crit(self, headers: dict[str, Any]) -> None:
        crit = headers["crit"]
        if not isinstance(crit, list) or not crit:
            raise InvalidTokenError("Invalid 'crit' header: must be a non-empty list")
        for ext in crit:
            if not isinstance(ext, str):
                raise InvalidTokenError("Invalid 'crit' header: values must be strings")
            if ext not in self._supported_crit:
                raise InvalidTokenError(f"Unsupported critical extension: {ext}")
            if ext not in headers:
                raise InvalidTokenError(f"Critical extension '{ext}' is missing from headers")


_jws_global_obj = PyJWS()
encode = _jws_global_obj.encode
decode_complete = _jws_global_obj.decode_complete
decode = _jws_global_obj.decode
register_algorithm = _jws_global_obj.register_algorithm
unregister_algorithm = _jws_global_obj.unregister_algorithm
get_algorithm_by_name = _jws_global_obj.get_algorithm_by_name
get_unverified_header = _jws_global_obj.get_unverified_header
