"""ferroauth.django.hashers against the installed Django's own hashers, the golden
vectors, and Django's password API (make_password, check_password, identify_hasher)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import hashers as dj
from django.contrib.auth.hashers import (
    check_password,
    identify_hasher,
    is_password_usable,
    make_password,
)
from django.test import override_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ferroauth.django import hashers as fa

# The golden vectors live beside the repository (../shared/vectors/).
VECTORS = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "passwords.json"
if not VECTORS.exists():
    VECTORS = Path("/work/shared/vectors/passwords.json")

NAMES = [
    "PBKDF2PasswordHasher",
    "PBKDF2SHA1PasswordHasher",
    "Argon2PasswordHasher",
    "BCryptSHA256PasswordHasher",
    "BCryptPasswordHasher",
    "ScryptPasswordHasher",
    "MD5PasswordHasher",
]

# Cheap parameters, set the same way on both sides, so the differential tests
# run many inputs; the default parameters are covered by the vectors below.
CHEAP = {
    "PBKDF2PasswordHasher": {"iterations": 1000},
    "PBKDF2SHA1PasswordHasher": {"iterations": 1000},
    "Argon2PasswordHasher": {"time_cost": 1, "memory_cost": 64, "parallelism": 1},
    "BCryptSHA256PasswordHasher": {"rounds": 4},
    "BCryptPasswordHasher": {"rounds": 4},
    "ScryptPasswordHasher": {"work_factor": 2**8},
    "MD5PasswordHasher": {},
}


def pair(name, **attrs):
    """Instances of Django's and ferroauth's hasher, subclassed with the same attrs."""
    attrs = {**CHEAP[name], **attrs}
    theirs = type("Theirs", (getattr(dj, name),), attrs)()
    ours = type("Ours", (getattr(fa, name),), attrs)()
    return theirs, ours


def fixed_salt(theirs, name):
    if "BCrypt" in name:
        return b"$2b$%02d$abcdefghijklmnopqrstuu" % theirs.rounds
    return "saltsaltsaltsaltsaltsa"


def test_defaults_are_the_installed_djangos():
    for name in NAMES:
        ours, theirs = getattr(fa, name), getattr(dj, name)
        assert issubclass(ours, dj.BasePasswordHasher)
        for attr in (
            "algorithm",
            "iterations",
            "digest",
            "time_cost",
            "memory_cost",
            "parallelism",
            "rounds",
            "work_factor",
            "block_size",
            "maxmem",
            "salt_entropy",
        ):
            assert getattr(ours, attr, None) == getattr(theirs, attr, None), (name, attr)


def django_vectors():
    vectors = json.loads(VECTORS.read_text())["vectors"]
    return [v for v in vectors if v["library"].startswith("django")]


@pytest.mark.parametrize("vector", django_vectors(), ids=lambda v: v["hasher"])
def test_golden_vectors_verify_and_reproduce(vector):
    hasher = getattr(fa, vector["hasher"])()
    password = vector.get("password", "correct horse")
    assert hasher.verify(password, vector["hash"]) is True
    assert hasher.verify(password + "!", vector["hash"]) is False
    salt = vector["salt"]
    if "BCrypt" in vector["hasher"]:
        encoded = hasher.encode(password, salt.encode())
    elif "PBKDF2" in vector["hasher"]:
        # Recorded with Django 6.1's 1,500,000 iterations (5.2's default is 1,000,000).
        encoded = hasher.encode(password, salt, hasher.decode(vector["hash"])["iterations"])
    else:
        encoded = hasher.encode(password, salt)
    assert encoded == vector["hash"]
    with override_settings(PASSWORD_HASHERS=[f"ferroauth.django.hashers.{vector['hasher']}"]):
        assert check_password(password, vector["hash"])


def outcome(call, *args):
    """What a call gives: its result, or its exception's class name and message."""
    try:
        return call(*args)
    except Exception as exc:  # noqa: BLE001 - compared, not swallowed
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=15, deadline=None)
@given(password=st.text(max_size=40))
@example(password="é" * 36)  # 72 bytes: one more is past bcrypt's limit
def test_encode_is_byte_identical_to_django(name, password):
    theirs, ours = pair(name)
    salt = fixed_salt(theirs, name)
    expected = theirs.encode(password, salt)
    assert ours.encode(password, salt) == expected
    assert ours.verify(password, expected) is True
    # One byte more: False, or, for bcrypt past 72 bytes, Django's own ValueError.
    longer = outcome(ours.verify, password + "x", expected)
    assert longer == outcome(theirs.verify, password + "x", expected)
    assert longer is False or (longer[0] == "ValueError" and "72 bytes" in longer[1]), longer
    assert ours.decode(expected) == theirs.decode(expected)
    assert ours.safe_summary(expected) == theirs.safe_summary(expected)


