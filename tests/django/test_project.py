"""A real Django project (tests/django/project: auth app, sqlite, test client) switched
to ferroauth by settings only."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment

STOCK_PBKDF2 = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(scope="module")
def db():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    yield
    connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()


def test_stock_pbkdf2_user_logs_in_and_is_rehashed_to_argon2id(db):
    User = get_user_model()
    with override_settings(PASSWORD_HASHERS=STOCK_PBKDF2):
        user = User.objects.create_user("alice", password="correct horse")
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("pbkdf2_sha256$")
    assert type(identify_hasher(stored)).__module__ == "ferroauth.django.hashers"

    client = Client()
    assert client.post("/login/", {"username": "alice", "password": "wrong"}).status_code == 401
    # A wrong password must not rehash.
    assert User.objects.get(pk=user.pk).password == stored

    response = client.post("/login/", {"username": "alice", "password": "correct horse"})
    assert response.status_code == 200
    upgraded = User.objects.get(pk=user.pk).password
    assert upgraded.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert check_password("correct horse", upgraded)
    assert not check_password("correct horsf", upgraded)
    # The upgraded hash verifies with Django's own argon2 hasher too.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        assert check_password("correct horse", upgraded)

    # The session (signed with ferroauth's serializer) carries the login.
    whoami = client.get("/whoami/")
    assert whoami.status_code == 200
    assert json.loads(whoami.content) == {"username": "alice", "seen": 1}

    # Logging in again does not rehash an up-to-date hash.
    client.post("/login/", {"username": "alice", "password": "correct horse"})
    assert User.objects.get(pk=user.pk).password == upgraded


def test_signed_cookie_sessions_written_by_django_still_load(db):
    User = get_user_model()
    User.objects.create_user("bob", password="pw")
    engine = {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}
    stock = {
        "SIGNING_BACKEND": "django.core.signing.TimestampSigner",
        "SESSION_SERIALIZER": "django.contrib.sessions.serializers.JSONSerializer",
    }
    client = Client()
    # Logged in before the switch, by Django's own signer and serializer...
    with override_settings(**engine, **stock):
        assert client.post("/login/", {"username": "bob", "password": "pw"}).status_code == 200
        before = client.cookies["sessionid"].value
    # ...and the cookie still loads with ferroauth's.
    with override_settings(**engine):
        whoami = client.get("/whoami/")
        assert whoami.status_code == 200
        assert json.loads(whoami.content)["username"] == "bob"
        assert client.post("/login/", {"username": "bob", "password": "pw"}).status_code == 200
        after = client.cookies["sessionid"].value
    assert after != before
    # And the cookie written by ferroauth loads with Django's.
    with override_settings(**engine, **stock):
        assert json.loads(client.get("/whoami/").content) == {"username": "bob", "seen": 2}


@pytest.mark.parametrize("backend", ["ferroauth", "django"])
def test_set_signed_cookie_round_trip(db, backend):
    writer = {
        "ferroauth": "ferroauth.django.signing.TimestampSigner",
        "django": "django.core.signing.TimestampSigner",
    }[backend]
    client = Client()
    with override_settings(SIGNING_BACKEND=writer):
        client.get("/cookie/set/", {"value": "dark"})
    assert client.get("/cookie/get/").content == b"dark"
    client.cookies["pref"] = client.cookies["pref"].value + "x"
    assert client.get("/cookie/get/").content == b"-"
