"""The ``ferroauth`` command line (also ``python -m ferroauth``).

Passwords are read from a prompt, or from standard input when it is not a
terminal — never from the command line, where they would land in shell history
and process listings.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import getpass
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator, Sequence

import ferroauth
from ferroauth import audit as audit_module

EXIT_OK, EXIT_MISMATCH, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError, _jwt_error()) as exc:
        print(f"ferroauth {args.command}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return EXIT_OK


def _jwt_error() -> type[Exception]:
    """PyJWT's base error (ferroauth.jwt's), imported only when the CLI runs."""
    from ferroauth.jwt import PyJWTError

    return PyJWTError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ferroauth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"ferroauth {ferroauth.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    hash_cmd = commands.add_parser("hash", help="hash a password read from a prompt or stdin")
    _policy_options(hash_cmd)
    hash_cmd.set_defaults(run=_hash)

    verify = commands.add_parser("verify", help="check a password against a stored hash")
    verify.add_argument("stored", help="the stored hash")
    verify.set_defaults(run=_verify)

    identify = commands.add_parser(
        "identify", help="show a stored hash's scheme and parameters, and whether they meet policy"
    )
    identify.add_argument("stored", help="the stored hash")
    _policy_options(identify)
    identify.add_argument("--json", action="store_true", help="machine-readable output")
    identify.set_defaults(run=_identify)

    audit = commands.add_parser(
        "audit", help="count stored hashes by scheme and parameters (no hashing is done)"
    )
    audit.add_argument("file", help="one hash per line, a CSV file with --column, or - for stdin")
    audit.add_argument("--column", help="CSV column holding the hashes: a name or a 0-based index")
    audit.add_argument("--delimiter", default=",", help="CSV delimiter (default ',')")
    audit.add_argument("--json", action="store_true", help="machine-readable output")
    audit.add_argument("--no-progress", action="store_true", help="no progress bar")
    audit.add_argument(
        "--fail-below", action="store_true", help="exit 1 if any hash is below the recommendation"
    )
    audit.set_defaults(run=_audit)

    jwt_cmd = commands.add_parser("jwt", help="decode or encode a JSON Web Token")
    jwt_commands = jwt_cmd.add_subparsers(dest="jwt_command", required=True, metavar="ACTION")
    decode = jwt_commands.add_parser(
        "decode", help="show a token's header and claims; verify it when a key is given"
    )
    decode.add_argument("token", help="the token, or - to read it from stdin")
    _jwt_key_options(decode)
    decode.add_argument("--audience", help="expected aud")
    decode.add_argument("--issuer", help="expected iss")
    decode.add_argument("--json", action="store_true", help="machine-readable output")
    decode.set_defaults(run=_jwt_decode)
    encode = jwt_commands.add_parser("encode", help="sign claims (a JSON object) into a token")
    encode.add_argument("claims", help='the claims as JSON, e.g. \'{"sub": "42"}\', or - for stdin')
    _jwt_key_options(encode)
    encode.add_argument("--expires-in", type=int, help="add exp = now + SECONDS (and iat)")
    encode.set_defaults(run=_jwt_encode)

    bench = commands.add_parser(
        "bench", help="time ferroauth against the installed peers and print the ratios"
    )
    bench.add_argument("--png", metavar="FILE", help="also write a bar chart (needs matplotlib)")
    bench.set_defaults(run=lambda args: _bench(args))

    calibrate = commands.add_parser(
        "calibrate", help="choose argon2id parameters that take a target time on this machine"
    )
    calibrate.add_argument("--target", type=float, default=0.5, help="seconds per hash (0.5)")
    calibrate.add_argument(
        "--max-memory", type=int, default=65536, help="memory budget in KiB (65536 = 64 MiB)"
    )
    calibrate.add_argument("--parallelism", type=int, default=1, help="lanes (1)")
    calibrate.set_defaults(run=_calibrate)
    return parser


def _policy_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--scheme", default="argon2id", help="scheme name (argon2id)")
    command.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a scheme parameter, e.g. -p time_cost=3 -p memory_cost=65536",
    )


def _jwt_key_options(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument("--key", help="HMAC secret or PEM key text (visible in process lists)")
    group.add_argument("--key-file", help="read the key (PEM, JWK JSON or secret) from a file")
    command.add_argument(
        "--algorithm", "-a", default=None, help="algorithm (decode: the token's; encode: HS256)"
    )


def _jwt_key(args: argparse.Namespace) -> str | None:
    if args.key_file:
        with open(args.key_file, encoding="utf-8") as f:
            return f.read()
    return args.key


def _arg_or_stdin(value: str) -> str:
    return sys.stdin.read().strip() if value == "-" else value


def _jwt_decode(args: argparse.Namespace) -> int:
    from ferroauth import jwt

    token = _arg_or_stdin(args.token)
    header = jwt.get_unverified_header(token)
    key = _jwt_key(args)
    if key is None:
        claims = jwt.decode(token, options={"verify_signature": False})
        verified = "not checked (no key given)"
    else:
        algorithm = args.algorithm or header.get("alg")
        claims = jwt.decode(
            token, key, algorithms=[algorithm], audience=args.audience, issuer=args.issuer
        )
        verified = f"valid ({algorithm})"
    if args.json:
        print(json.dumps({"header": header, "claims": claims, "signature": verified}))
        return EXIT_OK
    print("header:")
    for name, value in header.items():
        print(f"  {name}: {value}")
    print("claims:")
    for name, value in claims.items():
        print(f"  {name}: {_show_claim(name, value)}")
    print(f"signature: {verified}")
    return EXIT_OK


def _show_claim(name: str, value: object) -> str:
    """Times as dates: exp, iat and nbf are seconds since the epoch."""
    if name in ("exp", "iat", "nbf") and isinstance(value, int | float):
        when = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return f"{value} ({when:%Y-%m-%d %H:%M:%S} UTC)"
    return json.dumps(value) if not isinstance(value, str) else value


def _jwt_encode(args: argparse.Namespace) -> int:
    from ferroauth import jwt

    claims = json.loads(_arg_or_stdin(args.claims))
    if not isinstance(claims, dict):
        raise ValueError("claims must be a JSON object")
    if args.expires_in is not None:
        now = int(time.time())
        claims.setdefault("iat", now)
        claims["exp"] = now + args.expires_in
    key = _jwt_key(args)
    algorithm = args.algorithm or "HS256"
    if key is None and algorithm != "none":
        raise ValueError("a key is needed to sign: --key or --key-file")
    print(jwt.encode(claims, key, algorithm=algorithm))
    return EXIT_OK


def _policy(args: argparse.Namespace) -> ferroauth.Policy:
    params: dict[str, int | str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"parameter {item!r} is not NAME=VALUE")
        params[name] = value if name == "digest" else int(value)
    return ferroauth.Policy(args.scheme, **params)


def _read_password(prompt: str = "Password: ") -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def _hash(args: argparse.Namespace) -> int:
    policy = _policy(args)
    print(ferroauth.hash_password(_read_password(), policy=policy))
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    if ferroauth.verify_password(_read_password(), args.stored):
        print("match")
        return EXIT_OK
    print("no match", file=sys.stderr)
    return EXIT_MISMATCH


def _identify(args: argparse.Namespace) -> int:
    info = ferroauth.identify(args.stored)
    policy = _policy(args)
    scheme = info.pop("scheme")
    problem = audit_module.assess(scheme, info)
    rehash = ferroauth.needs_rehash(args.stored, policy)
    if args.json:
        print(
            json.dumps(
                {
                    "scheme": scheme,
                    "params": info,
                    "recommendation": problem,
                    "needs_rehash": rehash,
                    "policy": policy.scheme,
                }
            )
        )
        return EXIT_OK
    print(f"scheme: {scheme}")
    for name, value in info.items():
        print(f"  {name}: {value}")
    print(f"recommendation: {'met' if problem is None else problem}")
    print(f"needs rehash under {policy!r}: {'yes' if rehash else 'no'}")
    return EXIT_OK


def _hashes_from(args: argparse.Namespace) -> Iterator[str]:
    stream = sys.stdin if args.file == "-" else open(args.file, newline="", encoding="utf-8")
    with stream:
        if args.column is None:
            for line in stream:
                line = line.strip()
                if line:
                    yield line
            return
        reader = csv.reader(stream, delimiter=args.delimiter)
        if args.column.isdigit():
            index = int(args.column)
        else:
            header = next(reader, [])
            if args.column not in header:
                raise ValueError(f"no column {args.column!r} in the header {header}")
            index = header.index(args.column)
        for row in reader:
            if len(row) > index and row[index]:
                yield row[index]


def _audit(args: argparse.Namespace) -> int:
    progress = None if args.no_progress or args.json else _progress_bar()
    report = audit_module.audit(_hashes_from(args), progress=progress)
    if progress is not None:
        progress.close()
    if args.json:
        print(report.to_json())
    else:
        _print_report(report)
    return EXIT_MISMATCH if args.fail_below and report.below_recommendation else EXIT_OK


def _print_report(report: audit_module.Report) -> None:
    print(
        f"{report.total:,} hashes: {report.below_recommendation:,} below the recommendation, "
        f"{report.unparsed_count:,} unreadable"
    )
    for group in report.groups:
        params = ", ".join(f"{k}={v}" for k, v in group.params.items())
        verdict = "ok" if group.problem is None else f"BELOW: {group.problem}"
        print(f"  {group.count:>10,}  {group.scheme} ({params})  {verdict}")
    for bad in report.unparsed:
        lines = ", ".join(map(str, bad.first_lines))
        print(f"  {bad.count:>10,}  unreadable: {bad.message} (lines {lines}, …)")


class _progress_bar:
    """Progress on stderr: tqdm when installed, else a plain counter on a terminal."""

    def __init__(self) -> None:
        try:
            from tqdm import tqdm
        except ImportError:
            self._bar = None
        else:
            self._bar = tqdm(unit=" hashes", file=sys.stderr)
        self._done = 0

    def __call__(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._done)
        elif sys.stderr.isatty():
            print(f"\r{done:,} hashes read", end="", file=sys.stderr, flush=True)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif sys.stderr.isatty():
            print(file=sys.stderr)


def _bench(args: argparse.Namespace) -> int:
    from ferroauth import bench

    return bench.main(png=args.png)


def _calibrate(args: argparse.Namespace) -> int:
    memory, time_cost, seconds = calibrate(args.target, args.max_memory, args.parallelism)
    print(f"# argon2id at {seconds:.3f} s per hash on this machine (target {args.target} s)")
    print(
        f'ferroauth.Policy("argon2id", memory_cost={memory}, time_cost={time_cost}, '
        f"parallelism={args.parallelism})"
    )
    return EXIT_OK


def calibrate(target: float, max_memory_kib: int, parallelism: int) -> tuple[int, int, float]:
    """RFC 9106 section 4: the most memory the budget allows, then as many passes
    as fit in ``target`` seconds; less memory only if one pass is already too slow.
    Returns ``(memory_cost, time_cost, seconds)``."""
    if target <= 0:
        raise ValueError("--target must be positive")
    minimum = 8 * parallelism
    if max_memory_kib < minimum:
        raise ValueError(f"--max-memory must be at least {minimum} KiB for {parallelism} lanes")

    def measure(m: int, t: int) -> float:
        def once() -> float:
            start = time.perf_counter()
            ferroauth.hash_password(
                "calibration", memory_cost=m, time_cost=t, parallelism=parallelism
            )
            return time.perf_counter() - start

        return statistics.median(once() for _ in range(3))

    memory, time_cost = max_memory_kib, 1
    seconds = measure(memory, time_cost)
    while seconds > target and memory // 2 >= minimum:
        memory //= 2
        seconds = measure(memory, time_cost)
    while True:
        candidate = time_cost + 1
        estimate = seconds * candidate / time_cost
        if estimate > target:
            return memory, time_cost, seconds
        time_cost, seconds = candidate, measure(memory, candidate)
