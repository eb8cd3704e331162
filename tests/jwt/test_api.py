"""The API surface, option defaulting, caches and the ferroauth extras."""

from __future__ import annotations

import asyncio
import inspect
import time
from datetime import datetime, timedelta, timezone
from unittest import mock

import jwt as pyjwt
import pytest

import ferroauth.jwt as fjwt
from ferroauth.jwt import _fast

SECRET = "0123456789abcdef0123456789abcdef"


def test_public_names_match_pyjwt() -> None:
    assert set(pyjwt.__all__) <= set(fjwt.__all__)
    for name in pyjwt.__all__:
        ours, theirs = getattr(fjwt, name), getattr(pyjwt, name)
        if inspect.isfunction(theirs) or inspect.ismethod(theirs):

            def shape(fn):
                return [
                    (
                        p.name,
                        p.kind,
                        "<sentinel>" if "object at" in repr(p.default) else repr(p.default),
                    )
                    for p in inspect.signature(fn).parameters.values()
                ]

            assert shape(ours) == shape(theirs), name
    assert fjwt.__version__ == pyjwt.__version__ == "2.15.1"


def test_exception_hierarchy_matches_pyjwt() -> None:
    from jwt import exceptions as theirs

    from ferroauth.jwt import exceptions as ours

    names = [n for n, v in vars(theirs).items() if isinstance(v, type) and issubclass(v, Exception)]
    assert len(names) >= 18
    for name in names:
        mro_theirs = [c.__name__ for c in getattr(theirs, name).__mro__]
        mro_ours = [c.__name__ for c in getattr(ours, name).__mro__]
        assert mro_ours == mro_theirs, name
    assert str(ours.MissingRequiredClaimError("exp")) == 'Token is missing the "exp" claim'


@pytest.mark.parametrize(
    "options",
    [
        None,
        {},
        {"verify_signature": False},
        {"verify_signature": False, "verify_exp": True},
        {"verify_aud": False},
        {"require": ["exp"]},
    ],
)
def test_options_defaulting(options) -> None:
    assert fjwt.PyJWT()._merge_options(options) == pyjwt.PyJWT()._merge_options(options)


def test_expired_and_immature_tokens_follow_time_from_python() -> None:
    now = int(time.time())
    token = fjwt.encode({"exp": now + 10, "nbf": now - 10}, SECRET)
    assert fjwt.decode(token, SECRET, algorithms=["HS256"]) == {"exp": now + 10, "nbf": now - 10}
    # exp <= now - leeway is expired, exactly at the boundary too.
    with (
        mock.patch("ferroauth.jwt.api_jwt.time.time", return_value=now + 10),
        mock.patch("ferroauth.jwt.api_jwt.datetime") as dt,
    ):
        dt.now.return_value = datetime.fromtimestamp(now + 10, tz=timezone.utc)
        with pytest.raises(fjwt.ExpiredSignatureError):
            fjwt.decode(token, SECRET, algorithms=["HS256"])
        assert fjwt.decode(token, SECRET, algorithms=["HS256"], leeway=timedelta(seconds=1))


def test_freezegun_controls_expiry() -> None:
    freezegun = pytest.importorskip("freezegun")
    token = fjwt.encode({"exp": datetime(2030, 1, 1, tzinfo=timezone.utc)}, SECRET)
    with freezegun.freeze_time("2031-01-01"):
        with pytest.raises(fjwt.ExpiredSignatureError):
            fjwt.decode(token, SECRET, algorithms=["HS256"])
    with freezegun.freeze_time("2029-01-01"):
        assert fjwt.decode(token, SECRET, algorithms=["HS256"])["exp"] == 1893456000


def test_pem_keys_are_parsed_once(keys) -> None:
    private, public = keys["RSA"]
    _fast.clear_key_cache()
    from ferroauth.jwt import algorithms

    with mock.patch.object(
        algorithms, "load_pem_private_key", wraps=algorithms.load_pem_private_key
    ) as loader:
        tokens = [fjwt.encode({"i": i}, private, algorithm="RS256") for i in range(5)]
    assert loader.call_count == 1
    assert [pyjwt.decode(t, public, algorithms=["RS256"])["i"] for t in tokens] == list(range(5))


