"""Golden tokens recorded from itsdangerous 2.2.0, Flask 3.1.3 and Starlette
1.10.0 (shared/vectors/signing.json): ferroauth must produce and accept each."""

from __future__ import annotations

import json
from pathlib import Path

import flask
import pytest
from freezegun import freeze_time

import ferroauth.itsdangerous as fi
from ferroauth.flask import init_app
from ferroauth.starlette import SessionMiddleware

# shared/ sits beside the checkout (CI: a fresh clone with shared/ beside it).
_ROOT = Path(__file__).resolve().parents[2]
VECTORS_FILE = (
    next(
        p
        for p in [_ROOT / "shared", _ROOT.parent / "shared", _ROOT.parent.parent / "shared"]
        if (p / "vectors" / "signing.json").exists()
    )
    / "vectors"
    / "signing.json"
)
VECTORS = [
    v for v in json.loads(VECTORS_FILE.read_text())["vectors"] if not v["kind"].startswith("django")
]


def _ids(v: dict) -> str:
    return v["kind"] + ":" + v["token"][:12]


def test_vector_kinds_present() -> None:
    kinds = {v["kind"] for v in VECTORS}
    assert {"itsdangerous.Signer", "flask.session", "starlette.SessionMiddleware"} <= kinds
    assert len(VECTORS) == 12


@pytest.mark.parametrize("v", VECTORS, ids=_ids)
def test_vector_produced_and_accepted(v: dict) -> None:
    p = v["params"]
    kind = v["kind"]
    ts = p.get("ts", 1700000000)
    with freeze_time("2023-11-14 22:13:20"):  # == 1700000000
        assert int(__import__("time").time()) == ts
        if kind == "itsdangerous.Signer":
            s = fi.Signer(p["secret"], key_derivation=p["key_derivation"])
            assert s.sign(p["value"]).decode() == v["token"]
            assert s.unsign(v["token"]) == p["value"].encode()
        elif kind == "itsdangerous.TimestampSigner":
            s = fi.TimestampSigner(p["secret"])
            assert s.sign(p["value"]).decode() == v["token"]
            assert s.unsign(v["token"], max_age=60) == p["value"].encode()
        elif kind == "itsdangerous.URLSafeTimedSerializer":
            s = fi.URLSafeTimedSerializer(p["secret"], salt=p["salt"])
            assert s.dumps(p["obj"]) == v["token"]
            assert s.loads(v["token"], max_age=60) == p["obj"]
        elif kind == "itsdangerous.URLSafeSerializer":
            s = fi.URLSafeSerializer(p["secret"], salt=p["salt"])
            assert s.dumps(p["obj"]) == v["token"]
            assert s.loads(v["token"]) == p["obj"]
        elif kind == "itsdangerous.Serializer(json)":
            s = fi.Serializer(p["secret"], salt=p["salt"])
            assert s.dumps(p["obj"]) == v["token"]
            assert s.loads(v["token"]) == p["obj"]
        elif kind == "flask.session":
            app = flask.Flask(__name__)
            app.secret_key = p["SECRET_KEY"]
            init_app(app)
            with app.app_context():
                s = app.session_interface.get_signing_serializer(app)
                assert s._core is not None  # the Rust path is what is tested
                assert s.dumps(p["obj"]) == v["token"]
                assert s.loads(v["token"], max_age=60) == p["obj"]
        elif kind == "starlette.SessionMiddleware":
            mw = SessionMiddleware(None, secret_key=p["secret_key"])  # type: ignore[arg-type]
            assert mw.dump(p["obj"]) == v["token"]
            assert mw.load(v["token"]) == p["obj"]
        else:  # pragma: no cover
            pytest.fail(f"unknown vector kind {kind}")


@pytest.mark.parametrize("v", VECTORS, ids=_ids)
def test_vector_rejected_after_expiry_or_tamper(v: dict) -> None:
    p = v["params"]
    if "ts" not in p:
        return
    token = v["token"]
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with freeze_time("2023-11-15 22:13:20"):  # one day later
        if v["kind"] == "flask.session":
            app = flask.Flask(__name__)
            app.secret_key = p["SECRET_KEY"]
            init_app(app)
            with app.app_context():
                s = app.session_interface.get_signing_serializer(app)
                with pytest.raises(fi.SignatureExpired):
                    s.loads(token, max_age=3600)
                with pytest.raises(fi.BadSignature):
                    s.loads(tampered, max_age=10**9)
        elif v["kind"] == "starlette.SessionMiddleware":
            mw = SessionMiddleware(None, secret_key=p["secret_key"], max_age=3600)  # type: ignore[arg-type]
            with pytest.raises(fi.SignatureExpired):
                mw.load(token)
            with pytest.raises(fi.BadSignature):
                mw.load(tampered)
        elif v["kind"] == "itsdangerous.TimestampSigner":
            s = fi.TimestampSigner(p["secret"])
            with pytest.raises(fi.SignatureExpired, match=r"Signature age 86400 > 3600 seconds"):
                s.unsign(token, max_age=3600)
        else:
            s = fi.URLSafeTimedSerializer(p["secret"], salt=p["salt"])
            with pytest.raises(fi.SignatureExpired) as e:
                s.loads(token, max_age=3600)
            assert e.value.date_signed is not None
            assert e.value.date_signed.timestamp() == 1700000000
            with pytest.raises(fi.BadSignature):
                s.loads(tampered)
