"""Real Flask and FastAPI apps behind their test clients: cookies written by
the stock session machinery are read by ferroauth's and vice versa; tampered,
expired, truncated, oversized and garbage cookies give an empty session."""

from __future__ import annotations

import datetime as dt

import flask
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from flask.sessions import SecureCookieSessionInterface
from freezegun import freeze_time
from starlette.middleware.sessions import SessionMiddleware as StockMiddleware

from ferroauth.flask import init_app
from ferroauth.starlette import SessionMiddleware

FROZEN = "2023-11-14 22:13:20"
GARBAGE = [
    "",
    "x",
    ".",
    "..",
    ".e.e.e",
    "eyJhIjoxfQ.ZVPxAA.",
    ".eJwLAAAA.ZVPxAA.AAAA",
    "é" * 10,
    "\\x00" * 5,
    "a" * 5000,
]


def make_flask(ferro: bool) -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "flask-secret"
    app.permanent_session_lifetime = dt.timedelta(hours=1)
    if ferro:
        init_app(app)

    @app.route("/set")
    def set_() -> str:
        flask.session["user"] = "ada"
        flask.session["roles"] = ("admin", b"\x01")
        flask.session.permanent = True
        return "ok"

    @app.route("/get")
    def get() -> dict:
        return {"user": flask.session.get("user"), "n": len(flask.session)}

    return app


def _cookie(response, name: str = "session") -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("no session cookie set")


@pytest.mark.parametrize("writer,reader", [(False, True), (True, False), (True, True)])
def test_flask_cookies_cross_read(writer: bool, reader: bool) -> None:
    with freeze_time(FROZEN):
        w = make_flask(writer).test_client()
        resp = w.get("/set")
        cookie = _cookie(resp)
        stock_cookie = _cookie(make_flask(False).test_client().get("/set"))
        assert cookie == stock_cookie  # byte-identical Set-Cookie value
        assert resp.headers.getlist("Set-Cookie") == make_flask(False).test_client().get(
            "/set"
        ).headers.getlist("Set-Cookie")
        r = make_flask(reader).test_client()
        r.set_cookie("session", cookie)
        assert r.get("/get").json == {"user": "ada", "n": 3}


def test_flask_bad_cookies_give_empty_session() -> None:
    with freeze_time(FROZEN) as frozen:
        cookie = _cookie(make_flask(True).test_client().get("/set"))
        bad = [cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), cookie[: len(cookie) // 2]]
        bad += GARBAGE + ["a" * 70000]
        for value in bad:
            for ferro in (True, False):
                c = make_flask(ferro).test_client()
                c.set_cookie("session", value)
                assert c.get("/get").json == {"user": None, "n": 0}, (ferro, value[:40])
        frozen.tick(dt.timedelta(hours=2))  # past PERMANENT_SESSION_LIFETIME
        c = make_flask(True).test_client()
        c.set_cookie("session", cookie)
        assert c.get("/get").json == {"user": None, "n": 0}


def make_fastapi(ferro: bool, max_age: int | None = 3600) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        SessionMiddleware if ferro else StockMiddleware,
        secret_key="starlette-secret",
        max_age=max_age,
        same_site="strict",
        https_only=True,
    )

    @app.get("/set")
    def set_(request: Request) -> dict:
        request.session["user"] = "ada"
        request.session["cart"] = [1, 2.5, {"é": None}]
        return {}

    @app.get("/get")
    def get(request: Request) -> dict:
        return {"session": dict(request.session)}

    @app.get("/clear")
    def clear(request: Request) -> dict:
        request.session.clear()
        return {}

    return app


# Build and call an app (importing everything FastAPI needs) before freezegun
# swaps datetime.date: pydantic's compatibility types subclass it on import.
TestClient(make_fastapi(True)).get("/set")


@pytest.mark.parametrize("writer,reader", [(False, True), (True, False), (True, True)])
def test_fastapi_cookies_cross_read(writer: bool, reader: bool) -> None:
    with freeze_time(FROZEN):
        ours = TestClient(make_fastapi(writer)).get("/set")
        stock = TestClient(make_fastapi(False)).get("/set")
        assert ours.headers.get_list("set-cookie") == stock.headers.get_list("set-cookie")
        assert ours.headers.get("vary") == stock.headers.get("vary")
        cookie = ours.cookies["session"]
        client = TestClient(make_fastapi(reader))
        client.cookies.set("session", cookie)
        assert client.get("/get").json() == {
            "session": {"user": "ada", "cart": [1, 2.5, {"é": None}]}
        }
        cleared = client.get("/clear")
        stock_client = TestClient(make_fastapi(False))
        stock_client.cookies.set("session", cookie)
        assert cleared.headers.get_list("set-cookie") == stock_client.get(
            "/clear"
        ).headers.get_list("set-cookie")


