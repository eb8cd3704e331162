"""The shared golden vectors through the Python API: each verifies, and each
written with a library's defaults is reproduced byte for byte from its salt."""

import pytest

import ferroauth

from .conftest import bcrypt_salt_bytes

# Which ferroauth scheme writes each recorded library's hashes with its defaults.
DJANGO_SCHEMES = {
    "PBKDF2PasswordHasher": "django_pbkdf2_sha256",
    "PBKDF2SHA1PasswordHasher": "django_pbkdf2_sha1",
    "Argon2PasswordHasher": "django_argon2",
    "ScryptPasswordHasher": "django_scrypt",
    "MD5PasswordHasher": "django_md5",
    "BCryptSHA256PasswordHasher": "django_bcrypt_sha256",
    "BCryptPasswordHasher": "django_bcrypt",
}


def password_of(vector):
    return vector.get("password", "correct horse")


def test_every_vector_verifies(password_vectors):
    assert len(password_vectors) >= 15
    for vector in password_vectors:
        assert ferroauth.verify_password(password_of(vector), vector["hash"]), vector
        assert not ferroauth.verify_password("incorrect horse", vector["hash"]), vector


def reproductions(vectors):
    for v in vectors:
        lib = v["library"]
        if lib.startswith("werkzeug") and v["method"] in ("scrypt", "pbkdf2"):
            yield v, f"werkzeug_{v['method']}", {}, v["salt"]
        elif lib.startswith("werkzeug"):
            _, digest, iterations = v["method"].split(":")
            params = {"digest": digest, "iterations": int(iterations)}
            yield v, "werkzeug_pbkdf2", params, v["salt"]
        elif lib.startswith("django"):
            scheme = DJANGO_SCHEMES[v["hasher"]]
            salt = bcrypt_salt_bytes(v["salt"][7:]) if "bcrypt" in scheme else v["salt"]
            yield v, scheme, {}, salt
        elif lib.startswith("argon2-cffi"):
            yield v, "argon2id", {}, v["salt_bytes"].encode()
        elif v.get("scheme") == "bcrypt_sha256 v2":
            yield v, "bcrypt_sha256", {}, bcrypt_salt_bytes(v["hash"].split("$")[3])
        elif v.get("scheme") == "pbkdf2_sha256":
            yield (
                v,
                "pbkdf2_sha256",
                {"iterations": 29000, "hash_len": 32},
                v["salt_bytes"].encode(),
            )


def test_vectors_are_reproduced_byte_for_byte(password_vectors):
    done = 0
    for vector, scheme, params, salt in reproductions(password_vectors):
        ours = ferroauth.hash_password(password_of(vector), scheme=scheme, salt=salt, **params)
        assert ours == vector["hash"], (scheme, vector)
        done += 1
    assert done >= 14


@pytest.mark.parametrize("field", ["scheme"])
def test_identify_every_vector(password_vectors, field):
    for vector in password_vectors:
        info = ferroauth.identify(vector["hash"])
        assert info[field]
        if "rounds" in vector:
            assert info["rounds"] == vector["rounds"]
