"""Soak: many mixed operations in one process with RSS checked for growth, then
8 threads doing all of them at once with every result checked.

Run: python tests/soak/soak.py [OPERATIONS]   (needs only ferroauth importable)
Prints one JSON line: operations, RSS before/after (KiB), threads, errors.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import uuid

import ferroauth
from ferroauth import jwt, serializers
from ferroauth.itsdangerous import BadSignature, URLSafeTimedSerializer

KEY = "soak-key-soak-key-soak-key-soak-key"
SIGNER = URLSafeTimedSerializer(KEY, salt="soak")
STORED = ferroauth.hash_password("pw", scheme="pbkdf2_sha256", iterations=10)
SESSION = {"user": 7, "at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "id": uuid.UUID(int=3)}


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one_round(i: int) -> None:
    """Six operations; each result is checked, so a wrong answer raises."""
    assert ferroauth.verify_password("pw", STORED)
    assert not ferroauth.verify_password(f"pw{i}", STORED)
    token = jwt.encode({"n": i}, KEY, algorithm="HS256")
    assert jwt.decode(token, KEY, algorithms=["HS256"]) == {"n": i}
    signed = SIGNER.dumps({"n": i})
    assert SIGNER.loads(signed) == {"n": i}
    try:
        # Flip the signature's first character (its last one carries padding bits
        # that lenient base64 ignores, as itsdangerous's own decoder does).
        head, _, signature = signed.rpartition(".")
        flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
        SIGNER.loads(f"{head}.{flipped}")
        raise AssertionError("a tampered token loaded")
    except BadSignature:
        pass
    assert serializers.loads(serializers.dumps(SESSION)) == SESSION
    assert ferroauth.compare_digest(token, token)


def main(operations: int) -> dict:
    rounds = max(operations // 7, 1)
    for i in range(min(rounds // 10, 20_000)):  # warm caches and the allocator
        one_round(i)
    before = rss_kib()
    for i in range(rounds):
        one_round(i)
    after = rss_kib()
    errors: list[str] = []

    def worker(offset: int) -> None:
        try:
            for i in range(2_000):
                one_round(offset * 100_000 + i)
            ferroauth.hash_password("pw", time_cost=1, memory_cost=1024, parallelism=1)
        except Exception as exc:  # noqa: BLE001 - reported and asserted by the caller
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "operations": rounds * 7,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "threads": len(threads),
        "errors": errors,
        "python": sys.version.split()[0],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)))
