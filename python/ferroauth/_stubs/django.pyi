# ferroauth._core functions added for ferroauth.django (src/py/djsign.rs).
# The lead assembles these into _core.pyi.

def django_signature(
    algorithm: str, key_salt: str | bytes, secret: str | bytes, value: str | bytes
) -> str | None:
    """URL-safe base64 (no padding) of Django's salted HMAC:
    HMAC-H(H(key_salt + secret), value). None for an algorithm other than
    sha1/sha224/sha256/sha384/sha512."""

def django_sign_payload(
    algorithm: str,
    key_salt: str | bytes,
    secret: str | bytes,
    payload: bytes,
    compressed: bool,
    sep: str,
    timestamp: int | None = None,
) -> str | None:
    """The token Signer.sign_object writes for serialized ``payload``:
    ["."]b64(payload)[sep b62(timestamp)] sep signature. None for an unsupported
    algorithm."""

def django_unsign_payload(
    algorithm: str,
    key_salt: str | bytes,
    keys: list[str | bytes] | tuple[str | bytes, ...],
    signed: str,
    sep: str,
    timestamped: bool,
) -> tuple[bytes, bool, int | None] | None:
    """(payload, compressed, timestamp) when one key's signature matches exactly
    and the token parses; None otherwise (the caller raises Django's exception)."""

def django_json_loads(data: bytes) -> tuple[object] | None:
    """(json.loads(data.decode("latin-1")),) for documents the core is sure to read
    exactly as json.loads does; None otherwise (invalid JSON, lone surrogates,
    integers outside 64 bits, nesting over 200)."""

def django_json_dumps(obj: object) -> bytes | None:
    """json.dumps(obj, separators=(",", ":")).encode("latin-1") for plain JSON data
    (exact dict with str keys, list, tuple, str, 64-bit int, float, bool, None,
    nesting up to 200); None otherwise (the caller runs json.dumps)."""
