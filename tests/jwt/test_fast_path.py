"""The one-call Rust fast path of ``jwt.encode``/``jwt.decode`` (HS*) against the
full Python path and the real PyJWT: same tokens byte for byte, same claims, and
for every rejection the same exception class and message (the fast path only
detects a problem; the full path then raises it). Also: time comes from Python
(freezegun), and short-key warnings are PyJWT's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import warnings
from datetime import timedelta

import jwt as pyjwt
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ferroauth.jwt as fjwt
from ferroauth import _core
from ferroauth.jwt import _fast, api_jwt

SETTINGS = settings(
    max_examples=int(os.environ.get("FERROAUTH_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SECRET = "fast-path-secret-long-enough-for-hs512-" * 2
ALGS = ["HS256", "HS384", "HS512"]

claim_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
claims_st = st.dictionaries(
    st.sampled_from(["sub", "name", "scope", "user_id", "x", "é", "role"]) | st.text(max_size=6),
    claim_values,
    max_size=6,
)


def outcome(fn, *args, **kwargs):
    """("ok", value) or ("err", exception class name, message), warnings recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - compared, not swallowed
            result = ("err", type(exc).__name__, str(exc))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


@pytest.fixture
def fast_calls(monkeypatch):
    """Count the Rust fast-path calls and how many returned claims."""
    counts = {"encode": 0, "decode": 0, "decode_hit": 0}
    real_encode, real_decode = api_jwt._encode_hs, api_jwt._decode_hs

    def encode(*args):
        counts["encode"] += 1
        return real_encode(*args)

    def decode(*args):
        counts["decode"] += 1
        claims = real_decode(*args)
        counts["decode_hit"] += claims is not None
        return claims

    # Other tests may have cleared the key caches: prepare SECRET (the first use of
    # a key always takes the full path, which prepares it), then count.
    fjwt.decode(fjwt.encode({}, SECRET), SECRET, algorithms=["HS256"])
    monkeypatch.setattr(api_jwt, "_encode_hs", encode)
    monkeypatch.setattr(api_jwt, "_decode_hs", decode)
    return counts


@SETTINGS
@given(claims=claims_st, alg=st.sampled_from(ALGS))
@example(claims={"iss": None}, alg="HS256")  # PyJWT's TypeError, from both
def test_fast_tokens_are_pyjwt_tokens_and_decode_back(claims, alg) -> None:
    encoded = outcome(fjwt.encode, claims, SECRET, algorithm=alg)
    assert encoded == outcome(pyjwt.encode, claims, SECRET, algorithm=alg)
    if encoded[0][0] == "err":  # e.g. a generated "iss" that is not a str
        return
    token = encoded[0][1]
    # headers={} takes the full path and must give the same token.
    assert token == fjwt.encode(claims, SECRET, algorithm=alg, headers={})
    ours = outcome(fjwt.decode, token, SECRET, algorithms=[alg])
    assert ours == outcome(pyjwt.decode, token, SECRET, algorithms=[alg])
    if ours[0][0] == "ok":  # same claims in the same order
        assert list(ours[0][1]) == list(pyjwt.decode(token, SECRET, algorithms=[alg]))


def test_the_fast_path_is_taken_for_the_common_calls(fast_calls) -> None:
    now = int(time.time())
    claims = {"sub": "42", "iat": now, "exp": now + 60, "aud": "api", "iss": "me"}
    for _ in range(2):
        token = fjwt.encode(claims, SECRET, algorithm="HS256")
        got = fjwt.decode(token, SECRET, algorithms=["HS256"], audience="api", issuer="me")
    assert got == claims
    assert fast_calls["encode"] >= 1 and fast_calls["decode_hit"] >= 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(claims, key=SECRET, alg="HS256", headers=None) -> str:
    """A token signed by hand (so claims and headers PyJWT's encode refuses fit)."""
    header = {"alg": alg, "typ": "JWT", **(headers or {})}
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    tag = hmac.new(key.encode(), signing_input.encode(), digest).digest()
    return signing_input + "." + _b64(tag)


def _token_raw(payload: bytes, key=SECRET) -> str:
    """An HS256 token whose payload segment is exactly ``payload`` (e.g. repeated names)."""
    header = json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode()
    signing_input = _b64(header) + "." + _b64(payload)
    tag = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(tag)


