"""ferroauth.pwdlib against pwdlib's own hashers, inside pwdlib.PasswordHash."""

import bcrypt
import pytest
import werkzeug.security as wz
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher as TheirArgon2
from pwdlib.hashers.bcrypt import BcryptHasher as TheirBcrypt

from ferroauth.pwdlib import Argon2Hasher, BcryptHasher, LegacyHasher

CHEAP = dict(time_cost=1, memory_cost=1024, parallelism=2)


@pytest.mark.parametrize("password", ["herminetincture", "pässwörd", b"raw bytes", ""])
def test_argon2_cross_verifies_and_matches_for_a_fixed_salt(password):
    ours, theirs = Argon2Hasher(**CHEAP), TheirArgon2(**CHEAP)
    assert theirs.verify(password, ours.hash(password))
    assert ours.verify(password, theirs.hash(password))
    assert not ours.verify("other", theirs.hash(password))
    salt = b"0123456789abcdef"
    assert ours.hash(password, salt=salt) == theirs.hash(password, salt=salt)


def test_argon2_needs_rehash_agrees():
    ours, theirs = Argon2Hasher(**CHEAP), TheirArgon2(**CHEAP)
    stronger = dict(CHEAP, time_cost=2)
    for stored in (ours.hash("pw"), TheirArgon2(**stronger).hash("pw")):
        assert ours.check_needs_rehash(stored) == theirs.check_needs_rehash(stored)
    assert ours.check_needs_rehash(TheirArgon2(**stronger).hash("pw"))


@pytest.mark.parametrize("prefix", ["2a", "2b"])
def test_bcrypt_cross_verifies_and_matches_for_a_fixed_salt(prefix):
    ours, theirs = BcryptHasher(rounds=4, prefix=prefix), TheirBcrypt(rounds=4, prefix=prefix)
    assert theirs.verify("pw", ours.hash("pw"))
    assert ours.verify("pw", theirs.hash("pw"))
    salt = bcrypt.gensalt(4, prefix.encode())
    assert ours.hash("pw", salt=salt) == theirs.hash("pw", salt=salt)
    assert ours.hash("pw").startswith(f"${prefix}$04$")


def test_bcrypt_errors_match():
    for hasher in (BcryptHasher(rounds=4), TheirBcrypt(rounds=4)):
        with pytest.raises(ValueError, match="Invalid salt"):
            hasher.verify("pw", "$2b$04$short")
        with pytest.raises(ValueError, match="72 bytes"):
            hasher.hash("x" * 73)


def test_identify_agrees_with_pwdlib():
    samples = [
        TheirArgon2(**CHEAP).hash("pw"),
        TheirBcrypt(rounds=4).hash("pw"),
        wz.generate_password_hash("pw", "pbkdf2:sha256:1000"),
        "",
        "$argon2id$v=19$m=,t=1,p=1$x$y",
        b"\xc3\x28",
    ]

    def outcome(fn, sample):
        try:
            return fn(sample)
        except Exception as exc:  # noqa: BLE001 - the class is what we compare
            return type(exc)

    for sample in samples:
        assert outcome(Argon2Hasher.identify, sample) == outcome(TheirArgon2.identify, sample)
        assert outcome(BcryptHasher.identify, sample) == outcome(TheirBcrypt.identify, sample)


def test_legacy_hashes_migrate_on_login():
    password_hash = PasswordHash((Argon2Hasher(**CHEAP), LegacyHasher()))
    old = wz.generate_password_hash("hunter2", "pbkdf2:sha256:1000")
    assert password_hash.verify_and_update("wrong", old) == (False, None)
    valid, new = password_hash.verify_and_update("hunter2", old)
    assert valid and new.startswith("$argon2id$v=19$m=1024,t=1,p=2$")
    assert password_hash.verify_and_update("hunter2", new) == (True, None)
    django_style = "pbkdf2_sha256$1000$salt$" + "A" * 44
    assert LegacyHasher.identify(django_style)
    assert not LegacyHasher().verify("x", django_style)
    with pytest.raises(TypeError, match="only verifies"):
        LegacyHasher().hash("pw")


def test_hostile_argon2_hash_is_refused_not_run():
    hostile = "$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHQ$" + "A" * 43
    assert Argon2Hasher.identify(hostile)
    assert Argon2Hasher().verify("pw", hostile) is False
