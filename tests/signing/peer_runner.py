"""Run itsdangerous's own test suite against ferroauth.itsdangerous.

Invoked in a subprocess by test_peer_suite.py: ``python peer_runner.py TESTS_DIR
REPORT_JSON``. Every ``itsdangerous`` module name is aliased to ferroauth's
module before pytest imports the tests, so the real package is never used.
"""

from __future__ import annotations

import json
import sys

import pytest

import ferroauth.itsdangerous as fi
from ferroauth.itsdangerous import (
    _json,
    encoding,
    exc,
    serializer,
    signer,
    timed,
    url_safe,
)


class _Counter:
    def __init__(self) -> None:
        self.counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
        self.failures: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            outcome = report.outcome
            if report.when == "setup" and outcome == "failed":
                outcome = "error"
            self.counts[outcome] += 1
            if outcome in ("failed", "error"):
                self.failures.append(report.nodeid)


def main() -> int:
    tests_dir, report_path = sys.argv[1], sys.argv[2]
    sys.modules["itsdangerous"] = fi
    for name, mod in [
        ("_json", _json),
        ("encoding", encoding),
        ("exc", exc),
        ("serializer", serializer),
        ("signer", signer),
        ("timed", timed),
        ("url_safe", url_safe),
    ]:
        sys.modules[f"itsdangerous.{name}"] = mod
    counter = _Counter()
    code = pytest.main(
        [tests_dir, "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-W", "ignore"],
        plugins=[counter],
    )
    # The suite must really have run against ferroauth, not the installed peer.
    assert sys.modules["itsdangerous"] is fi
    with open(report_path, "w") as f:
        json.dump({"exit": int(code), **counter.counts, "failures": counter.failures}, f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