NOW = int(time.time())
REJECTED = [
    # (token, decode kwargs)
    (_token({"exp": NOW - 1}), {}),
    (_token({"exp": NOW - 5}), {"leeway": 2}),
    (_token({"nbf": NOW + 3600}), {}),
    (_token({"iat": NOW + 3600}), {}),
    (_token({"exp": "soon"}), {}),
    (_token({"iat": "x"}), {}),
    (_token({"nbf": [1]}), {}),
    (_token({"aud": "web"}), {"audience": "api"}),
    (_token({"aud": ["web", "app"]}), {"audience": ["api"]}),
    (_token({"aud": "api"}), {}),
    (_token({"aud": [1, "api"]}), {"audience": "api"}),
    (_token({"sub": "x"}), {"audience": "api"}),
    (_token({"iss": "you"}), {"issuer": "me"}),
    (_token({"iss": 5}), {"issuer": "me"}),
    (_token({}), {"issuer": "me"}),
    (_token({"sub": 5}), {}),
    (_token({"sub": "a"}), {"subject": "b"}),
    (_token({"jti": 7}), {}),
    (_token({"x": 1}, key="another-secret-long-enough-for-everything-here"), {}),
    (_token({"x": 1}, alg="HS512"), {}),
    (_token({"x": 1}) + "==", {}),  # non-canonical padding
    (_token({"x": 1})[:-1], {}),
    (_token({"x": 1}, headers={"kid": 5}), {}),
    (_token({"x": 1}, headers={"crit": ["exp"]}), {}),
    ("a.b", {}),
    ("", {}),
    (b"\xff\xfe.x.y", {}),
]


@pytest.mark.parametrize("token,kwargs", REJECTED)
def test_rejections_are_the_full_paths_exceptions(token, kwargs) -> None:
    kwargs = {"algorithms": ["HS256"], **kwargs}
    fast = outcome(fjwt.decode, token, SECRET, **kwargs)
    full = outcome(
        lambda *a, **k: fjwt.decode_complete(*a, **k)["payload"],
        token,
        SECRET,
        **kwargs,
    )
    peer = outcome(pyjwt.decode, token, SECRET, **kwargs)
    assert fast == full == peer
    assert fast[0][0] == "err"
    # And the Rust fast path itself declined it (it never decides an error).
    hs = _fast.remember_hmac_secret(SECRET)
    assert (
        _core.jwt_decode_hs(
            token,
            hs,
            kwargs["algorithms"],
            7,
            kwargs.get("audience"),
            kwargs.get("issuer"),
            kwargs.get("subject"),
            kwargs.get("leeway", 0),
            time.time(),
        )
        is None
    )


def test_accepted_edge_cases_match_pyjwt(fast_calls) -> None:
    cases = [
        (_token({"exp": NOW - 1}), {"leeway": 600}),
        (_token({"exp": NOW + 3600, "aud": ["web", "api"]}), {"audience": "api"}),
        (_token({"aud": "api"}), {"audience": ("x", "api")}),
        (_token({"aud": ""}), {}),
        (_token({"exp": float(NOW + 3600), "iat": NOW - 1.5}), {}),
        (_token({"x": "é\n\u2028😀", "y": [1.5, None, True]}), {}),
        (_token({"x": 1}, headers={"kid": "k1"}), {}),
        (_token({"x": 1}, alg="HS512"), {"algorithms": ["HS256", "HS512"]}),
        (_token({"exp": NOW - 1}), {"leeway": timedelta(minutes=10)}),
    ]
    for token, kwargs in cases:
        kwargs = {"algorithms": ["HS256"], **kwargs}
        fast = outcome(fjwt.decode, token, SECRET, **kwargs)
        assert fast == outcome(pyjwt.decode, token, SECRET, **kwargs)
        assert fast[0][0] == "ok", (token, kwargs)
    # (the timedelta leeway case is served by the fast path's second call)
    assert fast_calls["decode_hit"] == len(cases)


def test_freezegun_moves_the_fast_paths_clock(fast_calls) -> None:
    freezegun = pytest.importorskip("freezegun")
    exp = 1_900_000_000
    token = _token({"exp": exp, "sub": "x"})
    for frozen, expected in (
        ("2030-03-17 17:46:39", "ok"),  # exp - 1 s
        ("2030-03-17 17:46:39.999999", "ok"),
        ("2030-03-17 17:46:40", "err"),  # exactly exp: expired, as in PyJWT
    ):
        with freezegun.freeze_time(frozen):
            ours = outcome(fjwt.decode, token, SECRET, algorithms=["HS256"])
            peer = outcome(pyjwt.decode, token, SECRET, algorithms=["HS256"])
        assert ours == peer
        assert ours[0][0] == expected, frozen
    assert fast_calls["decode"] >= 3


def test_time_source_agrees_with_pyjwts_at_second_boundaries() -> None:
    # PyJWT compares integer claims with datetime.now(tz=utc).timestamp(); the fast
    # path uses time.time(). For an integer claim both sides of "exp <= now" agree
    # whenever the two clocks are read at the same instant.
    from datetime import datetime, timezone

    t = time.time()
    d = datetime.fromtimestamp(t, tz=timezone.utc).timestamp()
    for exp in (int(t) - 1, int(t), int(t) + 1):
        assert (exp <= t) == (exp <= d)


