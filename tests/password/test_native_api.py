"""The native API: hash_password, verify_password, identify, policies, batches, limits."""

import threading

import pytest

import ferroauth
from ferroauth import InvalidHashError, LimitExceededError, Policy, UnsupportedSchemeError

CHEAP = {
    "argon2id": {"memory_cost": 256, "time_cost": 1, "parallelism": 1},
    "argon2i": {"memory_cost": 256, "time_cost": 1, "parallelism": 2},
    "argon2d": {"memory_cost": 256, "time_cost": 1, "parallelism": 1},
    "scrypt": {"n": 1024},
    "pbkdf2_sha256": {"iterations": 100},
    "pbkdf2_sha512": {"iterations": 100},
    "pbkdf2_sha1": {"iterations": 100},
    "bcrypt": {"rounds": 4},
    "bcrypt_sha256": {"rounds": 4},
    "werkzeug_pbkdf2": {"iterations": 100},
    "werkzeug_scrypt": {"n": 1024},
    "django_pbkdf2_sha256": {"iterations": 100},
    "django_pbkdf2_sha1": {"iterations": 100},
    "django_argon2": {"memory_cost": 256, "time_cost": 1, "parallelism": 1},
    "django_bcrypt_sha256": {"rounds": 4},
    "django_bcrypt": {"rounds": 4},
    "django_scrypt": {"n": 1024, "p": 1},
    "django_md5": {},
}


def test_every_writable_scheme_is_covered_here():
    assert set(ferroauth.schemes()) == set(CHEAP)


@pytest.mark.parametrize("scheme", sorted(CHEAP))
@pytest.mark.parametrize("password", ["", "hunter2", "pässwörd 🔑", b"raw\x00bytes\xff"])
def test_round_trip(scheme, password):
    if scheme.endswith("bcrypt") and isinstance(password, bytes) and b"\x00" in password:
        password = b"raw bytes\xff"
    stored = ferroauth.hash_password(password, scheme=scheme, **CHEAP[scheme])
    assert ferroauth.verify_password(password, stored)
    assert not ferroauth.verify_password("not the password", stored)
    assert ferroauth.identify(stored)["scheme"] == scheme


def test_default_is_argon2id_with_argon2_cffi_parameters():
    info = ferroauth.identify(ferroauth.hash_password("pw"))
    assert info == {
        "scheme": "argon2id",
        "type": "argon2id",
        "version": 19,
        "memory_cost": 65536,
        "time_cost": 3,
        "parallelism": 4,
        "salt_len": 16,
        "hash_len": 32,
    }


def test_salts_are_random_and_explicit_salts_reproduce():
    a = ferroauth.hash_password("pw", scheme="pbkdf2_sha256", iterations=10)
    b = ferroauth.hash_password("pw", scheme="pbkdf2_sha256", iterations=10)
    assert a != b
    fixed = dict(scheme="pbkdf2_sha256", iterations=10, salt=b"0123456789abcdef")
    assert ferroauth.hash_password("pw", **fixed) == ferroauth.hash_password("pw", **fixed)


def test_str_and_utf8_bytes_are_the_same_password():
    stored = ferroauth.hash_password("pässwörd", scheme="pbkdf2_sha256", iterations=10)
    assert ferroauth.verify_password("pässwörd".encode(), stored)
    assert ferroauth.verify_password(bytearray("pässwörd".encode()), stored)
    assert ferroauth.verify_password(memoryview("pässwörd".encode()), stored)


