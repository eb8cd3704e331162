"""Password hashing, side by side: ferroauth vs werkzeug/hashlib, argon2-cffi and
pyca/bcrypt at equal parameters, plus thread scaling. Prints ratios.

Run: scripts/bench  (or: python benches/bench_passwords.py inside the venv; name tables,
e.g. `python benches/bench_passwords.py argon2`, to run only those)
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time

import argon2
import bcrypt
import werkzeug.security as wz

sys.path.insert(0, os.path.dirname(__file__))

from harness import Table, best_time, human  # noqa: E402

import ferroauth  # noqa: E402
import ferroauth.werkzeug as fw  # noqa: E402
from ferroauth import _core  # noqa: E402

PW = "correct horse battery staple"


def werkzeug_table() -> Table:
    table = Table("werkzeug.security defaults", "werkzeug 3.1")
    for method in ("scrypt", "pbkdf2"):
        stored = wz.generate_password_hash(PW, method)
        table.add(
            f"generate_password_hash({method!r})",
            best_time(lambda m=method: wz.generate_password_hash(PW, m), repeat=5),
            best_time(lambda m=method: fw.generate_password_hash(PW, m), repeat=5),
        )
        table.add(
            f"check_password_hash({method})",
            best_time(lambda s=stored: wz.check_password_hash(s, PW), repeat=5),
            best_time(lambda s=stored: fw.check_password_hash(s, PW), repeat=5),
        )
    return table


def kdf_table() -> Table:
    table = Table("raw KDFs vs hashlib (OpenSSL)", "hashlib")
    for name, iterations in (("sha256", 1_000_000), ("sha512", 210_000), ("sha1", 1_300_000)):
        table.add(
            f"PBKDF2-HMAC-{name.upper()} {iterations:,} iterations",
            best_time(
                lambda n=name, i=iterations: hashlib.pbkdf2_hmac(n, b"pw", b"salt", i), repeat=5
            ),
            best_time(
                lambda n=name, i=iterations: _core.pbkdf2_hmac(n, b"pw", b"salt", i, 32), repeat=5
            ),
        )
    n, r, p = 2**15, 8, 1
    table.add(
        "scrypt n=2^15 r=8 p=1",
        best_time(
            lambda: hashlib.scrypt(
                b"pw", salt=b"salt", n=n, r=r, p=p, maxmem=132 * n * r * p, dklen=64
            )
        ),
        best_time(lambda: _core.scrypt(b"pw", b"salt", n, r, p, 64)),
    )
    return table


def argon2_table() -> Table:
    table = Table("argon2id vs argon2-cffi", "argon2-cffi 25")
    settings = {
        "OWASP (19 MiB, t=2, p=1)": dict(memory_cost=19456, time_cost=2, parallelism=1),
        "argon2-cffi default (64 MiB, t=3, p=4)": dict(
            memory_cost=65536, time_cost=3, parallelism=4
        ),
    }
    for label, params in settings.items():
        hasher = argon2.PasswordHasher(**params)
        stored = hasher.hash(PW)
        table.add(
            f"hash {label}",
            best_time(lambda h=hasher: h.hash(PW)),
            best_time(lambda p=params: ferroauth.hash_password(PW, **p)),
        )
        table.add(
            f"verify {label}",
            best_time(lambda h=hasher, s=stored: h.verify(s, PW)),
            best_time(lambda s=stored: ferroauth.verify_password(PW, s)),
        )
    return table


def bcrypt_table() -> Table:
    table = Table("bcrypt vs pyca/bcrypt", "pyca/bcrypt 5")
    salt = bcrypt.gensalt(12)
    stored = bcrypt.hashpw(PW.encode(), salt)
    table.add(
        "hashpw cost 12",
        best_time(lambda: bcrypt.hashpw(PW.encode(), salt), repeat=3),
        best_time(lambda: ferroauth.hash_password(PW, scheme="bcrypt"), repeat=3),
    )
    table.add(
        "checkpw cost 12",
        best_time(lambda: bcrypt.checkpw(PW.encode(), stored), repeat=3),
        best_time(lambda: ferroauth.verify_password(PW, stored.decode()), repeat=3),
    )
    return table


def thread_table() -> Table:
    """Throughput of 2 workers over 1: the GIL is released, so threads scale."""
    table = Table("thread scaling (ferroauth, werkzeug default pbkdf2 verify)", "1 thread")
    stored = fw.generate_password_hash(PW, "pbkdf2")
    jobs = 8

    def run(threads: int) -> float:
        per_thread = jobs // threads
        workers = [
            threading.Thread(
                target=lambda: [fw.check_password_hash(stored, PW) for _ in range(per_thread)]
            )
            for _ in range(threads)
        ]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return time.perf_counter() - start

    one, two = run(1), run(2)
    table.add(f"{jobs} verifies, 2 Python threads vs 1", one, two)
    batch_one = best_time(
        lambda: [ferroauth.verify_password(PW, stored) for _ in range(jobs)], repeat=1
    )
    batch = best_time(lambda: ferroauth.verify_many([PW] * jobs, [stored] * jobs), repeat=1)
    table.add(f"{jobs} verifies, verify_many (rayon) vs a loop", batch_one, batch)
    return table


def compression_note() -> str:
    seconds = best_time(
        lambda: _core.pbkdf2_hmac("sha256", b"pw", b"salt", 1_000_000, 32), repeat=5
    )
    return (
        "PBKDF2-HMAC-SHA256 inner loop: "
        f"{seconds / 2_000_000 * 1e9:.1f} ns per SHA-256 compression "
        f"({human(seconds)} for 1,000,000 iterations = 2,000,000 compressions)."
    )


def main() -> None:
    print(
        f"ferroauth {ferroauth.__version__}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    builders = {
        "werkzeug": werkzeug_table,
        "kdf": kdf_table,
        "argon2": argon2_table,
        "bcrypt": bcrypt_table,
        "threads": thread_table,
    }
    # Optional table names on the command line run only those, e.g. `argon2`.
    chosen = sys.argv[1:] or list(builders)
    unknown = [name for name in chosen if name not in builders]
    if unknown:
        sys.exit(f"unknown table(s) {unknown}; choose from {list(builders)}")
    tables = [builders[name]() for name in chosen]
    print()
    for table in tables:
        print(table.markdown())
        print()
    if not sys.argv[1:]:
        print(compression_note())


if __name__ == "__main__":
    main()
