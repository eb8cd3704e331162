"""Server-side sessions in real Flask and FastAPI apps, on both backends."""

import uuid

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from flask import Flask, session

from ferroauth.store import MemoryStore, RedisStore
from ferroauth.store.base import StoreUnavailable
from ferroauth.store.flask import ServerSessionInterface, regenerate
from ferroauth.store.starlette import ServerSessionMiddleware

SECRET = "adapter-secret"


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore(SECRET)
    server = request.getfixturevalue("redis_server")
    return RedisStore(SECRET, server.client, prefix=f"a{uuid.uuid4().hex[:6]}:")


def tampered(sid: str) -> str:
    """The same id with its signature's first character changed."""
    token, _, signature = sid.partition(".")
    return f"{token}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


class DownStore(MemoryStore):
    def _get(self, key):
        raise StoreUnavailable("the session store is unreachable: test")


def flask_app(store):
    app = Flask(__name__)
    app.secret_key = SECRET
    app.session_interface = ServerSessionInterface(store)

    @app.post("/login/<user>")
    def login(user):
        regenerate(session, user_id=user)
        session["user"] = user
        return "ok"

    @app.get("/me")
    def me():
        return session.get("user", "anonymous")

    @app.post("/logout")
    def logout():
        session.clear()
        return "bye"

    return app


def test_flask_sessions_live_on_the_server(store):
    client = flask_app(store).test_client()
    assert client.get("/me").text == "anonymous"
    client.post("/login/alice")
    cookie = client.get_cookie("session")
    assert "alice" not in cookie.value and store.get(cookie.value) == {"user": "alice"}
    assert client.get("/me").text == "alice"
    # Logging in again moves the session to a new id (no fixation).
    client.post("/login/alice")
    assert client.get_cookie("session").value != cookie.value
    assert store.get(cookie.value) is None
    # Revoking the user ends the session everywhere.
    assert store.revoke_user("alice") == 1
    assert client.get("/me").text == "anonymous"


def test_flask_logout_tampering_and_outage(store):
    client = flask_app(store).test_client()
    client.post("/login/bob")
    sid = client.get_cookie("session").value
    client.post("/logout")
    assert store.get(sid) is None
    client.set_cookie("session", tampered(sid))
    assert client.get("/me").text == "anonymous"
    down = flask_app(DownStore(SECRET)).test_client()
    down.set_cookie("session", sid)
    response = down.get("/me")
    assert response.text == "anonymous" and "Set-Cookie" not in response.headers


def fastapi_app(store):
    app = FastAPI()
    app.add_middleware(ServerSessionMiddleware, store=store)

    @app.post("/login/{user}")
    def login(user: str, request: Request):
        request.scope["session_regenerate"] = True
        request.scope["session_user_id"] = user
        request.session["user"] = user
        return "ok"

    @app.get("/me")
    def me(request: Request):
        return request.session.get("user", "anonymous")

    @app.post("/logout")
    def logout(request: Request):
        request.session.clear()
        return "bye"

    return app


def test_fastapi_sessions_live_on_the_server(store):
    client = TestClient(fastapi_app(store))
    assert client.get("/me").json() == "anonymous"
    client.post("/login/carol")
    sid = client.cookies["session"]
    assert store.get(sid) == {"user": "carol"}
    assert client.get("/me").json() == "carol"
    client.post("/login/carol")
    assert client.cookies["session"] != sid and store.get(sid) is None
    assert store.revoke_user("carol") == 1
    assert client.get("/me").json() == "anonymous"


def test_fastapi_logout_tampering_and_outage(store):
    client = TestClient(fastapi_app(store))
    client.post("/login/dave")
    sid = client.cookies["session"]
    client.post("/logout")
    assert store.get(sid) is None
    client.cookies.set("session", tampered(sid))
    assert client.get("/me").json() == "anonymous"
    down = TestClient(fastapi_app(DownStore(SECRET)))
    down.cookies.set("session", sid)
    response = down.get("/me")
    assert response.json() == "anonymous" and "set-cookie" not in response.headers
