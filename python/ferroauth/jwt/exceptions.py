"""The exception hierarchy of PyJWT 2.15, class for class.

``PyJWTError`` is the root. Everything ``decode`` can raise about a token derives
from ``InvalidTokenError``; key problems raise ``InvalidKeyError``; the JWK and
JWKS-client errors have their own branches.
"""

from __future__ import annotations


class PyJWTError(Exception):
    """Root of every ferroauth.jwt exception."""


class InvalidTokenError(PyJWTError):
    """The token was rejected by ``decode()``."""


class DecodeError(InvalidTokenError):
    """The token could not be parsed or a claim has the wrong type."""


class InvalidSignatureError(DecodeError):
    """The signature does not match the token and key."""


class ExpiredSignatureError(InvalidTokenError):
    """The ``exp`` claim is in the past."""


class InvalidAudienceError(InvalidTokenError):
    """The ``aud`` claim does not match the expected audience."""


class InvalidIssuerError(InvalidTokenError):
    """The ``iss`` claim does not match the expected issuer."""


class InvalidIssuedAtError(InvalidTokenError):
    """The ``iat`` claim is not a number."""


class ImmatureSignatureError(InvalidTokenError):
    """The ``nbf`` or ``iat`` claim lies in the future."""


class InvalidKeyError(PyJWTError):
    """The key has the wrong format or type for the algorithm."""


class InvalidAlgorithmError(InvalidTokenError):
    """The token's algorithm is not allowed or not known."""


class MissingRequiredClaimError(InvalidTokenError):
    """A claim listed as required is absent from the token."""

    def __init__(self, claim: str) -> None:
        self.claim = claim

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class PyJWKError(PyJWTError):
    """A JSON Web Key could not be used."""


class MissingCryptographyError(PyJWKError):
    """The algorithm needs the ``cryptography`` package, which is not installed."""


class PyJWKSetError(PyJWTError):
    """A JSON Web Key Set is empty or malformed."""


class PyJWKClientError(PyJWTError):
    """The JWKS client could not provide a key."""


class PyJWKClientConnectionError(PyJWKClientError):
    """The JWKS endpoint could not be reached."""


class InvalidSubjectError(InvalidTokenError):
    """The ``sub`` claim is not a string or does not match ``subject``."""


class InvalidJTIError(InvalidTokenError):
    """The ``jti`` claim is not a string."""
