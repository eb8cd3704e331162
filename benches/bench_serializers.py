"""Safe serializer vs pickle (and msgspec / msgpack where installed) on typical
session values: encoded size and dumps+loads time. Prints ratios.

Run: scripts/bench  (or: python benches/bench_serializers.py inside the venv)
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
import uuid
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))

from harness import Table, best_time  # noqa: E402

from ferroauth import serializers  # noqa: E402

FLASK_LOGIN = {
    "_user_id": "42",
    "_fresh": True,
    "_id": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "csrf_token": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131",
    "_permanent": True,
}
RICH = {
    **FLASK_LOGIN,
    "login_at": dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc),
    "cart": [{"sku": uuid.UUID(int=7), "qty": 2, "price": Decimal("19.99")} for _ in range(5)],
    "roles": frozenset({"admin", "staff"}),
}


def main() -> None:
    table = Table("safe serializer vs pickle (dumps + loads)", "pickle")
    sizes = []
    for label, value in (("Flask-Login session", FLASK_LOGIN), ("rich session", RICH)):
        ours_bytes = serializers.dumps(value)
        theirs_bytes = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        table.add(
            label,
            best_time(lambda v=value: pickle.loads(pickle.dumps(v, 5)), number=2000),
            best_time(lambda v=value: serializers.loads(serializers.dumps(v)), number=2000),
        )
        sizes.append((label, len(theirs_bytes), len(ours_bytes)))
    extra = Table("safe serializer vs schema-less peers (Flask-Login session)", "peer")
    try:
        import msgspec

        enc, dec = msgspec.msgpack.Encoder(), msgspec.msgpack.Decoder()
        extra.add(
            "msgspec.msgpack",
            best_time(lambda: dec.decode(enc.encode(FLASK_LOGIN)), number=2000),
            best_time(lambda: serializers.loads(serializers.dumps(FLASK_LOGIN)), number=2000),
        )
    except ImportError:
        print("  msgspec not installed: skipped")
    try:
        import msgpack

        extra.add(
            "msgpack",
            best_time(lambda: msgpack.unpackb(msgpack.packb(FLASK_LOGIN)), number=2000),
            best_time(lambda: serializers.loads(serializers.dumps(FLASK_LOGIN)), number=2000),
        )
    except ImportError:
        print("  msgpack not installed: skipped")
    print()
    print(table.markdown())
    print()
    if extra.rows:
        print(extra.markdown())
        print()
    print("| value | pickle bytes | ferroauth bytes |")
    print("|---|---:|---:|")
    for label, theirs, ours in sizes:
        print(f"| {label} | {theirs} | {ours} |")


if __name__ == "__main__":
    main()
