"""Typed option dictionaries, as in PyJWT."""

from collections.abc import Callable
from typing import Any, TypedDict

JWKDict = dict[str, Any]

HashlibHash = Callable[..., Any]


class SigOptions(TypedDict, total=False):
    """Options of :class:`PyJWS` (a subset of :class:`Options`)."""

    verify_signature: bool
    enforce_minimum_key_length: bool


class Options(TypedDict, total=False):
    """Options of ``decode()`` / ``decode_complete()``.

    ``verify_signature`` (default True); ``verify_exp``, ``verify_nbf``, ``verify_iat``,
    ``verify_aud``, ``verify_iss``, ``verify_sub``, ``verify_jti`` (default: the value of
    ``verify_signature``); ``require`` (default ``[]``); ``strict_aud`` (default False);
    ``enforce_minimum_key_length`` (default False).
    """

    verify_signature: bool
    require: list[str]
    strict_aud: bool
    verify_aud: bool
    verify_exp: bool
    verify_iat: bool
    verify_iss: bool
    verify_jti: bool
    verify_nbf: bool
    verify_sub: bool
    enforce_minimum_key_length: bool


class FullOptions(TypedDict):
    """:class:`Options` with every key present."""

    verify_signature: bool
    require: list[str]
    strict_aud: bool
    verify_aud: bool
    verify_exp: bool
    verify_iat: bool
    verify_iss: bool
    verify_jti: bool
    verify_nbf: bool
    verify_sub: bool
    enforce_minimum_key_length: bool
