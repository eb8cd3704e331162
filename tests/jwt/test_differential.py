"""ferroauth.jwt against the real PyJWT 2.15: same tokens byte for byte, tokens
from each verify on the other, and the same verdict (and exception class) for
mutated tokens and for random claim/option combinations."""

from __future__ import annotations

import math
import os
import time
import warnings

import jwt as pyjwt
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ferroauth.jwt as fjwt

from .conftest import ASYMMETRIC, DETERMINISTIC

SETTINGS = settings(
    max_examples=int(os.environ.get("FERROAUTH_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SECRET = "a-secret-that-is-long-enough-for-hs512-" * 2

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
payloads = st.dictionaries(st.text(max_size=8), json_values, max_size=6)
extra_headers = st.dictionaries(
    st.text(max_size=5).filter(lambda k: k not in ("alg", "b64", "crit", "kid", "typ")),
    json_scalars,
    max_size=3,
)


def outcome(fn, *args, **kwargs):
    """("ok", value) or ("err", exception class name, message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - compared, not swallowed
            return ("err", type(exc).__name__, str(exc))


def same(a, b) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "err":
        return a[1:] == b[1:]
    return repr(a[1]) == repr(b[1])  # repr: NaN-safe structural comparison


@SETTINGS
@given(
    payload=payloads,
    alg=st.sampled_from(["HS256", "HS384", "HS512"]),
    headers=extra_headers,
    sort_headers=st.booleans(),
)
def test_hs_tokens_are_byte_identical(payload, alg, headers, sort_headers) -> None:
    kwargs = dict(algorithm=alg, headers=headers or None, sort_headers=sort_headers)
    a = outcome(fjwt.encode, payload, SECRET, **kwargs)
    b = outcome(pyjwt.encode, payload, SECRET, **kwargs)
    assert same(a, b)
    if a[0] == "err":
        return
    ours, theirs = a[1], b[1]
    back = fjwt.decode(
        theirs,
        SECRET,
        algorithms=[alg],
        options={
            "verify_aud": False,
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
            "verify_iss": False,
            "verify_sub": False,
            "verify_jti": False,
        },
    )
    assert repr(back) == repr(
        pyjwt.decode(
            ours,
            SECRET,
            algorithms=[alg],
            options={
                "verify_signature": True,
                "verify_aud": False,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    )


@SETTINGS
@given(
    payload=st.dictionaries(st.sampled_from(["sub", "name", "n", "x"]), json_scalars, max_size=4)
)
def test_default_decode_matches_pyjwt(payload) -> None:
    # The common call shape: the Rust fast path when it applies, PyJWT's path otherwise.
    token = pyjwt.encode(payload, SECRET)
    assert same(
        outcome(fjwt.decode, token, SECRET, algorithms=["HS256"]),
        outcome(pyjwt.decode, token, SECRET, algorithms=["HS256"]),
    )


def test_none_algorithm_and_lone_surrogates_and_datetimes() -> None:
    from datetime import datetime, timezone

    payload = {"s": "\ud800x", "exp": datetime(2040, 1, 1, tzinfo=timezone.utc), "iss": "i"}
    assert fjwt.encode(payload, None, algorithm=None) == pyjwt.encode(payload, None, algorithm=None)
    assert fjwt.encode(payload, SECRET) == pyjwt.encode(payload, SECRET)


@pytest.mark.parametrize("alg", sorted(ASYMMETRIC))
def test_asymmetric_cross_verification(alg, keys) -> None:
    private, public = keys[ASYMMETRIC[alg]]
    payload = {"sub": "user", "n": 1, "f": 0.5, "u": "é"}
    ours = fjwt.encode(payload, private, algorithm=alg, headers={"kid": "k1"})
    theirs = pyjwt.encode(payload, private, algorithm=alg, headers={"kid": "k1"})
    if alg in DETERMINISTIC:
        assert ours == theirs
    assert pyjwt.decode(ours, public, algorithms=[alg]) == payload
    assert fjwt.decode(theirs, public, algorithms=[alg]) == payload
    # A second call hits the key cache and must still agree.
    assert fjwt.decode(ours, public, algorithms=[alg]) == payload
    # A private key verifies too (PyJWT derives the public key).
    assert same(
        outcome(fjwt.decode, theirs, private, algorithms=[alg]),
        outcome(pyjwt.decode, theirs, private, algorithms=[alg]),
    )


def test_ed448_is_served_by_cryptography(keys) -> None:
    private, public = keys["Ed448"]
    token = fjwt.encode({"a": 1}, private, algorithm="EdDSA")
    assert token == pyjwt.encode({"a": 1}, private, algorithm="EdDSA")
    assert fjwt.decode(token, public, algorithms=["EdDSA"]) == {"a": 1}


def _mutations(token: str, data) -> str:
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete", "pad", "dot"]))
    pos = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    alphabet = "ABCxyz019-_=.+/ !é\x00"
    if kind == "flip":
        return token[:pos] + data.draw(st.sampled_from(alphabet)) + token[pos + 1 :]
    if kind == "truncate":
        return token[:pos]
    if kind == "insert":
        return token[:pos] + data.draw(st.sampled_from(alphabet)) + token[pos:]
    if kind == "delete":
        return token[:pos] + token[pos + 1 :]
    if kind == "pad":
        seg = data.draw(st.integers(0, 2))
        parts = token.split(".")
        parts[seg] += "=" * data.draw(st.integers(1, 3))
        return ".".join(parts)
    return token.replace(".", "..", 1)


@SETTINGS
@given(data=st.data(), alg=st.sampled_from(["HS256", "RS256", "ES256", "PS256", "EdDSA"]))
def test_mutated_tokens_get_the_same_verdict(data, alg, keys) -> None:
    if alg == "HS256":
        private = public = SECRET
    else:
        private, public = keys[ASYMMETRIC[alg]]
    token = pyjwt.encode({"sub": "x", "exp": int(time.time()) + 600}, private, algorithm=alg)
    bad = _mutations(token, data)
    for as_bytes in (False, True):
        arg = bad.encode("utf-8", "surrogatepass") if as_bytes else bad
        assert same(
            outcome(fjwt.decode, arg, public, algorithms=[alg]),
            outcome(pyjwt.decode, arg, public, algorithms=[alg]),
        ), bad


offsets = st.one_of(
    st.none(),
    st.integers(-5000, 5000),
    st.floats(-5000, 5000),
    st.sampled_from(["1", "x", [], True, math.inf]),
)
claims_strategy = st.fixed_dictionaries(
    {},
    optional={
        "exp": offsets,
        "nbf": offsets,
        "iat": offsets,
        "aud": st.one_of(
            st.sampled_from(["api", "web", "", 3]),
            st.lists(st.sampled_from(["api", "web", 1]), max_size=3),
        ),
        "iss": st.sampled_from(["me", "you", 7]),
        "sub": st.sampled_from(["s", 5, None]),
        "jti": st.sampled_from(["j", 5]),
    },
)


@SETTINGS
@given(
    claims=claims_strategy,
    audience=st.one_of(
        st.none(),
        st.sampled_from(["api", "web"]),
        st.lists(st.sampled_from(["api", "web", "x"]), max_size=2),
    ),
    issuer=st.one_of(st.none(), st.sampled_from(["me", "you"]), st.just(["me", "them"])),
    subject=st.one_of(st.none(), st.just("s")),
    leeway=st.one_of(st.just(0), st.integers(0, 3000), st.floats(0, 3000)),
    options=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {},
            optional={
                "verify_signature": st.booleans(),
                "verify_exp": st.booleans(),
                "verify_aud": st.booleans(),
                "verify_iat": st.booleans(),
                "require": st.lists(st.sampled_from(["exp", "iss", "sub"]), max_size=2),
                "strict_aud": st.booleans(),
            },
        ),
    ),
)
def test_claim_rules_match_pyjwt(claims, audience, issuer, subject, leeway, options) -> None:
    now = int(time.time())
    payload = {}
    for name, value in claims.items():
        # Offsets are far from "now" so the two calls a few µs apart agree.
        if (
            name in ("exp", "nbf", "iat")
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            assume(abs(abs(value) - leeway) > 2)
            value = now + value
        payload[name] = value
    token = pyjwt.encode(
        {k: v for k, v in payload.items() if k != "iss" or isinstance(v, str)}
        | ({"iss": payload["iss"]} if isinstance(payload.get("iss"), str) else {}),
        SECRET,
    )
    kwargs = dict(
        algorithms=["HS256"],
        audience=audience,
        issuer=issuer,
        subject=subject,
        leeway=leeway,
        options=options,
    )
    assert same(
        outcome(fjwt.decode, token, SECRET, **kwargs),
        outcome(pyjwt.decode, token, SECRET, **kwargs),
    ), (payload, kwargs)


# Raw JSON text (not json.dumps output): whitespace, escapes, number spellings,
# duplicate keys -- the Rust reader must return what json.loads returns.
_ws = st.sampled_from(["", " ", "\n", "\t ", "\r\n"])
_number_text = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        [
            "-0",
            "0.0",
            "1E5",
            "1e-7",
            "-2.5E+3",
            "1.0e400",
            "NaN",
            "Infinity",
            "-Infinity",
            "01",
            "1.",
            ".5",
            "+1",
            "0x10",
            "1e",
            "-",
        ]
    ),
)


def _escape(ch: str, mode: int) -> str:
    if ch in '"\\':
        return "\\" + ch
    if mode == 0 and ch.isprintable() and ord(ch) < 0x10000:
        return ch
    if ord(ch) >= 0x10000:
        v = ord(ch) - 0x10000
        return f"\\u{0xD800 | (v >> 10):04x}\\u{0xDC00 | (v & 0x3FF):04X}"
    return f"\\u{ord(ch):04x}"


_string_text = st.builds(
    lambda s, mode, extra: '"' + "".join(_escape(c, mode) for c in s) + extra + '"',
    st.text(max_size=8),
    st.integers(0, 1),
    st.sampled_from(["", "\\n", "\\/", "\\b\\f\\r\\t", "\\ud800", "\\udc00x", "\x01", "\\x"]),
)


def _json_text(depth: int = 0):
    scalar = st.one_of(_number_text, _string_text, st.sampled_from(["true", "false", "null"]))
    if depth >= 2:
        return scalar
    inner = _json_text(depth + 1)
    array = st.lists(st.tuples(_ws, inner, _ws), max_size=3).map(
        lambda items: "[" + ",".join(a + v + b for a, v, b in items) + "]"
    )
    obj = st.lists(st.tuples(_string_text, _ws, inner), max_size=3).map(
        lambda items: "{" + ",".join(k + w + ":" + v for k, w, v in items) + "}"
    )
    return st.one_of(scalar, array, obj)


_payload_text = st.builds(
    lambda a, members, b: a + "{" + ",".join(f'"{k}":{v}' for k, v in members) + "}" + b,
    _ws,
    st.lists(st.tuples(st.sampled_from(["a", "b", "sub", "jti", "x"]), _json_text()), max_size=4),
    _ws,
)


_header_text = st.builds(
    lambda ws, members: ws + '{"alg":"HS256"' + "".join(f',"{k}":{v}' for k, v in members) + "}",
    _ws,
    st.lists(
        st.tuples(st.sampled_from(["typ", "kid", "x", "alg", "cty"]), _json_text(1)), max_size=2
    ),
)


@SETTINGS
@given(text=_payload_text, header=st.one_of(st.just('{"alg":"HS256","typ":"JWT"}'), _header_text))
def test_raw_json_payloads_decode_like_pyjwt(text, header) -> None:
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (
        b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(text.encode("utf-8", "surrogatepass"))
    )
    sig = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + b64(sig)
    for _ in range(2):  # second round: key caches warm, fast path active
        assert same(
            outcome(fjwt.decode, token, SECRET, algorithms=["HS256"]),
            outcome(pyjwt.decode, token, SECRET, algorithms=["HS256"]),
        ), text
