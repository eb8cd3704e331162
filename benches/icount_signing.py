"""Instructions per call of the signed-session paths, ferroauth's and the peers',
counted by callgrind: the README's instruction-count table.

    python benches/icount_signing.py [case ...]      # needs valgrind on PATH

Wall-clock times on a shared VM move by 10-50% between runs; instruction counts
do not, so they are what a change to these paths is compared with. Each case runs
in a fresh interpreter under ``valgrind --tool=callgrind`` twice, with 0 and with
N calls after the same setup, and the difference divided by N is printed.
``PYTHONHASHSEED=0`` keeps dict layouts, and so the counts, the same between runs.
Under valgrind SHA-1 runs in software (about 1,400 instructions per block, four
blocks per sign or verify), while CPUs with SHA-NI spend far less on it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import typing as t

from bench_signing import SESSION, flask_request

N = 3000


def make(case: str) -> t.Callable[[], t.Any]:
    """The function one call of ``case`` runs (built before counting starts)."""
    if case.startswith("itsdangerous"):
        import itsdangerous

        import ferroauth.itsdangerous as fi

        mod = itsdangerous if case.endswith("peer") else fi
        s = mod.URLSafeTimedSerializer("secret-key", salt="bench")
        token = s.dumps(SESSION)
        return {
            "itsdangerous-dumps": lambda: s.dumps(SESSION),
            "itsdangerous-loads": lambda: s.loads(token, max_age=3600),
        }.get(case, lambda: s.loads(s.dumps(SESSION), max_age=3600))
    if case.startswith("flask"):
        from flask.sessions import SecureCookieSessionInterface

        from ferroauth.flask import SessionInterface

        peer = case.endswith("peer")
        return flask_request(SecureCookieSessionInterface() if peer else SessionInterface())
    raise SystemExit(f"unknown case {case!r}; known: {', '.join(CASES)}")


CASES = (
    "itsdangerous-dumps",
    "itsdangerous-loads",
    "itsdangerous-dumps+loads",
    "itsdangerous-dumps+loads-peer",
    "flask-request",
    "flask-request-peer",
)


def _run_inside(case: str, n: int) -> None:
    fn = make(case)
    fn()  # warm: caches, memos and specialised bytecode as in a long-running app
    for _ in range(n):
        fn()


def _count(case: str, n: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--inside",
        case,
        str(n),
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stderr
    match = re.search(r"Collected : (\d+)", out)
    if not match:
        raise SystemExit(f"no callgrind total for {case}:\n{out}")
    return int(match.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--inside"]:
        _run_inside(sys.argv[2], int(sys.argv[3]))
        return
    for case in sys.argv[1:] or CASES:
        per_call = (_count(case, N) - _count(case, 0)) / N
        print(f"{case:32} {per_call:10,.0f} instructions per call", flush=True)


if __name__ == "__main__":
    main()
