"""The caches behind ferroauth.django.signing's fast path must never serve a stale
key: settings are read through LazySettings' own cache (emptied by
override_settings and by assignment), and the core's keyed-HMAC cache is keyed by
the secret itself. Each test warms the caches first, then changes the settings,
and compares with django.core.signing under the same frozen clock."""

import random
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing as dj
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ferroauth.django import signing as fa

TS = 1_700_000_000
OBJ = {"_auth_user_id": "42", "cart": [1, 2, 3]}


def frozen(ts=TS):
    return mock.patch("time.time", return_value=ts)


def both_dumps(obj=OBJ, **kwargs):
    ours, theirs = fa.dumps(obj, **kwargs), dj.dumps(obj, **kwargs)
    assert ours == theirs
    return ours


def test_override_settings_takes_effect_after_warm_caches():
    with frozen():
        with override_settings(SECRET_KEY="key-a", SECRET_KEY_FALLBACKS=[]):
            token_a = both_dumps()
            for _ in range(3):  # warm every cache with key-a
                assert fa.loads(token_a) == OBJ
        with override_settings(SECRET_KEY="key-b", SECRET_KEY_FALLBACKS=[]):
            token_b = both_dumps()
            assert token_b != token_a
            with pytest.raises(dj.BadSignature):
                fa.loads(token_a)
            assert fa.loads(token_b) == OBJ
        with override_settings(SECRET_KEY="key-b", SECRET_KEY_FALLBACKS=["key-a"]):
            assert fa.loads(token_a) == OBJ == dj.loads(token_a)
            # nested: the inner override wins, the outer one comes back after
            with override_settings(SECRET_KEY_FALLBACKS=[]):
                with pytest.raises(dj.BadSignature):
                    fa.loads(token_a)
            assert fa.loads(token_a) == OBJ
        with override_settings(SECRET_KEY="key-a", SECRET_KEY_FALLBACKS=[]):
            assert fa.loads(token_a) == OBJ
            with pytest.raises(dj.BadSignature):
                fa.loads(token_b)


def test_assignment_and_deletion_take_effect():
    with frozen(), override_settings(SECRET_KEY="key-a", SECRET_KEY_FALLBACKS=[]):
        token_a = both_dumps()
        assert fa.loads(token_a) == OBJ
        settings.SECRET_KEY = "key-c"
        token_c = both_dumps()
        assert token_c != token_a
        with pytest.raises(dj.BadSignature):
            fa.loads(token_a)
        settings.SECRET_KEY_FALLBACKS = ["key-a"]
        assert fa.loads(token_a) == OBJ == dj.loads(token_a)
        assert fa.Signer().unsign(dj.Signer(key="key-a").sign("v")) == "v"


def test_empty_secret_key_raises_as_django():
    with override_settings(SECRET_KEY=""):
        for call in (
            lambda m: m.dumps(OBJ),
            lambda m: m.loads("x:y:z"),
            lambda m: m.Signer(),
        ):
            with pytest.raises(ImproperlyConfigured) as ours:
                call(fa)
            with pytest.raises(ImproperlyConfigured) as theirs:
                call(dj)
            assert str(ours.value) == str(theirs.value)


def test_key_rotation_past_the_cache_capacity():
    """More distinct (secret, salt) pairs than the core's cache holds, revisited in
    random order: every token is still Django's, every check still right."""
    rng = random.Random(7)
    keys = [f"secret-{i}" for i in range(40)]
    salts = ["a", "b", "django.core.signing"]
    with frozen():
        tokens = {}
        for key in keys:
            for salt in salts:
                tokens[key, salt] = both_dumps(key=key, salt=salt)
        pairs = list(tokens)
        for _ in range(300):
            key, salt = rng.choice(pairs)
            token = tokens[key, salt]
            assert fa.loads(token, key=key, salt=salt) == OBJ
            other = rng.choice(keys)
            if other != key:
                with pytest.raises(dj.BadSignature):
                    fa.loads(token, key=other, salt=salt)
                assert fa.loads(token, key=other, salt=salt, fallback_keys=[key]) == OBJ
            assert fa.Signer(key=key, salt=salt).sign("v") == dj.Signer(key=key, salt=salt).sign(
                "v"
            )


