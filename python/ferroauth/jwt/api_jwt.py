"""JSON Web Tokens: :class:`PyJWT` with PyJWT 2.15's options, claim rules and
messages, on top of :mod:`ferroauth.jwt.api_jws`."""

from __future__ import annotations

import json
import time
import warnings
from calendar import timegm
from collections.abc import Container, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from . import _fast
from .api_jwk import PyJWK
from .api_jws import _ALGORITHM_UNSET, PyJWS, _jws_global_obj, _warn_extra_kwargs
from .exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidSubjectError,
    MissingRequiredClaimError,
)

_DATETIME = datetime
_JSON_DUMPS = json.dumps
_JSON_LOADS = json.loads
_time = time.time
_encode_hs = _fast.encode_hs
_decode_hs = _fast.decode_hs
_decode_native = _fast.decode_native
_secrets_get = _fast._secrets.get
_generation = _fast._generation

_DEFAULT_CHECKS = (127, None)
_NO_ENTRY = (object(), object(), None)  # matches no algorithm or typ by identity
# verify_* option -> bit of the Rust core's claim checks (src/jwt/token.rs).
_CHECK_BITS = (
    ("verify_exp", 1),
    ("verify_nbf", 2),
    ("verify_iat", 4),
    ("verify_aud", 8),
    ("verify_iss", 16),
    ("verify_sub", 32),
    ("verify_jti", 64),
)


def _fast_checks(jwt_obj: PyJWT, options: Any) -> tuple[int, list[str] | None] | None:
    """The fast path's (check bits, required claims) for ``options``; None when the
    options need the full path (signature not verified, strict audience, unusual
    ``require`` values)."""
    if options is None:
        return _DEFAULT_CHECKS
    if type(options) is not dict or not options.get("verify_signature", True):
        return None
    merged = jwt_obj._merge_options(options)
    if not merged["verify_signature"] or merged.get("strict_aud", False):
        return None
    require = merged["require"]
    if type(require) is not list or any(type(c) is not str for c in require):
        return None
    bits = 0
    for name, bit in _CHECK_BITS:
        if merged[name]:
            bits |= bit
    return bits, require or None


_VERIFY_CLAIMS = (
    "verify_exp",
    "verify_nbf",
    "verify_iat",
    "verify_aud",
    "verify_iss",
    "verify_sub",
    "verify_jti",
)


def _int_claim(payload: dict[str, Any], name: str, error: type[Exception], message: str) -> int:
    try:
        return int(payload[name])
    except (ValueError, TypeError, OverflowError):
        raise error(message) from None


