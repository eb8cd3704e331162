"""Environment information for bug reports (``python -m ferroauth.jwt.help``)."""

from __future__ import annotations

import json
import platform
import sys

from . import __version__ as pyjwt_version

try:
    import cryptography

    cryptography_version = cryptography.__version__
except ModuleNotFoundError:
    cryptography_version = ""


def info() -> dict[str, dict[str, str]]:
    """Platform, interpreter, cryptography and PyJWT-compatible versions."""
    try:
        platform_info = {"system": platform.system(), "release": platform.release()}
    except OSError:
        platform_info = {"system": "Unknown", "release": "Unknown"}
    implementation = platform.python_implementation()
    if implementation == "CPython":
        version = platform.python_version()
    elif implementation == "PyPy":
        pypy = sys.pypy_version_info  # type: ignore[attr-defined]
        version = f"{pypy.major}.{pypy.minor}.{pypy.micro}"
        if pypy.releaselevel != "final":
            version += pypy.releaselevel
    else:
        version = "Unknown"
    return {
        "platform": platform_info,
        "implementation": {"name": implementation, "version": version},
        "cryptography": {"version": cryptography_version},
        "pyjwt": {"version": pyjwt_version},
    }


def main() -> None:
    """Print :func:`info` as JSON."""
    print(json.dumps(info(), sort_keys=True, indent=2))


if __name__ == "__main__":
    main()
