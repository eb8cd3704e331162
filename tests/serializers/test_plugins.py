"""The safe serializer where pickle is configured today: cachelib (Flask-Session's
cache layer), django-redis and Django's SESSION_SERIALIZER — with real backends."""

import datetime as dt
import pickle
import subprocess
import sys
import textwrap
import uuid

import pytest
from cachelib import FileSystemCache, RedisCache, SimpleCache

from ferroauth.serializers import (
    LegacyPickleError,
    LegacyPickleWarning,
    SafeRedisSerializer,
    SafeSerializer,
)

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
VALUE = {
    "user": 7,
    "at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    "ids": (uuid.UUID(int=1),),
}


# cachelib reads its serializer from the class, also during __init__: subclass.
class SafeSimpleCache(SimpleCache):
    serializer = SafeSerializer()


class SafeFileSystemCache(FileSystemCache):
    serializer = SafeSerializer()


class SafeRedisCache(RedisCache):
    serializer = SafeRedisSerializer()


def test_cachelib_simple_and_filesystem_caches(tmp_path):
    for cache in (SafeSimpleCache(), SafeFileSystemCache(str(tmp_path))):
        assert cache.set("k", VALUE)
        assert cache.get("k") == VALUE
    # FileSystemCache writes a 4-byte expiry, then the serializer's bytes.
    files = [p.read_bytes() for p in tmp_path.iterdir() if p.is_file()]
    assert files and all(raw[4:6] == b"\xfa\x01" for raw in files)


def test_cachelib_redis_cache_keeps_counters_and_refuses_pickle(redis_server):
    cache = SafeRedisCache(port=redis_server.port, key_prefix="cl:")
    assert cache.set("session", VALUE)
    assert cache.get("session") == VALUE
    assert cache.get("missing") is None
    cache.set("hits", 5)
    assert cache.inc("hits", 2) == 7 and cache.get("hits") == 7
    assert cache.get("session")["user"] == 7
    redis_server.client.set("cl:legacy", b"!" + pickle.dumps({"old": True}))
    with pytest.raises(LegacyPickleError):
        cache.get("legacy")
    cache.serializer = SafeRedisSerializer({"ALLOW_PICKLE": True})
    with pytest.warns(LegacyPickleWarning):
        assert cache.get("legacy") == {"old": True}


DJANGO = textwrap.dedent(
    """
    import datetime as dt, sys
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="s",
        INSTALLED_APPS=["django.contrib.sessions"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        SESSION_SERIALIZER="ferroauth.serializers.SafeSerializer",
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{sys.argv[1]}/1",
                "OPTIONS": {"SERIALIZER": "ferroauth.serializers.SafeSerializer"},
            }
        },
    )
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore

    when = dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.timezone.utc)
    call_command("migrate", verbosity=0)
    for Store in (SessionStore, CookieStore):
        s = Store()
        s["when"] = when  # JSONSerializer cannot store a datetime
        s["roles"] = {"a", "b"}
        s.save()
        loaded = Store(s.session_key)
        assert loaded["when"] == when and loaded["roles"] == {"a", "b"}, dict(loaded)

    cache.set("profile", {"when": when, "n": 3})
    assert cache.get("profile") == {"when": when, "n": 3}
    cache.set("count", 1)
    assert cache.incr("count") == 2
    raw = cache.client.get_client().get(cache.make_key("profile"))
    assert raw[:2] == b"\\xfa\\x01", raw[:8]
    print("ok")
    """
)


def test_django_session_serializer_and_django_redis(redis_server):
    result = subprocess.run(
        [sys.executable, "-c", DJANGO, str(redis_server.port)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"


def test_flask_session_keeps_types_and_never_unpickles(redis_server):
    import redis
    from flask import Flask, session
    from flask_session import Session

    from ferroauth.serializers import FlaskSessionSerializer

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="s",
        SESSION_TYPE="redis",
        SESSION_REDIS=redis.Redis(port=redis_server.port),
        SESSION_KEY_PREFIX="fs:",
    )
    Session(app)
    app.session_interface.serializer = FlaskSessionSerializer()

    @app.post("/set")
    def set_values():
        session["at"] = WHEN
        session["pair"] = (1, 2)
        return "ok"

    @app.get("/get")
    def get_values():
        return {
            "at_is_datetime": session["at"] == WHEN,
            "pair_is_tuple": session["pair"] == (1, 2),
        }

    client = app.test_client()
    client.post("/set")
    assert client.get("/get").json == {"at_is_datetime": True, "pair_is_tuple": True}
    sid = client.get_cookie("session").value
    stored = redis_server.client.get(f"fs:{sid}")
    assert stored[:2] == b"\xfa\x01"
    # A pickle written before the switch is refused, not unpickled.
    redis_server.client.set(f"fs:{sid}", pickle.dumps({"at": "old"}))
    app.testing = False
    assert client.get("/get").status_code == 500
