"""Both store backends behave the same: sessions, rotation, revocation, deny-list."""

import datetime as dt
import threading
import time
import uuid

import pytest

from ferroauth.store import MemoryStore, RedisStore, SessionIds, StoreUnavailable

SECRET = "test-secret"


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore(SECRET)
    server = request.getfixturevalue("redis_server")
    server.client.flushdb()
    return RedisStore(SECRET, server.client, prefix=f"t{uuid.uuid4().hex[:6]}:")


def test_create_get_save_delete(store):
    data = {"user": 42, "at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "roles": ("a", "b")}
    sid = store.create(data, user_id="42")
    assert store.get(sid) == data
    assert store.save(sid, {"user": 42, "cart": [1, 2]})
    assert store.get(sid) == {"user": 42, "cart": [1, 2]}
    assert store.delete(sid)
    assert store.get(sid) is None
    assert not store.save(sid, {})
    assert not store.delete(sid)


def test_forged_and_malformed_ids_never_reach_the_backend(store):
    sid = store.create({"x": 1})
    token, _, signature = sid.partition(".")
    forged = [
        f"{token}.{'A' * len(signature)}",
        token,
        f"{token}.",
        "",
        None,
        42,
        "é" * 10,
        "x" * 1000,
        # A different token under the original signature (never the same string).
        f"{token[:-1]}{'E' if token.endswith('A') else 'A'}.{signature}",
    ]
    for bad in forged:
        assert store.get(bad) is None, bad
    other = MemoryStore("another-secret")
    assert other.get(sid) is None


def test_rotate_moves_data_and_kills_the_old_id(store):
    sid = store.create({"cart": [1]}, user_id="u1")
    new = store.rotate(sid)
    assert new and new != sid
    assert store.get(new) == {"cart": [1]}
    assert store.get(sid) is None
    assert store.rotate(sid) is None
    assert store.revoke_user("u1") == 1
    assert store.get(new) is None


def test_revoke_all_sessions_of_a_user(store):
    mine = [store.create({"n": i}, user_id="alice") for i in range(3)]
    theirs = store.create({"n": 9}, user_id="bob")
    anonymous = store.create({"n": 10})
    assert store.revoke_user("alice") == 3
    assert all(store.get(s) is None for s in mine)
    assert store.get(theirs) == {"n": 9}
    assert store.get(anonymous) == {"n": 10}
    assert store.revoke_user("alice") == 0


def test_expiry_and_touch(store):
    sid = store.create({"x": 1}, ttl=1)
    assert store.touch(sid, ttl=30)
    time.sleep(1.2)
    assert store.get(sid) == {"x": 1}
    short = store.create({"y": 1}, ttl=1)
    time.sleep(1.2)
    assert store.get(short) is None
    assert not store.touch(short)
    with pytest.raises(ValueError, match="ttl must be a positive number"):
        store.create({}, ttl=0)


def test_jti_deny_list_lives_as_long_as_the_token(store):
    store.deny_jti("token-1", time.time() + 1)
    store.deny_jti("already-expired", time.time() - 5)
    assert store.is_denied("token-1")
    assert not store.is_denied("already-expired")
    assert not store.is_denied("never-seen")
    time.sleep(1.3)
    assert not store.is_denied("token-1")


def test_concurrent_use(store):
    errors = []

    def worker(n):
        try:
            for i in range(50):
                sid = store.create({"n": n, "i": i}, user_id=f"user{n}")
                assert store.get(sid) == {"n": n, "i": i}
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(store.revoke_user(f"user{n}") for n in range(8)) == 400


def test_values_are_never_pickled(redis_server):
    store = RedisStore(SECRET, redis_server.client, prefix="raw:")
    sid = store.create({"x": 1})
    raw = redis_server.client.get("raw:s:" + sid.partition(".")[0])
    assert raw[:1] == b"\xfa"


def test_redis_going_away_fails_closed():
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from tests.conftest import RedisServer

    server = RedisServer()
    # No retries: the point is what the store does once the client gives up.
    client = redis.Redis(port=server.port, socket_timeout=1, retry=Retry(NoBackoff(), 0))
    store = RedisStore(SECRET, client)
    sid = store.create({"x": 1}, user_id="u")
    server.stop()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.get(sid)
    with pytest.raises(StoreUnavailable):
        store.is_denied("jti")
    with pytest.raises(StoreUnavailable):
        store.create({"x": 2})


def test_session_ids_need_a_secret():
    with pytest.raises(ValueError, match="secret key is required"):
        SessionIds("")
    ids = SessionIds(b"k")
    sid, key = ids.new()
    assert ids.storage_key(sid) == key
    assert len(key) == 43


def test_save_can_index_a_session_under_its_user_at_login(store):
    sid = store.create({"cart": [1]})
    assert store.revoke_user("frank") == 0
    assert store.save(sid, {"cart": [1], "user": "frank"}, user_id="frank")
    assert store.save(sid, {"cart": [1, 2], "user": "frank"})  # keeps the index
    assert store.revoke_user("frank") == 1
    assert store.get(sid) is None


def test_decode_jwt_consults_the_deny_list(store):
    from ferroauth import jwt
    from ferroauth.store.revocation import TokenRevokedError

    key = "k" * 32
    exp = int(time.time()) + 60
    token = jwt.encode({"sub": "u", "jti": "t-1", "exp": exp}, key, algorithm="HS256")
    assert store.decode_jwt(token, key, algorithms=["HS256"])["sub"] == "u"
    store.deny_jti("t-1", exp)
    with pytest.raises(TokenRevokedError, match="revoked") as info:
        store.decode_jwt(token, key, algorithms=["HS256"])
    assert isinstance(info.value, jwt.InvalidTokenError)
    with pytest.raises(jwt.InvalidSignatureError):
        store.decode_jwt(token, "x" * 32, algorithms=["HS256"])