@pytest.mark.parametrize("enforce", [False, True])
def test_short_keys_warn_or_raise_exactly_like_pyjwt(enforce) -> None:
    short = "short-key"
    options = {"enforce_minimum_key_length": True} if enforce else None
    ours_obj = fjwt.PyJWT(options=options) if enforce else fjwt
    peer_obj = pyjwt.PyJWT(options=options) if enforce else pyjwt
    for _ in range(3):  # warned on every call, not just the first
        ours = outcome(ours_obj.encode, {"a": 1}, short, algorithm="HS256")
        peer = outcome(peer_obj.encode, {"a": 1}, short, algorithm="HS256")
        assert ours == peer
        assert ours[1] or ours[0][0] == "err"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = pyjwt.encode({"a": 1}, short, algorithm="HS256")
    for _ in range(3):
        ours = outcome(ours_obj.decode, token, short, algorithms=["HS256"])
        peer = outcome(peer_obj.decode, token, short, algorithms=["HS256"])
        assert ours == peer
        assert ours[1] or ours[0][0] == "err"


def test_max_token_size_applies_to_the_fast_path() -> None:
    token = _token({"pad": "x" * 3000})
    try:
        fjwt.set_max_token_size(1000)
        with pytest.raises(fjwt.DecodeError, match="Token is too large"):
            fjwt.decode(token, SECRET, algorithms=["HS256"])
        fjwt.set_max_token_size(10_000)
        assert fjwt.decode(token, SECRET, algorithms=["HS256"])["pad"] == "x" * 3000
    finally:
        fjwt.set_max_token_size(_fast.DEFAULT_MAX_TOKEN_SIZE)


def test_unusual_arguments_leave_the_fast_path_with_pyjwts_result() -> None:
    token = _token({"aud": "api", "iss": "me"})
    for kwargs in (
        {"algorithms": "HS256", "audience": "api"},  # a str: substring semantics
        {"algorithms": ["HS256"], "audience": {"api"}, "issuer": ["me"]},
        {"algorithms": ["HS256"], "audience": "api", "leeway": "5"},
        {"algorithms": None, "audience": "api"},
        {"algorithms": ["HS256"], "audience": "api", "issuer": 5},
    ):
        assert outcome(fjwt.decode, token, SECRET, **kwargs) == outcome(
            pyjwt.decode, token, SECRET, **kwargs
        ), kwargs

    # A str subclass key and a bytes key give the same results too.
    class Key(str):
        pass

    for key in (Key(SECRET), SECRET.encode()):
        assert fjwt.encode({"a": 1}, key) == pyjwt.encode({"a": 1}, key)
        assert fjwt.decode(_token({"a": 1}), key, algorithms=["HS256"]) == {"a": 1}


def test_encode_cache_follows_algorithm_and_header_typ(monkeypatch, fast_calls) -> None:
    # One key, several algorithms (one of them an equal but not identical str), then
    # a typ set on the module-level PyJWS after those entries were cached, starting
    # with the algorithm whose entry is the key's latest: every token must still be
    # PyJWT's, header included.
    fjwt.api_jws._jws_global_obj._reset_fast()
    claims = {"sub": "42", "iat": 1_700_000_000}
    algs = ["HS256", "HS384", "".join(["HS", "256"]), "HS512"]
    for alg in algs + algs:
        assert fjwt.encode(claims, SECRET, algorithm=alg) == pyjwt.encode(
            claims, SECRET, algorithm=alg
        )
    for module in (fjwt, pyjwt):
        monkeypatch.setattr(module.api_jws._jws_global_obj, "header_typ", "at+jwt")
    for alg in reversed(algs):
        token = fjwt.encode(claims, SECRET, algorithm=alg)
        assert token == pyjwt.encode(claims, SECRET, algorithm=alg)
        assert fjwt.get_unverified_header(token) == {"alg": alg, "typ": "at+jwt"}
    assert fast_calls["encode"] >= 3 * len(algs)


def test_algorithms_lists_are_searched_like_python_does(fast_calls) -> None:
    # The core searches the caller's list or tuple in place: a non-str item before
    # the match leaves the decision to the full path, one after it does not
    # matter, and a missing algorithm is PyJWT's error either way.
    token = _token({"aud": "api"})
    for algorithms in (
        ["HS256"],
        ("HS512", "HS256"),
        [None, "HS256"],
        ["HS256", None],
        [b"HS256"],
        ["RS256"],
        (),
    ):
        ours = outcome(fjwt.decode, token, SECRET, algorithms=algorithms, audience="api")
        theirs = outcome(pyjwt.decode, token, SECRET, algorithms=algorithms, audience="api")
        assert ours == theirs, algorithms
    assert fast_calls["decode_hit"] >= 3