def test_fastapi_bad_cookies_give_empty_session() -> None:
    with freeze_time(FROZEN) as frozen:
        cookie = TestClient(make_fastapi(True)).get("/set").cookies["session"]
        bad = [cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), cookie[:-10]]
        bad += [g for g in GARBAGE if g.isascii()] + ["a" * 70000]
        for value in bad:
            for ferro in (True, False):
                client = TestClient(make_fastapi(ferro))
                client.cookies.set("session", value)
                assert client.get("/get").json() == {"session": {}}, (ferro, value[:40])
        frozen.tick(dt.timedelta(hours=2))
        client = TestClient(make_fastapi(True))
        client.cookies.set("session", cookie)
        assert client.get("/get").json() == {"session": {}}
        unlimited = TestClient(make_fastapi(True, max_age=None))
        unlimited.cookies.set("session", cookie)
        assert unlimited.get("/get").json()["session"]["user"] == "ada"


FLASK_CONFIGS = [
    {},
    {"SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_SECURE": True},
    {"SESSION_COOKIE_SAMESITE": "strict", "SESSION_COOKIE_HTTPONLY": False},
    {"SESSION_COOKIE_PARTITIONED": True, "SESSION_COOKIE_NAME": "sess"},
    {"SESSION_COOKIE_PATH": "/app path/ü"},
    {"SESSION_COOKIE_DOMAIN": "example.com"},
    {"SESSION_REFRESH_EACH_REQUEST": False},
    {"MAX_COOKIE_SIZE": 60},
]


def make_flask_full(ferro: bool, config: dict) -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "flask-secret"
    app.config.update(config)
    if ferro:
        init_app(app)

    @app.route("/set/<int:permanent>")
    def set_(permanent: int) -> str:
        flask.session["user"] = "ada"
        flask.session.permanent = bool(permanent)
        return "ok"

    @app.route("/read")
    def read() -> str:
        return str(flask.session.get("user"))

    @app.route("/vary")
    def vary() -> flask.Response:
        flask.session.get("user")
        response = flask.make_response("ok")
        response.headers["Vary"] = "Accept-Encoding"
        return response

    @app.route("/vary-cookie")
    def vary_cookie() -> flask.Response:
        flask.session["user"] = "ada"
        response = flask.make_response("ok")
        response.headers["Vary"] = "cookie"
        return response

    @app.route("/vary-two")
    def vary_two() -> flask.Response:
        flask.session["user"] = "ada"
        response = flask.make_response("ok")
        response.headers.add("Vary", "Cookie")
        response.headers.add("Vary", "Accept")
        return response

    @app.route("/clear")
    def clear() -> str:
        flask.session.clear()
        return "ok"

    @app.route("/noop")
    def noop() -> str:
        return "ok"

    return app


@pytest.mark.parametrize("config", FLASK_CONFIGS, ids=lambda c: ",".join(c) or "default")
def test_flask_headers_identical_to_stock(config: dict) -> None:
    import warnings

    with freeze_time(FROZEN), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seed = make_flask_full(False, {}).test_client().get("/set/1")
        cookie = _cookie(seed)
        paths = ["/set/1", "/set/0", "/read", "/vary", "/vary-cookie", "/vary-two", "/clear"]
        for path in [*paths, "/noop"]:
            for with_cookie in (False, True):
                got = []
                for ferro in (False, True):
                    client = make_flask_full(ferro, config).test_client()
                    if with_cookie:
                        client.set_cookie("session", cookie)
                        client.set_cookie("sess", cookie)
                    r = client.get(path)
                    got.append(
                        (
                            r.status_code,
                            r.headers.getlist("Set-Cookie"),
                            r.headers.getlist("Vary"),
                            r.get_data(),
                        )
                    )
                assert got[0] == got[1], (path, with_cookie)


def test_flask_oversized_cookie_warns_as_stock() -> None:
    """MAX_COOKIE_SIZE read straight from the app's config must trigger the same
    Werkzeug warning as Flask's ``response.max_cookie_size``."""
    import warnings

    caught = []
    for ferro in (False, True):
        app = make_flask_full(ferro, {"MAX_COOKIE_SIZE": 60})
        with freeze_time(FROZEN), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = app.test_client().get("/set/0")
        caught.append(([str(x.message) for x in w], r.headers.getlist("Set-Cookie")))
    assert caught[0] == caught[1]
    assert caught[0][0], "the cookie is over 60 bytes: Werkzeug must warn"


