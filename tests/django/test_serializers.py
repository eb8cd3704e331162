"""The session serializer against Django's."""

import json

import pytest
from django.contrib.sessions.serializers import JSONSerializer as DjangoSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from ferroauth.django.serializers import JSONSerializer

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(session=st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_same_bytes_as_djangos_session_serializer(session):
    data = DjangoSerializer().dumps(session)
    assert JSONSerializer().dumps(session) == data
    assert JSONSerializer().loads(data) == session


def test_errors_match():
    for bad in ({1: object()}, {"a": {1, 2}}):
        with pytest.raises(TypeError) as theirs:
            DjangoSerializer().dumps(bad)
        with pytest.raises(TypeError) as ours:
            JSONSerializer().dumps(bad)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError):
        JSONSerializer().loads(b"{not json")


def _loaded(fn, data):
    try:
        value = fn(data)
    except Exception as exc:  # noqa: BLE001 - comparing what each side raises
        return ("raise", type(exc), str(exc))
    # json.dumps tells 1 from 1.0 from True, keeps key order, and writes NaN/-0.0.
    return ("ok", json.dumps(value), type(value))


def _python_loads(data):
    return json.loads(data.decode("latin-1"))


json_docs = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(alphabet=st.characters(max_codepoint=0x10FFFF)),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(doc=json_docs, ascii_only=st.booleans(), indent=st.sampled_from([None, 1, "\t"]))
def test_core_json_reads_as_json_loads(doc, ascii_only, indent):
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        data = json.dumps(doc, indent=indent).encode("latin-1")
    assert _loaded(JSONSerializer().loads, data) == _loaded(_python_loads, data)


@settings(max_examples=600, deadline=None)
@given(
    data=st.lists(
        st.sampled_from(
            [
                b"{",
                b"}",
                b"[",
                b"]",
                b",",
                b":",
                b'"',
                b"\\",
                b"u",
                b"d800",
                b"dc00",
                b"0",
                b"1",
                b"-",
                b".",
                b"e",
                b"+",
                b"E",
                b" ",
                b"\n",
                b"\x01",
                b"\xe9",
                b"a",
                b"null",
                b"true",
                b"false",
                b"NaN",
                b"Infinity",
                b"-Infinity",
                b"00",
                b"99999999999999999999",
                b"\\n",
                b"\\/",
                b"\\x",
            ]
        ),
        max_size=14,
    ).map(b"".join)
)
def test_odd_documents_read_as_json_loads(data):
    assert _loaded(JSONSerializer().loads, data) == _loaded(_python_loads, data)


def test_deep_nesting_is_left_to_python():
    for depth in (199, 200, 201, 5000):
        data = b"[" * depth + b"]" * depth
        assert _loaded(JSONSerializer().loads, data) == _loaded(_python_loads, data)


def test_the_core_path_is_taken_for_session_data():
    from ferroauth import _core

    data = JSONSerializer().dumps({"_auth_user_id": "42", "cart": [1, 2.5, None, True]})
    assert _core.django_json_loads(data) == ({"_auth_user_id": "42", "cart": [1, 2.5, None, True]},)
    assert _core.django_json_loads(b"[1,") is None


class _Str(str):
    pass


class _Dict(dict):
    pass


def _dumped(fn, obj):
    try:
        return ("ok", fn(obj))
    except Exception as exc:  # noqa: BLE001 - comparing what each side raises
        return ("raise", type(exc), str(exc))


any_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text(alphabet=st.characters(max_codepoint=0x10FFFF))
    | st.builds(_Str, st.text(max_size=5))
    | st.just(object()),
    lambda c: (
        st.lists(c, max_size=4)
        | st.lists(c, max_size=3).map(tuple)
        | st.dictionaries(
            st.text(max_size=6) | st.integers(-5, 5) | st.floats() | st.booleans() | st.none(),
            c,
            max_size=4,
        )
        | st.dictionaries(st.text(max_size=4), c, max_size=3).map(_Dict)
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(obj=any_values)
def test_core_json_writes_as_json_dumps(obj):
    ours = _dumped(JSONSerializer().dumps, obj)
    theirs = _dumped(DjangoSerializer().dumps, obj)
    assert ours == theirs


def test_core_json_writer_is_used_and_exact():
    from ferroauth import _core

    for obj in (
        {"a": [1, -2, 2.5, 1e16, 1e-05, 0.1, -0.0, None, True, False]},
        ['\x7f\u2028é😀"\\\n\x00/'],
        (1, (2,)),
        {"": {}},
        float("nan"),
        [float("inf"), float("-inf")],
    ):
        data = _core.django_json_dumps(obj)
        assert data == DjangoSerializer().dumps(obj)
    for unusual in ({1: 2}, _Dict(a=1), [_Str("x")], 2**70, "\ud800", [object()]):
        assert _core.django_json_dumps(unusual) is None
    deep = []
    for _ in range(300):
        deep = [deep]
    assert _core.django_json_dumps(deep) is None
    assert JSONSerializer().dumps(deep) == DjangoSerializer().dumps(deep)
    cyclic = []
    cyclic.append(cyclic)
    assert _dumped(JSONSerializer().dumps, cyclic) == _dumped(DjangoSerializer().dumps, cyclic)
