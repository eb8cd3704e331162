"""The Flask session interface's short-cuts around Flask's and Werkzeug's own
code (python/ferroauth/flask/: _config, _request, _response), each compared with
the code it stands in for: the session built without SecureCookieSession's
constructor, the cookie read from Werkzeug's MultiDict storage, the remembered
Expires text, the config read in place of Flask's getters, and the Vary header
appended directly."""

from __future__ import annotations

import datetime as dt
import time

import flask
import pytest
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.http import http_date

import ferroauth.flask as ff
from ferroauth.flask import _config, _request, _response


def test_session_shortcut_is_on_for_the_tested_flask() -> None:
    """Otherwise the tests below would compare Flask's constructor with itself."""
    assert _request.FAST_SESSION
    assert _config.has_stock_getters(ff.SessionInterface())


@pytest.mark.parametrize(
    "data", [{}, {"a": 1}, {"_permanent": True, "user": "ada", "n": [1, {"x": None}]}]
)
def test_new_session_behaves_as_flasks(data: dict) -> None:
    ours, flasks = _request.new_session(dict(data)), SecureCookieSession(dict(data))
    assert type(ours) is SecureCookieSession
    assert ours == flasks and ours.permanent == flasks.permanent
    assert (ours.modified, ours.accessed, ours.new) == (False, False, False)
    assert sorted(vars(ours)) == sorted(vars(flasks))
    for action in (
        lambda s: s.__setitem__("k", 1),
        lambda s: s.pop("k"),
        lambda s: s.setdefault("z", 2),
        lambda s: s.update(y=3),
        lambda s: s.clear(),
    ):
        action(ours)
        action(flasks)
        assert ours == flasks and ours.modified and flasks.modified
        ours.modified = flasks.modified = False


def test_new_session_follows_a_replaced_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    original = SecureCookieSession.__init__

    def init(self, initial=None):  # type: ignore[no-untyped-def]
        seen.append(initial)
        original(self, initial)

    monkeypatch.setattr(SecureCookieSession, "__init__", init)
    session = _request.new_session({"a": 1})
    assert seen == [{"a": 1}] and session == {"a": 1}


@pytest.mark.parametrize(
    "cookie_header",
    ["session=abc", "other=1", "session=; x=2", "session=a; session=b", "", 'session="q\\""'],
)
def test_request_cookie_equals_werkzeugs_get(cookie_header: str) -> None:
    app = flask.Flask(__name__)
    headers = {"Cookie": cookie_header} if cookie_header else {}
    with app.test_request_context(headers=headers):
        request = flask.request._get_current_object()
        assert _request.request_cookie(request, "session") == request.cookies.get("session")
        assert _request.request_cookie(request, "missing") is None


UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC),
        dt.datetime(2031, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC),
        dt.datetime(2031, 1, 2, 3, 4, 6, tzinfo=UTC),
        dt.datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC),
        dt.datetime(1970, 1, 1, 0, 0, 0, 500_000, tzinfo=UTC),
        dt.datetime(2031, 1, 2, 3, 4, 5),  # naive: Werkzeug takes it as UTC
        dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.date(2031, 1, 2),
    ],
)
def test_expires_text_equals_http_date(when: dt.datetime) -> None:
    # Twice: the second answer may come from the remembered second.
    assert _response.expires_text(when) == http_date(when)
    assert _response.expires_text(when) == http_date(when)


def test_expires_text_across_seconds() -> None:
    start = dt.datetime.now(UTC)
    for step in range(0, 3_000_000, 137_003):  # microseconds, across three seconds
        when = start + dt.timedelta(microseconds=step)
        assert _response.expires_text(when) == http_date(when), when


class _Refresh(ff.SessionInterface):
    """Overrides one getter: every getter must then be called, not read."""

    def get_cookie_path(self, app: flask.Flask) -> str:
        return "/only-here"


def test_one_overridden_getter_turns_the_config_reads_off() -> None:
    assert not _config.has_stock_getters(_Refresh())
    app = flask.Flask(__name__)
    app.secret_key = "k"
    app.session_interface = _Refresh()

    @app.route("/")
    def index() -> str:
        flask.session["a"] = 1
        return "ok"

    cookie = app.test_client().get("/").headers["Set-Cookie"]
    assert "Path=/only-here" in cookie


def _saved_headers(interface: SecureCookieSessionInterface, permanent: bool) -> list:
    app = flask.Flask(__name__)
    app.secret_key = "k"
    app.session_interface = interface
    with app.test_request_context("/"):
        session = interface.session_class({"user": "ada"})
        session.permanent = permanent
        response = app.response_class()
        interface.save_session(app, session, response)
        return sorted(response.headers.items())


def test_getters_patched_later_or_on_the_instance_are_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = flask.Flask(__name__)
    app.secret_key = "k"
    interface = app.session_interface = ff.SessionInterface()

    @app.route("/")
    def index() -> str:
        flask.session["a"] = 1
        return "ok"

    client = app.test_client()
    assert "Secure" not in client.get("/").headers["Set-Cookie"]
    with monkeypatch.context() as m:
        m.setattr(ff.SessionInterface, "get_cookie_secure", lambda self, app: True)
        assert "Secure" in client.get("/").headers["Set-Cookie"]
    assert "Secure" not in client.get("/").headers["Set-Cookie"]
    interface.get_cookie_name = lambda app: "on-instance"  # type: ignore[method-assign]
    assert client.get("/").headers["Set-Cookie"].startswith("on-instance=")


@pytest.mark.parametrize("permanent", [False, True])
def test_save_session_headers_equal_flasks_with_the_real_clock(permanent: bool) -> None:
    """Without freezegun the expiry is a real datetime, so the remembered
    Expires text is used; the headers must still be Flask's own."""
    for _ in range(5):  # both in one second: retry on the rare tick in between
        t0 = int(time.time())
        got = [
            _saved_headers(i, permanent)
            for i in (SecureCookieSessionInterface(), ff.SessionInterface())
        ]
        if int(time.time()) == t0:
            break
    cookie_attributes = [[v.split(";", 1)[1] for k, v in h if k == "Set-Cookie"] for h in got]
    assert cookie_attributes[0] == cookie_attributes[1]
    assert [k for k, _ in got[0]] == [k for k, _ in got[1]]
    assert ("Expires=" in cookie_attributes[0][0]) is permanent
