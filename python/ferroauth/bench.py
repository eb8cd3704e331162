"""``ferroauth bench``: ferroauth against the peers installed here, side by side in
one process, as a ratio table (and optionally a bar chart).

Peers that are not installed are skipped. The numbers are this machine's; the
full suites live in the repository's ``benches/``.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

PASSWORD = "correct horse battery staple"
SESSION = {"user_id": 42, "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131", "roles": ["a", "b"]}
SECRET = "bench-secret-bench-secret-bench-secret"


def best_time(fn: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """Median seconds per call over ``repeat`` rounds of ``number`` calls, after a warm-up."""
    fn()
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


@dataclass
class Result:
    peer: str
    case: str
    peer_time: float
    ours_time: float

    @property
    def ratio(self) -> float:
        return self.peer_time / self.ours_time


# Each case: (peer label, case, setup) where setup returns (peer_fn, ours_fn, number).
Case = tuple[str, str, Callable[[], tuple[Callable[[], object], Callable[[], object], int]]]


def _werkzeug(method: str):
    def setup():
        import werkzeug.security as wz

        import ferroauth.werkzeug as fw

        stored = wz.generate_password_hash(PASSWORD, method)
        return (
            (lambda: wz.check_password_hash(stored, PASSWORD)),
            (lambda: fw.check_password_hash(stored, PASSWORD)),
            1,
        )

    return setup


def _argon2():
    import argon2

    import ferroauth

    hasher = argon2.PasswordHasher(memory_cost=19456, time_cost=2, parallelism=1)
    stored = hasher.hash(PASSWORD)
    return (
        (lambda: hasher.verify(stored, PASSWORD)),
        (lambda: ferroauth.verify_password(PASSWORD, stored)),
        1,
    )


def _bcrypt():
    import bcrypt

    import ferroauth

    stored = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(12))
    return (
        (lambda: bcrypt.checkpw(PASSWORD.encode(), stored)),
        (lambda: ferroauth.verify_password(PASSWORD, stored)),
        1,
    )


def _pyjwt(action: str):
    def setup():
        import jwt as pyjwt

        from ferroauth import jwt as fjwt

        claims = {"sub": "42", "aud": "api", "iss": "me", "exp": int(time.time()) + 3600}
        if action == "encode":
            return (
                (lambda: pyjwt.encode(claims, SECRET, algorithm="HS256")),
                (lambda: fjwt.encode(claims, SECRET, algorithm="HS256")),
                2000,
            )
        token = pyjwt.encode(claims, SECRET, algorithm="HS256")
        kwargs = {"algorithms": ["HS256"], "audience": "api", "issuer": "me"}
        return (
            (lambda: pyjwt.decode(token, SECRET, **kwargs)),
            (lambda: fjwt.decode(token, SECRET, **kwargs)),
            2000,
        )

    return setup


def _itsdangerous():
    import itsdangerous

    import ferroauth.itsdangerous as fi

    peer = itsdangerous.URLSafeTimedSerializer(SECRET, salt="bench")
    ours = fi.URLSafeTimedSerializer(SECRET, salt="bench")
    return (
        (lambda: peer.loads(peer.dumps(SESSION))),
        (lambda: ours.loads(ours.dumps(SESSION))),
        2000,
    )


def _flask():
    import flask
    from flask.sessions import SecureCookieSessionInterface

    import ferroauth.flask as ff

    app = flask.Flask("ferroauth-bench")
    app.secret_key = SECRET
    ctx = app.test_request_context("/")
    ctx.push()  # Flask serializes sessions inside a request
    peer = SecureCookieSessionInterface().get_signing_serializer(app)
    ours = ff.SessionInterface().get_signing_serializer(app)
    peer_fn = lambda: peer.loads(peer.dumps(SESSION))  # noqa: E731
    ours_fn = lambda: ours.loads(ours.dumps(SESSION))  # noqa: E731
    return peer_fn, ours_fn, 2000


def _django_signing():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=SECRET)
        django.setup()
    from django.core import signing as dj

    from ferroauth.django import signing as fa

    return (
        (lambda: dj.loads(dj.dumps(SESSION, compress=True))),
        (lambda: fa.loads(fa.dumps(SESSION, compress=True))),
        2000,
    )


CASES: list[Case] = [
    ("werkzeug", "check_password_hash (scrypt default)", _werkzeug("scrypt")),
    ("werkzeug", "check_password_hash (pbkdf2 default)", _werkzeug("pbkdf2")),
    ("argon2-cffi", "verify argon2id (19 MiB, t=2)", _argon2),
    ("bcrypt", "checkpw (cost 12)", _bcrypt),
    ("PyJWT", "HS256 encode", _pyjwt("encode")),
    ("PyJWT", "HS256 decode (aud, iss, exp)", _pyjwt("decode")),
    ("itsdangerous", "URLSafeTimedSerializer dumps+loads", _itsdangerous),
    ("Flask", "session cookie dumps+loads", _flask),
    ("Django", "signing dumps+loads", _django_signing),
]


def run(progress: Callable[[str], None] = lambda line: None) -> Iterator[Result]:
    """Measure every case whose peer is installed."""
    for peer, case, setup in CASES:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                peer_fn, ours_fn, number = setup()
        except ImportError:
            progress(f"skip {peer}: not installed")
            continue
        progress(f"{peer}: {case}")
        repeat = 3 if number == 1 else 5
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            peer_time = best_time(peer_fn, repeat=repeat, number=number)
            ours_time = best_time(ours_fn, repeat=repeat, number=number)
        yield Result(peer, case, peer_time, ours_time)


def markdown(results: list[Result]) -> str:
    lines = ["| peer | case | peer | ferroauth | speed-up |", "|---|---|---:|---:|---:|"]
    for r in results:
        times = f"{human(r.peer_time)} | {human(r.ours_time)}"
        lines.append(f"| {r.peer} | {r.case} | {times} | {r.ratio:.2f}x |")
    return "\n".join(lines)


def bar_chart(results: list[Result], path: str) -> None:
    """Write the ratios as a horizontal bar chart (needs matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ValueError("--png needs matplotlib: pip install 'ferroauth[bench]'") from None
    labels = [f"{r.peer}: {r.case}" for r in results]
    ratios = [r.ratio for r in results]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(results) + 1.5))
    ax.barh(labels, ratios, color="#b7410e")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlim(0, max(ratios + [1.0]) * 1.15)
    ax.set_xlabel("speed-up (peer time ÷ ferroauth time)")
    ax.set_title("ferroauth vs the installed peers")
    ax.invert_yaxis()
    for y, ratio in enumerate(ratios):
        ax.text(ratio, y, f" {ratio:.1f}x", va="center")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(png: str | None = None) -> int:
    results = list(run(progress=lambda line: print(line, file=sys.stderr, flush=True)))
    print(markdown(results))
    if png:
        bar_chart(results, png)
        print(f"wrote {png}", file=sys.stderr)
    return 0
