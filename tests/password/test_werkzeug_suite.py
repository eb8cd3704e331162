"""werkzeug's own tests/test_security.py, from its sdist, run against ferroauth.werkzeug."""

import subprocess
import sys
import textwrap

from tests.peer.fetch import sdist
from tests.peer.results import pytest_counts, record

WERKZEUG = "3.1.8"


def test_werkzeug_security_suite_passes_against_ferroauth(tmp_path):
    source = sdist("werkzeug", WERKZEUG) / "tests" / "test_security.py"
    (tmp_path / "test_security.py").write_text(source.read_text())
    # The alias must be in place before the test module imports werkzeug.security.
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            import sys
            import ferroauth.werkzeug
            sys.modules["werkzeug.security"] = ferroauth.werkzeug
            import werkzeug
            werkzeug.security = ferroauth.werkzeug

            def pytest_collection_finish(session):
                from werkzeug.security import generate_password_hash
                assert generate_password_hash.__module__ == "ferroauth.werkzeug"
            """
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    counts = pytest_counts(result.stdout)
    record(
        f"werkzeug {WERKZEUG} tests/test_security.py: "
        f"{counts['passed']} passed, {counts['failed']} failed"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert counts["failed"] == 0 and counts["passed"] >= 17, counts