def test_key_cache_is_bounded(keys) -> None:
    _fast.clear_key_cache()
    for i in range(_fast._CACHE_SIZE + 20):
        fjwt.encode({"i": i}, f"{SECRET}{i}")
    assert len(_fast._cache) <= _fast._CACHE_SIZE
    assert len(_fast._secrets) <= _fast._SECRETS_MAX


def test_custom_algorithm_and_registry_changes_bypass_the_fast_path() -> None:
    class Upper(fjwt.algorithms.HMACAlgorithm):
        def sign(self, msg, key):
            return b"X" * 32

        def verify(self, msg, key, sig):
            return sig == b"X" * 32

    jws = fjwt.PyJWS()
    token_default = fjwt.api_jwt.PyJWT()
    token_default._jws = jws
    a = token_default.encode({"a": 1}, SECRET)
    jws.unregister_algorithm("HS256")
    jws.register_algorithm("HS256", Upper(Upper.SHA256))
    b = token_default.encode({"a": 1}, SECRET)
    assert a != b and b.endswith("WFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFg")
    assert token_default.decode(b, SECRET, algorithms=["HS256"]) == {"a": 1}
    with pytest.raises(fjwt.InvalidSignatureError):
        token_default.decode(a, SECRET, algorithms=["HS256"])


def test_json_encoder_and_subclasses_use_python_json() -> None:
    import json
    from decimal import Decimal
    from enum import IntEnum

    class Enc(json.JSONEncoder):
        def default(self, o):
            return str(o) if isinstance(o, Decimal) else super().default(o)

    class Level(IntEnum):
        HIGH = 3

    payload = {"d": Decimal("1.5"), "lvl": Level.HIGH, "t": (1, 2)}
    assert fjwt.encode(payload, SECRET, json_encoder=Enc) == pyjwt.encode(
        payload, SECRET, json_encoder=Enc
    )
    with pytest.raises(TypeError):
        fjwt.encode(payload, SECRET)


def test_decode_many_matches_decode() -> None:
    now = int(time.time())
    tokens = [fjwt.encode({"i": i, "aud": "api", "exp": now + 60}, SECRET) for i in range(20)]
    tokens += [
        fjwt.encode({"i": 99, "aud": "web"}, SECRET),
        fjwt.encode({"i": 98, "exp": now - 60, "aud": "api"}, SECRET),
        "not-a-token",
        fjwt.encode({"i": 97, "aud": "api"}, SECRET + "x"),
    ]
    results = fjwt.decode_many(
        tokens, SECRET, algorithms=["HS256"], audience="api", return_exceptions=True
    )
    for token, got in zip(tokens, results, strict=True):
        try:
            want = pyjwt.decode(token, SECRET, algorithms=["HS256"], audience="api")
        except pyjwt.PyJWTError as exc:
            assert type(got).__name__ == type(exc).__name__ and str(got) == str(exc)
        else:
            assert got == want
    with pytest.raises(fjwt.InvalidAudienceError):
        fjwt.decode_many(tokens, SECRET, algorithms=["HS256"], audience="api")


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA", "PS256", "ES512"])
def test_decode_many_asymmetric_matches_decode(alg, keys) -> None:
    from .conftest import ASYMMETRIC

    private, public = keys[ASYMMETRIC[alg]]
    _fast.clear_key_cache()
    now = int(time.time())
    tokens = [fjwt.encode({"i": i, "exp": now + 60}, private, algorithm=alg) for i in range(8)]
    tokens.append(fjwt.encode({"i": 8, "exp": now - 60}, private, algorithm=alg))
    tokens.append(tokens[0][:-6] + "AAAAAA")
    results = fjwt.decode_many(tokens, public, algorithms=[alg], return_exceptions=True)
    for token, got in zip(tokens, results, strict=True):
        try:
            want = pyjwt.decode(token, public, algorithms=[alg])
        except pyjwt.PyJWTError as exc:
            assert type(got).__name__ == type(exc).__name__ and str(got) == str(exc)
        else:
            assert got == want


