"""pwdlib's own test suite, from its sdist, with its argon2 and bcrypt hasher
modules aliased to ferroauth.pwdlib."""

import shutil
import subprocess
import sys
import textwrap

from tests.peer.fetch import sdist
from tests.peer.results import pytest_counts, record

PWDLIB = "0.3.1"


def test_pwdlib_suite_passes_against_ferroauth(tmp_path):
    shutil.copytree(sdist("pwdlib", PWDLIB) / "tests", tmp_path / "tests")
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            import sys
            import pwdlib.hashers
            import ferroauth.pwdlib

            for name in ("argon2", "bcrypt"):
                sys.modules[f"pwdlib.hashers.{name}"] = ferroauth.pwdlib
                setattr(pwdlib.hashers, name, ferroauth.pwdlib)

            def pytest_collection_finish(session):
                from pwdlib.hashers.argon2 import Argon2Hasher
                from pwdlib.hashers.bcrypt import BcryptHasher
                assert Argon2Hasher.__module__ == BcryptHasher.__module__ == "ferroauth.pwdlib"
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    counts = pytest_counts(result.stdout)
    record(f"pwdlib {PWDLIB} tests/: {counts['passed']} passed, {counts['failed']} failed")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert counts["failed"] == 0 and counts["passed"] >= 40, counts
