"""The speed-ups of the signing fast path, each checked against the real peer:
the zlib skip bound (tiny payloads never compress enough), the reused deflate
stream, the per-serializer memo of the fast-path decision (it must notice every
change a user can make), and the strict base64 shortcut on odd tokens."""

from __future__ import annotations

import copy
import pickle
import random
import zlib
from decimal import Decimal

import itsdangerous as peer
import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

import ferroauth.itsdangerous as fi
from ferroauth._core import django_compress

FROZEN = "2023-11-14 22:13:20"

# The bound src/signing/zlib.rs derives: below this many bytes zlib's output is
# never shorter than len - 1, so both itsdangerous and Django keep the raw form.
MIN_COMPRESSIBLE_LEN = 12


def _kept(data: bytes) -> bytes | None:
    """What the peers do: keep zlib's output only when it saves two bytes."""
    compressed = zlib.compress(data)
    return compressed if len(compressed) < len(data) - 1 else None


def test_skip_bound_holds_for_real_zlib() -> None:
    rng = random.Random(4)
    alphabets = [b"a", b"ab", b'{}":,', bytes(range(256))]
    for n in range(MIN_COMPRESSIBLE_LEN):
        for alphabet in alphabets:
            for _ in range(3000 if n > 3 else 300):
                data = bytes(rng.choice(alphabet) for _ in range(n))
                assert len(zlib.compress(data)) >= n - 1, data
                assert _kept(data) is None
    # and the bound is close to tight: thirteen equal bytes do compress enough
    assert _kept(b"a" * (MIN_COMPRESSIBLE_LEN + 1)) is not None


def test_reused_stream_is_zlib_compress() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.choice([rng.randrange(0, 40), rng.randrange(0, 3000)])
        alphabet = rng.choice([b"ab", b'{"user":1,[]}', bytes(range(256))])
        data = bytes(rng.choice(alphabet) for _ in range(n))
        assert django_compress(data) == _kept(data), data


@pytest.mark.parametrize(
    "obj",
    [0, 1, "", "a", "aaaaaaaa", [], {}, [1], {"a": 1}, {"a": "a" * 8}, {"a": "a" * 9}, "a" * 20],
)
@pytest.mark.parametrize("name", ["URLSafeSerializer", "URLSafeTimedSerializer"])
def test_tiny_payloads_byte_identical(name: str, obj: object) -> None:
    with freeze_time(FROZEN):
        ours = getattr(fi, name)("k", salt="s").dumps(obj)
        theirs = getattr(peer, name)("k", salt="s").dumps(obj)
    assert ours == theirs
    assert getattr(fi, name)("k", salt="s").loads(theirs) == obj


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab{}":,1', max_size=30))
def test_short_json_strings_byte_identical(s: str) -> None:
    with freeze_time(FROZEN):
        assert fi.URLSafeTimedSerializer("k").dumps(s) == peer.URLSafeTimedSerializer("k").dumps(s)


def _both(mutate, *args, **kwargs):
    """The same serializer on both sides, used once (so the memo is warm), then
    changed by ``mutate``, then used again: the tokens must stay identical."""
    out = []
    for mod in (fi, peer):
        s = mod.URLSafeTimedSerializer(*args, **kwargs)
        with freeze_time(FROZEN):
            first = s.dumps({"a": 1})
            mutate(s)
            second = s.dumps({"a": 1})
            out.append((first, second, s.loads(second)))
    assert out[0] == out[1]
    assert out[0][0] != out[0][1], "the change must matter for the test to mean anything"


def test_memo_sees_in_place_key_rotation() -> None:
    _both(lambda s: s.secret_keys.append(b"new"), "old", salt="s")


def test_memo_sees_replaced_keys_and_salt() -> None:
    _both(lambda s: setattr(s, "secret_keys", [b"other"]), "k", salt="s")
    _both(lambda s: setattr(s, "salt", b"other"), "k", salt="s")


def test_memo_sees_signer_kwargs_changed_in_place() -> None:
    _both(lambda s: s.signer_kwargs.update(key_derivation="hmac"), "k", salt="s")