class PyJWT:
    """Encode and decode JWTs; ``options`` set defaults for every ``decode``."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = self._get_default_options()
        if options is not None:
            self.options = self._merge_options(options)
        self._jws = PyJWS(options=self._get_sig_options())
        # The Rust fast paths apply while this object behaves exactly like PyJWT
        # with default options and its own methods.
        cls = type(self)
        self._fast_ok = (
            options is None
            and all(
                getattr(cls, name) is getattr(PyJWT, name)
                for name in (
                    "encode",
                    "decode",
                    "decode_complete",
                    "_encode_payload",
                    "_decode_payload",
                    "_validate_claims",
                    "_merge_options",
                )
            )
            and _decode_hs is not None
        )

    @staticmethod
    def _get_default_options() -> dict[str, Any]:
        return {
            "verify_signature": True,
            "verify_exp": True,
            "verify_nbf": True,
            "verify_iat": True,
            "verify_aud": True,
            "verify_iss": True,
            "verify_sub": True,
            "verify_jti": True,
            "require": [],
            "strict_aud": False,
            "enforce_minimum_key_length": False,
        }

    def _get_sig_options(self) -> dict[str, Any]:
        return {
            "verify_signature": self.options["verify_signature"],
            "enforce_minimum_key_length": self.options.get("enforce_minimum_key_length", False),
        }

    def _merge_options(self, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if options is None:
            return self.options
        given = dict(options)
        # With verify_signature off, every claim check not given explicitly is off too.
        if not given.get("verify_signature", True):
            for name in _VERIFY_CLAIMS:
                given[name] = given.get(name, False)
        return {**self.options, **given}

    def encode(
        self,
        payload: dict[str, Any],
        key: Any,
        algorithm: str | None = _ALGORITHM_UNSET,
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
        sort_headers: bool = True,
    ) -> str:
        """Encode ``payload`` as a signed JWT.

        ``algorithm`` defaults to HS256 (or the algorithm of a :class:`PyJWK` key);
        ``headers["alg"]`` wins over it. ``datetime`` values of ``exp``, ``iat`` and
        ``nbf`` become integer timestamps.

        :raises TypeError: ``payload`` is not a dict, or ``iss`` is not a str.
        """
        if (
            headers is None
            and json_encoder is None
            and sort_headers is True
            and self._fast_ok
            and json.dumps is _JSON_DUMPS
        ):
            # The common call in one Rust call: header segment and keyed HMAC state
            # cached per (algorithm, key, typ); anything unusual returns None. The
            # same algorithm and typ objects as the key's last entry skip building
            # and hashing the tuple.
            jws = self._jws
            try:
                last = jws._hs_by_key[key]
            except (KeyError, TypeError):
                last = _NO_ENTRY
            if last[0] is algorithm and last[1] is jws.header_typ:
                entry = last[2]
            else:
                try:
                    entry = jws._hs_entries[(algorithm, key, jws.header_typ)]
                except (KeyError, TypeError):  # new, or unhashable (the full path explains)
                    entry = jws._hs_entry(algorithm, key)
            if entry is not None:
                token = _encode_hs(payload, entry)
                if token is not None:
                    return token
        if not isinstance(payload, dict):
            raise TypeError(
                "Expecting a dict object, as JWT only supports JSON objects as payloads."
            )
        payload = payload.copy()
        for claim in ("exp", "iat", "nbf"):
            value = payload.get(claim)
            if isinstance(value, datetime):
                payload[claim] = timegm(value.utctimetuple())
        if "iss" in payload and not isinstance(payload["iss"], str):
            raise TypeError("Issuer (iss) must be a string.")
        body = self._encode_payload(payload, headers=headers, json_encoder=json_encoder)
        return self._jws.encode(
            body, key, algorithm, headers, json_encoder, sort_headers=sort_headers
        )

    def _encode_payload(
        self,
        payload: dict[str, Any],
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
    ) -> bytes:
        """The bytes to sign for ``payload`` (override to e.g. compress)."""
        return _fast.dumps(payload, json_encoder, False)

    def decode_complete(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: dict[str, Any] | None = None,
        verify: bool | None = None,
        detached_payload: bytes | None = None,
        audience: str | Iterable[str] | None = None,
        issuer: str | Container[str] | None = None,
        subject: str | None = None,
        leeway: float | timedelta = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Like :meth:`decode`, but return ``{"header", "payload", "signature"}``."""
        if kwargs:
            _warn_extra_kwargs(kwargs, "decode_complete")
        verify_signature = True if options is None else options.get("verify_signature", True)
        if verify is not None and verify != verify_signature:
            warnings.warn(
                "The `verify` argument to `decode` does nothing in PyJWT 2.0 and newer. "
                "The equivalent is setting `verify_signature` to False in the `options` "
                "dictionary. This invocation has a mismatch between the kwarg and the "
                "option entry.",
                category=DeprecationWarning,
                stacklevel=2,
            )
        merged = self._merge_options(options)
        decoded = self._jws.decode_complete(
            jwt,
            key=key,
            algorithms=algorithms,
            options={
                "verify_signature": verify_signature,
                "enforce_minimum_key_length": merged.get("enforce_minimum_key_length", False),
            },
            detached_payload=detached_payload,
        )
        payload = self._decode_payload(decoded)
        self._validate_claims(
            payload, merged, audience=audience, issuer=issuer, leeway=leeway, subject=subject
        )
        decoded["payload"] = payload
        return decoded

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        """Parse the JWS payload bytes as a JSON object (override to e.g. decompress)."""
        try:
            payload = json.loads(decoded["payload"])
        except (ValueError, RecursionError) as err:
            raise DecodeError(f"Invalid payload string: {err}") from err
        if not isinstance(payload, dict):
            raise DecodeError("Invalid payload string: must be a json object")
        return payload

    def decode(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: dict[str, Any] | None = None,
        verify: bool | None = None,
        detached_payload: bytes | None = None,
        audience: str | Iterable[str] | None = None,
        subject: str | None = None,
        issuer: str | Container[str] | None = None,
        leeway: float | timedelta = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify ``jwt`` and return its claims.

        ``algorithms`` is required when verifying (unless ``key`` is a :class:`PyJWK`).
        ``audience``, ``issuer`` and ``subject`` are checked when given; ``leeway``
        (seconds or a ``timedelta``) widens the ``exp``/``nbf``/``iat`` windows.
        """
        if (
            verify is None
            and detached_payload is None
            and not kwargs
            and self._fast_ok
            and datetime is _DATETIME
            and json.loads is _JSON_LOADS
        ):
            hs = _secrets_get(key) if type(key) is str or type(key) is bytes else None
            if hs is not None and options is None:
                # The common HS* call in one Rust call (verify, parse, claim checks,
                # dict); None for anything it does not accept, which the full path
                # below then decides, with PyJWT's exception and message.
                jws = self._jws
                mask = jws._hs_mask_value
                claims = _decode_hs(
                    jwt,
                    hs,
                    algorithms,
                    jws._hs_mask() if mask is None else mask,
                    audience,
                    issuer,
                    subject,
                    leeway,
                    _time(),
                )
                if claims is not None:
                    return claims
                if type(leeway) is timedelta:  # the core takes seconds
                    claims = self._decode_fast_options(
                        jwt, key, hs, algorithms, None, audience, issuer, subject, leeway
                    )
                    if claims is not None:
                        return claims
            elif algorithms is not None or type(key) is PyJWK:
                # A PEM/DER str or bytes key verified natively before: its parsed
                # keys straight from the PyJWS's cache (what _native_keys returns).
                natives = None
                jws = self._jws
                if options is None and algorithms is not None:
                    if type(key) is str or type(key) is bytes:
                        if jws._natives_generation == _generation[0]:
                            cached = jws._natives.get(key)
                            if cached is not None:
                                natives = cached[1]
                    elif type(key) is PyJWK:
                        # What _fast.pyjwk_natives computed for it (False: not yet).
                        natives = key.__dict__.get("_ferroauth_natives")
                if natives:
                    claims = _decode_native(
                        jwt, natives, algorithms, audience, issuer, subject, leeway, _time()
                    )
                    if claims is not None:
                        return claims
                if not natives or type(leeway) is timedelta:  # the core takes seconds
                    claims = self._decode_fast_options(
                        jwt, key, hs, algorithms, options, audience, issuer, subject, leeway
                    )
                    if claims is not None:
                        return claims
        if kwargs:
            _warn_extra_kwargs(kwargs, "decode")
        return self.decode_complete(
            jwt,
            key,
            algorithms,
            options,
            verify=verify,
            detached_payload=detached_payload,
            audience=audience,
            subject=subject,
            issuer=issuer,
            leeway=leeway,
        )["payload"]

    def _decode_fast_options(
        self,
        jwt: Any,
        key: Any,
        hs: Any,
        algorithms: Any,
        options: Any,
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Any,
    ) -> dict[str, Any] | None:
        """The Rust fast paths for per-call ``options`` and asymmetric keys: the
        claims, or None when the full path must decide."""
        checks = _DEFAULT_CHECKS if options is None else _fast_checks(self, options)
        if checks is None:
            return None
        if type(leeway) is timedelta:
            leeway = leeway.total_seconds()
        if type(leeway) not in (int, float):
            return None
        jws = self._jws
        if hs is not None:
            mask = jws._hs_mask_value
            return _decode_hs(
                jwt,
                hs,
                algorithms,
                jws._hs_mask() if mask is None else mask,
                audience,
                issuer,
                subject,
                leeway,
                _time(),
                checks[0],
                checks[1],
            )
        if type(key) is PyJWK:
            natives = _fast.pyjwk_natives(key)
            if algorithms is None:
                algorithms = [key.algorithm_name]
        else:
            natives = jws._native_keys(key)
        if natives is None:
            return None
        return _decode_native(
            jwt,
            natives,
            algorithms,
            audience,
            issuer,
            subject,
            leeway,
            _time(),
            checks[0],
            checks[1],
        )

    def _validate_claims(
        self,
        payload: dict[str, Any],
        options: dict[str, Any],
        audience: Iterable[str] | str | None = None,
        issuer: Container[str] | str | None = None,
        subject: str | None = None,
        leeway: float | timedelta = 0,
    ) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        if audience is not None and not isinstance(audience, (str, Iterable)):
            raise TypeError("audience must be a string, iterable or None")
        self._validate_required_claims(payload, options["require"])
        now = datetime.now(tz=timezone.utc).timestamp()
        if "iat" in payload and options["verify_iat"]:
            self._validate_iat(payload, now, leeway)
        if "nbf" in payload and options["verify_nbf"]:
            self._validate_nbf(payload, now, leeway)
        if "exp" in payload and options["verify_exp"]:
            self._validate_exp(payload, now, leeway)
        if options["verify_iss"]:
            self._validate_iss(payload, issuer)
        if options["verify_aud"]:
            self._validate_aud(payload, audience, strict=options.get("strict_aud", False))
        if options["verify_sub"]:
            self._validate_sub(payload, subject)
        if options["verify_jti"]:
            self._validate_jti(payload)

    def _validate_required_claims(self, payload: dict[str, Any], claims: Iterable[str]) -> None:
        for claim in claims:
            if payload.get(claim) is None:
                raise MissingRequiredClaimError(claim)

    def _validate_sub(self, payload: dict[str, Any], subject: str | None = None) -> None:
        if "sub" not in payload:
            return
        if not isinstance(payload["sub"], str):
            raise InvalidSubjectError("Subject must be a string")
        if subject is not None and payload.get("sub") != subject:
            raise InvalidSubjectError("Invalid subject")

    def _validate_jti(self, payload: dict[str, Any]) -> None:
        if "jti" in payload and not isinstance(payload.get("jti"), str):
            raise InvalidJTIError("JWT ID must be a string")

    def _validate_iat(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        iat = _int_claim(
            payload, "iat", InvalidIssuedAtError, "Issued At claim (iat) must be an integer."
        )
        if iat > now + leeway:
            raise ImmatureSignatureError("The token is not yet valid (iat)")

    def _validate_nbf(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        nbf = _int_claim(payload, "nbf", DecodeError, "Not Before claim (nbf) must be an integer.")
        if nbf > now + leeway:
            raise ImmatureSignatureError("The token is not yet valid (nbf)")

    def _validate_exp(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        exp = _int_claim(
            payload, "exp", DecodeError, "Expiration Time claim (exp) must be an integer."
        )
        if exp <= now - leeway:
            raise ExpiredSignatureError("Signature has expired")

    def _validate_aud(
        self, payload: dict[str, Any], audience: str | Iterable[str] | None, *, strict: bool = False
    ) -> None:
        claim_present = "aud" in payload and bool(payload["aud"])
        if audience is None:
            if claim_present:
                raise InvalidAudienceError("Invalid audience")
            return
        if not claim_present:
            raise MissingRequiredClaimError("aud")
        claims = payload["aud"]
        if strict:
            if not isinstance(audience, str):
                raise InvalidAudienceError("Invalid audience (strict)")
            if not isinstance(claims, str):
                raise InvalidAudienceError("Invalid claim format in token (strict)")
            if audience != claims:
                raise InvalidAudienceError("Audience doesn't match (strict)")
            return
        if isinstance(claims, str):
            claims = [claims]
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            raise InvalidAudienceError("Invalid claim format in token")
        wanted = [audience] if isinstance(audience, str) else audience
        if all(aud not in claims for aud in wanted):
            raise InvalidAudienceError("Audience doesn't match")

    def _validate_iss(self, payload: dict[str, Any], issuer: Container[str] | str | None) -> None:
        if issuer is None:
            return
        if "iss" not in payload:
            raise MissingRequiredClaimError("iss")
        iss = payload["iss"]
        if not isinstance(iss, str):
            raise InvalidIssuerError("Payload Issuer (iss) must be a string")
        if isinstance(issuer, str):
            if iss != issuer:
                raise InvalidIssuerError("Invalid issuer")
            return
        try:
            found = iss in issuer
        except TypeError:
            raise InvalidIssuerError('Issuer param must be "str" or "Container[str]"') from None
        if not found:
            raise InvalidIssuerError("Invalid issuer")


def decode_many(
    tokens: Iterable[str | bytes],
    key: Any = "",
    algorithms: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
    audience: str | Iterable[str] | None = None,
    issuer: str | Container[str] | None = None,
    subject: str | None = None,
    leeway: float | timedelta = 0,
    *,
    return_exceptions: bool = False,
) -> list[Any]:
    """Decode many tokens with the same key and checks; a list of claims dicts in order.

    Tokens with default options are verified in parallel in Rust with the GIL
    released (HS*, and RS*/PS*/ES256/ES384/EdDSA with keys the core parses); any
    token that path does not accept (and every token when
    other options or keys are used) goes through :func:`decode`, so results and
    exceptions are exactly ``[decode(t, ...) for t in tokens]``. With
    ``return_exceptions=True`` a failing token's exception is put in its slot
    instead of being raised.
    """
    tokens = list(tokens)
    kwargs: dict[str, Any] = dict(
        algorithms=algorithms,
        options=options,
        audience=audience,
        issuer=issuer,
        subject=subject,
        leeway=leeway,
    )
    fast: list[Any] | None = None
    obj = _jwt_global_obj
    if (
        options is None
        and algorithms is not None
        and obj._fast_ok
        and datetime is _DATETIME
        and json.loads is _JSON_LOADS
        and type(obj._jws) is PyJWS
        and _fast.decode_hs_many is not None
    ):
        secret = _fast.hmac_secret(key)
        if secret is None:
            # Prepare the key once (raising nothing here: decode reports key errors).
            secret = _fast.remember_hmac_secret(key)
        seconds = leeway.total_seconds() if type(leeway) is timedelta else leeway
        if secret is not None and type(seconds) in (int, float):
            fast = _fast.decode_hs_many(
                tokens,
                secret,
                algorithms,
                obj._jws._hs_mask(),
                audience,
                issuer,
                subject,
                seconds,
                _time(),
                _fast._limits["max_token_size"],
            )
        elif type(seconds) in (int, float) and _fast.decode_native_many is not None:
            # Asymmetric keys: prepare the key for the allowed algorithms once (errors
            # are left for decode to report), then verify natively in parallel.
            jws = obj._jws
            if type(key) is PyJWK:
                natives = _fast.pyjwk_natives(key)
            else:
                for name in algorithms:
                    alg_obj = jws._algorithms.get(name) if type(name) is str else None
                    if alg_obj is not None and type(alg_obj).__name__ != "HMACAlgorithm":
                        try:
                            _fast.prepare(alg_obj, key)
                        except Exception:  # noqa: BLE001 - decode raises it per token
                            pass
                natives = jws._native_keys(key)
            if natives is not None:
                fast = _fast.decode_native_many(
                    tokens,
                    natives,
                    algorithms,
                    audience,
                    issuer,
                    subject,
                    seconds,
                    _time(),
                    _fast._limits["max_token_size"],
                )
    results: list[Any] = []
    for i, token in enumerate(tokens):
        claims = fast[i] if fast is not None else None
        if claims is None:
            try:
                claims = obj.decode(token, key, **kwargs)
            except Exception as err:
                if not return_exceptions:
                    raise
                claims = err
        results.append(claims)
    return results


_jwt_global_obj = PyJWT()
_jwt_global_obj._jws = _jws_global_obj
encode = _jwt_global_obj.encode
decode_complete = _jwt_global_obj.decode_complete
decode = _jwt_global_obj.decode
