"""itsdangerous 2.2.0's own test suite, fetched from its sdist at test time and
run against ferroauth.itsdangerous through a sys.modules alias."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.peer.fetch import sdist
from tests.peer.results import record

EXPECTED_TOTAL = 297


def test_itsdangerous_suite_passes_against_ferroauth(tmp_path: Path) -> None:
    src = sdist("itsdangerous", "2.2.0")
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("peer_runner.py")),
            str(src / "tests"),
            str(report),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    result = json.loads(report.read_text())
    line = (
        f"itsdangerous 2.2.0 suite: {result['passed']} passed, "
        f"{result['failed'] + result['error']} failed, {result['skipped']} skipped"
    )
    record(line)
    assert result["failures"] == [], line + "\n" + "\n".join(result["failures"])
    assert result["passed"] == EXPECTED_TOTAL, line
