"""A FastAPI service on ferroauth: password login, token issue, a protected
route, and logout that revokes the token before it expires.

Run: uvicorn examples.fastapi_app:app   (needs fastapi and uvicorn)
"""

from __future__ import annotations

import time
import uuid

from fastapi import Depends, FastAPI, Form, HTTPException

import ferroauth
from ferroauth import jwt
from ferroauth.fastapi import BearerJWT
from ferroauth.store import MemoryStore

SECRET = "change-me: a long random secret from your settings"
TOKEN_LIFETIME = 15 * 60
POLICY = ferroauth.Policy("argon2id", memory_cost=19456, time_cost=2, parallelism=1)

# Users as a real app keeps them: one still has a werkzeug hash from before the switch.
USERS = {
    "alice": ferroauth.hash_password("wonderland", policy=POLICY),
    "bob": ferroauth.hash_password("builder", scheme="werkzeug_pbkdf2", iterations=1000),
}

store = MemoryStore(SECRET)
auth = BearerJWT(key=SECRET, algorithms=["HS256"], audience="example-api", store=store)
app = FastAPI(title="ferroauth example")


@app.post("/login")
def login(username: str = Form(), password: str = Form()) -> dict[str, str]:
    stored = USERS.get(username)
    if stored is None:
        raise HTTPException(401, "bad credentials")
    ok, new_hash = ferroauth.verify_and_update(password, stored, POLICY)
    if not ok:
        raise HTTPException(401, "bad credentials")
    if new_hash:  # rehash on login: bob moves from werkzeug PBKDF2 to argon2id
        USERS[username] = new_hash
    now = int(time.time())
    claims = {
        "sub": username,
        "aud": "example-api",
        "iat": now,
        "exp": now + TOKEN_LIFETIME,
        "jti": uuid.uuid4().hex,
    }
    return {"access_token": jwt.encode(claims, SECRET, algorithm="HS256"), "token_type": "bearer"}


@app.get("/me")
def me(claims: dict = Depends(auth)) -> dict[str, str]:
    return {"user": claims["sub"]}


@app.post("/logout")
def logout(claims: dict = Depends(auth)) -> dict[str, str]:
    auth.revoke(claims)
    return {"status": "logged out"}
