"""Differential tests: ferroauth against the real itsdangerous, Flask and
Starlette, under a frozen clock. Tokens must be byte-identical, each side must
load the other's, and failures must raise the same exception with the same
message and attributes."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from base64 import b64encode

import flask
import itsdangerous as peer
import pytest
from flask.sessions import SecureCookieSessionInterface
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from starlette.middleware.sessions import SessionMiddleware as PeerMiddleware

import ferroauth.itsdangerous as fi
from ferroauth.flask import SessionInterface
from ferroauth.starlette import SessionMiddleware

FROZEN = "2023-11-14 22:13:20"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(max_size=40)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30,
)
sessions = st.dictionaries(text, json_values, max_size=8)

# Flask's tagged types on top of plain JSON.
flask_scalars = (
    scalars
    | st.binary(max_size=30)
    | st.uuids()
    | st.builds(Markup, text)
    | st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1)).map(
        lambda d: d.replace(microsecond=0, tzinfo=dt.timezone.utc)
    )
)
flask_values = st.recursive(
    flask_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(
            text | st.sampled_from([" t", " di", " b", " m", " u", " d"]), inner, max_size=4
        )
    ),
    max_leaves=25,
)
flask_sessions = st.dictionaries(text, flask_values, max_size=6)

SECRETS = st.sampled_from(["secret", b"\x00\xffbinary", ["old", "new"]])


def _cls(module: object, name: str) -> type:
    return getattr(module, name)


@pytest.mark.parametrize("name", ["URLSafeTimedSerializer", "URLSafeSerializer", "Serializer"])
@SETTINGS
@given(obj=sessions, secret=SECRETS, salt=st.sampled_from([b"itsdangerous", "other salt"]))
def test_serializers_byte_identical(name: str, obj: dict, secret: object, salt: object) -> None:
    with freeze_time(FROZEN):
        ours = _cls(fi, name)(secret, salt=salt)
        theirs = _cls(peer, name)(secret, salt=salt)
        a = ours.dumps(obj)
        b = theirs.dumps(obj)
        assert a == b
        assert ours.loads(b) == theirs.loads(a) == json.loads(json.dumps(obj))


@SETTINGS
@given(obj=sessions, big=st.integers(min_value=0, max_value=3))
def test_large_and_nested_sessions(obj: dict, big: int) -> None:
    obj = dict(obj, blob="x" * (1000 * big), nest=[[[[{"k": [1.5, None]}]]]] * big)
    with freeze_time(FROZEN):
        a = fi.URLSafeTimedSerializer("k").dumps(obj)
        assert a == peer.URLSafeTimedSerializer("k").dumps(obj)
        assert fi.URLSafeTimedSerializer("k").loads(a, max_age=5) == obj


@pytest.mark.parametrize(
    "signer_kwargs",
    [
        {},
        {"key_derivation": "concat"},
        {"key_derivation": "hmac", "digest_method": "sha256"},
        {"key_derivation": "none", "digest_method": "sha512"},
        {"sep": "~", "digest_method": "md5"},
        {"key_derivation": "django-concat", "digest_method": "sha384"},
    ],
)
@settings(max_examples=40, deadline=None)
@given(value=st.binary(max_size=60))
def test_signers_byte_identical(signer_kwargs: dict, value: bytes) -> None:
    import hashlib

    kw = dict(signer_kwargs)
    if "digest_method" in kw:
        kw["digest_method"] = getattr(hashlib, kw["digest_method"])
    with freeze_time(FROZEN):
        for cls in ("Signer", "TimestampSigner"):
            a = _cls(fi, cls)("key", **kw).sign(value)
            b = _cls(peer, cls)("key", **kw).sign(value)
            assert a == b
            assert _cls(fi, cls)("key", **kw).unsign(b) == value


def _raise(fn, *args, **kwargs) -> tuple:
    try:
        fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is what we compare
        attrs = tuple(
            str(getattr(e, a, None)) for a in ("payload", "date_signed", "original_error")
        )
        return type(e).__name__, str(e), attrs
    return ("no error",)


@SETTINGS
@given(
    obj=sessions,
    edit=st.tuples(st.integers(min_value=0, max_value=200), st.sampled_from("aZ._-=!é+/")),
    cut=st.integers(min_value=0, max_value=200),
    max_age=st.sampled_from([None, 0, 10, -1]),
    later=st.sampled_from([0, 11, -5]),
)
def test_bad_tokens_raise_identically(obj, edit, cut, max_age, later) -> None:
    with freeze_time(FROZEN) as frozen:
        token = peer.URLSafeTimedSerializer("k").dumps(obj)
        pos, ch = edit
        pos %= len(token)
        variants = [token[:pos] + ch + token[pos + 1 :], token[: cut % len(token)], token]
        frozen.tick(dt.timedelta(seconds=later))
        for v in variants:
            ours = _raise(fi.URLSafeTimedSerializer("k").loads, v, max_age=max_age)
            theirs = _raise(peer.URLSafeTimedSerializer("k").loads, v, max_age=max_age)
            assert ours[:2] == theirs[:2]
            if len(ours) > 2:
                assert ours[2][:2] == theirs[2][:2]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=40) | st.text(max_size=40))
def test_lenient_base64_matches(data) -> None:
    assert _raise(fi.base64_decode, data)[:2] == _raise(peer.base64_decode, data)[:2]
    try:
        want = peer.base64_decode(data)
    except peer.BadData:
        return
    assert fi.base64_decode(data) == want
    from ferroauth._core import signing_b64decode

    raw = data.encode("ascii", "ignore") if isinstance(data, str) else data
    assert signing_b64decode(raw) == want


@settings(max_examples=300, deadline=None)
@given(x=st.floats() | st.integers())
def test_number_formatting(x) -> None:
    with freeze_time(FROZEN):
        assert fi.URLSafeSerializer("k").dumps([x]) == peer.URLSafeSerializer("k").dumps([x])
        assert fi.Serializer("k").dumps({"x": x}) == peer.Serializer("k").dumps({"x": x})


# -- Flask ---------------------------------------------------------------------


def _flask_pair(secret="flask-secret", fallbacks=()):
    app = flask.Flask(__name__)
    app.secret_key = secret
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    return app, SessionInterface(), SecureCookieSessionInterface()


def _equal(a, b) -> bool:
    # Markup == str compares equal; also require same types.
    return (
        a == b
        and type(a) is type(b)
        and (
            not isinstance(a, (list, tuple, dict))
            or (
                all(_equal(x, y) for x, y in zip(a, b, strict=True))
                if not isinstance(a, dict)
                else all(_equal(a[k], b[k]) for k in a)
            )
        )
    )


@SETTINGS
@given(obj=flask_sessions)
def test_flask_sessions_byte_identical(obj: dict) -> None:
    app, ours, stock = _flask_pair()
    with freeze_time(FROZEN), app.app_context():
        s_ours = ours.get_signing_serializer(app)
        s_stock = stock.get_signing_serializer(app)
        assert s_ours._core is not None
        a = s_ours.dumps(obj)
        b = s_stock.dumps(obj)
        assert a == b
        assert _equal(s_ours.loads(b, max_age=31 * 86400), s_stock.loads(a))


def test_flask_key_fallbacks_order() -> None:
    app_old, _, stock_old = _flask_pair("old")
    app_new, ours_new, stock_new = _flask_pair("new", fallbacks=["older", "old"])
    with freeze_time(FROZEN):
        with app_old.app_context():
            old_token = stock_old.get_signing_serializer(app_old).dumps({"a": 1})
        with app_new.app_context():
            ser = ours_new.get_signing_serializer(app_new)
            assert ser.loads(old_token) == {"a": 1}
            assert ser.dumps({"a": 1}) == stock_new.get_signing_serializer(app_new).dumps({"a": 1})


def test_flask_special_values_fall_back_identically() -> None:
    app, ours, stock = _flask_pair()
    obj = {
        "u": uuid.UUID(int=7),
        "m": Markup("<b>x</b>"),
        "d": dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        "date": dt.date(2020, 1, 2),
        " t": (1, b"\x00"),
    }
    with freeze_time(FROZEN), app.app_context():
        a = ours.get_signing_serializer(app).dumps(obj)
        assert a == stock.get_signing_serializer(app).dumps(obj)
        back = ours.get_signing_serializer(app).loads(a)
        assert back["u"] == obj["u"] and isinstance(back["m"], Markup)


# -- Starlette -----------------------------------------------------------------


@SETTINGS
@given(obj=sessions)
def test_starlette_byte_identical(obj: dict) -> None:
    with freeze_time(FROZEN):
        ours = SessionMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        stock = PeerMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        theirs = stock.signer.sign(b64encode(json.dumps(obj).encode("utf-8"))).decode()
        assert ours.dump(obj) == theirs
        assert ours.load(theirs) == json.loads(json.dumps(obj))
        back = stock.signer.unsign(ours.dump(obj).encode(), max_age=stock.max_age)
        assert json.loads(__import__("base64").b64decode(back)) == json.loads(json.dumps(obj))


@SETTINGS
@given(obj=sessions)
def test_starlette_session_objects_match(obj: dict) -> None:
    """load() gives what Starlette's Session(json.loads(...)) gives: a fresh,
    unmodified Session with the same items in the same order; dump() of a
    Session (not only a dict) is the stock cookie."""
    from starlette.middleware.sessions import Session

    with freeze_time(FROZEN):
        ours = SessionMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        stock = PeerMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        cookie = stock.signer.sign(b64encode(json.dumps(obj).encode("utf-8"))).decode()
        expected = Session(json.loads(json.dumps(obj)))
        got = ours.load(cookie)
        assert type(got) is Session
        assert list(got.items()) == list(expected.items())
        assert (got.accessed, got.modified) == (False, False)
        assert ours.dump(Session(obj)) == cookie
        assert ours.load(ours.dump(got)) == expected


def test_starlette_non_object_cookie_takes_starlette_path() -> None:
    """A correctly signed cookie holding JSON that is not an object: Starlette
    hands it to Session(), and so do we (same result or same exception)."""
    from starlette.middleware.sessions import Session

    with freeze_time(FROZEN):
        ours = SessionMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        stock = PeerMiddleware(None, secret_key="starlette-secret")  # type: ignore[arg-type]
        for payload in ([["a", 1]], "x", 1, [], None):
            cookie = stock.signer.sign(b64encode(json.dumps(payload).encode())).decode()
            try:
                expected = Session(payload)
            except (TypeError, ValueError) as exc:
                with pytest.raises(type(exc)):
                    ours.load(cookie)
            else:
                assert ours.load(cookie) == expected


@settings(max_examples=60, deadline=None)
@given(obj=flask_sessions)
def test_flask_provider_settings_respected(obj: dict) -> None:
    app, ours, stock = _flask_pair()
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    with freeze_time(FROZEN), app.app_context():
        s_ours = ours.get_signing_serializer(app)
        assert s_ours._core is not None
        a = s_ours.dumps(obj)
        assert a == stock.get_signing_serializer(app).dumps(obj)
        assert _equal(s_ours.loads(a), stock.get_signing_serializer(app).loads(a))


def test_flask_outside_app_context_matches() -> None:
    app, ours, stock = _flask_pair()
    obj = {"b": 1, "a": (1, 2), "é": b"x"}
    with freeze_time(FROZEN):
        assert ours.get_signing_serializer(app).dumps(obj) == stock.get_signing_serializer(
            app
        ).dumps(obj)


@settings(max_examples=60, deadline=None)
@given(obj=sessions, tamper=st.booleans(), max_age=st.sampled_from([None, 5]))
def test_fallback_signers_return_timestamp_and_loads_unsafe(obj, tamper, max_age) -> None:
    import hashlib

    fallbacks = [{"digest_method": hashlib.sha256}, (peer.TimestampSigner, {"sep": "~"})]
    fallbacks_ours = [{"digest_method": hashlib.sha256}, (fi.TimestampSigner, {"sep": "~"})]
    with freeze_time(FROZEN):
        old_peer = peer.URLSafeTimedSerializer(
            "k", signer_kwargs={"digest_method": hashlib.sha256}
        ).dumps(obj)
        if tamper:
            old_peer = old_peer[:-1] + ("A" if old_peer[-1] != "A" else "B")
        ours = fi.URLSafeTimedSerializer("k", fallback_signers=fallbacks_ours)
        theirs = peer.URLSafeTimedSerializer("k", fallback_signers=fallbacks)
        a = _raise(ours.loads, old_peer, max_age=max_age, return_timestamp=True)
        b = _raise(theirs.loads, old_peer, max_age=max_age, return_timestamp=True)
        assert a[:2] == b[:2]
        if not tamper:
            assert ours.loads(old_peer, return_timestamp=True) == theirs.loads(
                old_peer, return_timestamp=True
            )
        assert ours.loads_unsafe(old_peer) == theirs.loads_unsafe(old_peer)
