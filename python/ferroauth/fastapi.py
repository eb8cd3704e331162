"""A FastAPI bearer-token dependency: verify a JWT with a key or a JWKS URL,
consult the revocation list, and hand the route the claims.

    from ferroauth.fastapi import BearerJWT

    auth = BearerJWT(key=PUBLIC_KEY, algorithms=["RS256"], audience="api", store=store)

    @app.get("/me")
    def me(claims: dict = Depends(auth)):
        return {"user": claims["sub"]}

A missing, malformed, expired or revoked token answers 401 with a
``WWW-Authenticate: Bearer`` header (RFC 6750). With ``jwks_url`` the signing
key is looked up by ``kid`` through :class:`ferroauth.jwt.PyJWKClient`, which
caches keys; the lookup runs in a worker thread so a key refresh never blocks
the event loop. When the revocation store is unreachable the request is
refused with 503 (fail closed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ferroauth import jwt
from ferroauth.store.base import SessionStore, StoreUnavailable

__all__ = ["BearerJWT"]


class BearerJWT:
    """A dependency returning the verified claims of the request's bearer token."""

    def __init__(
        self,
        key: Any = None,
        *,
        jwks_url: str | None = None,
        algorithms: Sequence[str] = ("RS256",),
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        leeway: float = 0,
        options: dict[str, Any] | None = None,
        store: SessionStore | None = None,
        realm: str | None = None,
        jwks_client: Any = None,
    ) -> None:
        if (key is None) == (jwks_url is None and jwks_client is None):
            raise ValueError("give exactly one of key or jwks_url")
        self.key = key
        self.jwks = jwks_client or (jwt.PyJWKClient(jwks_url) if jwks_url else None)
        self.algorithms = list(algorithms)
        self.audience = audience
        self.issuer = issuer
        self.leeway = leeway
        self.options = options
        self.store = store
        self.realm = realm

    async def __call__(self, request: Request) -> dict[str, Any]:
        token = self._token(request)
        key = self.key
        if self.jwks is not None:
            try:
                key = await run_in_threadpool(self.jwks.get_signing_key_from_jwt, token)
            except jwt.PyJWTError as exc:
                raise self._unauthorized("invalid_token", str(exc)) from exc
        claims = self.decode(token, key)
        if self.store is not None and "jti" in claims:
            try:
                revoked = self.store.is_denied(str(claims["jti"]))
            except StoreUnavailable as exc:
                raise HTTPException(503, "token revocation cannot be checked now") from exc
            if revoked:
                raise self._unauthorized("invalid_token", "The token has been revoked")
        return claims

    def decode(self, token: str, key: Any) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options=self.options,
            )
        except jwt.ExpiredSignatureError as exc:
            raise self._unauthorized("invalid_token", "The token has expired") from exc
        except jwt.PyJWTError as exc:
            raise self._unauthorized("invalid_token", str(exc)) from exc

    def revoke(self, claims: dict[str, Any]) -> None:
        """Put a token on the deny-list until it expires (logout)."""
        if self.store is None:
            raise RuntimeError("BearerJWT(store=...) is needed to revoke tokens")
        if "jti" not in claims or "exp" not in claims:
            raise ValueError("only tokens with jti and exp claims can be revoked")
        self.store.deny_jti(str(claims["jti"]), float(claims["exp"]))

    def _token(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise self._unauthorized(None, "Not authenticated")
        return token.strip()

    def _unauthorized(self, error: str | None, description: str) -> HTTPException:
        params = []
        if self.realm:
            params.append(f'realm="{self.realm}"')
        if error:
            safe = description.replace("\\", "\\\\").replace('"', "'")
            params += [f'error="{error}"', f'error_description="{safe}"']
        challenge = "Bearer" + (" " + ", ".join(params) if params else "")
        return HTTPException(401, description, headers={"WWW-Authenticate": challenge})
