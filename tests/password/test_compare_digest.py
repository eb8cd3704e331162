"""ferroauth.compare_digest has hmac.compare_digest's exact argument rules."""

import array
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferroauth import compare_digest

CASES = [
    (b"abc", b"abc"),
    (b"abc", b"abd"),
    (b"abc", b"ab"),
    (b"", b""),
    ("abc", "abc"),
    ("abc", "abd"),
    ("", ""),
    (bytearray(b"abc"), b"abc"),
    (memoryview(b"abc"), bytearray(b"abc")),
    (array.array("B", b"abc"), b"abc"),
    ("abc", b"abc"),
    (b"abc", "abc"),
    ("é", "é"),
    ("é", "e"),
    ("abc", "é"),
    (1, 1),
    (None, b""),
    (b"", None),
    ([1], [1]),
    ("abc", None),
]


@pytest.mark.parametrize(("a", "b"), CASES)
def test_same_result_or_same_error_as_hmac(a, b):
    try:
        expected = hmac.compare_digest(a, b)
    except Exception as exc:  # noqa: BLE001 - the class and message are what we compare
        with pytest.raises(type(exc)) as ours:
            compare_digest(a, b)
        assert str(ours.value) == str(exc)
    else:
        assert compare_digest(a, b) is expected


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_bytes_agree_with_hmac(a, b):
    assert compare_digest(a, b) is hmac.compare_digest(a, b)
    assert compare_digest(a, a) is True


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=64), st.text(max_size=8))
def test_text_agrees_with_hmac(a, b):
    try:
        expected = hmac.compare_digest(a, b)
    except TypeError as exc:
        with pytest.raises(TypeError, match=str(exc)):
            compare_digest(a, b)
    else:
        assert compare_digest(a, b) is expected
