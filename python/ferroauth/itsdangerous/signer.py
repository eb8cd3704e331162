"""``Signer``: sign bytes with an HMAC and verify them, as itsdangerous 2.2.

Signing algorithms, key derivation (``concat``, ``django-concat``, ``hmac``,
``none``) and key rotation behave exactly as in itsdangerous; the stock
configuration runs on the Rust core.
"""

from __future__ import annotations

import collections.abc as cabc
import hmac
import typing as t

from . import _fast
from ._fast import _lazy_sha1
from .encoding import _base64_alphabet, base64_decode, base64_encode, want_bytes
from .exc import BadSignature


class SigningAlgorithm:
    """Base of the algorithms a :class:`Signer` can use."""

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        """The signature of ``value`` under ``key``."""
        raise NotImplementedError()

    def verify_signature(self, key: bytes, value: bytes, sig: bytes) -> bool:
        """Does ``sig`` sign ``value``? Compared in constant time."""
        return hmac.compare_digest(sig, self.get_signature(key, value))


class NoneAlgorithm(SigningAlgorithm):
    """An algorithm whose signature is empty: for use only where signing is not wanted."""

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return b""


class HMACAlgorithm(SigningAlgorithm):
    """HMAC with ``digest_method`` (default SHA-1)."""

    default_digest_method: t.Any = staticmethod(_lazy_sha1)

    def __init__(self, digest_method: t.Any = None):
        if digest_method is None:
            digest_method = self.default_digest_method
        self.digest_method: t.Any = digest_method

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return hmac.new(key, msg=value, digestmod=self.digest_method).digest()


def _make_keys_list(
    secret_key: str | bytes | cabc.Iterable[str] | cabc.Iterable[bytes],
) -> list[bytes]:
    if isinstance(secret_key, (str, bytes)):
        return [want_bytes(secret_key)]
    return [want_bytes(s) for s in secret_key]


