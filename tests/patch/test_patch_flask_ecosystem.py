"""Patch mode with a real Flask app using Flask-Login and Flask-WTF: the session
cookie and the CSRF tokens are signed by ferroauth, and nothing else changes."""

import subprocess
import sys
import textwrap

SCENARIO = textwrap.dedent(
    """
    import itsdangerous
    import ferroauth, ferroauth.itsdangerous
    from itsdangerous import URLSafeTimedSerializer as Original

    # A token made before the switch, by the real itsdangerous.
    old_token = Original("secret", salt="s").dumps({"user": 1})

    assert ferroauth.patch(itsdangerous=True, werkzeug=True) == ["itsdangerous", "werkzeug"]

    from flask import Flask, request, session
    from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
    from flask_wtf import FlaskForm
    from flask_wtf.csrf import CSRFProtect
    import flask.sessions, flask_wtf.csrf
    from werkzeug.security import check_password_hash, generate_password_hash

    assert flask.sessions.URLSafeTimedSerializer is ferroauth.itsdangerous.URLSafeTimedSerializer
    assert flask_wtf.csrf.URLSafeTimedSerializer is ferroauth.itsdangerous.URLSafeTimedSerializer
    assert itsdangerous.BadSignature is ferroauth.itsdangerous.BadSignature
    assert itsdangerous.URLSafeTimedSerializer("secret", salt="s").loads(old_token) == {"user": 1}

    app = Flask(__name__)
    app.secret_key = "flask-secret"
    CSRFProtect(app)
    login_manager = LoginManager(app)
    USERS = {"ada": generate_password_hash("lovelace", "pbkdf2:sha256:1000")}

    class User(UserMixin):
        def __init__(self, name):
            self.id = name

    @login_manager.user_loader
    def load(name):
        return User(name) if name in USERS else None

    class Empty(FlaskForm):
        pass

    @app.get("/form")
    def form():
        return Empty().csrf_token.current_token

    @app.post("/login")
    def login():
        if not Empty().validate_on_submit():
            return "bad csrf", 400
        if not check_password_hash(USERS["ada"], request.form["password"]):
            return "bad password", 401
        login_user(User("ada"))
        return "ok"

    @app.get("/me")
    @login_required
    def me():
        return current_user.id

    client = app.test_client()
    token = client.get("/form").text
    forged = {"csrf_token": "forged", "password": "lovelace"}
    assert client.post("/login", data=forged).status_code == 400
    assert client.post("/login", data={"csrf_token": token, "password": "nope"}).status_code == 401
    assert client.post("/login", data={"csrf_token": token, "password": "lovelace"}).text == "ok"
    assert client.get("/me").text == "ada"

    # The cookie is readable by the stock (unpatched) Flask interface: byte-identical signing.
    cookie = client.get_cookie("session").value
    ferroauth.unpatch()
    assert itsdangerous.URLSafeTimedSerializer is Original
    stock = Original(app.secret_key, salt="cookie-session", signer_kwargs={
        "key_derivation": "hmac", "digest_method": __import__("hashlib").sha1})
    assert stock.loads(cookie)["_user_id"] == "ada"
    print("ok")
    """
)


def test_flask_login_and_flask_wtf_run_on_ferroauth_when_patched():
    result = subprocess.run([sys.executable, "-c", SCENARIO], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
