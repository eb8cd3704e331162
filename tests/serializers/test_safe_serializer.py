"""The safe serializer: lossless round trips, clear refusals, no code execution."""

import datetime as dt
import math
import pickle
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ferroauth import serializers
from ferroauth.serializers import (
    DecodeError,
    LegacyPickleError,
    LegacyPickleWarning,
    SafeSerializer,
    UnsupportedTypeError,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**300), max_value=2**300),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.dates(),
    st.times(),
    st.times(timezones=st.timezones()),
    st.timedeltas(),
    st.uuids(),
    st.decimals(allow_nan=False),
)
hashables = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(), st.binary(), st.uuids(), st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(hashables, inner, max_size=5),
        st.frozensets(hashables, max_size=5),
        st.sets(hashables, max_size=5),
    ),
    max_leaves=30,
)


def same(a, b):
    """Equal, with the same types all the way down, and tz offsets kept."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)  # insertion order kept
        for key in a:
            same(a[key], b[key])
    elif isinstance(a, list | tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
    elif isinstance(a, dt.datetime | dt.time):
        # Wall time, offset and fold, not `a == b`: PEP 495 makes a datetime in a
        # zone's repeated hour unequal to every datetime in another zone (the
        # zone comes back as its fixed offset), even at the same instant.
        assert a.replace(tzinfo=None) == b.replace(tzinfo=None)
        assert a.utcoffset() == b.utcoffset() and a.fold == b.fold
    else:
        assert a == b


@settings(max_examples=300, deadline=None)
@given(values)
@example(dt.datetime(2012, 11, 4, 1, 0, tzinfo=ZoneInfo("America/Adak")))  # in the fold
@example(dt.datetime(2012, 11, 4, 1, 0, fold=1, tzinfo=ZoneInfo("America/Adak")))
def test_lossless_round_trip(value):
    same(serializers.loads(serializers.dumps(value)), value)


def test_special_floats_and_huge_ints():
    out = serializers.loads(
        serializers.dumps([math.nan, math.inf, -math.inf, -0.0, 10**100, -(10**100)])
    )
    assert math.isnan(out[0]) and out[1:3] == [math.inf, -math.inf]
    assert math.copysign(1, out[3]) == -1
    assert out[4:] == [10**100, -(10**100)]


def test_named_zone_keeps_its_offset():
    when = dt.datetime(2026, 7, 1, 12, 30, tzinfo=ZoneInfo("Europe/Paris"))
    back = serializers.loads(serializers.dumps(when))
    assert back == when and back.utcoffset() == dt.timedelta(hours=2)
    assert back.tzinfo == dt.timezone(dt.timedelta(hours=2))


def test_typical_session_round_trips():
    session = {
        "_user_id": "42",
        "_fresh": True,
        "csrf_token": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131",
        "cart": [{"sku": uuid.uuid4(), "qty": 2, "price": Decimal("19.99")}],
        "login_at": dt.datetime.now(dt.timezone.utc),
        "roles": frozenset({"admin", "staff"}),
    }
    same(serializers.loads(serializers.dumps(session)), session)


class Custom:
    pass


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Custom(), "type Custom"),
        ({"a": [Custom()]}, "type Custom"),
        (bytearray(b"x"), "type bytearray"),
        (pickle, "type module"),
        (lambda: 1, "type function"),
    ],
)
def test_unsupported_types_are_named(value, message):
    with pytest.raises(UnsupportedTypeError, match=message):
        serializers.dumps(value)


def test_subclasses_are_refused_with_a_hint():
    from collections import OrderedDict, defaultdict

    for value in (OrderedDict(a=1), defaultdict(int)):
        with pytest.raises(UnsupportedTypeError, match="a dict subclass"):
            serializers.dumps(value)
    assert issubclass(UnsupportedTypeError, TypeError)


def test_recursion_and_depth_are_bounded():
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        serializers.dumps(loop)
    deep = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError, match="deeper than 64"):
        serializers.dumps(deep)
    data = serializers.dumps(deep, max_depth=200)
    with pytest.raises(DecodeError, match="deeper than 64"):
        serializers.loads(data)
    assert serializers.loads(data, max_depth=200) == deep


def test_truncated_oversized_and_foreign_payloads():
    data = serializers.dumps({"user": 42, "roles": ["a", "b"], "at": dt.date(2026, 1, 1)})
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            serializers.loads(data[:cut])
    with pytest.raises(DecodeError, match="trailing"):
        serializers.loads(data + b"\x00")
    with pytest.raises(DecodeError, match="exceeds the limit"):
        serializers.loads(data, max_size=10)
    with pytest.raises(DecodeError, match="not a ferroauth payload"):
        serializers.loads(b'{"json": 1}')
    with pytest.raises(DecodeError, match="version 9"):
        serializers.loads(b"\xfa\x09\x00")


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_give_decode_errors_only(garbage):
    for data in (garbage, b"\xfa\x01" + garbage):
        try:
            serializers.loads(data)
        except DecodeError as exc:
            assert str(exc)


class Exploit:
    def __reduce__(self):
        return (print, ("pwned",))


def test_pickle_is_refused_by_default_and_migration_is_explicit(capsys):
    legacy = pickle.dumps({"user": 1})
    with pytest.raises(LegacyPickleError, match="never unpickles"):
        serializers.loads(legacy)
    with pytest.raises(LegacyPickleError):
        serializers.loads(pickle.dumps(Exploit()))
    assert capsys.readouterr().out == ""
    with pytest.warns(LegacyPickleWarning):
        assert serializers.loads(legacy, allow_pickle=True) == {"user": 1}
    assert issubclass(LegacyPickleError, DecodeError)


def test_serializer_interfaces(tmp_path):
    plain = SafeSerializer()
    assert plain.loads(plain.dumps({"a": (1, 2)})) == {"a": (1, 2)}
    with pytest.raises(LegacyPickleError):
        plain.loads(pickle.dumps(1))
    migrating = SafeSerializer({"ALLOW_PICKLE": True})
    with pytest.warns(LegacyPickleWarning):
        assert migrating.loads(pickle.dumps(1)) == 1
    path = tmp_path / "cache"
    with open(path, "wb") as f:
        plain.dump({"k": b"v"}, f)
    with open(path, "rb") as f:
        assert plain.load(f) == {"k": b"v"}