def test_secret_key_bytes_and_str_share_nothing_wrongly():
    # str and bytes of the same text derive the same key in Django (force_bytes)
    with frozen():
        assert both_dumps(key="k\u00e9y") == both_dumps(key="k\u00e9y".encode())
        assert fa.loads(dj.dumps(OBJ, key=b"k\xc3\xa9y"), key="k\u00e9y") == OBJ


@pytest.mark.parametrize(
    "obj",
    [
        {},
        [],
        "a",
        0,
        {"a": 1},
        "a" * 9,
        "a" * 10,
        "a" * 11,
        "a" * 40,
        {"k": "v" * 200},
        list(range(50)),
    ],
)
def test_compress_through_the_core_is_djangos(obj):
    with frozen():
        token = both_dumps(obj, compress=True)
        assert fa.loads(token) == obj
        signer = fa.TimestampSigner()
        assert signer.sign_object(obj, compress=True) == dj.TimestampSigner().sign_object(
            obj, compress=True
        )
        assert fa.Signer().sign_object(obj, compress=True) == dj.Signer().sign_object(
            obj, compress=True
        )


def test_compress_with_a_text_serializer_raises_as_django():
    class TextSerializer:
        def dumps(self, obj):
            return "text"

        def loads(self, data):
            return data

    with pytest.raises(TypeError) as ours:
        fa.Signer().sign_object(1, serializer=TextSerializer, compress=True)
    with pytest.raises(TypeError) as theirs:
        dj.Signer().sign_object(1, serializer=TextSerializer, compress=True)
    assert str(ours.value) == str(theirs.value)


def test_a_patched_settings_object_is_read():
    """Patching the module's ``settings`` (as tests do) bypasses the cache read."""
    fake = SimpleNamespace(SECRET_KEY="patched", SECRET_KEY_FALLBACKS=["patched-old"])
    with frozen(), override_settings(SECRET_KEY="real", SECRET_KEY_FALLBACKS=[]):
        fa.dumps(OBJ)  # warm LazySettings' cache with the real key
        with mock.patch.object(fa, "settings", fake):
            token = fa.dumps(OBJ)
            assert token == dj.dumps(OBJ, key="patched")
            assert fa.loads(dj.dumps(OBJ, key="patched-old")) == OBJ
            assert fa.Signer().key == "patched"


def test_fallbacks_list_changed_in_place_takes_effect():
    # The fast path keeps [SECRET_KEY, *fallbacks] next to Django's settings
    # cache; a list mutated in place (no settings signal) must still count.
    with frozen(), override_settings(SECRET_KEY="key-a", SECRET_KEY_FALLBACKS=[]):
        token_a = both_dumps()
    fallbacks = []
    with frozen(), override_settings(SECRET_KEY="key-b", SECRET_KEY_FALLBACKS=fallbacks):
        for _ in range(3):
            with pytest.raises(dj.BadSignature):
                fa.loads(token_a)
        fallbacks.append("key-a")
        assert fa.loads(token_a) == OBJ == dj.loads(token_a)
        fallbacks[0] = "key-c"
        with pytest.raises(dj.BadSignature):
            fa.loads(token_a)
        with pytest.raises(dj.BadSignature):
            dj.loads(token_a)
        # Emptied in place: a retired key must stop verifying at once.
        fallbacks[0] = "key-a"
        assert fa.loads(token_a) == OBJ
        fallbacks.clear()
        with pytest.raises(dj.BadSignature):
            fa.loads(token_a)
        with pytest.raises(dj.BadSignature):
            dj.loads(token_a)


@pytest.mark.parametrize("age", [0, 9, 10, 10.5, 11, -5])
@pytest.mark.parametrize("max_age", [10, 10.0, 0])
def test_max_age_boundaries_match_django(age, max_age):
    with override_settings(SECRET_KEY="key-a", SECRET_KEY_FALLBACKS=[]):
        with frozen():
            token = both_dumps()
        with frozen(TS + age):
            outcomes = []
            for mod in (fa, dj):
                try:
                    outcomes.append(("ok", mod.loads(token, max_age=max_age)))
                except dj.SignatureExpired as e:
                    outcomes.append(("expired", str(e)))
            assert outcomes[0] == outcomes[1]
