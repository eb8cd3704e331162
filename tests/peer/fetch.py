"""Fetch a peer's sdist from PyPI at test time and unpack it under .peer/.

Peers' test files are never committed: they are downloaded here, run against
ferroauth through a module alias, and reported by count.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEER_DIR = ROOT / ".peer"


def sdist(name: str, version: str) -> Path:
    """Return the unpacked source tree of ``name==version``, downloading it once."""
    target = PEER_DIR / f"{name}-{version}"
    if target.is_dir():
        return target
    download = PEER_DIR / "downloads"
    download.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--no-binary", ":all:", "--dest", str(download),
            f"{name}=={version}",
        ],
        check=True,
    )
    normalized = name.lower().replace("-", "_")
    archives = [
        p for p in download.iterdir()
        if p.name.lower().replace("-", "_").startswith(f"{normalized}_{version}")
        and p.name.endswith(".tar.gz")
    ]
    if not archives:
        raise RuntimeError(f"no sdist of {name}=={version} was downloaded into {download}")
    with tarfile.open(archives[0]) as tar:
        tar.extractall(PEER_DIR, filter="data")
    unpacked = PEER_DIR / archives[0].name[: -len(".tar.gz")]
    unpacked.rename(target)
    return target
