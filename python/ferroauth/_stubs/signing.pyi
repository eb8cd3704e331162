# Signatures of the signing functions and class in ferroauth._core (the lead
# assembles _core.pyi from these files).

from typing import Any

class SignerCore:
    """A signer with derived keys plus one serializer's payload format."""

    def __new__(
        cls,
        digest: str,
        key_derivation: str,
        secret_keys: list[bytes],
        salt: bytes,
        sep: bytes,
        *,
        compact: bool = True,
        ensure_ascii: bool = False,
        sort_keys: bool = False,
        tagged: bool = False,
        encoding: str = "urlsafe",
        max_token_len: int = 1048576,
    ) -> SignerCore: ...
    def sign(self, value: bytes, ts: int | None = None) -> bytes: ...
    def unsign(
        self,
        token: str | bytes,
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> tuple[bytes, int | None] | None: ...
    def unsign_many(
        self,
        tokens: list[bytes],
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> list[tuple[bytes, int | None] | None]: ...
    def dumps(self, obj: Any, ts: int | None = None) -> str | None: ...
    def loads(
        self,
        token: str | bytes,
        timed: bool,
        now: int | None = None,
        max_age: float | None = None,
    ) -> tuple[Any, int | None] | None: ...
    def json_dumps(self, obj: Any) -> str | None: ...

def signing_b64decode(data: bytes) -> bytes: ...
def signing_b64encode(data: bytes) -> bytes: ...
