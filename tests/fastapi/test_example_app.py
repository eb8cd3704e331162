"""The example FastAPI app end to end, and the bearer dependency's refusals."""

import time

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

import ferroauth
from examples import fastapi_app as example
from ferroauth import jwt
from ferroauth.fastapi import BearerJWT
from ferroauth.store import MemoryStore
from ferroauth.store.base import StoreUnavailable


@pytest.fixture
def client():
    return TestClient(example.app)


def login(client, user, password):
    return client.post("/login", data={"username": user, "password": password})


def test_login_protected_route_and_logout_revocation(client):
    assert login(client, "alice", "nope").status_code == 401
    token = login(client, "alice", "wonderland").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/me", headers=headers).json() == {"user": "alice"}
    assert client.post("/logout", headers=headers).status_code == 200
    refused = client.get("/me", headers=headers)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert "revoked" in refused.json()["detail"]


def test_login_rehashes_legacy_users(client):
    assert example.USERS["bob"].startswith("pbkdf2:sha256:1000$")
    assert login(client, "bob", "builder").status_code == 200
    assert ferroauth.identify(example.USERS["bob"])["scheme"] == "argon2id"
    assert login(client, "bob", "builder").status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Basic dXNlcjpwdw==", "Bearer", "Bearer not.a.token", "Bearer e30.e30.e30"],
)
def test_missing_and_malformed_tokens_get_401_with_a_challenge(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_and_wrong_audience_tokens(client):
    now = int(time.time())
    expired = jwt.encode({"sub": "a", "aud": "example-api", "exp": now - 10}, example.SECRET)
    response = client.get("/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.headers["www-authenticate"]
    other = jwt.encode({"sub": "a", "aud": "other", "exp": now + 60}, example.SECRET)
    assert client.get("/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_unreachable_revocation_store_fails_closed():
    class Down(MemoryStore):
        def is_denied(self, jti):
            raise StoreUnavailable("the session store is unreachable: test")

    auth = BearerJWT(key="k" * 32, algorithms=["HS256"], store=Down("s"))
    app = FastAPI()

    @app.get("/x")
    def x(claims: dict = Depends(auth)):
        return claims

    token = jwt.encode({"jti": "1", "exp": int(time.time()) + 60}, "k" * 32)
    assert (
        TestClient(app).get("/x", headers={"Authorization": f"Bearer {token}"}).status_code == 503
    )


def test_jwks_url_keys_are_fetched_off_the_event_loop():
    calls = []

    class FakeJWKS:
        def get_signing_key_from_jwt(self, token):
            calls.append(token)
            return "k" * 32

    auth = BearerJWT(jwks_client=FakeJWKS(), algorithms=["HS256"])
    app = FastAPI()

    @app.get("/x")
    def x(claims: dict = Depends(auth)):
        return claims

    token = jwt.encode({"sub": "z"}, "k" * 32)
    assert TestClient(app).get("/x", headers={"Authorization": f"Bearer {token}"}).json() == {
        "sub": "z"
    }
    assert calls == [token]


def test_configuration_errors():
    with pytest.raises(ValueError, match="exactly one"):
        BearerJWT()
    with pytest.raises(ValueError, match="exactly one"):
        BearerJWT(key="k", jwks_url="https://example.invalid/jwks")
