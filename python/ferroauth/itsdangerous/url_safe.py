"""URL-safe serializers: compact JSON, zlib-compressed when that saves space
(marked by a leading ``.``), url-safe base64 without padding."""

from __future__ import annotations

import typing as t
import zlib

from ._json import _CompactJSON
from .encoding import base64_decode, base64_encode
from .exc import BadPayload
from .serializer import Serializer
from .timed import TimedSerializer


class URLSafeSerializerMixin(Serializer[str]):
    """Payload handling shared by :class:`URLSafeSerializer` and
    :class:`URLSafeTimedSerializer`."""

    default_serializer: t.Any = _CompactJSON

    def load_payload(
        self, payload: bytes, *args: t.Any, serializer: t.Any | None = None, **kwargs: t.Any
    ) -> t.Any:
        decompress = payload.startswith(b".")
        if decompress:
            payload = payload[1:]
        try:
            json = base64_decode(payload)
        except Exception as e:
            raise BadPayload(
                "Could not base64 decode the payload because of an exception",
                original_error=e,
            ) from e
        if decompress:
            try:
                json = zlib.decompress(json)
            except Exception as e:
                raise BadPayload(
                    "Could not zlib decompress the payload before decoding the payload",
                    original_error=e,
                ) from e
        return super().load_payload(json, *args, **kwargs)

    def dump_payload(self, obj: t.Any) -> bytes:
        json = super().dump_payload(obj)
        compressed = zlib.compress(json)
        if len(compressed) < len(json) - 1:
            return b"." + base64_encode(compressed)
        return base64_encode(json)


class URLSafeSerializer(URLSafeSerializerMixin, Serializer[str]):
    """:class:`Serializer` with URL-safe payloads."""


class URLSafeTimedSerializer(URLSafeSerializerMixin, TimedSerializer[str]):
    """:class:`TimedSerializer` with URL-safe payloads."""