def test_payloads_past_the_stack_buffer_decode_like_pyjwt() -> None:
    # Payload segments of every size around the core's stack buffer (768 bytes).
    for size in (700, 760, 768, 769, 800, 2000):
        claims = {"iss": "me", "pad": "y" * (size - 22)}
        token = _token(claims)
        assert fjwt.decode(token, SECRET, algorithms=["HS256"], issuer="me") == pyjwt.decode(
            token, SECRET, algorithms=["HS256"], issuer="me"
        )


def test_claims_equal_to_the_arguments_are_plain_equal_strings() -> None:
    # The core hands back the caller's own issuer/audience/subject str for equal
    # claims; the dict must still be the caller's to change.
    token = _token({"iss": "me", "aud": "api", "sub": "42", "x": "me"})
    issuer = "".join(["m", "e"])
    got = fjwt.decode(
        token, SECRET, algorithms=["HS256"], audience="api", issuer=issuer, subject="42"
    )
    assert got == {"iss": "me", "aud": "api", "sub": "42", "x": "me"}
    got["iss"] = "changed"
    again = fjwt.decode(token, SECRET, algorithms=["HS256"], audience="api", issuer=issuer)
    assert again["iss"] == "me" and issuer == "me"


def test_pem_keys_verify_natively_across_cache_changes(monkeypatch) -> None:
    hits = []
    real = api_jwt._decode_native

    def counted(*args):
        claims = real(*args)
        hits.append(claims is not None)
        return claims

    monkeypatch.setattr(api_jwt, "_decode_native", counted)
    from cryptography.hazmat.primitives import serialization as S
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv = key.private_bytes(S.Encoding.PEM, S.PrivateFormat.PKCS8, S.NoEncryption()).decode()
    pub = key.public_key().public_bytes(S.Encoding.PEM, S.PublicFormat.SubjectPublicKeyInfo)
    now = int(time.time())
    token = pyjwt.encode({"sub": "1", "exp": now + 60, "aud": "api"}, priv, algorithm="RS256")
    expired = pyjwt.encode({"sub": "1", "exp": now - 60}, priv, algorithm="RS256")
    calls = [
        (token, {"algorithms": ["RS256"], "audience": "api"}),
        (token, {"algorithms": [None, "RS256"], "audience": "api"}),
        (token, {"algorithms": ["RS256"], "audience": "api", "leeway": timedelta(seconds=5)}),
        (token, {"algorithms": ["RS384"], "audience": "api"}),
        (token, {"algorithms": ["RS256"], "audience": "web"}),
        (expired, {"algorithms": ["RS256"]}),
        (expired, {"algorithms": ["RS256"], "leeway": timedelta(seconds=120)}),
    ]
    for key_form in (pub, pub.decode()):
        for round_ in range(3):  # first use prepares the key; then the cached natives
            if round_ == 2:
                _fast.clear_key_cache()
            for tok, kwargs in calls:
                assert outcome(fjwt.decode, tok, key_form, **kwargs) == outcome(
                    pyjwt.decode, tok, key_form, **kwargs
                ), (round_, kwargs)
    assert sum(hits) >= 8  # the accepted calls after the first round, natively


def test_claim_sets_of_one_shape_are_fresh_dicts_in_pyjwts_order(fast_calls) -> None:
    # Top-level claims dicts of a repeated shape are copied from a same-keyed dict:
    # each must still be a new dict with this token's values, in the token's order,
    # unaffected by what the caller did to an earlier one.
    now = int(time.time())
    shapes = [
        {"sub": "1", "name": "a", "iat": now, "exp": now + 60, "x": [1], "y": {"k": 1}},
        {"sub": "2", "name": "b", "iat": now, "exp": now + 60, "x": [2], "y": {"k": 2}},
        {"name": "c", "sub": "3", "iat": now, "exp": now + 60, "x": 3, "y": None},
        {"sub": "4", "name": "d", "iat": now, "exp": now + 60, "x": [4], "y": {"k": 4}, "z": 0},
        {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
    ]
    tokens = [_token(claims) for claims in shapes]
    # {"a":1,"a":2,...}: repeated names keep the first position and the last value.
    dup = _token_raw(b'{"sub":"5","sub":"6","n":1,"o":2,"p":3,"q":4,"r":5}')
    seen = []
    for _ in range(3):
        for token in [*tokens, dup]:
            ours = fjwt.decode(token, SECRET, algorithms=["HS256"])
            theirs = pyjwt.decode(token, SECRET, algorithms=["HS256"])
            assert ours == theirs and list(ours.items()) == list(theirs.items())
            assert all(ours is not earlier for earlier in seen)
            seen.append(ours)
            ours["sub"] = "changed"
            ours.pop("name", None)
    assert fast_calls["decode_hit"] == fast_calls["decode"] == 18
