"""ferroauth.jwt: a drop-in for PyJWT 2.15 on a Rust core.

``import ferroauth.jwt as jwt`` gives PyJWT's API: the same functions, classes,
options, exceptions and messages, and byte-identical tokens. HS256/384/512 sign in
Rust; RS*/PS*/ES256/ES384/EdDSA(Ed25519) run on aws-lc-rs with parsed keys cached;
the remaining algorithms (ES256K, ES512, Ed448) use ``cryptography`` as PyJWT does.
"""

from ._fast import clear_key_cache, get_max_token_size, set_max_token_size
from .api_jwk import PyJWK, PyJWKSet
from .api_jws import (
    PyJWS,
    get_algorithm_by_name,
    get_unverified_header,
    register_algorithm,
    unregister_algorithm,
)
from .api_jwt import PyJWT, decode, decode_complete, decode_many, encode
from .exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
    MissingRequiredClaimError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)
from .jwks_client import AsyncPyJWKClient, PyJWKClient
from .warnings import InsecureKeyLengthWarning, RemovedInPyjwt3Warning

# The PyJWT version whose behaviour this package reproduces.
__version__ = "2.15.1"

__title__ = "PyJWT"
__description__ = "JSON Web Token implementation in Python (ferroauth drop-in)"
__url__ = "https://pyjwt.readthedocs.io"
__uri__ = __url__
__doc__ = f"{__description__} <{__uri__}>"

__all__ = [
    "PyJWS",
    "PyJWT",
    "PyJWKClient",
    "PyJWK",
    "PyJWKSet",
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
    "register_algorithm",
    "unregister_algorithm",
    "get_algorithm_by_name",
    "InsecureKeyLengthWarning",
    "RemovedInPyjwt3Warning",
    "DecodeError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "MissingRequiredClaimError",
    "PyJWKClientConnectionError",
    "PyJWKClientError",
    "PyJWKError",
    "PyJWKSetError",
    "PyJWTError",
    "AsyncPyJWKClient",
    "decode_many",
    "clear_key_cache",
    "get_max_token_size",
    "set_max_token_size",
]
