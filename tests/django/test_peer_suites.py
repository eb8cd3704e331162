"""Django's own test suites, from the sdist of the installed Django version, run with
ferroauth's hashers and signing swapped in (see peer_runner.py). Counts go to
.peer/report.txt.

Set FERROAUTH_DJANGO_SECOND_PYTHON to another interpreter with Django installed (for
example CPython 3.12 with Django 6.1) to run the suites there as well; ferroauth is
imported from this checkout's python/ directory (the extension is abi3)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import django
import pytest

from tests.peer.fetch import sdist
from tests.peer.results import record

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("peer_runner.py")
LABELS = ["auth_tests.test_hashers", "signing", "signed_cookies_tests", "sessions_tests"]


def run_suite(python, version, label):
    tests_dir = sdist("Django", version) / "tests"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [python, str(RUNNER), str(tests_dir), label, "--parallel", "1", "-v", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert "ferroauth swapped into django.contrib.auth.hashers" in out, out[-3000:]
    ran = re.search(r"^Ran (\d+) tests?", out, re.M)
    assert ran, out[-3000:]
    status = re.search(r"^(OK|FAILED)(?: \((.*)\))?$", out[ran.end() :], re.M)
    assert status, out[-3000:]
    details = dict(item.split("=") for item in (status.group(2) or "").split(", ") if item)
    counts = {"ran": int(ran.group(1))}
    for kind in ("failures", "errors", "skipped", "expected failures"):
        counts[kind] = int(details.get(kind, 0))
    failed = counts["failures"] + counts["errors"]
    passed = counts["ran"] - failed - counts["skipped"] - counts["expected failures"]
    line = (
        f"Django {version} {label} suite (python {python_version(python)}): "
        f"{passed} passed, {failed} failed, {counts['skipped']} skipped, "
        f"{counts['expected failures']} expected failures"
    )
    record(line)
    failing = re.findall(r"^(?:FAIL|ERROR): (.*)$", out, re.M)
    assert proc.returncode == 0 and failed == 0, f"{line}\n{failing}\n{out[-5000:]}"
    return counts


def python_version(python):
    out = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


@pytest.mark.parametrize("label", LABELS)
def test_django_suite_with_ferroauth(label):
    counts = run_suite(sys.executable, django.__version__, label)
    assert counts["ran"] >= {"auth_tests.test_hashers": 45, "signing": 19}.get(label, 12)


SECOND = os.environ.get("FERROAUTH_DJANGO_SECOND_PYTHON")


@pytest.mark.skipif(not SECOND, reason="FERROAUTH_DJANGO_SECOND_PYTHON not set")
@pytest.mark.parametrize("label", LABELS)
def test_django_suite_with_ferroauth_second_python(label):
    version = subprocess.run(
        [SECOND, "-c", "import django; print(django.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    run_suite(SECOND, version, label)
