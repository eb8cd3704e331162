"""JSON Web Keys (RFC 7517): :class:`PyJWK` and :class:`PyJWKSet`, as in PyJWT."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from .algorithms import get_default_algorithms, has_crypto, requires_cryptography
from .exceptions import (
    InvalidKeyError,
    MissingCryptographyError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)
from .types import JWKDict

_EC_ALG_BY_CRV = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512", "secp256k1": "ES256K"}


def _infer_algorithm(jwk: JWKDict, kty: str) -> str:
    """The algorithm PyJWT assumes for a JWK without ``alg``, from ``kty`` and ``crv``."""
    crv = jwk.get("crv", None)
    if kty == "EC":
        if not crv:
            return "ES256"
        if crv in _EC_ALG_BY_CRV:
            return _EC_ALG_BY_CRV[crv]
        raise InvalidKeyError(f"Unsupported crv: {crv}")
    if kty == "RSA":
        return "RS256"
    if kty == "oct":
        return "HS256"
    if kty == "OKP":
        if not crv:
            raise InvalidKeyError(f"crv is not found: {jwk}")
        if crv == "Ed25519":
            return "EdDSA"
        raise InvalidKeyError(f"Unsupported crv: {crv}")
    raise InvalidKeyError(f"Unsupported kty: {kty}")


class PyJWK:
    """One JSON Web Key, bound to one algorithm.

    :param jwk_data: the decoded JWK.
    :param algorithm: the algorithm; default: the key's ``alg``, else inferred from
        ``kty``/``crv``.
    :raises InvalidKeyError: unknown or missing ``kty``/``crv``, or bad key material.
    :raises MissingCryptographyError: the algorithm needs ``cryptography``.
    :raises PyJWKError: no algorithm of that name.
    """

    def __init__(self, jwk_data: JWKDict, algorithm: str | None = None) -> None:
        self._jwk_data = jwk_data
        kty = jwk_data.get("kty", None)
        if not kty:
            raise InvalidKeyError(f"kty is not found: {jwk_data}")
        if not algorithm and isinstance(jwk_data, dict):
            algorithm = jwk_data.get("alg", None)
        if not algorithm:
            algorithm = _infer_algorithm(jwk_data, kty)
        if not has_crypto and algorithm in requires_cryptography:
            raise MissingCryptographyError(f"{algorithm} requires 'cryptography' to be installed.")
        self.algorithm_name = algorithm
        try:
            self.Algorithm = get_default_algorithms()[algorithm]
        except KeyError:
            raise PyJWKError(f"Unable to find an algorithm for key: {jwk_data}") from None
        try:
            self.key = self.Algorithm.from_jwk(jwk_data)
        except (TypeError, ValueError) as error:
            raise InvalidKeyError(f"Unable to construct key from JWK: {error}") from error

    @staticmethod
    def from_dict(obj: JWKDict, algorithm: str | None = None) -> PyJWK:
        """A :class:`PyJWK` from a dict."""
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: str | None = None) -> PyJWK:
        """A :class:`PyJWK` from JSON text."""
        return PyJWK.from_dict(json.loads(data), algorithm)

    @property
    def key_type(self) -> str | None:
        """The ``kty`` member."""
        return self._jwk_data.get("kty", None)

    @property
    def key_id(self) -> str | None:
        """The ``kid`` member."""
        return self._jwk_data.get("kid", None)

    @property
    def public_key_use(self) -> str | None:
        """The ``use`` member."""
        return self._jwk_data.get("use", None)


class PyJWKSet:
    """A JSON Web Key Set; keys that cannot be used are skipped."""

    def __init__(self, keys: list[JWKDict]) -> None:
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        for entry in keys:
            if not isinstance(entry, dict):
                continue
            try:
                self.keys.append(PyJWK(entry))
            except MissingCryptographyError:
                raise
            except PyJWTError:
                continue
        if not self.keys:
            raise PyJWKSetError(
                "The JWK Set did not contain any usable keys. Perhaps 'cryptography' is not "
                "installed?"
            )

    @staticmethod
    def from_dict(obj: dict[str, Any]) -> PyJWKSet:
        """A set from a ``{"keys": [...]}`` dict."""
        return PyJWKSet(obj.get("keys", []))

    @staticmethod
    def from_json(data: str) -> PyJWKSet:
        """A set from JSON text."""
        return PyJWKSet.from_dict(json.loads(data))

    def __getitem__(self, kid: str) -> PyJWK:
        for key in self.keys:
            if key.key_id == kid:
                return key
        raise KeyError(f"keyset has no key for kid: {kid}")

    def __iter__(self) -> Iterator[PyJWK]:
        return iter(self.keys)


class PyJWTSetWithTimestamp:
    """A key set and the monotonic time it was stored."""

    def __init__(self, jwk_set: PyJWKSet):
        self.jwk_set = jwk_set
        self.timestamp = time.monotonic()

    def get_jwk_set(self) -> PyJWKSet:
        return self.jwk_set

    def get_timestamp(self) -> float:
        return self.timestamp
