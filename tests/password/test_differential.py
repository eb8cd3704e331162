"""Differential tests against the real peers: hashes written by either side
verify on the other, and fixed salts give byte-identical strings."""

import argon2
import bcrypt
import pytest
import werkzeug.security as wz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from passlib import hash as passlib_hash

import ferroauth
import ferroauth.werkzeug as fw

from .conftest import bcrypt_salt_bytes

passwords = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=300),
    st.just(""),
)
salts = st.text(alphabet=wz.SALT_CHARS, min_size=1, max_size=24)
fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WERKZEUG_METHODS = ["pbkdf2:sha256:1000", "pbkdf2:sha1:500", "pbkdf2:sha512:300", "scrypt:1024:8:1"]


@fast
@given(password=passwords, method=st.sampled_from(WERKZEUG_METHODS))
def test_werkzeug_cross_verifies(password, method):
    theirs = wz.generate_password_hash(password, method)
    ours = fw.generate_password_hash(password, method)
    assert fw.check_password_hash(theirs, password)
    assert wz.check_password_hash(ours, password)
    assert ferroauth.verify_password(password, theirs)
    assert not fw.check_password_hash(theirs, password + "x")


@fast
@given(password=passwords, salt=salts, method=st.sampled_from(WERKZEUG_METHODS))
def test_werkzeug_same_salt_same_string(password, salt, method):
    theirs = wz._hash_internal(method, salt, password)
    ours = fw._derive_hex(method, salt, password)
    assert ours == theirs


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2"])
def test_werkzeug_defaults_cross_verify(method):
    theirs = wz.generate_password_hash("correct horse", method)
    ours = fw.generate_password_hash("correct horse", method)
    assert ours.split("$")[0] == theirs.split("$")[0]
    assert fw.check_password_hash(theirs, "correct horse")
    assert wz.check_password_hash(ours, "correct horse")


@pytest.mark.parametrize(
    "legacy_method",
    [
        "pbkdf2:sha256:50000",
        "pbkdf2:sha256:150000",
        "pbkdf2:sha256:260000",
        "pbkdf2:sha256:600000",
        "pbkdf2:sha1:1000",
        "pbkdf2:md5:1000",
        "pbkdf2:sha3_256:1000",
    ],
)
def test_every_older_werkzeug_default_verifies(legacy_method):
    # Werkzeug < 2.3 used 8-character salts; the iteration counts are its past defaults.
    stored = f"{legacy_method}$abcdefgh$" + wz._hash_internal(legacy_method, "abcdefgh", "pw")[0]
    assert fw.check_password_hash(stored, "pw")
    assert not fw.check_password_hash(stored, "pW")


@fast
@given(password=passwords, variant=st.sampled_from(["id", "i", "d"]))
def test_argon2_cffi_cross_verifies(password, variant):
    kind = {"id": argon2.Type.ID, "i": argon2.Type.I, "d": argon2.Type.D}[variant]
    hasher = argon2.PasswordHasher(time_cost=1, memory_cost=256, parallelism=2, type=kind)
    theirs = hasher.hash(password)
    ours = ferroauth.hash_password(
        password, scheme=f"argon2{variant}", time_cost=1, memory_cost=256, parallelism=2
    )
    assert ferroauth.verify_password(password, theirs)
    assert hasher.verify(ours, password)
    assert not ferroauth.verify_password(password + "x", theirs)


@fast
@given(password=st.binary(max_size=64), salt=st.binary(min_size=8, max_size=32))
def test_argon2_same_salt_same_string(password, salt):
    theirs = argon2.low_level.hash_secret(
        password, salt, time_cost=1, memory_cost=64, parallelism=1, hash_len=24, type=argon2.Type.ID
    ).decode()
    ours = ferroauth.hash_password(
        password, salt=salt, time_cost=1, memory_cost=64, parallelism=1, hash_len=24
    )
    assert ours == theirs


def test_argon2_version_0x10_hashes_verify():
    raw = argon2.low_level.hash_secret(
        b"pw",
        b"saltsalt",
        time_cost=1,
        memory_cost=64,
        parallelism=1,
        hash_len=16,
        type=argon2.Type.I,
        version=0x10,
    ).decode()
    assert "$v=16$" in raw
    assert ferroauth.verify_password("pw", raw)
    without_version = raw.replace("$v=16", "")
    assert argon2.low_level.verify_secret(without_version.encode(), b"pw", argon2.Type.I)
    assert ferroauth.verify_password("pw", without_version)


