"""Django side by side: ferroauth's hashers and signing against Django's own, in one
process, reported as ratios (Django's time / ferroauth's time; > 1 means faster).

    python benches/bench_django.py            # the full table
    python benches/bench_django.py --quick    # fewer rounds

Times are the best of several rounds (the least disturbed by other processes).
"""

from __future__ import annotations

import argparse
import sys
import time
import timeit

import django
from django.conf import settings

settings.configure(SECRET_KEY="bench-secret", USE_TZ=True)
django.setup()

from django.contrib.auth import hashers as dj_hashers  # noqa: E402
from django.core import signing as dj_signing  # noqa: E402

from ferroauth.django import hashers as fa_hashers  # noqa: E402
from ferroauth.django import signing as fa_signing  # noqa: E402

SESSION = {
    "_auth_user_id": "42",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131d3f1b7a0c9e1",
    "cart": [1, 2, 3],
}


def pair(fn_django, fn_ferro, number, repeat):
    """Best-of-``repeat`` seconds per call for each side, the rounds interleaved so a
    burst of load from other processes hits both sides alike."""
    best_django = best_ferro = float("inf")
    for _ in range(repeat):
        best_django = min(best_django, timeit.timeit(fn_django, number=number) / number)
        best_ferro = min(best_ferro, timeit.timeit(fn_ferro, number=number) / number)
    return best_django, best_ferro


def fmt(seconds):
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    slow_repeat = 3 if args.quick else 5
    fast_number = 5_000 if args.quick else 20_000

    rows = []

    def hasher_rows(name, label):
        theirs, ours = getattr(dj_hashers, name)(), getattr(fa_hashers, name)()
        salt = theirs.salt()
        encoded = theirs.encode("correct horse", salt)
        assert ours.encode("correct horse", salt) == encoded
        t_make, o_make = pair(
            lambda: dj_hashers.make_password("correct horse", hasher=theirs),
            lambda: dj_hashers.make_password("correct horse", hasher=ours),
            1,
            slow_repeat,
        )
        t_check, o_check = pair(
            lambda: theirs.verify("correct horse", encoded),
            lambda: ours.verify("correct horse", encoded),
            1,
            slow_repeat,
        )
        rows.append((f"make_password {label}", t_make, o_make))
        rows.append((f"check_password {label}", t_check, o_check))

    hasher_rows(
        "PBKDF2PasswordHasher", f"PBKDF2 ({dj_hashers.PBKDF2PasswordHasher.iterations:,} it)"
    )
    hasher_rows("Argon2PasswordHasher", "argon2id (t=2, m=100 MiB, p=8)")

    now = int(time.time())
    token = dj_signing.dumps(SESSION, compress=True)
    assert fa_signing.dumps(SESSION, compress=True) == token or int(time.time()) != now
    for label, fn_dj, fn_fa in (
        (
            "signing.dumps(session)",
            lambda: dj_signing.dumps(SESSION),
            lambda: fa_signing.dumps(SESSION),
        ),
        (
            "signing.dumps(session, compress=True)",
            lambda: dj_signing.dumps(SESSION, compress=True),
            lambda: fa_signing.dumps(SESSION, compress=True),
        ),
        (
            "signing.loads(session)",
            lambda: dj_signing.loads(token),
            lambda: fa_signing.loads(token),
        ),
        (
            "Signer().sign(str)",
            lambda: dj_signing.Signer().sign("hello"),
            lambda: fa_signing.Signer().sign("hello"),
        ),
    ):
        rows.append((label, *pair(fn_dj, fn_fa, fast_number // 5, 10)))

    print(f"Django {django.__version__}, Python {sys.version.split()[0]}")
    print("| operation | Django | ferroauth | speed-up |")
    print("|---|---:|---:|---:|")
    for label, theirs, ours in rows:
        print(f"| {label} | {fmt(theirs)} | {fmt(ours)} | {theirs / ours:.2f}x |")


if __name__ == "__main__":
    main()
