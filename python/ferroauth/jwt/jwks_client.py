"""Fetching signing keys from a JWKS endpoint: :class:`PyJWKClient` (as in PyJWT)
and :class:`AsyncPyJWKClient`, which runs the blocking fetch in a worker thread so
an event loop is never blocked."""

from __future__ import annotations

import asyncio
import http.client
import json
import math
import threading
import time
import urllib.request
from functools import lru_cache
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import decode_complete as decode_token
from .exceptions import PyJWKClientConnectionError, PyJWKClientError
from .jwk_set_cache import JWKSetCache


class _NoRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Refuse every redirect: a JWKS URL must answer itself."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        return None


class PyJWKClient:
    """Signing keys from a JWKS endpoint, with a JWK Set cache (on by default,
    ``lifespan`` seconds) and an optional per-``kid`` LRU cache (``cache_keys``).

    An unknown ``kid`` forces at most one refetch per ``cooldown_duration`` seconds
    (the cooldown applies only while the set cache is on). Only http and https URLs
    are accepted, and redirects are not followed.
    """

    def __init__(
        self,
        uri: str,
        cache_keys: bool = False,
        max_cached_keys: int = 16,
        cache_jwk_set: bool = True,
        lifespan: float = 300,
        headers: dict[str, Any] | None = None,
        timeout: float = 30,
        ssl_context: SSLContext | None = None,
        cooldown_duration: float = 30,
    ):
        scheme = urlparse(uri).scheme.lower()
        if scheme not in ("http", "https"):
            raise PyJWKClientError(
                f"Invalid JWKS URI scheme {scheme!r}: only 'http' and 'https' are supported."
            )
        self.uri = uri
        self.jwk_set_cache: JWKSetCache | None = None
        self.headers = {} if headers is None else headers
        self.timeout = timeout
        self.ssl_context = ssl_context
        if cooldown_duration < 0:
            raise PyJWKClientError(
                "Cooldown duration must be greater than or equal to 0, "
                f'the input is "{cooldown_duration}"'
            )
        if not math.isfinite(cooldown_duration):
            raise PyJWKClientError(
                f'Cooldown duration must be finite, the input is "{cooldown_duration}"'
            )
        self.cooldown_duration = cooldown_duration
        self._last_successful_fetch: float | None = None
        self._client_lock = threading.RLock()
        if cache_jwk_set:
            if lifespan <= 0:
                raise PyJWKClientError(
                    f'Lifespan must be greater than 0, the input is "{lifespan}"'
                )
            self.jwk_set_cache = JWKSetCache(lifespan)
        if cache_keys:
            self.get_signing_key = lru_cache(maxsize=max_cached_keys)(  # type: ignore[method-assign]
                self.get_signing_key
            )

    def fetch_data(self) -> Any:
        """GET the JWK Set, store it in the set cache, and return the parsed JSON.

        :raises PyJWKClientConnectionError: the request failed.
        :raises PyJWKClientError: the answer is not a JSON object.
        """
        handlers: list[Any] = [_NoRedirectHandler()]
        if self.ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context))
        request = urllib.request.Request(url=self.uri, headers=self.headers)
        try:
            with urllib.request.build_opener(*handlers).open(
                request, timeout=self.timeout
            ) as response:
                data = json.load(response)
        except (URLError, TimeoutError, http.client.HTTPException) as err:
            if isinstance(err, HTTPError):
                err.close()
            raise PyJWKClientConnectionError(
                f'Fail to fetch data from the url, err: "{err}"'
            ) from err
        data = self._as_jwk_set_payload(data)
        # Only a successful fetch touches the cache: an outage must not wipe it.
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(data)
        self._last_successful_fetch = time.monotonic()
        return data

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The key set, from the cache unless empty, expired or ``refresh``."""
        data = None
        if self.jwk_set_cache is not None and not refresh:
            data = self.jwk_set_cache.get()
        fetched = data is None
        if fetched:
            data = self.fetch_data()
        if isinstance(data, PyJWKSet):
            jwk_set = data
        else:
            jwk_set = PyJWKSet.from_dict(self._as_jwk_set_payload(data))
        # Cache what is returned (a subclass's fetch_data may transform the payload).
        if fetched and self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        return jwk_set

    @staticmethod
    def _as_jwk_set_payload(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise PyJWKClientError("The JWKS endpoint did not return a JSON object")
        return data

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """Keys with a ``kid`` whose ``use`` is ``sig`` or absent."""
        return self._get_signing_keys_from_jwk_set(self.get_jwk_set(refresh))

    @staticmethod
    def _get_signing_keys_from_jwk_set(jwk_set: PyJWKSet) -> list[PyJWK]:
        keys = [k for k in jwk_set.keys if k.public_key_use in ("sig", None) and k.key_id]
        if not keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return keys

    def _cooling_down(self) -> bool:
        return (
            self.jwk_set_cache is not None
            and self._last_successful_fetch is not None
            and time.monotonic() - self._last_successful_fetch < self.cooldown_duration
        )

    def get_signing_key(self, kid: str) -> PyJWK:
        """The signing key with ``kid``; refetches once (cooldown permitting) if unknown."""
        with self._client_lock:
            key = self.match_kid(self.get_signing_keys(), kid)
            if key is None and not self._cooling_down():
                keys = self.get_signing_keys(refresh=True)
                self._last_successful_fetch = time.monotonic()
                key = self.match_kid(keys, kid)
            if key is None:
                raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')
            return key

    def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:
        """The signing key named by the token's (unverified) ``kid`` header."""
        header = decode_token(token, options={"verify_signature": False})["header"]
        return self.get_signing_key(header.get("kid"))

    @staticmethod
    def match_kid(signing_keys: list[PyJWK], kid: str) -> PyJWK | None:
        """The first key whose ``kid`` equals ``kid``, or None."""
        for key in signing_keys:
            if key.key_id == kid:
                return key
        return None


class AsyncPyJWKClient:
    """:class:`PyJWKClient` for asyncio: the same constructor and caches; network
    fetches run in a worker thread (``asyncio.to_thread``), and concurrent lookups
    share one fetch through the client's lock, so the event loop never blocks."""

    def __init__(self, uri: str, **kwargs: Any) -> None:
        self._sync = PyJWKClient(uri, **kwargs)

    @property
    def sync_client(self) -> PyJWKClient:
        """The underlying blocking client."""
        return self._sync

    def _cached_set(self) -> PyJWKSet | None:
        cache = self._sync.jwk_set_cache
        return cache.get() if cache is not None else None

    async def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        if not refresh:
            cached = self._cached_set()
            if cached is not None:
                return cached
        return await asyncio.to_thread(self._sync.get_jwk_set, refresh)

    async def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        return PyJWKClient._get_signing_keys_from_jwk_set(await self.get_jwk_set(refresh))

    async def get_signing_key(self, kid: str) -> PyJWK:
        cached = self._cached_set()
        if cached is not None:
            for key in cached.keys:
                if key.key_id == kid and key.public_key_use in ("sig", None):
                    return key
        return await asyncio.to_thread(self._sync.get_signing_key, kid)

    async def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:
        header = decode_token(token, options={"verify_signature": False})["header"]
        return await self.get_signing_key(header.get("kid"))