@pytest.mark.parametrize("name", NAMES)
def test_random_salts_cross_verify_and_must_update_matches(name):
    theirs, ours = pair(name)
    for a, b in ((theirs, ours), (ours, theirs)):
        encoded = make_password("lètmein", hasher=a)
        assert b.verify("lètmein", encoded) is True
        assert b.verify("lètmeiN", encoded) is False
        assert a.must_update(encoded) is False
    assert len(ours.salt()) == len(theirs.salt())
    # A hasher configured with other parameters asks for an update, like Django's.
    stronger = {k: v * 2 for k, v in CHEAP[name].items()}
    theirs2, ours2 = pair(name, **stronger)
    for encoded in (make_password("x", hasher=theirs), make_password("x", hasher=ours)):
        assert ours2.must_update(encoded) == theirs2.must_update(encoded)
        assert ours.must_update(encoded) == theirs.must_update(encoded)
    weak = make_password("x", salt="iodizedsalt", hasher=theirs) if "BCrypt" not in name else None
    if weak:
        assert ours.must_update(weak) == theirs.must_update(weak)


@pytest.mark.parametrize("name", ["PBKDF2PasswordHasher", "BCryptPasswordHasher"])
def test_harden_runtime_does_the_same_extra_work(name, monkeypatch):
    theirs, ours = pair(name)
    encoded = theirs.encode("pw", fixed_salt(theirs, name))
    more = {"iterations": 3000} if "PBKDF2" in name else {"rounds": 6}
    calls = []
    for h in pair(name, **more):
        seen = []
        monkeypatch.setattr(h, "encode", lambda *a, _seen=seen, _h=h: _seen.append(a[1:]))
        h.harden_runtime("pw", encoded)
        calls.append(seen)
    assert calls[0] == calls[1] and calls[0]


_FAMILIES = (ValueError, TypeError, AssertionError, AttributeError, LookupError)


def _family(exc_type):
    return next((f for f in _FAMILIES if issubclass(exc_type, f)), exc_type)


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as exc:  # noqa: BLE001 - comparing what each side raises
        return ("raise", _family(type(exc)))


