"""Differential fuzzing: mutated tokens, cookies and stored hashes go to ferroauth
and to the real peer (PyJWT, itsdangerous, Flask's session serializer, Django
signing, werkzeug's check_password_hash); both must accept with the same result
or reject with the same exception class and message.

One mutation engine serves every format: byte flips, single-bit flips,
truncation, insertion, deletion, base64 alphabet swaps (``-_`` <-> ``+/``),
padding added or removed, and segment duplication or swapping around the
format's separator. Several mutations stack per example. Example counts are
kept moderate (FERROAUTH_EXAMPLES, default 120) so each test takes seconds.
"""

from __future__ import annotations

import os
import re
import time
import warnings

import django
import flask
import itsdangerous as peer_its
import jwt as pyjwt
import pytest
from django.core import signing as dj
from flask.sessions import SecureCookieSessionInterface
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug import security as wz

import ferroauth.itsdangerous as fa_its
import ferroauth.jwt as fa_jwt
from ferroauth import werkzeug as fa_wz
from ferroauth.django import signing as fa_dj
from ferroauth.flask import SessionInterface

# Django's signing reads settings (SECRET_KEY_FALLBACKS): use the test project's.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django.project.settings")
django.setup()

pytestmark = pytest.mark.filterwarnings("ignore")

