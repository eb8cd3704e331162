"""Server-side sessions and JWT revocation behind one interface.

A :class:`SessionStore` keeps session data on the server and hands the client
only a random, signed session id. Two backends: :class:`MemoryStore` (one
process, and tests) and :class:`RedisStore` (many processes and hosts). Values
are encoded with :mod:`ferroauth.serializers` — never pickle.

Failure is closed: when the backend cannot be reached, every operation raises
:class:`StoreUnavailable` and nothing is treated as a valid session or as an
un-revoked token.
"""

from ferroauth.store.base import SessionStore, StoreUnavailable
from ferroauth.store.ids import SessionIds
from ferroauth.store.memory import MemoryStore

__all__ = ["MemoryStore", "RedisStore", "SessionIds", "SessionStore", "StoreUnavailable"]


def __getattr__(name: str):
    # RedisStore needs redis-py; import it only when asked for.
    if name == "RedisStore":
        from ferroauth.store.redis import RedisStore

        return RedisStore
    raise AttributeError(f"module 'ferroauth.store' has no attribute {name!r}")
