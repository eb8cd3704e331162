from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization as S
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa


def _pem_pair(private) -> tuple[str, str]:
    priv = private.private_bytes(S.Encoding.PEM, S.PrivateFormat.PKCS8, S.NoEncryption()).decode()
    pub = (
        private.public_key()
        .public_bytes(S.Encoding.PEM, S.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return priv, pub


@pytest.fixture(scope="session")
def keys() -> dict[str, tuple[str, str]]:
    """PEM (private, public) pairs for every asymmetric key family PyJWT supports."""
    return {
        "RSA": _pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "P-256": _pem_pair(ec.generate_private_key(ec.SECP256R1())),
        "P-384": _pem_pair(ec.generate_private_key(ec.SECP384R1())),
        "P-521": _pem_pair(ec.generate_private_key(ec.SECP521R1())),
        "secp256k1": _pem_pair(ec.generate_private_key(ec.SECP256K1())),
        "Ed25519": _pem_pair(ed25519.Ed25519PrivateKey.generate()),
        "Ed448": _pem_pair(ed448.Ed448PrivateKey.generate()),
    }


# algorithm -> key family
ASYMMETRIC = {
    "RS256": "RSA",
    "RS384": "RSA",
    "RS512": "RSA",
    "PS256": "RSA",
    "PS384": "RSA",
    "PS512": "RSA",
    "ES256": "P-256",
    "ES384": "P-384",
    "ES512": "P-521",
    "ES521": "P-521",
    "ES256K": "secp256k1",
    "EdDSA": "Ed25519",
}
# Signatures that are a function of key and message only.
DETERMINISTIC = {"RS256", "RS384", "RS512", "EdDSA"}
