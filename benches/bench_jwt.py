"""ferroauth.jwt side by side with PyJWT 2.15 (and oxyjwt / pyjwt-rs when installed).

Run:  .venv/bin/python benches/bench_jwt.py            (add --quick for a smoke run,
      -k "RS256 verify" for the cases whose title contains that)

Every case runs in one process, its repeats interleaved across the libraries, and
reports the best of several repeats in µs per call plus the speed-up over PyJWT ("x PyJWT").
HS256 decode checks aud, iss and exp. "PEM" cases pass the key as a PEM string on
every call (what most apps do); "preloaded" cases pass a parsed key object
(cryptography key for PyJWT/ferroauth, the library's own key type for oxyjwt).
"""

from __future__ import annotations

import argparse
import time
import timeit
import warnings
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization as S
from cryptography.hazmat.primitives.asymmetric import ec, rsa

warnings.simplefilter("ignore")


def libraries() -> dict[str, Any]:
    import jwt as pyjwt

    import ferroauth.jwt as fjwt

    libs: dict[str, Any] = {"PyJWT 2.15": pyjwt, "ferroauth.jwt": fjwt}
    try:
        import oxyjwt

        libs[f"oxyjwt {oxyjwt.__version__}"] = oxyjwt
    except ImportError:
        pass
    try:
        import jwt_rs

        libs["pyjwt-rs"] = jwt_rs
    except ImportError:
        pass
    return libs


def pems(private_key: Any) -> tuple[str, str, Any, Any]:
    priv = private_key.private_bytes(S.Encoding.PEM, S.PrivateFormat.PKCS8, S.NoEncryption())
    pub = private_key.public_key().public_bytes(S.Encoding.PEM, S.PublicFormat.SubjectPublicKeyInfo)
    return priv.decode(), pub.decode(), private_key, private_key.public_key()


def preloaded(name: str, lib: Any, family: str, priv_pem: str, pub_pem: str, priv: Any, pub: Any):
    if name.startswith("oxyjwt"):
        loader = {"RSA": "from_rsa_pem", "EC": "from_ec_pem"}[family]
        return (
            getattr(lib.EncodingKey, loader)(priv_pem.encode()),
            getattr(lib.DecodingKey, loader)(pub_pem.encode()),
        )
    return priv, pub


REPEATS = 7


