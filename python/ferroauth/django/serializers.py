"""A ``SESSION_SERIALIZER`` that is a drop-in for
``django.contrib.sessions.serializers.JSONSerializer``::

    SESSION_SERIALIZER = "ferroauth.django.serializers.JSONSerializer"

It writes the same bytes (compact JSON, latin-1) so sessions stored before and
after the switch load either way, and it serializes through a prebuilt encoder
instead of building one per call.
"""

from __future__ import annotations

from ferroauth.django.signing import JSONSerializer as _SigningJSONSerializer

__all__ = ["JSONSerializer"]


class JSONSerializer(_SigningJSONSerializer):
    """Session data as compact JSON bytes (``dumps``) and back (``loads``)."""
