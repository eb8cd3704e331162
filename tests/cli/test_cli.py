"""The ferroauth command line, run as a real subprocess."""

import json
import subprocess
import sys

import pytest
import werkzeug.security as wz

import ferroauth

CHEAP = ["-p", "memory_cost=256", "-p", "time_cost=1", "-p", "parallelism=1"]


def run(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "ferroauth", *args], input=stdin, capture_output=True, text=True
    )


def test_hash_reads_the_password_from_stdin_not_argv():
    result = run("hash", *CHEAP, stdin="s3cret\n")
    assert result.returncode == 0, result.stderr
    stored = result.stdout.strip()
    assert stored.startswith("$argon2id$v=19$m=256,t=1,p=1$")
    assert ferroauth.verify_password("s3cret", stored)


def test_verify_exit_codes():
    stored = wz.generate_password_hash("s3cret", "pbkdf2:sha256:1000")
    assert run("verify", stored, stdin="s3cret\n").returncode == 0
    assert run("verify", stored, stdin="wrong\n").returncode == 1
    broken = run("verify", "$argon2id$broken", stdin="s3cret\n")
    assert broken.returncode == 2
    assert "ferroauth verify:" in broken.stderr and "argon2" in broken.stderr


def test_identify_reports_parameters_policy_and_recommendation():
    stored = wz.generate_password_hash("pw", "pbkdf2:sha256:1000")
    result = run("identify", stored, "--json")
    data = json.loads(result.stdout)
    assert data["scheme"] == "werkzeug_pbkdf2"
    assert data["params"]["iterations"] == 1000
    assert "below 600,000" in data["recommendation"]
    assert data["needs_rehash"] is True
    text = run("identify", stored).stdout
    assert "iterations: 1000" in text and "needs rehash" in text


@pytest.fixture
def table(tmp_path):
    weak = wz.generate_password_hash("pw", "pbkdf2:sha256:1000")
    strong = ferroauth.hash_password("pw", memory_cost=19456, time_cost=2, parallelism=1)
    rows = [weak] * 3 + [strong] * 2 + ["not-a-hash"]
    plain = tmp_path / "hashes.txt"
    plain.write_text("\n".join(rows) + "\n\n")
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "id,email,password\n" + "".join(f"{i},u{i}@x,{h}\n" for i, h in enumerate(rows))
    )
    return plain, csv_file


def test_audit_counts_assesses_and_reports_unreadable_lines(table):
    plain, _ = table
    data = json.loads(run("audit", str(plain), "--json").stdout)
    assert data["total"] == 6
    assert data["below_recommendation"] == 3
    assert data["unparsed"] == 1
    assert data["errors"][0]["first_lines"] == [6]
    by_scheme = {g["scheme"]: g for g in data["groups"]}
    assert by_scheme["werkzeug_pbkdf2"]["count"] == 3
    assert by_scheme["werkzeug_pbkdf2"]["meets_recommendation"] is False
    assert by_scheme["argon2id"]["meets_recommendation"] is True


def test_audit_reads_csv_columns_by_name_and_index_and_stdin(table):
    plain, csv_file = table
    by_name = json.loads(run("audit", str(csv_file), "--column", "password", "--json").stdout)
    by_index = json.loads(run("audit", str(csv_file), "--column", "2", "--json").stdout)
    assert by_name["total"] == 6 and by_index["total"] == 7  # the header row is data by index
    from_stdin = json.loads(run("audit", "-", "--json", stdin=plain.read_text()).stdout)
    assert from_stdin["total"] == 6
    missing = run("audit", str(csv_file), "--column", "nope")
    assert missing.returncode == 2 and "no column 'nope'" in missing.stderr


def test_audit_fail_below_sets_the_exit_code(table):
    plain, _ = table
    assert run("audit", str(plain), "--fail-below", "--no-progress").returncode == 1
    assert "below the recommendation" in run("audit", str(plain), "--no-progress").stdout


def test_calibrate_prints_a_policy_line_within_budget():
    result = run("calibrate", "--target", "0.02", "--max-memory", "2048")
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith('ferroauth.Policy("argon2id", memory_cost=')
    policy = eval(line, {"ferroauth": ferroauth})  # noqa: S307 - our own output
    assert policy.params["memory_cost"] <= 2048
    assert policy.params["time_cost"] >= 1


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("hash", "-p", "time_cost").returncode == 2


KEY = "k" * 32


def test_jwt_encode_then_decode_with_and_without_a_key():
    import jwt as pyjwt

    token = run("jwt", "encode", '{"sub": "42", "aud": "api"}', "--key", KEY, "--expires-in", "60")
    assert token.returncode == 0, token.stderr
    value = token.stdout.strip()
    claims = pyjwt.decode(value, KEY, algorithms=["HS256"], audience="api")
    assert claims["sub"] == "42" and claims["exp"] - claims["iat"] == 60
    shown = run("jwt", "decode", value).stdout
    assert "sub: 42" in shown and "UTC)" in shown and "not checked" in shown
    checked = json.loads(
        run("jwt", "decode", value, "--key", KEY, "--audience", "api", "--json").stdout
    )
    assert checked["claims"]["sub"] == "42" and checked["signature"] == "valid (HS256)"
    bad = run("jwt", "decode", value, "--key", "x" * 32, "--audience", "api")
    assert bad.returncode == 2 and "Signature verification failed" in bad.stderr
    assert run("jwt", "decode", "-", stdin=value + "\n").returncode == 0


def test_jwt_usage_errors():
    assert run("jwt", "encode", "[1, 2]", "--key", KEY).returncode == 2
    assert run("jwt", "encode", "{}").returncode == 2
    assert run("jwt", "decode", "not-a-token").returncode == 2


def test_bench_table_and_chart(tmp_path, monkeypatch):
    from ferroauth import bench

    # Only the cheap cases: this checks the command's output, not speed.
    cheap = [case for case in bench.CASES if case[0] in ("PyJWT", "itsdangerous")]
    missing = ("not-installed-peer", "never runs", lambda: __import__("no_such_module_here"))
    monkeypatch.setattr(bench, "CASES", [*cheap, missing])
    lines = []
    results = list(bench.run(progress=lines.append))
    assert [r.peer for r in results] == ["PyJWT", "PyJWT", "itsdangerous"]
    assert any("skip not-installed-peer" in line for line in lines)
    table = bench.markdown(results)
    assert table.count("\n") == 4 and "HS256 decode" in table and "x |" in table
    png = tmp_path / "ratios.png"
    bench.bar_chart(results, str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
