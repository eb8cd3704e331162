"""What a peer suite run reports: its pytest counts, and one line in .peer/report.txt.

scripts/test prints the report at the end, so every suite's count lands in the CI log.
"""

from __future__ import annotations

import re

from tests.peer.fetch import PEER_DIR


def pytest_counts(output: str) -> dict[str, int]:
    """Counts from the last line of ``pytest -q``: passed, failed (with errors), skipped."""
    summary = output.strip().splitlines()[-1] if output.strip() else ""
    pattern = r"(\d+) (passed|failed|errors?|skipped)"
    found = {kind: int(n) for n, kind in re.findall(pattern, summary)}
    return {
        "passed": found.get("passed", 0),
        "failed": found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0),
        "skipped": found.get("skipped", 0),
    }


def record(line: str) -> None:
    """Append one suite's outcome to .peer/report.txt."""
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    with open(PEER_DIR / "report.txt", "a") as report:
        report.write(line.rstrip("\n") + "\n")
