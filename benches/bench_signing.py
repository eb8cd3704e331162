"""Signed-session benchmarks: ferroauth side by side with the peers, in one process.

    python benches/bench_signing.py [--quick]

Prints µs per operation (best of several repeats) and the speed-up ratio for:
URLSafeTimedSerializer dumps+loads (itsdangerous), a Flask request's session
open+save through the session interface, and Starlette's cookie dumps+loads.
"""

from __future__ import annotations

import json
import sys
import time
import timeit
import typing as t
import zlib
from base64 import b64decode, b64encode

import flask
import itsdangerous
from flask.sessions import SecureCookieSessionInterface
from starlette.middleware.sessions import Session
from starlette.middleware.sessions import SessionMiddleware as StockMiddleware

import ferroauth.itsdangerous as fi
from ferroauth.flask import SessionInterface
from ferroauth.starlette import SessionMiddleware

SESSION = {
    "user_id": 42,
    "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131",
    "roles": ["a", "b"],
    "_fresh": True,
}


def best(fn, number: int, repeat: int) -> float:
    """Best time per call in µs, as CPU time of this process: everything here runs
    on one thread, so on an idle machine that is the wall time, and on a busy one
    it leaves out the time other processes hold the core."""
    return (
        min(timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)) / number * 1e6
    )


def itsdangerous_pair():
    def make(mod):
        s = mod.URLSafeTimedSerializer("secret-key", salt="bench")
        return lambda: s.loads(s.dumps(SESSION), max_age=3600)

    return make(itsdangerous), make(fi)


def itsdangerous_split():
    """dumps alone and loads alone."""
    pairs = {}
    for mod in (itsdangerous, fi):
        s = mod.URLSafeTimedSerializer("secret-key", salt="bench")
        token = s.dumps(SESSION)
        pairs[mod] = (lambda s=s: s.dumps(SESSION), lambda s=s, t=token: s.loads(t, max_age=3600))
    return (pairs[itsdangerous][0], pairs[fi][0]), (pairs[itsdangerous][1], pairs[fi][1])


_contexts: list[t.Any] = []


def flask_request(interface: t.Any) -> t.Callable[[], None]:
    """One request's session work through ``interface``: open_session + save_session
    (Flask's cookie writing included) inside one pushed request context, whose
    cookie the stock interface wrote."""
    app = flask.Flask("bench")
    app.secret_key = "flask-secret"
    app.session_interface = interface
    token = SecureCookieSessionInterface().get_signing_serializer(app).dumps(SESSION)
    ctx = app.test_request_context(headers={"Cookie": f"session={token}"})
    ctx.push()
    _contexts.append(ctx)
    request = flask.request._get_current_object()
    response = app.response_class()

    def one() -> None:
        session = interface.open_session(app, request)
        session["n"] = 1
        interface.save_session(app, session, response)
        response.headers.clear()

    one()
    return one


def flask_pair():
    """The per-request work a session interface does, Flask's and ours."""
    return flask_request(SecureCookieSessionInterface()), flask_request(SessionInterface())


def flask_serializer_pair():
    """Only the part a session interface delegates to its serializer: dumps+loads."""
    app = flask.Flask("bench-serializer")
    app.secret_key = "flask-secret"
    app.app_context().push()

    def make(interface):
        s = interface.get_signing_serializer(app)
        return lambda: s.loads(s.dumps(SESSION), max_age=2678400)

    return make(SecureCookieSessionInterface()), make(SessionInterface())


def starlette_pair():
    stock = StockMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
    ours = SessionMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]

    # What the stock middleware does per request around its signer: encode the
    # cookie, build the Session, and the reverse on the way out.
    def peer() -> None:
        cookie = stock.signer.sign(b64encode(json.dumps(SESSION).encode("utf-8"))).decode("utf-8")
        data = stock.signer.unsign(cookie.encode("utf-8"), max_age=stock.max_age)
        Session(json.loads(b64decode(data)))

    def mine() -> None:
        ours.load(ours.dump(SESSION))

    return peer, mine


