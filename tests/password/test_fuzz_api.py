"""Property-based fuzzing of the public password API: for any input the only
outcomes are a result or a documented exception — never a PanicException
(a BaseException web frameworks do not catch), never a hang."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferroauth

SEEDS = [
    "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
    "$argon2i$m=64,t=1,p=1$c2FsdHNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
    "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$wYOOMwAiWbJtJSZwEoaHwXf+n3MQJ9/nr7fzolg6q6o",
    "$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$wdimsZz82dUhh09vxCX.tZ6CiAyYHJSfs9wD5qYnfzg",
    "$2b$04$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2",
    "$bcrypt-sha256$v=2,t=2b,r=4$abcdefghijklmnopqrstuu$aP56a.SWvVzRr1c7jVmZnIGQHwjrhZe",
    "$6$rounds=1000$saltsalt$hRM5XZ86KXEw9UOmjigeVqFgULtFB2sgpC9lXQDfMib3Zgw7mEiUvBJI2EplzfAqxL5Vvwp2scFtv/uamSo5z0",
    "pbkdf2:sha256:1000$saltsaltsaltsalt$95de8d6ffa6be0153685baf463658a36fd35ab45e7f1c3aaaadb0a5b92df1b3f",
    "scrypt:1024:8:1$saltsaltsaltsalt$00",
    "pbkdf2_sha256$1000$saltsaltsaltsaltsaltsa$Y1udjtnruQXZZtSPwAFYP/urmU0Kp+odkqn2TOzoDAo=",
    "argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdHNhbHRzYQ$ErO1VD9TkRd3kL2qZg7rSy60rN+UHOnLsAxpEZnsCqI",
    "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuurByPinJWI/V/0c5apkEb2KJQv7f.gZO",
    "scrypt$1024$saltsaltsaltsaltsaltsa$8$1$VwdzdxUx4tWHAOTk/PIGWW0PmMn9SMLH3+ON9iI/25nN8gG8ATA7kF6N3PYDdG4BXYka21e8Z9mdRk+A7z+KQg==",
    "md5$saltsaltsaltsaltsaltsa$70e272e886c10bbe4147337b34f38c30",
]

# Mutations may turn t=1 into t=91: keep every limit small so no input is slow.
TIGHT = dict(
    argon2_max_memory_kib=4096,
    argon2_max_time_cost=4,
    scrypt_max_memory=1 << 22,
    scrypt_max_cost=1 << 16,
    pbkdf2_max_iterations=20_000,
    bcrypt_max_cost=6,
    sha_crypt_max_rounds=20_000,
)


@pytest.fixture(autouse=True, scope="module")
def tight_limits():
    ferroauth.set_limits(**TIGHT)
    yield
    ferroauth.set_limits(defaults=True)


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "digits"]))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "replace" and text:
            text = text[:pos] + draw(st.characters()) + text[pos + 1 :]
        elif op == "insert":
            text = (
                text[:pos]
                + draw(st.sampled_from(["$", ",", "=", "9", "\x00", "é", "99999999999"]))
                + text[pos:]
            )
        elif op == "delete":
            text = text[:pos] + text[pos + 1 :]
        elif op == "truncate":
            text = text[:pos]
        else:
            text = text.replace(
                "1", draw(st.sampled_from(["0", "4294967296", "18446744073709551616"])), 1
            )
    return text


fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(fn, *args):
    try:
        return fn(*args)
    except (ValueError, TypeError) as exc:
        assert str(exc), "errors must say what is wrong"
        return exc


@fuzz
@given(stored=st.one_of(mutated(), st.text(max_size=200), st.binary(max_size=200)))
def test_verify_and_identify_never_panic(stored):
    result = outcome(ferroauth.verify_password, "pw", stored)
    assert isinstance(result, bool | Exception)
    info = outcome(ferroauth.identify, stored)
    assert isinstance(info, dict | Exception)
    if isinstance(info, dict):
        assert isinstance(info["scheme"], str)


@fuzz
@given(
    password=st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.lists(st.text())),
    scheme=st.one_of(st.sampled_from(ferroauth.schemes()), st.text(max_size=20)),
    params=st.dictionaries(
        st.sampled_from(
            [
                "time_cost",
                "memory_cost",
                "parallelism",
                "n",
                "r",
                "p",
                "iterations",
                "rounds",
                "salt_len",
                "hash_len",
                "digest",
                "bogus",
            ]
        ),
        st.one_of(st.integers(-5, 2**65), st.text(max_size=8), st.none()),
        max_size=3,
    ),
)
def test_hash_password_never_panics(password, scheme, params):
    result = outcome(lambda: ferroauth.hash_password(password, scheme=scheme, **params))
    if isinstance(result, str):
        assert ferroauth.verify_password(password, result)
