"""Patch mode for werkzeug.security: third-party code that imported werkzeug
itself runs on ferroauth, and unpatch restores the originals."""

import subprocess
import sys
import textwrap

import pytest


def run_isolated(code: str) -> subprocess.CompletedProcess:
    # Patching mutates global module state: each scenario runs in its own interpreter.
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True
    )


def test_patch_reaches_prior_from_imports_and_unpatch_restores():
    result = run_isolated(
        """
        from flask import Flask
        from werkzeug.security import check_password_hash, generate_password_hash
        import werkzeug.security
        import ferroauth, ferroauth.werkzeug

        original = werkzeug.security.check_password_hash
        assert ferroauth.patch(werkzeug=True) == ["werkzeug"]
        import __main__
        assert __main__.check_password_hash is ferroauth.werkzeug.check_password_hash
        assert werkzeug.security.generate_password_hash is ferroauth.werkzeug.generate_password_hash
        from werkzeug.security import check_password_hash as later
        assert later is ferroauth.werkzeug.check_password_hash

        # A Flask app's login check runs on ferroauth and still reads werkzeug's hashes.
        app = Flask(__name__)
        stored = generate_password_hash("hunter2", "pbkdf2:sha256:1000")

        @app.post("/login")
        def login():
            from flask import request
            ok = werkzeug.security.check_password_hash(stored, request.form["password"])
            return ("ok", 200) if ok else ("no", 401)

        client = app.test_client()
        assert client.post("/login", data={"password": "hunter2"}).status_code == 200
        assert client.post("/login", data={"password": "nope"}).status_code == 401

        ferroauth.unpatch()
        assert werkzeug.security.check_password_hash is original
        assert __main__.check_password_hash is original
        assert ferroauth.patch.__module__ == "ferroauth.patching"
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_unknown_area_is_an_error():
    import ferroauth

    with pytest.raises(ValueError, match="unknown patch areas"):
        ferroauth.patch(bogus=True)