def test_flask_save_session_for_another_app() -> None:
    """save_session called for an app other than the current one uses the
    response's own max_cookie_size (the current app's), as Flask does."""
    import warnings

    small = make_flask_full(True, {"MAX_COOKIE_SIZE": 60})
    big = make_flask_full(True, {})
    results = []
    for interface in (SecureCookieSessionInterface(), big.session_interface):
        with freeze_time(FROZEN), small.test_request_context("/"):
            session = interface.session_class()
            session["user"] = "ada"
            response = small.response_class()
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                interface.save_session(big, session, response)
            results.append(([str(x.message) for x in w], response.headers.getlist("Set-Cookie")))
    assert results[0] == results[1]
    assert results[0][0]


class _CustomSettings:
    """Cookie settings from overridden getters, not from app.config."""

    def get_cookie_name(self, app: flask.Flask) -> str:
        return "custom"

    def get_cookie_path(self, app: flask.Flask) -> str:
        return "/area"

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        return True

    def get_expiration_time(self, app: flask.Flask, session) -> dt.datetime:
        return dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

    def should_set_cookie(self, app: flask.Flask, session) -> bool:
        return True


def test_flask_overridden_getters_are_honoured() -> None:
    from ferroauth.flask import SessionInterface

    class Stock(_CustomSettings, SecureCookieSessionInterface):
        pass

    class Ours(_CustomSettings, SessionInterface):
        pass

    got = []
    for interface in (Stock(), Ours()):
        app = make_flask_full(False, {})
        app.session_interface = interface
        with freeze_time(FROZEN):
            client = app.test_client()
            first = client.get("/set/0")
            client.set_cookie("custom", _cookie(first, "custom"), path="/area")
            read = client.get("/area/../read")
        got.append((first.headers.getlist("Set-Cookie"), first.headers.getlist("Vary")))
    assert got[0] == got[1]
    assert got[0][0][0].startswith("custom=") and "Path=/area" in got[0][0][0]
    assert read.status_code == 404  # the route does not exist; the cookie was still read


class _PropertyApp(flask.Flask):
    """An app whose secret key and session lifetime are properties."""

    @property  # type: ignore[override]
    def secret_key(self) -> str:
        return "from-a-property"

    @property  # type: ignore[override]
    def permanent_session_lifetime(self) -> dt.timedelta:
        return dt.timedelta(seconds=5)


def test_flask_app_properties_are_honoured() -> None:
    """secret_key and permanent_session_lifetime overridden on an App subclass
    are used, not the config values behind Flask's own attributes."""
    stock_app = _PropertyApp(__name__)
    stock_app.config["SECRET_KEY"] = "from-config"
    with stock_app.test_request_context("/"):
        stock = SecureCookieSessionInterface().get_signing_serializer(stock_app)
        token = stock.dumps({"user": "ada"})
    for ferro in (False, True):
        app = _PropertyApp(__name__)
        app.config["SECRET_KEY"] = "from-config"
        if ferro:
            init_app(app)

        @app.route("/read")
        def read() -> str:
            return str(flask.session.get("user"))

        client = app.test_client()
        client.set_cookie("session", token)
        assert client.get("/read").get_data(as_text=True) == "ada", ferro
        # 6 s later the 5 s lifetime of the property has passed.
        with freeze_time(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=6)):
            assert client.get("/read").get_data(as_text=True) == "None", ferro


def test_flask_key_changes_between_requests() -> None:
    """A new SECRET_KEY, or an old one appended in place to a fallbacks list,
    takes effect on the next request, as with Flask's per-call serializer."""
    for ferro in (False, True):
        app = make_flask_full(ferro, {"SECRET_KEY_FALLBACKS": []})
        client = app.test_client()
        cookie = _cookie(client.get("/set/0"))
        client.set_cookie("session", cookie)
        assert client.get("/read").get_data(as_text=True) == "ada"
        app.secret_key = "rotated"
        assert client.get("/read").get_data(as_text=True) == "None", ferro
        app.config["SECRET_KEY_FALLBACKS"].append("flask-secret")
        assert client.get("/read").get_data(as_text=True) == "ada", ferro
        app.config["SECRET_KEY_FALLBACKS"].clear()
        assert client.get("/read").get_data(as_text=True) == "None", ferro


def test_flask_newline_in_cookie_name_raises_as_stock() -> None:
    """A header value with CR/LF is refused by Werkzeug; the fast header path
    must refuse it the same way (ferroauth appends cookie headers itself)."""
    errors = []
    for ferro in (False, True):
        app = make_flask_full(ferro, {"SESSION_COOKIE_NAME": "bad\nname"})
        app.testing = False
        with freeze_time(FROZEN), app.test_request_context("/"):
            session = app.session_interface.session_class()
            session["user"] = "ada"
            response = app.response_class()
            with pytest.raises(ValueError) as caught:
                app.session_interface.save_session(app, session, response)
            errors.append(str(caught.value))
    assert errors[0] == errors[1]
