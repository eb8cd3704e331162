"""The session serializer against Django's."""

import json

import pytest
from django.contrib.sessions.serializers import JSONSerializer as DjangoSerializer
from ferroauth.django.serializers import JSONSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

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
