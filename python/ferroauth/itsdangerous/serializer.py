"""``Serializer``: dump objects (JSON by default) and sign them, as itsdangerous 2.2.

With the stock configuration the whole ``dumps``/``loads`` runs in one call
into the Rust core; anything it cannot reproduce byte for byte (custom
serializers, objects JSON handles through ``default``, overridden hooks) runs
the Python path below.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import typing as t

from . import _fast
from ._json import _CompactJSON
from .encoding import want_bytes
from .exc import BadPayload, BadSignature
from .signer import Signer, _make_keys_list

_TSerialized = t.TypeVar("_TSerialized", bound=str | bytes)

#: The memo before the first call: a salt argument is never this private object.
_NO_MEMO: tuple[t.Any, ...] = (object(),) * 9 + (None,)


class _PDataSerializer(t.Protocol[_TSerialized]):
    def loads(self, payload: _TSerialized, /) -> t.Any: ...
    def dumps(self, obj: t.Any, /) -> _TSerialized: ...


def is_text_serializer(serializer: t.Any) -> bool:
    """Does ``serializer.dumps`` produce ``str`` (rather than bytes)?"""
    return isinstance(serializer.dumps({}), str)


class Serializer(t.Generic[_TSerialized]):
    """Serialize and sign data; verify and load it back.

    :param secret_key: the key, or keys oldest to newest for rotation.
    :param salt: mixed into the key, default ``b"itsdangerous"``.
    :param serializer: an object with ``dumps``/``loads``, default :mod:`json`.
    :param serializer_kwargs: keyword arguments for ``serializer.dumps``.
    :param signer: the :class:`Signer` class, default :attr:`default_signer`.
    :param signer_kwargs: keyword arguments for the signer.
    :param fallback_signers: signers also tried by ``loads``: each a dict of
        ``signer_kwargs``, a signer class, or a ``(class, kwargs)`` tuple.
    """

    default_serializer: t.Any = json
    default_signer: type[Signer] = Signer
    default_fallback_signers: list[
        dict[str, t.Any] | tuple[type[Signer], dict[str, t.Any]] | type[Signer]
    ] = []

    def __init__(
        self,
        secret_key: str | bytes | cabc.Iterable[str] | cabc.Iterable[bytes],
        salt: str | bytes | None = b"itsdangerous",
        serializer: t.Any | None = None,
        serializer_kwargs: dict[str, t.Any] | None = None,
        signer: type[Signer] | None = None,
        signer_kwargs: dict[str, t.Any] | None = None,
        fallback_signers: list[
            dict[str, t.Any] | tuple[type[Signer], dict[str, t.Any]] | type[Signer]
        ]
        | None = None,
    ):
        self.secret_keys: list[bytes] = _make_keys_list(secret_key)
        if salt is not None:
            salt = want_bytes(salt)
        self.salt = salt
        if serializer is None:
            serializer = self.default_serializer
        self.serializer: t.Any = serializer
        self.is_text_serializer: bool = is_text_serializer(serializer)
        if signer is None:
            signer = self.default_signer
        self.signer: type[Signer] = signer
        self.signer_kwargs: dict[str, t.Any] = signer_kwargs or {}
        if fallback_signers is None:
            fallback_signers = list(self.default_fallback_signers)
        self.fallback_signers: list[
            dict[str, t.Any] | tuple[type[Signer], dict[str, t.Any]] | type[Signer]
        ] = fallback_signers
        self.serializer_kwargs: dict[str, t.Any] = serializer_kwargs or {}

    @property
    def secret_key(self) -> bytes:
        """The newest (last) of :attr:`secret_keys`."""
        return self.secret_keys[-1]

    # -- the fast path ---------------------------------------------------------

    #: The last ``_fast_core`` answer and what it was computed from. Always a
    #: 10-tuple, so the check unpacks it without testing for None first.
    _fast_memo: tuple[t.Any, ...] = _NO_MEMO

    def _fast_core(self, salt: str | bytes | None) -> t.Any:
        """``(SignerCore, timed)`` for the stock configuration, else None."""
        m_salt, m_own_salt, m_ser, m_signer, m_text, m_cls, m_keys, m_kwargs, m_plain, fast = (
            self._fast_memo
        )
        # Same salt argument, same attributes (by identity), same key list and
        # signer kwargs (by value: both may be changed in place): same answer.
        # Cheaper than building and hashing the cache key on every call.
        if (
            m_salt is salt
            and m_own_salt is self.salt
            and m_ser is self.serializer
            and m_signer is self.signer
            and m_text is self.is_text_serializer
            and m_cls is type(self)
            and m_keys == self.secret_keys
            and m_kwargs == self.signer_kwargs
            and m_plain is (not self.serializer_kwargs)
        ):
            return fast
        kwargs = self.signer_kwargs
        fast = self._fast_core_lookup(salt)
        try:
            self._fast_memo = (
                salt,
                self.salt,
                self.serializer,
                self.signer,
                self.is_text_serializer,
                type(self),
                list(self.secret_keys),
                dict(kwargs),
                not self.serializer_kwargs,
                fast,
            )
        except (TypeError, ValueError):  # attributes replaced by odd objects: no memo
            self._fast_memo = _NO_MEMO
        return fast

    def __getstate__(self) -> dict[str, t.Any]:
        # The memo holds a Rust core, which neither pickles nor copies; it is a
        # cache, so copies and unpickled serializers simply rebuild it.
        state = self.__dict__.copy()
        state.pop("_fast_memo", None)
        return state

    def _fast_core_lookup(self, salt: str | bytes | None) -> t.Any:
        kwargs = self.signer_kwargs
        try:
            key = (
                type(self),
                tuple(self.secret_keys),
                self.salt if salt is None else salt,
                self.serializer,
                self.signer,
                tuple(kwargs.items()) if kwargs else None,
                bool(self.serializer_kwargs),
                self.is_text_serializer,
            )
        except TypeError:
            return None
        fast = _fast.lookup(key)
        if fast is None:
            fast = _fast.store(key, self._build_fast(salt) or False)
        return fast or None

    def _build_fast(self, salt: str | bytes | None) -> t.Any:
        from .timed import TimestampSigner
        from .url_safe import URLSafeSerializerMixin

        cls = type(self)
        url_safe = isinstance(self, URLSafeSerializerMixin)
        stock = URLSafeSerializerMixin if url_safe else Serializer
        if (
            self.serializer_kwargs
            or not self.is_text_serializer
            or cls.dump_payload is not stock.dump_payload
            or cls.load_payload is not stock.load_payload
            or cls.make_signer is not Serializer.make_signer
        ):
            return None
        if url_safe and self.serializer is _CompactJSON:
            fmt = {"compact": True, "ensure_ascii": False, "encoding": "urlsafe"}
        elif not url_safe and self.serializer is json:
            fmt = {"compact": False, "ensure_ascii": True, "encoding": "raw"}
        else:
            return None
        try:
            signer = self.make_signer(salt)
        except Exception:
            return None
        if not signer._eligible():
            return None
        core = _fast.build(signer, **fmt)
        if core is None:
            return None
        return core, isinstance(signer, TimestampSigner)

    # --------------------------------------------------------------------------

    def load_payload(self, payload: bytes, serializer: t.Any | None = None) -> t.Any:
        """Deserialize ``payload`` (bytes); :class:`BadPayload` if that fails."""
        if serializer is None:
            use, is_text = self.serializer, self.is_text_serializer
        else:
            use, is_text = serializer, is_text_serializer(serializer)
        try:
            if is_text:
                return use.loads(payload.decode("utf-8"))
            return use.loads(payload)
        except Exception as e:
            raise BadPayload(
                "Could not load the payload because an exception"
                " occurred on unserializing the data.",
                original_error=e,
            ) from e

    def dump_payload(self, obj: t.Any) -> bytes:
        """Serialize ``obj`` to bytes (UTF-8 if the serializer writes text)."""
        return want_bytes(self.serializer.dumps(obj, **self.serializer_kwargs))

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        """A new signer for ``salt`` (default :attr:`salt`)."""
        if salt is None:
            salt = self.salt
        return self.signer(self.secret_keys, salt=salt, **self.signer_kwargs)

    def iter_unsigners(self, salt: str | bytes | None = None) -> cabc.Iterator[Signer]:
        """The configured signer, then one per fallback and secret key."""
        if salt is None:
            salt = self.salt
        yield self.make_signer(salt)
        for fallback in self.fallback_signers:
            if isinstance(fallback, dict):
                kwargs, signer_cls = fallback, self.signer
            elif isinstance(fallback, tuple):
                signer_cls, kwargs = fallback
            else:
                signer_cls, kwargs = fallback, self.signer_kwargs
            for secret_key in self.secret_keys:
                yield signer_cls(secret_key, salt=salt, **kwargs)

    def dumps(self, obj: t.Any, salt: str | bytes | None = None) -> _TSerialized:
        """Serialize and sign ``obj``: ``str`` for a text serializer, else bytes."""
        fast = self._fast_core(salt)
        if fast is not None:
            # A timed core reads int(time.time()) itself, through the time module.
            rv = fast[0].dumps_now(obj) if fast[1] else fast[0].dumps(obj)
            if rv is not None:
                return rv
        payload = want_bytes(self.dump_payload(obj))
        rv = self.make_signer(salt).sign(payload)
        if self.is_text_serializer:
            return rv.decode("utf-8")  # type: ignore[return-value]
        return rv  # type: ignore[return-value]

    def dump(self, obj: t.Any, f: t.IO[t.Any], salt: str | bytes | None = None) -> None:
        """:meth:`dumps` into the file ``f``."""
        f.write(self.dumps(obj, salt))

    def loads(self, s: str | bytes, salt: str | bytes | None = None, **kwargs: t.Any) -> t.Any:
        """Verify and deserialize; :class:`BadSignature` if no signer verifies it."""
        fast = self._fast_core(salt)
        if fast is not None:
            ok = fast[0].loads(s, fast[1])
            if ok is not None:
                return ok[0]
        s = want_bytes(s)
        last_exception = None
        for signer in self.iter_unsigners(salt):
            try:
                return self.load_payload(signer.unsign(s))
            except BadSignature as err:
                last_exception = err
        raise t.cast(BadSignature, last_exception)

    def load(self, f: t.IO[t.Any], salt: str | bytes | None = None) -> t.Any:
        """:meth:`loads` from the file ``f``."""
        return self.loads(f.read(), salt)

    def loads_unsafe(self, s: str | bytes, salt: str | bytes | None = None) -> tuple[bool, t.Any]:
        """``(signature_valid, payload)`` without raising. Debugging only: the
        payload of an invalid signature is deserialized anyway."""
        return self._loads_unsafe_impl(s, salt)

    def _loads_unsafe_impl(
        self,
        s: str | bytes,
        salt: str | bytes | None,
        load_kwargs: dict[str, t.Any] | None = None,
        load_payload_kwargs: dict[str, t.Any] | None = None,
    ) -> tuple[bool, t.Any]:
        if load_kwargs is None:
            load_kwargs = {}
        try:
            return True, self.loads(s, salt=salt, **load_kwargs)
        except BadSignature as e:
            if e.payload is None:
                return False, None
            if load_payload_kwargs is None:
                load_payload_kwargs = {}
            try:
                return False, self.load_payload(e.payload, **load_payload_kwargs)
            except BadPayload:
                return False, None

    def load_unsafe(self, f: t.IO[t.Any], salt: str | bytes | None = None) -> tuple[bool, t.Any]:
        """:meth:`loads_unsafe` from the file ``f``."""
        return self.loads_unsafe(f.read(), salt=salt)
