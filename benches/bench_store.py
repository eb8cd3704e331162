"""Session store latency: get and set with the memory and Redis backends
(a throwaway redis-server on loopback, when one is installed).

Run: scripts/bench  (or: python benches/bench_store.py inside the venv)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from harness import best_time, human  # noqa: E402

from ferroauth.store import MemoryStore, RedisStore  # noqa: E402

SESSION = {
    "_user_id": "42",
    "_fresh": True,
    "csrf_token": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131",
    "cart": [1, 2, 3],
}


def redis_client():
    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            return server, client
        except redis.ConnectionError:
            time.sleep(0.05)
    server.terminate()
    return None, None


def measure(label: str, store) -> list[str]:
    sid = store.create(SESSION, user_id="42")
    rows = [
        ("get", best_time(lambda: store.get(sid), number=2000)),
        ("save", best_time(lambda: store.save(sid, SESSION), number=2000)),
        ("create", best_time(lambda: store.create(SESSION), number=2000)),
        ("is_denied (jti)", best_time(lambda: store.is_denied("some-jti"), number=2000)),
    ]
    return [f"| {label} | {op} | {human(t)} |" for op, t in rows]


def main() -> None:
    lines = ["| backend | operation | latency |", "|---|---|---:|"]
    lines += measure("memory", MemoryStore("bench-secret"))
    server, client = redis_client()
    if client is not None:
        try:
            lines += measure(
                "Redis (loopback)", RedisStore("bench-secret", client, prefix="bench:")
            )
        finally:
            server.terminate()
    else:
        print("redis-server not installed: Redis rows skipped")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