def zlib_floor():
    """What compression alone costs for this payload: the core's deflate as
    ferroauth's dumps runs it (its own byte-identical copy of zlib's level 6,
    src/deflate/), CPython's zlib.compress (a fresh zlib stream per call, as
    itsdangerous runs it) and inflate (Python's zlib, which also sets up a
    stream: an upper bound for the core's)."""
    from ferroauth._core import django_compress

    data = json.dumps(SESSION, separators=(",", ":")).encode("utf-8")
    compressed = zlib.compress(data)
    assert django_compress(data) == compressed
    return (
        (lambda: zlib.decompress(compressed)),
        (lambda: django_compress(data)),
        (lambda: zlib.compress(data)),
    )


def itsdangerous_core_pair():
    """The floor under the drop-in's dumps+loads: the same work through the Rust
    core alone (the SignerCore the serializer's fast path calls), with none of
    the Python that keeps ``URLSafeTimedSerializer`` exact (its attribute
    checks, its frames)."""
    s = fi.URLSafeTimedSerializer("secret-key", salt="bench")
    core, timed = s._fast_core(None)
    assert timed and core.loads_now(core.dumps_now(SESSION), 3600) == SESSION
    return lambda: core.loads_now(core.dumps_now(SESSION), 3600)


def main() -> None:
    quick = "--quick" in sys.argv
    number, repeat = (500, 3) if quick else (2000, 7)
    rows = []
    dumps_pair, loads_pair = itsdangerous_split()
    for name, (peer, mine) in [
        ("itsdangerous URLSafeTimedSerializer dumps+loads", itsdangerous_pair()),
        ("  dumps alone", dumps_pair),
        ("  loads alone", loads_pair),
        ("Flask session open+save (per request)", flask_pair()),
        ("Flask session serializer dumps+loads", flask_serializer_pair()),
        ("Starlette session dumps+loads", starlette_pair()),
    ]:
        # Interleave the two so load from elsewhere on the machine hits both alike.
        p = m = float("inf")
        for _ in range(repeat):
            p = min(p, best(peer, number, 1))
            m = min(m, best(mine, number, 1))
        rows.append((name, p, m, p / m))
    print(f"| {'operation':<50} | {'peer µs':>8} | {'ferroauth µs':>12} | {'speed-up':>8} |")
    print(f"|{'-' * 52}|{'-' * 10}|{'-' * 14}|{'-' * 10}|")
    for name, p, m, r in rows:
        print(f"| {name:<50} | {p:8.2f} | {m:12.2f} | {r:7.1f}x |")

    # Floors: the part of the time no signing code can remove.
    inflate, deflate, cpython_deflate = zlib_floor()
    d = i = c = float("inf")
    for _ in range(repeat):
        d = min(d, best(deflate, number, 1))
        c = min(c, best(cpython_deflate, number, 1))
        i = min(i, best(inflate, number, 1))
    core_pair = itsdangerous_core_pair()
    floor = min(best(core_pair, number, 1) for _ in range(repeat))
    by_name = {name: m for name, _, m, _ in rows}
    peer_pair = next(p for name, p, _, _ in rows if name.startswith("itsdangerous"))
    flask_rest = (
        by_name["Flask session open+save (per request)"]
        - by_name["Flask session serializer dumps+loads"]
    )
    print()
    print(f"deflate of the session JSON (ferroauth's, = zlib level 6 byte for byte): {d:.2f} µs")
    print(f"  the same with CPython's zlib.compress (fresh zlib stream): {c:.2f} µs")
    print(f"zlib inflate of it (zlib.decompress, stream setup included): {i:.2f} µs")
    print(
        "itsdangerous dumps+loads through the Rust core alone (no Python adapter): "
        f"{floor:.2f} µs, {peer_pair / floor:.1f}x the peer"
    )
    print(
        "Flask open+save minus the serializer's dumps+loads (Flask/Werkzeug work): "
        f"{flask_rest:.2f} µs"
    )


if __name__ == "__main__":
    main()
