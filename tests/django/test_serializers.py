"""The session serializer against Django's."""

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