def measure_row(fns: dict[str, Callable[[], Any]], budget: float) -> dict[str, float]:
    """Best-of-REPEATS µs per call for each library, sized to about ``budget``
    seconds per library. Repeats are interleaved across the libraries, so a burst
    of load from other processes hits all of them rather than one."""
    numbers: dict[str, int] = {}
    for name, fn in fns.items():
        fn()
        t0 = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t0, 1e-7)
        numbers[name] = max(1, int(budget / REPEATS / one))
    best = {name: float("inf") for name in fns}
    for _ in range(REPEATS):
        for name, fn in fns.items():
            t = timeit.timeit(fn, number=numbers[name]) / numbers[name] * 1e6
            best[name] = min(best[name], t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="short budget per case")
    parser.add_argument("-k", default="", help="only the cases whose title contains this")
    args = parser.parse_args()
    budget = 0.05 if args.quick else 0.6

    libs = libraries()
    secret = "a" * 32
    now = int(time.time())
    claims = {
        "sub": "1234567890",
        "name": "John Doe",
        "iat": now,
        "exp": now + 3600,
        "aud": "api",
        "iss": "https://issuer.example",
    }
    rsa_keys = pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    ec_keys = pems(ec.generate_private_key(ec.SECP256R1()))

    cases: list[tuple[str, Callable[[str, Any], Callable[[], Any] | None]]] = []

    def hs_encode(name, lib):
        return lambda: lib.encode(claims, secret, algorithm="HS256")

    def hs_decode(name, lib):
        token = lib.encode(claims, secret, algorithm="HS256")
        return lambda: lib.decode(
            token, secret, algorithms=["HS256"], audience="api", issuer="https://issuer.example"
        )

    def hs_decode_options(name, lib):
        token = lib.encode(claims, secret, algorithm="HS256")
        return lambda: lib.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience="api",
            issuer="https://issuer.example",
            leeway=0,
            options={"verify_aud": True, "verify_signature": True},
        )

    cases += [
        ("HS256 encode", hs_encode),
        ("HS256 decode (aud+iss+exp)", hs_decode),
        ("HS256 decode, SimpleJWT-style options=", hs_decode_options),
    ]

    for alg, family, keyset in (("RS256", "RSA", rsa_keys), ("ES256", "EC", ec_keys)):
        priv_pem, pub_pem = keyset[0], keyset[1]

        def sign_pem(name, lib, alg=alg, priv_pem=priv_pem):
            return lambda: lib.encode(claims, priv_pem, algorithm=alg)

        def verify_pem(name, lib, alg=alg, priv_pem=priv_pem, pub_pem=pub_pem):
            token = lib.encode(claims, priv_pem, algorithm=alg)
            return lambda: lib.decode(token, pub_pem, algorithms=[alg], audience="api")

        def sign_obj(name, lib, alg=alg, family=family, keyset=keyset):
            enc, _ = preloaded(name, lib, family, *keyset)
            return lambda: lib.encode(claims, enc, algorithm=alg)

        def verify_obj(name, lib, alg=alg, family=family, keyset=keyset):
            enc, dec = preloaded(name, lib, family, *keyset)
            token = lib.encode(claims, enc, algorithm=alg)
            return lambda: lib.decode(token, dec, algorithms=[alg], audience="api")

        def verify_jwk(name, lib, alg=alg, keyset=keyset):
            if not hasattr(lib, "PyJWK") or name.startswith("oxyjwt"):
                return None
            from jwt.algorithms import get_default_algorithms

            jwk = lib.PyJWK(get_default_algorithms()[alg].to_jwk(keyset[3], as_dict=True), alg)
            token = lib.encode(claims, keyset[0], algorithm=alg)
            return lambda: lib.decode(token, jwk, algorithms=[alg], audience="api")

        def raw_floor(name, lib, alg=alg, family=family, keyset=keyset, op="verify"):
            # The hardware floor: one aws-lc-rs sign/verify through ferroauth's core,
            # no JWT work at all (what the "PEM str" rows can at best approach).
            if name != "ferroauth.jwt" or family != "RSA":
                return None
            from ferroauth import _core

            priv = keyset[2]
            msg = b"x" * 240
            if op == "sign":
                der = priv.private_bytes(
                    S.Encoding.DER, S.PrivateFormat.TraditionalOpenSSL, S.NoEncryption()
                )
                key = _core.JwtKey(alg, der, True)
                return lambda: key.sign(msg)
            der = priv.public_key().public_bytes(S.Encoding.DER, S.PublicFormat.PKCS1)
            key = _core.JwtKey(alg, der, False)
            sig = _core.JwtKey(
                alg,
                priv.private_bytes(
                    S.Encoding.DER, S.PrivateFormat.TraditionalOpenSSL, S.NoEncryption()
                ),
                True,
            ).sign(msg)
            return lambda: key.verify(msg, sig)

        def raw_sign(name, lib, raw_floor=raw_floor):
            return raw_floor(name, lib, op="sign")

        if family == "RSA":
            cases += [
                (f"{alg} sign, raw aws-lc-rs (floor, no JWT)", raw_sign),
                (f"{alg} verify, raw aws-lc-rs (floor, no JWT)", raw_floor),
            ]
        cases += [
            (f"{alg} verify, PyJWK (JWKS client key)", verify_jwk),
            (f"{alg} sign, PEM str", sign_pem),
            (f"{alg} verify, PEM str", verify_pem),
            (f"{alg} sign, preloaded key", sign_obj),
            (f"{alg} verify, preloaded key", verify_obj),
        ]

    names = list(libs)
    header = f"| case | {' | '.join(names)} |"
    print(header)
    print("|" + "---|" * (len(names) + 1))
    for title, factory in cases:
        if args.k not in title:
            continue
        fns: dict[str, Callable[[], Any]] = {}
        for name in names:
            try:
                fn = factory(name, libs[name])
                if fn is not None:
                    fn()
                    fns[name] = fn
            except Exception:  # a peer without this feature
                pass
        timed = measure_row(fns, budget)
        row: dict[str, float | None] = {name: timed.get(name) for name in names}
        base = row.get("PyJWT 2.15")
        cells = []
        for name in names:
            v = row[name]
            if v is None:
                cells.append("n/a")
            elif name == "PyJWT 2.15" or not base:
                cells.append(f"{v:,.2f} µs")
            else:
                cells.append(f"{v:,.2f} µs ({base / v:,.1f}x)")
        print(f"| {title} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
