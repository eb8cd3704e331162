"""Bytes helpers: ``want_bytes``, url-safe base64 without padding, and the
big-endian integer packing of timestamps, as itsdangerous 2.2 defines them."""

from __future__ import annotations

import base64
import string
import struct

from .exc import BadData


def want_bytes(s: str | bytes, encoding: str = "utf-8", errors: str = "strict") -> bytes:
    """Encode ``str`` (UTF-8 by default); return anything else unchanged."""
    if isinstance(s, str):
        return s.encode(encoding, errors)
    return s


def base64_encode(string: str | bytes) -> bytes:
    """Url-safe base64 with the ``=`` padding removed."""
    return base64.urlsafe_b64encode(want_bytes(string)).rstrip(b"=")


def base64_decode(string: str | bytes) -> bytes:
    """Decode url-safe base64, adding padding back. Lenient as itsdangerous is:
    non-ASCII characters are dropped, junk characters skipped. Raises
    :class:`BadData` for input that cannot be decoded."""
    data = want_bytes(string, encoding="ascii", errors="ignore")
    data += b"=" * (-len(data) % 4)
    try:
        return base64.urlsafe_b64decode(data)
    except (TypeError, ValueError) as e:
        raise BadData("Invalid base64-encoded data") from e


# Characters a separator may not be, since signatures can contain them.
_base64_alphabet = f"{string.ascii_letters}{string.digits}-_=".encode("ascii")

_int64_struct = struct.Struct(">Q")


def int_to_bytes(num: int) -> bytes:
    """``num`` as unsigned big-endian 64-bit, leading zero bytes removed."""
    return _int64_struct.pack(num).lstrip(b"\x00")


def bytes_to_int(bytestr: bytes) -> int:
    """Inverse of :func:`int_to_bytes` (``struct.error`` for more than 8 bytes)."""
    return _int64_struct.unpack(bytestr.rjust(8, b"\x00"))[0]