def _reversed_serializer(s):
    class Reversed:
        @staticmethod
        def dumps(obj):
            return '{"b":2}'

        @staticmethod
        def loads(data):
            return data

    s.serializer = Reversed


def test_memo_sees_a_replaced_serializer() -> None:
    _both(_reversed_serializer, "k", salt="s")


class _OwnPayloads(fi.URLSafeTimedSerializer):
    def load_payload(self, payload, *args, **kwargs):
        return ("own", super().load_payload(payload, *args, **kwargs))


class _PeerOwnPayloads(peer.URLSafeTimedSerializer):
    def load_payload(self, payload, *args, **kwargs):
        return ("own", super().load_payload(payload, *args, **kwargs))


def _loads_outcome(s, token, **kwargs):
    try:
        return "ok", s.loads(token, **kwargs)
    except Exception as e:  # noqa: BLE001 - class and message are what is compared
        return type(e).__name__, str(e)


# A change made after a warm loads must be seen by the next loads, before any
# dumps could refresh the memo.
@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s.secret_keys.__setitem__(0, b"other"),
        lambda s: s.secret_keys.append(b"new"),
        lambda s: setattr(s, "secret_keys", [b"other"]),
        lambda s: setattr(s, "salt", b"other"),
        lambda s: s.signer_kwargs.update(key_derivation="hmac"),
        lambda s: s.signer_kwargs.update(sep="!"),
        lambda s: s.serializer_kwargs.update(separators=(", ", ": ")),
        _reversed_serializer,
        lambda s: setattr(
            s, "__class__", _OwnPayloads if isinstance(s, fi.Serializer) else _PeerOwnPayloads
        ),
    ],
)
@pytest.mark.parametrize("loads_kwargs", [{}, {"max_age": 60}, {"return_timestamp": True}])
def test_memo_seen_by_the_next_loads(mutate, loads_kwargs) -> None:
    out = []
    for mod in (fi, peer):
        s = mod.URLSafeTimedSerializer("k", salt="s")
        with freeze_time(FROZEN):
            token = s.dumps({"a": 1})
            before = _loads_outcome(s, token, **loads_kwargs)
            mutate(s)
            after = _loads_outcome(s, token, **loads_kwargs)
            fresh = s.dumps({"a": 1})
            out.append((token, before, after, fresh, _loads_outcome(s, fresh, **loads_kwargs)))
    assert out[0] == out[1]


def test_memo_per_call_salt() -> None:
    with freeze_time(FROZEN):
        ours = fi.URLSafeTimedSerializer("k", salt="s")
        theirs = peer.URLSafeTimedSerializer("k", salt="s")
        for salt in [None, "x", None, b"y", "x", None]:
            token = ours.dumps({"a": 1}, salt=salt)
            assert token == theirs.dumps({"a": 1}, salt=salt)
            assert ours.loads(token, salt=salt) == {"a": 1}
            with pytest.raises(fi.BadSignature):
                ours.loads(token, salt="wrong")


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t + "=",  # padding on the signature
        lambda t: t.replace(".", "!.", 1),  # junk in the payload
        lambda t: t[:-1] + ("B" if t[-1] == "A" else "A"),  # another last character
        lambda t: t[:-1],  # one character short
    ],
)
def test_non_canonical_tokens_behave_as_itsdangerous(edit) -> None:
    """The strict base64 shortcut must leave odd tokens to the lenient decoder."""
    with freeze_time(FROZEN):
        token = peer.URLSafeTimedSerializer("k").dumps({"user": "x" * 30})
        odd = edit(token)
        results = []
        for mod in (fi, peer):
            try:
                results.append(("ok", mod.URLSafeTimedSerializer("k").loads(odd)))
            except Exception as e:  # noqa: BLE001 - the class and message are compared
                results.append((type(e).__name__, str(e)))
    assert results[0] == results[1]


