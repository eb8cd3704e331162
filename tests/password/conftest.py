import base64
import json
import os
from pathlib import Path

import pytest

VECTORS = Path(
    os.environ.get("FERROAUTH_VECTORS", Path(__file__).resolve().parents[3] / "shared" / "vectors")
)


@pytest.fixture(scope="session")
def password_vectors():
    path = VECTORS / "passwords.json"
    assert path.is_file(), f"the shared golden vectors must be present at {path}"
    return json.loads(path.read_text())["vectors"]


def bcrypt_salt_bytes(salt22: str) -> bytes:
    """The 16 raw salt bytes behind bcrypt's 22 salt characters."""
    std = salt22.translate(
        str.maketrans(
            "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        )
    )
    return base64.b64decode(std + "==")[:16]