@pytest.mark.parametrize("bad", [None, 42, 4.2, ["pw"], object()])
def test_wrong_password_types_name_the_type(bad):
    with pytest.raises(TypeError, match=f"password must be str or bytes, not {type(bad).__name__}"):
        ferroauth.hash_password(bad)
    with pytest.raises(TypeError, match=type(bad).__name__):
        ferroauth.verify_password(bad, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")


def test_wrong_stored_hash_types():
    with pytest.raises(TypeError, match="stored hash must be str or bytes, not int"):
        ferroauth.verify_password("pw", 12)
    with pytest.raises(InvalidHashError, match="UTF-8"):
        ferroauth.verify_password("pw", b"\xff\xfe")


def test_unknown_scheme_and_parameters():
    with pytest.raises(UnsupportedSchemeError, match="unknown scheme 'md4'"):
        ferroauth.hash_password("pw", scheme="md4")
    with pytest.raises(ValueError, match="argon2id takes no parameter 'rounds'"):
        ferroauth.hash_password("pw", rounds=4)
    with pytest.raises(TypeError, match="time_cost must be int, not str"):
        ferroauth.hash_password("pw", time_cost="3")
    with pytest.raises(UnsupportedSchemeError, match="read-only"):
        ferroauth.hash_password("pw", scheme="sha512_crypt")


def test_bcrypt_refuses_passwords_over_72_bytes_like_pyca_bcrypt():
    with pytest.raises(ValueError, match="password cannot be longer than 72 bytes"):
        ferroauth.hash_password("x" * 73, scheme="bcrypt", rounds=4)
    stored = ferroauth.hash_password("x" * 72, scheme="bcrypt", rounds=4)
    with pytest.raises(ValueError, match="72 bytes"):
        ferroauth.verify_password("x" * 73, stored)
    # Pre-hashing schemes take any length.
    long = "y" * 500
    assert ferroauth.verify_password(
        long, ferroauth.hash_password(long, scheme="bcrypt_sha256", rounds=4)
    )


def test_policy_and_needs_rehash():
    policy = Policy("argon2id", memory_cost=1024, time_cost=1, parallelism=1)
    assert policy.scheme == "argon2id"
    assert policy.params["memory_cost"] == 1024
    assert policy == Policy("argon2id", memory_cost=1024, time_cost=1, parallelism=1)
    assert "memory_cost=1024" in repr(policy)
    current = ferroauth.hash_password("pw", policy=policy)
    assert not ferroauth.needs_rehash(current, policy)
    weaker = ferroauth.hash_password("pw", memory_cost=512, time_cost=1, parallelism=1)
    assert ferroauth.needs_rehash(weaker, policy)
    legacy = ferroauth.hash_password("pw", scheme="werkzeug_pbkdf2", iterations=1000)
    assert ferroauth.needs_rehash(legacy, policy)
    with pytest.raises(TypeError, match="not both"):
        ferroauth.hash_password("pw", policy=policy, time_cost=2)


def test_verify_and_update_moves_werkzeug_users_to_argon2id():
    import werkzeug.security

    policy = Policy("argon2id", memory_cost=1024, time_cost=1, parallelism=1)
    legacy = werkzeug.security.generate_password_hash("hunter2", "pbkdf2:sha256:1000")
    assert ferroauth.verify_and_update("wrong", legacy, policy) == (False, None)
    ok, new = ferroauth.verify_and_update("hunter2", legacy, policy)
    assert ok and new.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert ferroauth.verify_password("hunter2", new)
    assert ferroauth.verify_and_update("hunter2", new, policy) == (True, None)


def test_batches_keep_input_order():
    passwords = [f"pw-{i}" for i in range(24)]
    hashes = ferroauth.hash_many(passwords, scheme="pbkdf2_sha256", iterations=50)
    assert len(hashes) == 24 and len(set(hashes)) == 24
    assert ferroauth.verify_many(passwords, hashes) == [True] * 24
    shuffled = passwords[1:] + passwords[:1]
    assert ferroauth.verify_many(shuffled, hashes) == [False] * 24
    for password, stored in zip(passwords, hashes, strict=True):
        assert ferroauth.verify_password(password, stored)
    mixed = hashes[:3] + [ferroauth.hash_password("pw-3", scheme="bcrypt", rounds=4)]
    assert ferroauth.verify_many(passwords[:4], mixed) == [True] * 4
    with pytest.raises(ValueError, match="as many hashes as passwords"):
        ferroauth.verify_many(passwords, hashes[:3])
    with pytest.raises(InvalidHashError):
        ferroauth.verify_many(["a"], ["$argon2id$broken"])


def test_limits_are_configurable_and_enforced_before_work():
    defaults = ferroauth.get_limits()
    try:
        ferroauth.set_limits(pbkdf2_max_iterations=1000)
        with pytest.raises(
            LimitExceededError, match="PBKDF2 iterations 1001 exceeds the limit of 1000"
        ):
            ferroauth.hash_password("pw", scheme="pbkdf2_sha256", iterations=1001)
        assert ferroauth.get_limits()["pbkdf2_max_iterations"] == 1000
        with pytest.raises(TypeError, match="unknown limit"):
            ferroauth.set_limits(bogus=1)
    finally:
        assert ferroauth.set_limits(defaults=True) == defaults
    assert issubclass(LimitExceededError, ValueError)


def test_the_gil_is_released_while_hashing():
    done = threading.Event()
    ticks = 0

    def work():
        ferroauth.hash_password("pw", scheme="pbkdf2_sha256", iterations=3_000_000)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        ticks += 1
    thread.join()
    # With the GIL held for the whole hash this loop could not run at all meanwhile.
    assert ticks > 10_000