# (Serializer's default serializer is the json module, which pickles on neither side.)
@pytest.mark.parametrize("name", ["URLSafeSerializer", "URLSafeTimedSerializer"])
def test_used_serializers_still_pickle_and_copy(name: str) -> None:
    """As itsdangerous's do: the memo of the Rust core must not travel along."""
    with freeze_time(FROZEN):
        ours = getattr(fi, name)("k", salt="s")
        theirs = getattr(peer, name)("k", salt="s")
        ours.dumps([1, 2])  # warm the memo (it holds the Rust core)
        assert ours._fast_memo is not None
        want = theirs.dumps([1, 2])
        for clone in (pickle.loads(pickle.dumps(ours)), copy.deepcopy(ours), copy.copy(ours)):
            assert clone.dumps([1, 2]) == want
            assert clone.loads(want) == [1, 2]


# The timed cores read int(time.time()) themselves (SignerCore.dumps_now /
# loads_now), through the time module: freezegun, a clock before 1970 and a
# null payload must still give what the peer gives.


def _outcome(fn):
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return "raised", type(e).__name__


@pytest.mark.parametrize("frozen", ["1960-01-01", "1970-01-01 00:00:00", FROZEN])
def test_core_clock_follows_freezegun(frozen: str) -> None:
    with freeze_time(frozen):
        ours = fi.URLSafeTimedSerializer("k", salt="clock")
        theirs = peer.URLSafeTimedSerializer("k", salt="clock")
        assert _outcome(lambda: ours.dumps({"a": 1})) == _outcome(lambda: theirs.dumps({"a": 1}))
        if frozen != "1960-01-01":
            token = theirs.dumps({"a": 1})
            assert ours.loads(token, max_age=0) == {"a": 1}


def test_core_clock_expiry_moves_with_the_frozen_clock() -> None:
    with freeze_time(FROZEN) as frozen:
        ours = fi.URLSafeTimedSerializer("k")
        token = ours.dumps({"n": [1, 2]})
        frozen.tick(10)
        assert ours.loads(token, max_age=10) == {"n": [1, 2]}
        frozen.tick(1)
        with pytest.raises(fi.SignatureExpired):
            ours.loads(token, max_age=10)
        with pytest.raises(peer.SignatureExpired):
            peer.URLSafeTimedSerializer("k").loads(token, max_age=10)


@pytest.mark.parametrize("payload", [None, 0, "", [], {}])
def test_falsy_and_null_payloads_load_as_the_peer_loads_them(payload: object) -> None:
    with freeze_time(FROZEN):
        token = peer.URLSafeTimedSerializer("k").dumps(payload)
        assert fi.URLSafeTimedSerializer("k").loads(token, max_age=5) == payload
        assert fi.URLSafeTimedSerializer("k").loads(token) == payload


class _Age(int):
    """An int subclass whose comparisons say "expired" whatever the age: only
    the peer's own comparison (the Python path) sees that."""

    def __lt__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize(
    "max_age", [None, 0, 5, 5.5, float("nan"), True, False, Decimal("5"), _Age(5)]
)
def test_max_age_of_any_type_compares_as_the_peer_compares_it(max_age: object) -> None:
    with freeze_time(FROZEN) as frozen:
        token = peer.URLSafeTimedSerializer("k").dumps({"a": 1})
        frozen.tick(3)
        ours, theirs = fi.URLSafeTimedSerializer("k"), peer.URLSafeTimedSerializer("k")
        want = _outcome(lambda: theirs.loads(token, max_age=max_age))
        assert _outcome(lambda: ours.loads(token, max_age=max_age)) == want
        assert _outcome(lambda: ours.loads(token, max_age=max_age, return_timestamp=True)) == (
            _outcome(lambda: theirs.loads(token, max_age=max_age, return_timestamp=True))
        )


def test_core_declines_a_max_age_that_is_not_an_int_or_float() -> None:
    """So that the Python path compares it (a bool is an int to the core's
    extraction, a Decimal a float): None, not an answer."""
    core, timed = fi.URLSafeTimedSerializer("k")._fast_core(None)
    assert timed
    with freeze_time(FROZEN):
        token = fi.URLSafeTimedSerializer("k").dumps({"a": 1})
        assert core.loads_now(token, 10) == {"a": 1}
        assert core.loads_now(token, 10.0) == {"a": 1}
        for odd in (True, Decimal("10"), _Age(10), "10"):
            assert core.loads_now(token, odd) is None