BAD_ENCODED = [
    "",
    "pbkdf2_sha256",
    "pbkdf2_sha256$",
    "pbkdf2_sha256$abc$salt$hash",
    "pbkdf2_sha256$1000$salt",
    "pbkdf2_sha256$1_000$salt$hash",
    "pbkdf2_sha256$01000$salt$hash",
    "argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ",
    "argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$!!!",
    "argon2$argon2x$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
    "argon2$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaA",
    "bcrypt$$2b$04$short",
    "bcrypt$$2q$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzabc",
    "bcrypt_sha256$",
    "scrypt$256$salt$8$1",
    "scrypt$255$salt$8$1$hash",
    "scrypt$x$salt$8$1$hash",
    "md5$salt",
    "md5$salt$nothex",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("encoded", BAD_ENCODED)
def test_malformed_encodings_behave_as_in_django(name, encoded):
    theirs, ours = pair(name)
    expected = _outcome(lambda: theirs.verify("pw", encoded))
    got = _outcome(lambda: ours.verify("pw", encoded))
    if expected[0] == "raise":
        # The same kind of exception (ValueError, AssertionError, TypeError, ...).
        assert got == expected
    else:
        assert got == expected
    for method in ("decode", "safe_summary", "must_update"):
        e = _outcome(lambda m=method: getattr(theirs, m)(encoded))
        g = _outcome(lambda m=method: getattr(ours, m)(encoded))
        assert e[0] == g[0], method
        if e[0] == "ok":
            assert e == g


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("password", [None, b"bytes-pw", 123])
def test_odd_passwords_behave_as_in_django(name, password):
    theirs, ours = pair(name)
    salt = fixed_salt(theirs, name)
    expected = _outcome(lambda: theirs.encode(password, salt))
    got = _outcome(lambda: ours.encode(password, salt))
    assert expected == got


@pytest.mark.parametrize("salt", ["", "a$b", None])
def test_bad_salts_raise_as_in_django(salt):
    for name in ("PBKDF2PasswordHasher", "ScryptPasswordHasher", "MD5PasswordHasher"):
        theirs, ours = pair(name)
        with pytest.raises(ValueError) as expected:
            theirs.encode("pw", salt)
        with pytest.raises(ValueError) as got:
            ours.encode("pw", salt)
        assert str(got.value) == str(expected.value)


def test_bcrypt_long_passwords_as_with_bcrypt_5():
    theirs, ours = pair("BCryptPasswordHasher")
    salt = fixed_salt(theirs, "BCryptPasswordHasher")
    for password in ("a" * 72, "é" * 36):
        assert ours.encode(password, salt) == theirs.encode(password, salt)
    with pytest.raises(ValueError) as expected:
        theirs.encode("a" * 73, salt)
    with pytest.raises(ValueError) as got:
        ours.encode("a" * 73, salt)
    assert str(got.value) == str(expected.value)
    # The sha256 variant has no length limit.
    theirs, ours = pair("BCryptSHA256PasswordHasher")
    assert ours.encode("a" * 500, salt) == theirs.encode("a" * 500, salt)


def test_bcrypt_salt_prefixes_and_gensalt():
    theirs, ours = pair("BCryptPasswordHasher")
    for prefix in (b"2a", b"2b", b"2y"):
        salt = b"$" + prefix + b"$04$abcdefghijklmnopqrstuu"
        assert ours.encode("pw", salt) == theirs.encode("pw", salt)
    salt = ours.salt()
    assert salt.startswith(b"$2b$04$") and len(salt) == 29
    assert ours.encode("pw", salt) == theirs.encode("pw", salt)


def test_scrypt_maxmem_is_honoured_like_hashlib():
    theirs, ours = pair("ScryptPasswordHasher", work_factor=2**15, maxmem=0)
    with pytest.raises(ValueError):
        theirs.encode("pw", "salt")
    with pytest.raises(ValueError):
        ours.encode("pw", "salt")
    theirs, ours = pair("ScryptPasswordHasher", work_factor=2**15, maxmem=64 * 1024 * 1024)
    assert ours.encode("pw", "salt") == theirs.encode("pw", "salt")


def test_pbkdf2_with_another_digest_subclass():
    theirs, ours = pair("PBKDF2PasswordHasher", algorithm="pbkdf2_sha512", digest=hashlib.sha512)
    assert ours.encode("pw", "salt") == theirs.encode("pw", "salt")
    theirs, ours = pair("PBKDF2PasswordHasher", algorithm="pbkdf2_md5", digest=hashlib.md5)
    assert ours.encode("pw", "salt") == theirs.encode("pw", "salt")


OURS = [f"ferroauth.django.hashers.{name}" for name in NAMES]


@override_settings(PASSWORD_HASHERS=OURS)
def test_password_api_with_ferroauth_hashers():
    encoded = make_password("lètmein")
    assert encoded.startswith(f"pbkdf2_sha256${dj.PBKDF2PasswordHasher.iterations}$")
    assert isinstance(identify_hasher(encoded), fa.PBKDF2PasswordHasher)
    assert check_password("lètmein", encoded)
    assert not check_password("lètmeinz", encoded)
    assert not check_password(None, encoded)
    unusable = make_password(None)
    assert not is_password_usable(unusable)
    assert not check_password("", unusable)
    with pytest.raises(ValueError, match="Unknown password hashing algorithm"):
        identify_hasher(unusable)
    with pytest.raises(ValueError, match="Unknown password hashing algorithm 'nope'"):
        identify_hasher("nope$1$2")
    with pytest.raises(TypeError, match="Password must be a string or bytes, got int."):
        make_password(1)


def test_mixed_with_djangos_and_upgraded_through_the_setter():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        legacy = make_password("pw", "seasalt")
    mixed = [
        "ferroauth.django.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=mixed):
        updated = []
        assert check_password("pw", legacy, setter=updated.append)
        assert updated == ["pw"]
        updated.clear()
        assert not check_password("wrong", legacy, setter=updated.append)
        assert updated == []
        new = make_password("pw")
        assert new.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
        assert check_password("pw", new, setter=updated.append) and updated == []


def test_works_without_argon2_cffi_and_bcrypt():
    code = """
import sys
sys.modules["argon2"] = None
sys.modules["bcrypt"] = None
import django
from django.conf import settings
settings.configure(PASSWORD_HASHERS=["ferroauth.django.hashers.Argon2PasswordHasher",
                                     "ferroauth.django.hashers.BCryptSHA256PasswordHasher"])
django.setup()
from django.contrib.auth.hashers import make_password, check_password, get_hasher
vec = ("argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHRzYWx0c2FsdHNhbHRzYQ$"
       "ErO1VD9TkRd3kL2qZg7rSy60rN+UHOnLsAxpEZnsCqI")
assert check_password("correct horse", vec)
h = get_hasher("argon2")
assert h.decode(vec)["salt"] == "saltsaltsaltsaltsaltsa"
assert h.must_update(vec) is False
assert check_password("pw", make_password("pw", hasher="bcrypt_sha256"))
print("hashers ok")
import argon2
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "hashers ok" in proc.stdout, proc.stderr
    # The import after the checks fails: argon2-cffi really was unavailable.
    assert proc.returncode != 0 and "import of argon2 halted" in proc.stderr, proc.stderr


def test_the_vectors_are_there():
    assert len(django_vectors()) >= 8