class Signer:
    """Sign a value with a secret key and verify it later.

    :param secret_key: the key, or a list of keys oldest to newest (the newest
        signs, all verify).
    :param salt: mixed into the key; defaults to ``b"itsdangerous.Signer"``.
    :param sep: separator between value and signature, default ``b"."``; may not
        be a base64 character.
    :param key_derivation: ``"concat"``, ``"django-concat"`` (default),
        ``"hmac"`` or ``"none"``.
    :param digest_method: hash constructor, default SHA-1.
    :param algorithm: a :class:`SigningAlgorithm`, default :class:`HMACAlgorithm`.
    """

    default_digest_method: t.Any = staticmethod(_lazy_sha1)
    default_key_derivation: str = "django-concat"

    def __init__(
        self,
        secret_key: str | bytes | cabc.Iterable[str] | cabc.Iterable[bytes],
        salt: str | bytes | None = b"itsdangerous.Signer",
        sep: str | bytes = b".",
        key_derivation: str | None = None,
        digest_method: t.Any | None = None,
        algorithm: SigningAlgorithm | None = None,
    ):
        self.secret_keys: list[bytes] = _make_keys_list(secret_key)
        self.sep: bytes = want_bytes(sep)
        if self.sep in _base64_alphabet:
            raise ValueError(
                "The given separator cannot be used because it may be"
                " contained in the signature itself. ASCII letters,"
                " digits, and '-_=' must not be used."
            )
        self.salt = want_bytes(salt) if salt is not None else b"itsdangerous.Signer"
        if key_derivation is None:
            key_derivation = self.default_key_derivation
        self.key_derivation: str = key_derivation
        if digest_method is None:
            digest_method = self.default_digest_method
        self.digest_method: t.Any = digest_method
        if algorithm is None:
            algorithm = HMACAlgorithm(self.digest_method)
        self.algorithm: SigningAlgorithm = algorithm

    @property
    def secret_key(self) -> bytes:
        """The newest (last) of :attr:`secret_keys`."""
        return self.secret_keys[-1]

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """The signing key for ``secret_key`` (default: the newest) and :attr:`salt`."""
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        kd = self.key_derivation
        if kd == "concat":
            return t.cast(bytes, self.digest_method(self.salt + key).digest())
        if kd == "django-concat":
            return t.cast(bytes, self.digest_method(self.salt + b"signer" + key).digest())
        if kd == "hmac":
            mac = hmac.new(key, digestmod=self.digest_method)
            mac.update(self.salt)
            return mac.digest()
        if kd == "none":
            return key
        raise TypeError("Unknown key derivation method")

    def get_signature(self, value: str | bytes) -> bytes:
        """The url-safe base64 signature of ``value`` with the newest key."""
        value = want_bytes(value)
        return base64_encode(self.algorithm.get_signature(self.derive_key(), value))

    # -- the fast path ---------------------------------------------------------

    def _core(self) -> t.Any:
        """A cached Rust core equivalent to this signer, or None."""
        cls = type(self)
        try:
            key = (
                cls,
                tuple(self.secret_keys),
                self.salt,
                self.sep,
                self.key_derivation,
                self.digest_method,
                self.algorithm.__class__,
                getattr(self.algorithm, "digest_method", None),
            )
        except TypeError:
            return None
        core = _fast.lookup(key)
        if core is None:
            core = _fast.store(key, self._eligible() and _fast.build(self, encoding="raw"))
        return core or None

    def _eligible(self) -> bool:
        cls = type(self)
        from .timed import TimestampSigner

        if not (
            cls.derive_key is Signer.derive_key
            and cls.get_signature is Signer.get_signature
            and cls.verify_signature is Signer.verify_signature
        ):
            return False
        if isinstance(self, TimestampSigner):
            return (
                cls.sign is TimestampSigner.sign
                and cls.unsign is TimestampSigner.unsign
                and cls.get_timestamp is TimestampSigner.get_timestamp
            )
        return cls.sign is Signer.sign and cls.unsign is Signer.unsign

    # --------------------------------------------------------------------------

    def sign(self, value: str | bytes) -> bytes:
        """``value + sep + signature``."""
        value = want_bytes(value)
        core = self._core()
        if core is not None and type(value) is bytes:
            return core.sign(value)
        return value + self.sep + self.get_signature(value)

    def verify_signature(self, value: str | bytes, sig: str | bytes) -> bool:
        """Does ``sig`` sign ``value`` under any of :attr:`secret_keys`?"""
        try:
            sig = base64_decode(sig)
        except Exception:
            return False
        value = want_bytes(value)
        for secret_key in reversed(self.secret_keys):
            if self.algorithm.verify_signature(self.derive_key(secret_key), value, sig):
                return True
        return False

    def unsign(self, signed_value: str | bytes) -> bytes:
        """The value of a signed string; :class:`BadSignature` if it does not verify."""
        core = self._core()
        if core is not None:
            ok = core.unsign(signed_value, False)
            if ok is not None:
                return ok[0]
        signed_value = want_bytes(signed_value)
        if self.sep not in signed_value:
            raise BadSignature(f"No {self.sep!r} found in value")
        value, sig = signed_value.rsplit(self.sep, 1)
        if self.verify_signature(value, sig):
            return value
        raise BadSignature(f"Signature {sig!r} does not match", payload=value)

    def validate(self, signed_value: str | bytes) -> bool:
        """True when :meth:`unsign` would succeed."""
        try:
            self.unsign(signed_value)
            return True
        except BadSignature:
            return False


def unsign_many(
    signer: Signer, tokens: cabc.Iterable[str | bytes], max_age: int | None = None
) -> list[bytes | None]:
    """ferroauth extension: verify many tokens with one signer, in parallel with
    the GIL released. Returns each token's value, or None where ``unsign`` would
    raise (bad signature, malformed, or older than ``max_age`` for a
    :class:`~ferroauth.itsdangerous.TimestampSigner`)."""
    from .timed import TimestampSigner

    timed = isinstance(signer, TimestampSigner)
    items = [want_bytes(t) for t in tokens]
    core = signer._core() if _fast.plain_age(max_age) else None
    if core is not None:
        now = signer.get_timestamp() if timed and max_age is not None else None  # type: ignore[attr-defined]
        return [None if r is None else r[0] for r in core.unsign_many(items, timed, now, max_age)]
    out: list[bytes | None] = []
    for item in items:
        try:
            out.append(signer.unsign(item, max_age=max_age) if timed else signer.unsign(item))  # type: ignore[call-arg]
        except BadSignature:
            out.append(None)
    return out
