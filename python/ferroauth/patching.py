"""Opt-in, reversible zero-code patch mode.

``ferroauth.patch(jwt=True, itsdangerous=True, werkzeug=True)`` points the
peers' hot functions at ferroauth's drop-ins, so third-party code that imports
the peer itself (djangorestframework-simplejwt, Flask-WTF, Flask's session
cookie, Starlette) speeds up without edits. It replaces the peer module's attributes and also every
reference an already-imported module took with ``from peer import name``.
``ferroauth.unpatch()`` puts every original back where patching replaced it;
modules first imported while patched keep ferroauth's (identical) objects.

Patch early, before apps and extensions build their serializers. Limits:
objects created before patching (e.g. a serializer instance built at import
time) keep the class they were made from, and raise the peer's original
exceptions, which patched ``except`` clauses no longer name; references held inside
closures, default arguments or containers are not found; subclasses of a
patched class keep their original base.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

# area -> (peer module, ferroauth module, names to swap; "sub.Name" for a submodule's)
TARGETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "werkzeug": (
        "werkzeug.security",
        "ferroauth.werkzeug",
        ("generate_password_hash", "check_password_hash", "gen_salt"),
    ),
    # Classes and their exceptions go together: code that catches
    # itsdangerous.BadSignature must catch what the patched classes raise.
    "itsdangerous": (
        "itsdangerous",
        "ferroauth.itsdangerous",
        (
            "Signer",
            "TimestampSigner",
            "Serializer",
            "URLSafeSerializer",
            "TimedSerializer",
            "URLSafeTimedSerializer",
            "signer.SigningAlgorithm",
            "signer.HMACAlgorithm",
            "signer.NoneAlgorithm",
            "BadData",
            "BadSignature",
            "BadTimeSignature",
            "SignatureExpired",
            "BadHeader",
            "BadPayload",
            "want_bytes",
            "base64_encode",
            "base64_decode",
        ),
    ),
    # The module-level functions, the classes and every exception: code that
    # catches jwt.InvalidTokenError must catch what the patched functions raise.
    "jwt": (
        "jwt",
        "ferroauth.jwt",
        (
            "encode",
            "decode",
            "decode_complete",
            "get_unverified_header",
            "register_algorithm",
            "unregister_algorithm",
            "get_algorithm_by_name",
            "PyJWT",
            "PyJWS",
            "PyJWK",
            "PyJWKSet",
            "PyJWKClient",
            "PyJWTError",
            "InvalidTokenError",
            "DecodeError",
            "InvalidSignatureError",
            "ExpiredSignatureError",
            "InvalidAudienceError",
            "InvalidIssuerError",
            "InvalidIssuedAtError",
            "ImmatureSignatureError",
            "InvalidKeyError",
            "InvalidAlgorithmError",
            "MissingRequiredClaimError",
            "PyJWKError",
            "PyJWKSetError",
            "PyJWKClientError",
            "PyJWKClientConnectionError",
            "exceptions.InvalidSubjectError",
            "exceptions.InvalidJTIError",
        ),
    ),
}

_applied: list[tuple[ModuleType, str, object]] = []
_patched_areas: set[str] = set()


def patch(**areas: bool) -> list[str]:
    """Patch the named areas (``werkzeug=True``, …); returns the areas now patched.

    Raises ``ValueError`` for an unknown area and ``ImportError`` when the peer
    is not installed. Patching an area twice is a no-op.
    """
    unknown = sorted(set(areas) - set(TARGETS))
    if unknown:
        raise ValueError(f"unknown patch areas {unknown}; known: {sorted(TARGETS)}")
    for area, wanted in areas.items():
        if wanted and area not in _patched_areas:
            _patch_area(area)
            _patched_areas.add(area)
    return sorted(_patched_areas)


def unpatch() -> None:
    """Undo every patch, restoring the original objects where they were found."""
    while _applied:
        module, name, original = _applied.pop()
        setattr(module, name, original)
    _patched_areas.clear()


def patched() -> list[str]:
    """The areas currently patched."""
    return sorted(_patched_areas)


def _patch_area(area: str) -> None:
    peer_name, ours_name, names = TARGETS[area]
    ours = importlib.import_module(ours_name)
    replacements = {}
    for name in names:
        original = _resolve(peer_name, name)
        replacements[id(original)] = (original, _resolve(ours_name, name))
    for module in list(sys.modules.values()):
        if module is None or module is ours or module.__name__.startswith("ferroauth"):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for attr, value in list(namespace.items()):
            found = replacements.get(id(value))
            if found is not None and found[0] is value:
                _applied.append((module, attr, value))
                setattr(module, attr, found[1])


def _resolve(package: str, name: str) -> object:
    module_name, _, attr = f"{package}.{name}".rpartition(".")
    return getattr(importlib.import_module(module_name), attr)
