"""The Rust core through its binding: fast path chosen only when exact,
fallbacks for what it cannot reproduce, and no panic on hostile input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

import itsdangerous as peer
import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

import ferroauth.itsdangerous as fi
from ferroauth._core import SignerCore

FROZEN = "2023-11-14 22:13:20"


def test_fast_path_is_chosen_for_stock_configurations() -> None:
    assert fi.URLSafeTimedSerializer("k")._fast_core(None) is not None
    assert fi.URLSafeSerializer("k")._fast_core(None) is not None
    assert fi.Serializer("k")._fast_core(None) is not None
    assert fi.Signer("k")._core() is not None
    assert fi.TimestampSigner("k", digest_method=hashlib.sha256)._core() is not None


def test_fast_path_is_skipped_when_hooks_change() -> None:
    class Custom(fi.Signer):
        def derive_key(self, secret_key=None):  # type: ignore[override]
            return b"fixed"

    assert Custom("k")._core() is None
    assert fi.Signer("k", algorithm=fi.NoneAlgorithm())._core() is None
    assert fi.Serializer("k", serializer_kwargs={"sort_keys": True})._fast_core(None) is None
    assert fi.URLSafeSerializer("k", signer=Custom)._fast_core(None) is None
    # and the results still match itsdangerous
    assert Custom("k").sign("v") == b"v." + fi.base64_encode(
        __import__("hmac").new(b"fixed", b"v", hashlib.sha1).digest()
    )


def test_custom_types_fall_back_to_python_json() -> None:
    class Enc(json.JSONEncoder):
        def default(self, o):  # type: ignore[override]
            return str(o)

    with freeze_time(FROZEN):
        obj = {"when": dt.datetime(2020, 1, 1), "t": (1, 2), "big": 10**30}
        ours = fi.URLSafeTimedSerializer("k", serializer_kwargs={"cls": Enc})
        theirs = peer.URLSafeTimedSerializer("k", serializer_kwargs={"cls": Enc})
        assert ours.dumps(obj) == theirs.dumps(obj)
        with pytest.raises(TypeError):
            fi.URLSafeSerializer("k").dumps({"when": dt.date(2020, 1, 1)})
        circular: list = []
        circular.append(circular)
        with pytest.raises(ValueError, match="Circular reference"):
            fi.URLSafeSerializer("k").dumps(circular)
        lone = {"s": "\ud800"}
        with pytest.raises(UnicodeEncodeError):
            fi.URLSafeSerializer("k").dumps(lone)
        with pytest.raises(UnicodeEncodeError):
            peer.URLSafeSerializer("k").dumps(lone)
        assert fi.Serializer("k").dumps(lone) == peer.Serializer("k").dumps(lone)
        assert fi.Serializer("k").loads(peer.Serializer("k").dumps(lone)) == lone


def test_non_str_keys_and_subclasses_match() -> None:
    class D(dict):
        pass

    with freeze_time(FROZEN):
        for obj in [{1: "a", None: 2, 1.5: 3, False: 4}, D(a=1), [D(b=2)], {"deep": [[[]]] * 3}]:
            assert fi.URLSafeSerializer("k").dumps(obj) == peer.URLSafeSerializer("k").dumps(obj)


def test_deep_nesting_is_bounded_not_a_crash() -> None:
    deep: list = []
    cur = deep
    for _ in range(500):
        nxt: list = []
        cur.append(nxt)
        cur = nxt
    with freeze_time(FROZEN):
        tok = fi.URLSafeSerializer("k").dumps(deep)
        assert tok == peer.URLSafeSerializer("k").dumps(deep)
        assert fi.URLSafeSerializer("k").loads(tok) == deep


def test_signer_core_rejects_bad_configuration() -> None:
    with pytest.raises(ValueError):
        SignerCore("sha3", "hmac", [b"k"], b"s", b".")
    with pytest.raises(TypeError, match="Unknown key derivation method"):
        SignerCore("sha1", "bogus", [b"k"], b"s", b".")
    with pytest.raises(ValueError):
        SignerCore("sha1", "hmac", [], b"s", b".")
    core = SignerCore("sha1", "hmac", [b"k"], b"s", b".", max_token_len=100)
    token = core.dumps({"a": __import__("secrets").token_hex(100)}, 1)
    assert token is not None and core.loads(token, True) is None  # over the bound


@settings(max_examples=300, deadline=None)
@given(junk=st.binary(max_size=300) | st.text(max_size=300))
def test_garbage_never_panics(junk) -> None:
    core = SignerCore("sha1", "django-concat", [b"k"], b"s", b".", tagged=True, sort_keys=True)
    assert core.loads(junk, True, 0, 10.0) is None
    assert core.unsign(junk, False) is None
    for cls in (fi.URLSafeTimedSerializer, fi.Serializer):
        try:
            cls("k").loads(junk)
        except fi.BadData:
            pass


def test_mutated_valid_tokens_never_panic() -> None:
    rng = random.Random(4)
    with freeze_time(FROZEN):
        s = fi.URLSafeTimedSerializer(["a", "b"])
        token = s.dumps({"k": list(range(50)), "s": "x" * 100})
        for _ in range(2000):
            chars = list(token)
            for _ in range(rng.randint(1, 3)):
                chars[rng.randrange(len(chars))] = rng.choice("._-=aZ09+/\x00é")
            mutated = "".join(chars)
            ours = theirs = None
            try:
                ours = s.loads(mutated, max_age=10)
            except fi.BadData as e:
                ours = type(e).__name__
            try:
                theirs = peer.URLSafeTimedSerializer(["a", "b"]).loads(mutated, max_age=10)
            except peer.BadData as e:
                theirs = type(e).__name__
            assert ours == theirs


def test_large_tokens_released_gil_path_matches() -> None:
    rng = random.Random(7)
    obj = {
        "blob": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(60000))
    }
    with freeze_time(FROZEN):
        for name in ("URLSafeTimedSerializer", "Serializer"):
            ours = getattr(fi, name)("k")
            theirs = getattr(peer, name)("k")
            token = ours.dumps(obj)
            assert len(token) > 16 * 1024
            assert token == theirs.dumps(obj)
            assert ours.loads(token) == obj


def test_unsign_many_matches_one_by_one() -> None:
    with freeze_time(FROZEN) as frozen:
        for signer in (fi.Signer("k"), fi.TimestampSigner(["old", "k"]), fi.Signer("k", sep="~")):
            good = [signer.sign(f"value-{i}") for i in range(50)]
            bad = [t[:-1] + (b"A" if t[-1:] != b"A" else b"B") for t in good[:10]]
            tokens = good + bad + [b"", b"no-separator", "é".encode()]
            frozen.tick(dt.timedelta(seconds=5))
            for max_age in (None, 10, 2):
                want = []
                for t in tokens:
                    try:
                        want.append(
                            signer.unsign(t, max_age=max_age)
                            if isinstance(signer, fi.TimestampSigner)
                            else signer.unsign(t)
                        )
                    except fi.BadSignature:
                        want.append(None)
                assert fi.unsign_many(signer, tokens, max_age=max_age) == want
                if max_age == 2 and isinstance(signer, fi.TimestampSigner):
                    assert want[:50] == [None] * 50
                elif max_age is None:
                    assert want[:50] == [f"value-{i}".encode() for i in range(50)]