def _jwks(keys):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    public = load_pem_public_key(keys["RSA"][1].encode())
    jwk = fjwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
    jwk.update(kid="k1", use="sig", alg="RS256")
    return {"keys": [jwk]}


def test_jwks_clients_sync_and_async(keys) -> None:
    jwks = _jwks(keys)
    token = pyjwt.encode({"a": 1}, keys["RSA"][0], algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(fjwt.PyJWKClientError, match="scheme"):
        fjwt.PyJWKClient("file:///etc/passwd")
    with mock.patch.object(fjwt.PyJWKClient, "fetch_data", return_value=jwks) as fetch:
        client = fjwt.PyJWKClient("https://example.test/jwks")
        key = client.get_signing_key_from_jwt(token)
        assert fjwt.decode(token, key, algorithms=["RS256"]) == {"a": 1}
        assert fetch.call_count == 1

        async def main():
            aclient = fjwt.AsyncPyJWKClient("https://example.test/jwks")
            k = await aclient.get_signing_key_from_jwt(token)
            k2 = await aclient.get_signing_key("k1")  # served from the set cache
            with pytest.raises(fjwt.PyJWKClientError):
                await aclient.get_signing_key("unknown")
            return k, k2

        k, k2 = asyncio.run(main())
        assert k.key_id == k2.key_id == "k1"
        assert fjwt.decode(token, k, algorithms=["RS256"]) == {"a": 1}


def test_pyjwk_binds_the_algorithm(keys) -> None:
    jwk = fjwt.PyJWK(_jwks(keys)["keys"][0])
    token = pyjwt.encode({"a": 1}, keys["RSA"][0], algorithm="PS256")
    with pytest.raises(fjwt.InvalidAlgorithmError, match="does not match"):
        fjwt.decode(token, jwk, algorithms=["PS256"])
    good = pyjwt.encode({"a": 1}, keys["RSA"][0], algorithm="RS256")
    for _ in range(2):  # the second call runs on the PyJWK's cached native key
        assert fjwt.decode(good, jwk) == {"a": 1}
        assert fjwt.decode(good, jwk, algorithms=["RS256"]) == {"a": 1}
    head, body, sig = good.split(".")
    tampered = f"{head}.{body}.{sig[:-4]}AAAA"
    with pytest.raises(fjwt.InvalidSignatureError):
        fjwt.decode(tampered, jwk, algorithms=["RS256"])
    with pytest.raises(fjwt.InvalidAlgorithmError):
        fjwt.decode(good, jwk, algorithms=["ES256"])


def test_patched_algorithm_classes_are_honoured() -> None:
    _fast.clear_key_cache()
    fjwt.encode({"a": 1}, SECRET)  # warm the caches
    with mock.patch.object(
        fjwt.algorithms.HMACAlgorithm, "sign", return_value=b"\x00" * 32
    ) as fake:
        fresh = fjwt.PyJWT()
        token = fresh.encode({"a": 1}, SECRET)
    assert fake.called and token.endswith("." + "A" * 43)


def test_concurrent_use_with_cache_clearing(keys) -> None:
    import threading

    private, public = keys["RSA"]
    hs = fjwt.encode({"a": 1}, SECRET)
    rs = fjwt.encode({"a": 2}, private, algorithm="RS256")
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            for _ in range(150):
                assert fjwt.decode(hs, SECRET, algorithms=["HS256"]) == {"a": 1}
                assert fjwt.decode(rs, public, algorithms=["RS256"]) == {"a": 2}
                assert fjwt.encode({"a": 1}, SECRET) == hs
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def clearer() -> None:
        while not stop.is_set():
            _fast.clear_key_cache()
            time.sleep(0.0005)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    cleaner = threading.Thread(target=clearer)
    cleaner.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    cleaner.join()
    assert errors == []