SETTINGS = settings(
    max_examples=int(os.environ.get("FERROAUTH_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FROZEN = "2023-11-14 22:13:20"
NOW = 1_700_000_000
CHARS = "AZaz09-_+/=.:!~ \x00é\u2028"
KINDS = [
    "replace",
    "bitflip",
    "truncate",
    "insert",
    "delete",
    "alphabet",
    "pad",
    "unpad",
    "duplicate",
    "swap",
]
SWAP = str.maketrans({"-": "+", "_": "/", "+": "-", "/": "_"})


@st.composite
def mutations(draw, text: str, sep: str) -> str:
    """`text` after one to three mutations."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(KINDS))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "replace" and text:
            text = text[:pos] + draw(st.sampled_from(CHARS)) + text[pos + 1 :]
        elif kind == "bitflip" and text:
            flipped = chr(ord(text[pos]) ^ (1 << draw(st.integers(0, 6))))
            text = text[:pos] + flipped + text[pos + 1 :]
        elif kind == "truncate":
            text = text[:pos]
        elif kind == "insert":
            text = text[:pos] + draw(st.sampled_from(CHARS)) + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + 1 :]
        elif kind == "alphabet":
            # One character, or every one, swapped between the two base64 alphabets.
            if draw(st.booleans()):
                text = text.translate(SWAP)
            elif text:
                text = text[:pos] + text[pos].translate(SWAP) + text[pos + 1 :]
        elif kind in ("pad", "unpad", "duplicate", "swap"):
            parts = text.split(sep)
            i = draw(st.integers(0, len(parts) - 1))
            if kind == "pad":
                parts[i] += "=" * draw(st.integers(1, 3))
            elif kind == "unpad":
                parts[i] = parts[i].rstrip("=")
            elif kind == "duplicate":
                parts.insert(i, parts[i])
            elif len(parts) > 1:
                j = draw(st.integers(0, len(parts) - 1))
                parts[i], parts[j] = parts[j], parts[i]
            text = sep.join(parts)
    return text


def outcome(fn, *args, **kwargs):
    """("ok", repr of the result) or ("err", exception class name, message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", repr(fn(*args, **kwargs)))
        except Exception as exc:  # noqa: BLE001 - compared, not swallowed
            return ("err", type(exc).__name__, str(exc))


# -- PyJWT -----------------------------------------------------------------------

JWT_KEY = "a-secret-that-is-long-enough-for-hs512-" * 2
JWT_TOKEN = pyjwt.encode(
    {"sub": "user", "exp": 4_000_000_000, "aud": "api", "iat": 1_600_000_000},
    JWT_KEY,
    algorithm="HS256",
)


@SETTINGS
@given(data=st.data())
def test_mutated_jwts(data) -> None:
    token = data.draw(mutations(JWT_TOKEN, "."))
    for arg in (token, token.encode("utf-8", "surrogatepass")):
        kwargs = {"algorithms": ["HS256", "HS512"], "audience": "api"}
        assert outcome(fa_jwt.decode, arg, JWT_KEY, **kwargs) == outcome(
            pyjwt.decode, arg, JWT_KEY, **kwargs
        ), token
        assert (
            outcome(fa_jwt.decode_complete, arg, JWT_KEY, **kwargs)[:2]
            == outcome(pyjwt.decode_complete, arg, JWT_KEY, **kwargs)[:2]
        ), token


# -- itsdangerous and Flask's session cookie ------------------------------------

SESSION = {"user_id": 42, "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131", "roles": ["a", "b"]}


def _its_pair(kind: str):
    if kind == "signer":
        return fa_its.Signer("secret-key"), peer_its.Signer("secret-key")
    if kind == "timestamp":
        return fa_its.TimestampSigner("secret-key"), peer_its.TimestampSigner("secret-key")
    if kind == "serializer":
        return (
            fa_its.URLSafeSerializer("secret-key", salt="s"),
            peer_its.URLSafeSerializer("secret-key", salt="s"),
        )
    return (
        fa_its.URLSafeTimedSerializer("secret-key", salt="s"),
        peer_its.URLSafeTimedSerializer("secret-key", salt="s"),
    )


@SETTINGS
@given(
    data=st.data(),
    kind=st.sampled_from(["signer", "timestamp", "serializer", "timed"]),
    compressible=st.booleans(),
)
def test_mutated_itsdangerous_tokens(data, kind, compressible) -> None:
    ours, theirs = _its_pair(kind)
    obj = dict(SESSION, pad="x" * 200) if compressible else SESSION
    with freeze_time(FROZEN):
        if kind in ("signer", "timestamp"):
            token = theirs.sign("hello world").decode()
            calls = ("unsign",) if kind == "signer" else ("unsign", "unsign_max_age")
        else:
            token = theirs.dumps(obj)
            calls = ("loads", "loads_unsafe") if kind == "serializer" else ("loads", "loads_age")
        bad = data.draw(mutations(token, "."))
        for arg in (bad, bad.encode("utf-8", "surrogatepass")):
            for call in calls:
                name, kwargs = call.split("_")[0], {}
                if call.endswith("max_age") or call.endswith("age"):
                    kwargs = {"max_age": 60}
                if call == "loads_unsafe":
                    name = "loads_unsafe"
                mine = outcome(getattr(ours, name), arg, **kwargs)
                peer = outcome(getattr(theirs, name), arg, **kwargs)
                assert mine == peer, (call, bad)


def _flask_serializers():
    app = flask.Flask(__name__)
    app.secret_key = "flask-secret"
    return app, SessionInterface(), SecureCookieSessionInterface()


@SETTINGS
@given(data=st.data(), compressible=st.booleans())
def test_mutated_flask_session_cookies(data, compressible) -> None:
    app, ours, stock = _flask_serializers()
    obj = dict(SESSION, pad="x" * 200) if compressible else SESSION
    with freeze_time(FROZEN), app.app_context():
        mine_s, peer_s = ours.get_signing_serializer(app), stock.get_signing_serializer(app)
        cookie = peer_s.dumps(obj)
        bad = data.draw(mutations(cookie, "."))
        max_age = int(app.permanent_session_lifetime.total_seconds())
        assert outcome(mine_s.loads, bad, max_age=max_age) == outcome(
            peer_s.loads, bad, max_age=max_age
        ), bad


# -- Django signing ---------------------------------------------------------------


def _frozen():
    from unittest import mock

    return mock.patch("time.time", return_value=NOW)


@SETTINGS
@given(
    data=st.data(),
    kind=st.sampled_from(["loads", "signer", "timestamp"]),
    compress=st.booleans(),
)
def test_mutated_django_tokens(data, kind, compress) -> None:
    obj = dict(SESSION, pad="x" * 200) if compress else SESSION
    with _frozen():
        if kind == "loads":
            token = dj.dumps(obj, key="django-secret", compress=compress)
        elif kind == "signer":
            token = dj.Signer(key="django-secret").sign("hello world")
        else:
            token = dj.TimestampSigner(key="django-secret").sign("hello world")
        bad = data.draw(mutations(token, ":"))
        if kind == "loads":
            mine = outcome(fa_dj.loads, bad, key="django-secret", max_age=60)
            peer = outcome(dj.loads, bad, key="django-secret", max_age=60)
        elif kind == "signer":
            mine = outcome(fa_dj.Signer(key="django-secret").unsign, bad)
            peer = outcome(dj.Signer(key="django-secret").unsign, bad)
        else:
            mine = outcome(fa_dj.TimestampSigner(key="django-secret").unsign, bad, max_age=60)
            peer = outcome(dj.TimestampSigner(key="django-secret").unsign, bad, max_age=60)
    assert mine == peer, bad


# -- werkzeug stored hashes ---------------------------------------------------------

# Cheap parameters: a mutation can only make them cheaper or be skipped below.
STORED = [
    wz.generate_password_hash("correct horse", "pbkdf2:sha256:1000"),
    wz.generate_password_hash("correct horse", "pbkdf2:sha1:1000"),
    wz.generate_password_hash("correct horse", "scrypt:1024:8:1"),
]


def _cheap(stored: str) -> bool:
    """Would werkzeug's own (unbounded) KDF run finish quickly on this method?"""
    method = stored.split("$", 1)[0]
    numbers = [int(n) for n in re.findall(r"\d+", method)]
    return all(n <= 20_000 for n in numbers)


@SETTINGS
@given(data=st.data(), base=st.sampled_from(STORED), right=st.booleans())
@example(data=None, base="pbkdf2:sha256:1000$$", right=True)
def test_mutated_werkzeug_hashes(data, base, right) -> None:
    bad = base if data is None else data.draw(mutations(base, "$"))
    if not _cheap(bad):
        return
    password = "correct horse" if right else "wrong"
    assert outcome(fa_wz.check_password_hash, bad, password) == outcome(
        wz.check_password_hash, bad, password
    ), bad


def test_tokens_are_valid_before_mutation() -> None:
    # The seeds themselves must be accepted by both sides, or every mutation
    # would just compare two rejections.
    assert fa_jwt.decode(JWT_TOKEN, JWT_KEY, algorithms=["HS256"], audience="api")["sub"] == "user"
    for stored in STORED:
        assert fa_wz.check_password_hash(stored, "correct horse")
    with _frozen():
        assert fa_dj.loads(dj.dumps(SESSION, key="k"), key="k") == SESSION
    start = time.time()
    with freeze_time(FROZEN):
        token = peer_its.URLSafeTimedSerializer("secret-key", salt="s").dumps(SESSION)
        assert fa_its.URLSafeTimedSerializer("secret-key", salt="s").loads(token) == SESSION
    assert time.time() >= start
