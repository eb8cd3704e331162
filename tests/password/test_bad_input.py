"""Hostile and broken stored hashes: each gives the peer's exception or False,
never a PanicException, and none can start expensive work."""

import time

import pytest

import ferroauth
import ferroauth.werkzeug as fw
from ferroauth import InvalidHashError, LimitExceededError, UnsupportedSchemeError

A64 = "A" * 43
# (stored hash, what ferroauth.verify_password does with it)
NATIVE = [
    ("", InvalidHashError),
    ("$", InvalidHashError),
    ("plaintext", InvalidHashError),
    ("$argon2id$", InvalidHashError),
    ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ", InvalidHashError),
    ("$argon2id$v=19$m=65536,t=3$c2FsdHNhbHQ$" + A64, InvalidHashError),
    ("$argon2id$v=19$t=3,m=65536,p=4$c2FsdHNhbHQ$" + A64, InvalidHashError),
    ("$argon2id$v=19$m=65536,t=3,p=4$c2Fsd!!!$" + A64, InvalidHashError),
    ("$argon2id$v=19$m=65536,t=3,p=4$c2E$" + A64, InvalidHashError),
    ("$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHQ$" + A64, LimitExceededError),
    ("$argon2id$v=19$m=65536,t=4294967295,p=4$c2FsdHNhbHQ$" + A64, LimitExceededError),
    ("$argon2id$v=19$m=99999999999999999999,t=3,p=4$c2FsdHNhbHQ$" + A64, LimitExceededError),
    ("$argon2id$v=18$m=65536,t=3,p=4$c2FsdHNhbHQ$" + A64, UnsupportedSchemeError),
    ("$argon2x$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + A64, UnsupportedSchemeError),
    ("$scrypt$ln=30,r=8,p=1$c2FsdA$" + A64, LimitExceededError),
    ("$scrypt$ln=16,r=8,p=99999$c2FsdA$" + A64, LimitExceededError),
    ("$scrypt$ln=0,r=8,p=1$c2FsdA$" + A64, InvalidHashError),
    ("$pbkdf2-sha256$1000000000000$c2FsdA$" + A64, LimitExceededError),
    ("$pbkdf2-sha256$4294967295$c2FsdA$" + A64, LimitExceededError),
    ("$pbkdf2-sha256$-5$c2FsdA$" + A64, InvalidHashError),
    ("$pbkdf2-sha256$0$c2FsdA$" + A64, ValueError),
    ("$2b$31$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2", LimitExceededError),
    ("$2b$03$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2", ValueError),
    ("$2b$12$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK", InvalidHashError),
    ("$2b$12$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiP!2", InvalidHashError),
    ("$6$rounds=999999999$salt$" + "a" * 86, LimitExceededError),
    ("$6$salt$short", InvalidHashError),
    ("pbkdf2:sha256:1000000000000$salt$00", LimitExceededError),
    ("pbkdf2:sha256:9999999999$salt$00", LimitExceededError),
    ("pbkdf2:whirlpool:1000$salt$00", UnsupportedSchemeError),
    ("pbkdf2:a:b:c$salt$00", ValueError),
    ("scrypt:1073741824:8:1$salt$00", LimitExceededError),
    ("scrypt:3:8:1$salt$00", ValueError),
    ("scrypt:1:2$salt$00", ValueError),
    ("pbkdf2_sha256$1000000000000$salt$aGFzaA==", LimitExceededError),
    ("argon2$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHQ$" + A64, LimitExceededError),
    ("scrypt$1073741824$salt$8$1$aGFzaA==", LimitExceededError),
    ("bcrypt$$2b$99$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2", ValueError),
    ("sha1$salt$hash", UnsupportedSchemeError),
    ("$argon2id$v=19$m=65536,t=3,p=4$" + "A" * 2_000_000 + "$" + A64, LimitExceededError),
    # Well-formed strings that can never match: False, not an error.
    ("pbkdf2:sha1:1000$saltsaltsaltsalt$11470A8ACC7ECAF880A9D4E69443E6CBEE729145", False),
    ("pbkdf2_sha256$01000$salt$aGFzaA==", False),
    ("md5$salt$not-hex", False),
]


@pytest.mark.parametrize(("stored", "outcome"), NATIVE, ids=lambda v: str(v)[:48])
def test_native_verify_refuses_cleanly_and_quickly(stored, outcome):
    started = time.monotonic()
    if outcome is False:
        assert ferroauth.verify_password("pw", stored) is False
    else:
        with pytest.raises(outcome) as info:
            ferroauth.verify_password("pw", stored)
        assert str(info.value), "the error must say what is wrong"
        assert isinstance(info.value, ValueError)
    # Refusals happen before any KDF work; 5 s only guards against a real hang.
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("pwhash", "outcome"),
    [
        ("", False),
        ("no-dollars", False),
        ("one$dollar", False),
        ("sha256$salt$abc", ValueError),
        ("md5$salt$abc", ValueError),
        ("plain$$x", ValueError),
        ("pbkdf2:sha256:x$salt$abc", ValueError),
        ("pbkdf2:sha256:0$salt$abc", ValueError),
        ("pbkdf2:sha256:2147483648$salt$abc", OverflowError),
        ("pbkdf2:sha256:100000000$salt$abc", LimitExceededError),
        ("pbkdf2:nope:1000$salt$abc", ValueError),
        ("scrypt:1:2$salt$abc", ValueError),
        ("scrypt:x:8:1$salt$abc", ValueError),
        ("scrypt:-2:8:1$salt$abc", TypeError),
        ("scrypt:3:8:1$salt$abc", ValueError),
        ("scrypt:1048576:8:2$salt$abc", ValueError),
        ("scrypt:16:8:1$salt$abc", ValueError),
        ("scrypt:32768:0:1$salt$abc", ValueError),
        ("pbkdf2:sha256:1000$salt$ünïcode", TypeError),
        ("pbkdf2:sha256:1000$salt$" + "0" * 64, False),
    ],
)
def test_werkzeug_check_matches_werkzeug(pwhash, outcome):
    import werkzeug.security as wz

    if outcome is False:
        assert fw.check_password_hash(pwhash, "pw") is False
        assert wz.check_password_hash(pwhash, "pw") is False
        return
    with pytest.raises(outcome) as ours:
        fw.check_password_hash(pwhash, "pw")
    if outcome is LimitExceededError:
        return  # werkzeug would run 10^8 iterations here; refusing is the point
    with pytest.raises(outcome) as theirs:
        wz.check_password_hash(pwhash, "pw")
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "method", ["sha256", "plain", "scrypt:1:2", "pbkdf2:a:b:c", "pbkdf2:sha1:zero", "bogus"]
)
def test_werkzeug_generate_errors_match(method):
    import werkzeug.security as wz

    with pytest.raises(ValueError) as theirs:
        wz.generate_password_hash("pw", method)
    with pytest.raises(ValueError) as ours:
        fw.generate_password_hash("pw", method)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("bad", [None, 1, b"bytes"])
def test_werkzeug_wrong_password_types_fail_as_in_werkzeug(bad):
    import werkzeug.security as wz

    with pytest.raises(AttributeError) as theirs:
        wz.generate_password_hash(bad, "pbkdf2:sha256:1")
    with pytest.raises(AttributeError) as ours:
        fw.generate_password_hash(bad, "pbkdf2:sha256:1")
    assert str(ours.value) == str(theirs.value)
