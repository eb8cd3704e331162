"""The soak test on every CPython >= 3.10 this machine offers (pyenv or PATH),
all against the same abi3 extension: a million mixed operations with RSS flat,
then 8 threads at once with every result correct."""

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.peer.fetch import PEER_DIR

ROOT = Path(__file__).resolve().parents[2]
SOAK = Path(__file__).with_name("soak.py")
OPERATIONS = 1_000_000
# A leak of even 10 bytes per operation would show as ~10 MiB.
MAX_GROWTH_KIB = 4096


def interpreters() -> list[str]:
    found = {os.path.realpath(sys.executable): sys.executable}
    pyenv = shutil.which("pyenv")
    root = (
        subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        if pyenv
        else ""
    )
    for candidate in sorted(glob.glob(f"{root}/versions/3.*/bin/python3") if root else []):
        check = subprocess.run(
            [candidate, "-c", "import sys; assert sys.version_info >= (3, 10)"],
            capture_output=True,
        )
        if check.returncode == 0:
            found.setdefault(os.path.realpath(candidate), candidate)
    return list(found.values())


@pytest.mark.parametrize("python", interpreters())
def test_soak(python):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    result = subprocess.run(
        [python, str(SOAK), str(OPERATIONS)], capture_output=True, text=True, env=env, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    growth = report["rss_after_kib"] - report["rss_before_kib"]
    PEER_DIR.mkdir(exist_ok=True)
    with open(PEER_DIR / "report.txt", "a") as out:
        out.write(
            f"soak (CPython {report['python']}): {report['operations']} operations, "
            f"RSS {report['rss_before_kib']} -> {report['rss_after_kib']} KiB, "
            f"{report['threads']} threads, {len(report['errors'])} errors\n"
        )
    assert report["operations"] >= OPERATIONS - 7
    assert report["errors"] == []
    assert growth < MAX_GROWTH_KIB, report
