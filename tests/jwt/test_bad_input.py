"""Hostile and malformed input: always PyJWT's exception, never a panic."""

from __future__ import annotations

import base64
import json
import warnings

import jwt as pyjwt
import pytest

import ferroauth.jwt as fjwt

SECRET = "0123456789abcdef0123456789abcdef"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(header: bytes, payload: bytes, key: str = SECRET) -> str:
    import hashlib
    import hmac

    signing_input = f"{b64(header)}.{b64(payload)}"
    sig = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


def verdict(mod, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", mod.decode(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - a PanicException is a BaseException
            return ("err", type(exc).__name__, str(exc))


def assert_same(*args, **kwargs):
    ours = verdict(fjwt, *args, **kwargs)
    theirs = verdict(pyjwt, *args, **kwargs)
    assert ours[:2] == theirs[:2], (ours, theirs)
    assert "Panic" not in ours[1]
    return ours


GOOD = signed(b'{"alg":"HS256","typ":"JWT"}', b'{"sub":"x"}')


@pytest.mark.parametrize("cut", [0, 1, 10, 36, 37, 50, len(GOOD) - 1])
def test_truncated_tokens(cut: int) -> None:
    result = assert_same(GOOD[:cut], SECRET, algorithms=["HS256"])
    assert result[0] == "err"


@pytest.mark.parametrize(
    "token",
    [
        b"\xff\xfe.\x80\x81.\xc3",
        "é.é.é",
        "\x00.\x00.\x00",
        b"a.b.c",
        "...",
        "",
        b"",
    ],
)
def test_garbage_and_non_utf8(token) -> None:
    assert assert_same(token, SECRET, algorithms=["HS256"])[0] == "err"


@pytest.mark.parametrize("token", [None, 123, 1.5, ["a"], {"a": 1}, bytearray(b"a.b.c")])
def test_non_token_types(token) -> None:
    assert assert_same(token, SECRET, algorithms=["HS256"])[1] == "DecodeError"


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xfe\x00\x00",  # not UTF-8 (json.loads sniffs UTF-32)
        b"\xef\xbb\xbf{}",  # BOM
        b'{"a":"\\ud800"}',  # lone surrogate escape: valid for Python's json
        b'{"a":"\x01"}',  # raw control character
        b'{"a":1,"a":2}',  # duplicate keys: the last wins
        b'{"exp":1e400}',  # infinite exp
        b'{"exp":NaN}',
        b'{"iat":"12"}',
        b'{"nbf":[]}',
        b"[1,2]",
        b'"str"',
        b"",
        b'{"n":123456789012345678901234567890}',
    ],
)
def test_odd_payloads(payload: bytes) -> None:
    assert_same(signed(b'{"alg":"HS256"}', payload), SECRET, algorithms=["HS256"])


@pytest.mark.parametrize("depth", [50, 5000, 100_000])
def test_deeply_nested_json(depth: int) -> None:
    nested = b"[" * depth + b"]" * depth
    assert_same(signed(b'{"alg":"HS256"}', b'{"a":' + nested + b"}"), SECRET, algorithms=["HS256"])
    assert_same(signed(b'{"alg":"HS256","x":' + nested + b"}", b"{}"), SECRET, algorithms=["HS256"])


def test_deeply_nested_payload_on_encode() -> None:
    deep: list = []
    cur = deep
    for _ in range(100_000):
        cur.append([])
        cur = cur[0]
    for mod in (fjwt, pyjwt):
        with pytest.raises(RecursionError):
            mod.encode({"a": deep}, SECRET)
    circular: dict = {}
    circular["self"] = circular
    with pytest.raises(ValueError, match="Circular reference"):
        fjwt.encode(circular, SECRET)


def test_oversized_token_is_refused_before_parsing() -> None:
    huge = "a" * (fjwt.get_max_token_size() + 1)
    with pytest.raises(fjwt.DecodeError, match="too large"):
        fjwt.decode(huge, SECRET, algorithms=["HS256"])
    before = fjwt.get_max_token_size()
    try:
        fjwt.set_max_token_size(len(GOOD))
        assert fjwt.decode(GOOD, SECRET, algorithms=["HS256"]) == {"sub": "x"}
        fjwt.set_max_token_size(len(GOOD) - 1)
        with pytest.raises(fjwt.DecodeError, match="too large"):
            fjwt.decode(GOOD, SECRET, algorithms=["HS256"])
        with pytest.raises(fjwt.DecodeError, match="too large"):
            fjwt.get_unverified_header(GOOD)
    finally:
        fjwt.set_max_token_size(before)
    with pytest.raises(ValueError):
        fjwt.set_max_token_size(0)


@pytest.mark.parametrize(
    "key",
    [None, 123, 1.5, {"k": "v"}, ["a"], b"", "", object()],
)
@pytest.mark.parametrize("alg", ["HS256", "RS256", "ES256", "EdDSA", "PS384", "ES512"])
def test_wrong_key_types_on_encode(key, alg) -> None:
    def run(mod):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                mod.encode({"a": 1}, key, algorithm=alg)
                return "ok"
            except BaseException as exc:  # noqa: BLE001
                return type(exc).__name__

    assert run(fjwt) == run(pyjwt)


def test_asymmetric_and_jwk_material_refused_as_hmac_secret(keys) -> None:
    private, public = keys["RSA"]
    jwk_json = json.dumps({"kty": "oct", "k": "c2VjcmV0"})
    for key in (public, private, jwk_json, "ssh-rsa AAAA", "[" * 5000 + '{"kty":1}'):
        for mod in (fjwt, pyjwt):
            with pytest.raises(mod.InvalidKeyError):
                mod.encode({"a": 1}, key, algorithm="HS256")
    token = pyjwt.encode({"a": 1}, SECRET)
    assert_same(token, public, algorithms=["HS256"])


def test_wrong_key_for_asymmetric_verification(keys) -> None:
    token = pyjwt.encode({"a": 1}, keys["RSA"][0], algorithm="RS256")
    for key in (SECRET, keys["P-256"][1], keys["Ed25519"][1], "-----BEGIN PUBLIC KEY-----\nxx"):
        assert_same(token, key, algorithms=["RS256"])
    es = pyjwt.encode({"a": 1}, keys["P-256"][0], algorithm="ES256")
    for key in (keys["P-384"][1], keys["RSA"][1], keys["secp256k1"][1]):
        assert_same(es, key, algorithms=["ES256"])


def test_none_algorithm_never_verifies() -> None:
    token = pyjwt.encode({"a": 1}, None, algorithm="none")
    assert assert_same(token, None, algorithms=["none"])[1] == "InvalidSignatureError"
    assert assert_same(token, "", algorithms=["none", "HS256"])[1] == "InvalidSignatureError"
