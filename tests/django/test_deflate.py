"""Django's signing.dumps(compress=True) through ferroauth's own deflate: tokens
equal Django's (CPython's zlib.compress) for compressible and incompressible
objects, small and around the 16382-byte bound where the core hands over to
zlib."""

from unittest import mock

from django.core import signing as dj
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ferroauth.django import signing as fa
from tests.payloads import noisy, values, words

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.dictionaries(noisy | words, values, max_size=10))
@example(
    {
        "_auth_user_id": "42",
        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131d3f1b7a0c9e1",
        "cart": [1, 2, 3],
    }
)
def test_compressed_dumps_equal_django(obj):
    with mock.patch("time.time", return_value=1_700_000_000):
        assert fa.dumps(obj, compress=True) == dj.dumps(obj, compress=True)
        assert fa.dumps(obj, salt="x", compress=True) == dj.dumps(obj, salt="x", compress=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=16382 - 200, max_value=16382 + 200), st.text(min_size=1, max_size=8))
def test_large_compressed_dumps_near_the_bound(size, unit):
    obj = {"fill": (unit * size)[:size], "n": size}
    with mock.patch("time.time", return_value=1_700_000_000):
        token = fa.dumps(obj, compress=True)
        assert token == dj.dumps(obj, compress=True)
        assert fa.loads(token) == obj
