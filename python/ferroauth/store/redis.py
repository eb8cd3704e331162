"""The Redis backend (redis-py): many processes, many hosts.

Keys: ``<prefix>s:<token>`` holds the serialized session, ``<prefix>u:<user>``
the set of a user's tokens, ``<prefix>j:<jti>`` a denied token id. Each
multi-key change runs as one Lua script, so it is atomic. A connection or
timeout error raises :class:`StoreUnavailable` (fail closed).
"""

from __future__ import annotations

from typing import Any

from ferroauth import serializers
from ferroauth.store.base import SessionStore, StoreUnavailable

# Store a session and index it under its user: KEYS = session, user set.
_PUT = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if KEYS[2] ~= '' then
  redis.call('SADD', KEYS[2], KEYS[1])
  local ttl = redis.call('TTL', KEYS[2])
  if ttl < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
end
return 1
"""
# Move a session to a new key: KEYS = old, new, user set.
_MOVE = """
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], value, 'EX', ARGV[1])
if KEYS[3] ~= '' then
  redis.call('SREM', KEYS[3], KEYS[1])
  redis.call('SADD', KEYS[3], KEYS[2])
end
return 1
"""
# Delete every session in a user's set: KEYS = user set.
_REVOKE = """
local keys = redis.call('SMEMBERS', KEYS[1])
local n = 0
for _, key in ipairs(keys) do n = n + redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return n
"""


class RedisStore(SessionStore):
    """Sessions in Redis through a ``redis.Redis`` client (or a URL)."""

    def __init__(
        self,
        secret_key: str | bytes,
        client: Any = None,
        *,
        url: str | None = None,
        prefix: str = "ferroauth:",
        default_ttl: int = 14 * 24 * 3600,
    ) -> None:
        super().__init__(secret_key, default_ttl=default_ttl)
        import redis

        self._errors = (redis.ConnectionError, redis.TimeoutError)
        if client is None:
            client = redis.Redis.from_url(url or "redis://127.0.0.1:6379/0")
        self.client = client
        self.prefix = prefix
        self._put_script = client.register_script(_PUT)
        self._move_script = client.register_script(_MOVE)
        self._revoke_script = client.register_script(_REVOKE)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except self._errors as exc:
            raise StoreUnavailable(f"the session store is unreachable: {exc}") from exc

    def _key(self, token: str) -> str:
        return f"{self.prefix}s:{token}"

    def _user_key(self, user_id: str | None) -> str:
        return "" if user_id is None else f"{self.prefix}u:{user_id}"

    def _put(self, key: str, data: dict[str, Any], user_id: str | None, ttl: int) -> None:
        record = serializers.dumps((data, user_id))
        self._call(
            self._put_script, keys=[self._key(key), self._user_key(user_id)], args=[record, ttl]
        )

    def _get(self, key: str) -> tuple[dict[str, Any], str | None] | None:
        raw = self._call(self.client.get, self._key(key))
        if raw is None:
            return None
        data, user_id = serializers.loads(raw)
        return data, user_id

    def _expire(self, key: str, ttl: int) -> bool:
        return bool(self._call(self.client.expire, self._key(key), ttl))

    def _move(self, key: str, new_key: str, ttl: int) -> bool:
        record = self._get(key)
        if record is None:
            return False
        keys = [self._key(key), self._key(new_key), self._user_key(record[1])]
        return bool(self._call(self._move_script, keys=keys, args=[ttl]))

    def _delete(self, key: str) -> bool:
        return bool(self._call(self.client.delete, self._key(key)))

    def revoke_user(self, user_id: str) -> int:
        return int(self._call(self._revoke_script, keys=[self._user_key(user_id)], args=[]))

    def _deny(self, jti: str, ttl: int) -> None:
        self._call(self.client.set, f"{self.prefix}j:{jti}", b"1", ex=ttl)

    def is_denied(self, jti: str) -> bool:
        return bool(self._call(self.client.exists, f"{self.prefix}j:{jti}"))
