"""PyJWT 2.15.1's own test suite, run against ferroauth.jwt.

The suite is downloaded from PyJWT's sdist at test time (never committed) and run
in a subprocess in which an importable package named ``jwt`` -- first on sys.path --
re-exports ferroauth.jwt and its submodules. The alias has to be a real package:
pytest resolves the ``jwt.warnings`` filter in PyJWT's pytest config before any
conftest could install a ``sys.modules`` alias.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.peer.fetch import PEER_DIR, sdist
from tests.peer.results import pytest_counts, record

VERSION = "2.15.1"
SUBMODULES = (
    "algorithms",
    "api_jwk",
    "api_jws",
    "api_jwt",
    "exceptions",
    "help",
    "jwk_set_cache",
    "jwks_client",
    "types",
    "utils",
    "warnings",
)

# Tests that exercise PyJWT-private internals which cannot apply to ferroauth.jwt.
# Each entry: test node id suffix -> reason. Documented in docs/jwt.md.
NOT_APPLICABLE: dict[str, str] = {}

ALIAS_INIT = f"""
import importlib
import sys

import ferroauth.jwt as _impl

for _name in {SUBMODULES!r}:
    sys.modules["jwt." + _name] = importlib.import_module("ferroauth.jwt." + _name)
sys.modules["jwt"] = _impl
"""


NO_CRYPTOGRAPHY = (
    'raise ModuleNotFoundError("No module named \'cryptography\'", name="cryptography")\n'
)


def _prepare(run_dir: Path) -> None:
    source = sdist("PyJWT", VERSION)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    # Only the tests and the pytest config: the sdist's own `jwt/` must not be importable.
    shutil.copytree(source / "tests", run_dir / "tests")
    shutil.copy(source / "pyproject.toml", run_dir / "pyproject.toml")
    alias = run_dir / "alias" / "jwt"
    alias.mkdir(parents=True)
    (alias / "__init__.py").write_text(ALIAS_INIT)
    # A second import root that hides cryptography, for the suite's no-crypto tests.
    blocker = run_dir / "nocrypto" / "cryptography"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(NO_CRYPTOGRAPHY)


def _run(run_dir: Path, extra_path: list[Path], label: str) -> tuple[int, int, str]:
    env = dict(os.environ)
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(
        [str(p) for p in extra_path] + [str(run_dir / "alias"), str(root / "python")]
    )
    deselect: list[str] = []
    for node in NOT_APPLICABLE:
        deselect += ["--deselect", node]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", *deselect],
        cwd=run_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    # Prove the suite ran against ferroauth, not the installed PyJWT.
    probe = subprocess.run(
        [sys.executable, "-c", "import jwt, jwt.api_jws as m; print(jwt.__name__, m.__name__)"],
        cwd=run_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.split() == ["ferroauth.jwt", "ferroauth.jwt.api_jws"], probe
    counts = pytest_counts(out)
    passed, failed = counts["passed"], counts["failed"]
    record(
        f"PyJWT {VERSION} suite{label}: {passed} passed, {failed} failed, "
        f"{counts['skipped']} skipped, {len(NOT_APPLICABLE)} deselected (not applicable)"
    )
    return passed, failed, out


def test_pyjwt_suite_passes_against_ferroauth_jwt() -> None:
    run_dir = PEER_DIR / "pyjwt-run"
    _prepare(run_dir)
    passed, failed, out = _run(run_dir, [], "")
    assert failed == 0 and passed >= 471, out[-6000:]
    # The same suite with cryptography hidden: only none/HS* remain, as in PyJWT, and
    # the suite's no-cryptography tests run instead of being skipped.
    passed, failed, out = _run(run_dir, [run_dir / "nocrypto"], " without cryptography")
    assert failed == 0 and passed > 100, out[-6000:]