@fast
@given(password=st.binary(max_size=72).filter(lambda p: b"\x00" not in p))
def test_bcrypt_cross_verifies_and_matches_for_the_same_salt(password):
    salt = bcrypt.gensalt(4)
    theirs = bcrypt.hashpw(password, salt).decode()
    assert ferroauth.verify_password(password, theirs)
    ours = ferroauth.hash_password(password, scheme="bcrypt", rounds=4)
    assert bcrypt.checkpw(password, ours.encode())
    same_salt = ferroauth.hash_password(
        password, scheme="bcrypt", rounds=4, salt=bcrypt_salt_bytes(theirs[7:29])
    )
    assert same_salt == theirs


@pytest.mark.parametrize("prefix", [b"2a", b"2b"])
def test_bcrypt_prefixes_and_2y(prefix):
    stored = bcrypt.hashpw(b"pw", bcrypt.gensalt(4, prefix=prefix)).decode()
    assert ferroauth.verify_password("pw", stored)
    as_2y = "$2y$" + stored[4:]
    assert bcrypt.checkpw(b"pw", as_2y.encode()) == ferroauth.verify_password("pw", as_2y)


@fast
@given(password=passwords)
def test_passlib_schemes_cross_verify(password):
    for handler, scheme, params in [
        (passlib_hash.pbkdf2_sha256.using(rounds=1000), "pbkdf2_sha256", {"iterations": 1000}),
        (passlib_hash.pbkdf2_sha512.using(rounds=1000), "pbkdf2_sha512", {"iterations": 1000}),
        (passlib_hash.pbkdf2_sha1.using(rounds=1000), "pbkdf2_sha1", {"iterations": 1000}),
        (passlib_hash.scrypt.using(rounds=10), "scrypt", {"n": 1024}),
        (passlib_hash.bcrypt_sha256.using(rounds=4), "bcrypt_sha256", {"rounds": 4}),
    ]:
        theirs = handler.hash(password)
        assert ferroauth.verify_password(password, theirs), theirs
        ours = ferroauth.hash_password(password, scheme=scheme, **params)
        assert handler.verify(password, ours), ours


def test_passlib_bcrypt_sha256_v1_and_sha_crypt_verify():
    v1 = passlib_hash.bcrypt_sha256.using(version=1, rounds=4).hash("pw")
    assert v1.startswith("$bcrypt-sha256$2b,4$")
    assert ferroauth.verify_password("pw", v1)
    assert not ferroauth.verify_password("px", v1)
    for handler in (passlib_hash.sha512_crypt, passlib_hash.sha256_crypt):
        for rounds in (1000, 5000, 12345):
            stored = handler.using(rounds=rounds).hash("pässword")
            assert ferroauth.verify_password("pässword", stored), stored
            assert not ferroauth.verify_password("password", stored), stored
    implicit = passlib_hash.sha512_crypt.using(rounds=5000, salt="saltsalt").hash("pw")
    assert "rounds=" not in implicit and ferroauth.verify_password("pw", implicit)


@fast
@given(password=passwords, salt=st.binary(min_size=8, max_size=24))
def test_passlib_same_salt_same_string(password, salt):
    for handler, scheme, params in [
        (
            passlib_hash.pbkdf2_sha256.using(rounds=1000, salt=salt),
            "pbkdf2_sha256",
            {"iterations": 1000},
        ),
        (
            passlib_hash.pbkdf2_sha512.using(rounds=1000, salt=salt),
            "pbkdf2_sha512",
            {"iterations": 1000},
        ),
        (
            passlib_hash.pbkdf2_sha1.using(rounds=1000, salt=salt),
            "pbkdf2_sha1",
            {"iterations": 1000},
        ),
        (passlib_hash.scrypt.using(rounds=10, salt=salt), "scrypt", {"n": 1024}),
    ]:
        theirs = handler.hash(password)
        ours = ferroauth.hash_password(
            password, scheme=scheme, salt=salt, salt_len=len(salt), **params
        )
        assert ours == theirs


def test_passlib_bcrypt_sha256_same_salt_same_string():
    theirs = passlib_hash.bcrypt_sha256.using(rounds=4).hash("pässword")
    salt = bcrypt_salt_bytes(theirs.split("$")[3])
    ours = ferroauth.hash_password("pässword", scheme="bcrypt_sha256", rounds=4, salt=salt)
    assert ours == theirs
