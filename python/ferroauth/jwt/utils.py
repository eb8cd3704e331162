"""Encoding helpers with PyJWT's names and behaviour (base64url, integers, PEM/SSH sniffing)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any


def force_bytes(value: bytes | str) -> bytes:
    """``str`` as UTF-8 bytes, ``bytes`` unchanged; anything else is a TypeError."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError("Expected a string or bytes value")


def base64url_decode(input: bytes | str) -> bytes:  # noqa: A002 - PyJWT's parameter name
    """Decode unpadded (or padded) base64url."""
    data = force_bytes(input)
    missing = -len(data) % 4
    if missing:
        data += b"=" * missing
    return base64.urlsafe_b64decode(data)


def base64url_encode(input: bytes) -> bytes:  # noqa: A002
    """Encode as base64url without ``=`` padding."""
    return base64.urlsafe_b64encode(input).replace(b"=", b"")


def bytes_from_int(val: int, *, bit_length: int | None = None) -> bytes:
    """Big-endian bytes of ``val``, sized for ``bit_length`` bits (default: its own length)."""
    bits = val.bit_length() if bit_length is None else bit_length
    return val.to_bytes((bits + 7) // 8, "big", signed=False)


def to_base64url_uint(val: int, *, bit_length: int | None = None) -> bytes:
    """A non-negative integer as base64url of its big-endian bytes (``0`` is ``AA``)."""
    if val < 0:
        raise ValueError("Must be a positive integer")
    raw = bytes_from_int(val, bit_length=bit_length) or b"\x00"
    return base64url_encode(raw)


def from_base64url_uint(val: bytes | str) -> int:
    """The inverse of :func:`to_base64url_uint`."""
    return int.from_bytes(base64url_decode(force_bytes(val)), "big")


def number_to_bytes(num: int, num_bytes: int) -> bytes:
    """``num`` as exactly ``num_bytes`` big-endian bytes."""
    return binascii.a2b_hex(f"{num:0{2 * num_bytes}x}".encode("ascii"))


def bytes_to_number(string: bytes) -> int:
    """Big-endian bytes to an integer."""
    return int(binascii.b2a_hex(string), 16)


def _curve_bytes(curve: Any) -> int:
    return (curve.key_size + 7) // 8


def der_to_raw_signature(der_sig: bytes, curve: Any) -> bytes:
    """An ECDSA DER signature as the JWS ``r || s`` form."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    size = _curve_bytes(curve)
    r, s = decode_dss_signature(der_sig)
    return number_to_bytes(r, size) + number_to_bytes(s, size)


def raw_to_der_signature(raw_sig: bytes, curve: Any) -> bytes:
    """A JWS ``r || s`` ECDSA signature as DER; ValueError when its length is wrong."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    size = _curve_bytes(curve)
    if len(raw_sig) != 2 * size:
        raise ValueError("Invalid signature")
    r = bytes_to_number(raw_sig[:size])
    s = bytes_to_number(raw_sig[size:])
    return bytes(encode_dss_signature(r, s))


# PEM labels that mark asymmetric keys and certificates (the set the `pem` package knows).
_PEM_LABELS = (
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"PRIVATE KEY",
    b"PUBLIC KEY",
    b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"RSA PUBLIC KEY",
    b"EC PRIVATE KEY",
    b"DH PARAMETERS",
    b"NEW CERTIFICATE REQUEST",
    b"CERTIFICATE REQUEST",
    b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY",
    b"X509 CRL",
)
# A lookahead so overlapping markers are all seen; the dash runs may be
# separated by a space, as loaders accept.
_PEM_MARKER = re.compile(rb"(?=(----[- ](BEGIN|END) (" + b"|".join(_PEM_LABELS) + rb")[- ]----))")


def is_pem_format(key: bytes) -> bool:
    """True when ``key`` holds a BEGIN marker followed later by the matching END marker."""
    begin_end: dict[bytes, int] = {}
    for match in _PEM_MARKER.finditer(key):
        kind, label = match.group(2), match.group(3)
        if kind == b"BEGIN":
            begin_end[label] = match.start(1) + len(match.group(1))
        elif label in begin_end and begin_end[label] < match.start(1):
            return True
    return False


_SSH_PREFIXES = (
    b"ssh-ed25519",
    b"ssh-rsa",
    b"ssh-dss",
    b"ecdsa-sha2-nistp256",
    b"ecdsa-sha2-nistp384",
    b"ecdsa-sha2-nistp521",
)


def is_ssh_key(key: bytes) -> bool:
    """True when ``key`` starts like an OpenSSH public key."""
    return key.startswith(_SSH_PREFIXES)
