"""The exceptions of :mod:`ferroauth.itsdangerous`, identical to itsdangerous 2.2's.

``BadData`` is the base; ``BadSignature`` carries the unverified ``payload``;
``BadTimeSignature`` adds ``date_signed``; ``SignatureExpired`` is raised for a
token older than ``max_age`` (or signed in the future); ``BadHeader`` carries
``header`` and ``original_error``; ``BadPayload`` wraps a decoding failure in
``original_error``.
"""

from __future__ import annotations

import typing as t
from datetime import datetime


class BadData(Exception):
    """Raised when data cannot be verified or loaded. ``message`` holds the text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadSignature(BadData):
    """The signature did not match. ``payload`` is the unverified value, or None."""

    def __init__(self, message: str, payload: t.Any | None = None):
        super().__init__(message)
        self.payload: t.Any | None = payload


class BadTimeSignature(BadSignature):
    """A timed signature is bad; ``date_signed`` is the (aware, UTC) signing time if known."""

    def __init__(
        self,
        message: str,
        payload: t.Any | None = None,
        date_signed: datetime | None = None,
    ):
        super().__init__(message, payload)
        self.date_signed = date_signed


class SignatureExpired(BadTimeSignature):
    """The signature is valid but older than ``max_age`` (or dated in the future)."""


class BadHeader(BadSignature):
    """A header could not be read; ``header`` and ``original_error`` say why."""

    def __init__(
        self,
        message: str,
        payload: t.Any | None = None,
        header: t.Any | None = None,
        original_error: Exception | None = None,
    ):
        super().__init__(message, payload)
        self.header: t.Any | None = header
        self.original_error: Exception | None = original_error


class BadPayload(BadData):
    """The payload could not be decoded; ``original_error`` is the underlying exception."""

    def __init__(self, message: str, original_error: Exception | None = None):
        super().__init__(message)
        self.original_error: Exception | None = original_error
