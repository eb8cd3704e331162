"""A ``SESSION_SERIALIZER`` that is a drop-in for
``django.contrib.sessions.serializers.JSONSerializer``::

    SESSION_SERIALIZER = "ferroauth.django.serializers.JSONSerializer"

It writes the same bytes (compact JSON, latin-1) so sessions stored before and
after the switch load either way. Plain JSON data (exact dict with str keys, list,
tuple, str, 64-bit int, float, bool, None) is written and read in Rust; anything
else goes through CPython's json, so unusual values and errors are Python's.
"""

from __future__ import annotations

from ferroauth.django.signing import JSONSerializer as _SigningJSONSerializer

__all__ = ["JSONSerializer"]


class JSONSerializer(_SigningJSONSerializer):
    """Session data as compact JSON bytes (``dumps``) and back (``loads``)."""
