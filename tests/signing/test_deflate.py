"""ferroauth's own deflate (src/deflate/) against CPython's zlib.compress,
through the public APIs that use it: itsdangerous URL-safe tokens (and so
Flask sessions) must equal the real itsdangerous's for payloads that compress
and payloads that do not, and the core's compress-if-shorter must agree with
`zlib.compress` and the peers' "shorter than len - 1" rule at every size,
including both sides of the 16382-byte bound where the core hands over to zlib."""

from __future__ import annotations

import json
import zlib

import itsdangerous as peer
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ferroauth.itsdangerous as fi
from ferroauth._core import django_compress
from tests.payloads import dicts, repetitive

BOUND = 16382  # ferroauth.deflate::MAX_EXACT_LEN
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def keep_rule(data: bytes) -> bytes | None:
    """itsdangerous's and Django's rule, on CPython's zlib."""
    c = zlib.compress(data)
    return c if len(c) < len(data) - 1 else None


@SETTINGS
@given(dicts)
@example({"user_id": 42, "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131", "roles": ["a", "b"]})
@example({"k": "a" * 20})
def test_itsdangerous_tokens_equal_the_peer(obj):
    mine = fi.URLSafeSerializer("secret", salt="s").dumps(obj)
    theirs = peer.URLSafeSerializer("secret", salt="s").dumps(obj)
    assert mine == theirs
    with freeze_time("2023-11-14 22:13:20"):
        mine = fi.URLSafeTimedSerializer("secret").dumps(obj)
        theirs = peer.URLSafeTimedSerializer("secret").dumps(obj)
    assert mine == theirs


@SETTINGS
@given(st.binary(max_size=300) | repetitive.map(str.encode))
def test_compress_if_shorter_equals_zlib(data):
    assert django_compress(data) == keep_rule(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.binary(min_size=1, max_size=64),
    size=st.integers(min_value=0, max_value=BOUND + 200) | st.integers(BOUND - 8, BOUND + 8),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), max_size=20),
)
def test_large_payloads_on_both_sides_of_the_bound(unit, size, flips):
    data = bytearray((unit * (size // len(unit) + 1))[:size])
    for at, x in flips:
        if data:
            data[at % len(data)] ^= x
    data = bytes(data)
    got = django_compress(data)
    assert got == keep_rule(data)


@SETTINGS
@given(
    st.integers(min_value=BOUND - 300, max_value=BOUND + 300), st.sampled_from(["ab", "é☃", "x"])
)
def test_itsdangerous_large_sessions_near_the_bound(size, fill):
    # A JSON document of about `size` bytes: compressible filler plus a counter.
    per_char = (len(json.dumps(fill)) - 2) / len(fill)  # escaped, as itsdangerous writes it
    obj = {"n": size, "fill": (fill * size)[: int(size / per_char)]}
    text = json.dumps(obj, separators=(",", ":"))
    assert abs(len(text.encode()) - size) < 40
    mine = fi.URLSafeSerializer("secret").dumps(obj)
    assert mine == peer.URLSafeSerializer("secret").dumps(obj)
