"""``TimestampSigner`` and ``TimedSerializer``: signatures that carry the time
they were made, checked against ``max_age``. The time is read through
``time.time()`` (so freezegun and mocks apply), as itsdangerous 2.2 reads it."""

from __future__ import annotations

import collections.abc as cabc
import time
import typing as t
from datetime import datetime, timezone

from . import _fast
from .encoding import base64_decode, base64_encode, bytes_to_int, int_to_bytes, want_bytes
from .exc import BadSignature, BadTimeSignature, SignatureExpired
from .serializer import Serializer, _TSerialized
from .signer import Signer

#: Timestamps are packed as an unsigned 64-bit integer.
_TS_LIMIT = 1 << 64


class TimestampSigner(Signer):
    """A :class:`Signer` that adds a timestamp, so :meth:`unsign` can enforce ``max_age``."""

    def get_timestamp(self) -> int:
        """The current time as whole seconds (``int(time.time())``)."""
        return int(time.time())

    def timestamp_to_datetime(self, ts: int) -> datetime:
        """A timestamp as an aware UTC datetime."""
        return datetime.fromtimestamp(ts, tz=timezone.utc)

    def sign(self, value: str | bytes) -> bytes:
        """``value + sep + timestamp + sep + signature``."""
        value = want_bytes(value)
        ts = self.get_timestamp()
        core = self._core()
        # A clock before 1970 is left to struct.pack, which raises as itsdangerous's does.
        if core is not None and type(value) is bytes and 0 <= ts < _TS_LIMIT:
            return core.sign(value, ts)
        sep = want_bytes(self.sep)
        value = value + sep + base64_encode(int_to_bytes(ts))
        return value + sep + self.get_signature(value)

    def unsign(  # type: ignore[override]
        self,
        signed_value: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
    ) -> tuple[bytes, datetime] | bytes:
        """Verify and return the value (and, if asked, the signing time).

        Raises :class:`SignatureExpired` when the signature is older than
        ``max_age`` seconds or dated in the future, :class:`BadTimeSignature`
        for a missing or malformed timestamp, :class:`BadSignature` otherwise.
        """
        core = self._core() if _fast.plain_age(max_age) else None
        if core is not None:
            ok = core.unsign(
                signed_value, True, None if max_age is None else self.get_timestamp(), max_age
            )
            if ok is not None:
                if return_timestamp:
                    return ok[0], self.timestamp_to_datetime(ok[1])
                return ok[0]
        return self._unsign_slow(signed_value, max_age, return_timestamp)

    def _unsign_slow(
        self, signed_value: str | bytes, max_age: t.Any, return_timestamp: bool
    ) -> t.Any:
        try:
            result = super().unsign(signed_value)
            sig_error = None
        except BadSignature as e:
            sig_error = e
            result = e.payload or b""

        sep = want_bytes(self.sep)
        if sep not in result:
            if sig_error:
                raise sig_error
            raise BadTimeSignature("timestamp missing", payload=result)

        value, ts_bytes = result.rsplit(sep, 1)
        ts_int: int | None = None
        ts_dt: datetime | None = None
        try:
            ts_int = bytes_to_int(base64_decode(ts_bytes))
        except Exception:
            pass

        if sig_error is not None:
            if ts_int is not None:
                try:
                    ts_dt = self.timestamp_to_datetime(ts_int)
                except (ValueError, OSError, OverflowError) as exc:
                    raise BadTimeSignature("Malformed timestamp", payload=value) from exc
            raise BadTimeSignature(str(sig_error), payload=value, date_signed=ts_dt)

        if ts_int is None:
            raise BadTimeSignature("Malformed timestamp", payload=value)

        if max_age is not None:
            age = self.get_timestamp() - ts_int
            if age > max_age:
                raise SignatureExpired(
                    f"Signature age {age} > {max_age} seconds",
                    payload=value,
                    date_signed=self.timestamp_to_datetime(ts_int),
                )
            if age < 0:
                raise SignatureExpired(
                    f"Signature age {age} < 0 seconds",
                    payload=value,
                    date_signed=self.timestamp_to_datetime(ts_int),
                )

        if return_timestamp:
            return value, self.timestamp_to_datetime(ts_int)
        return value

    def validate(self, signed_value: str | bytes, max_age: int | None = None) -> bool:  # type: ignore[override]
        """True when :meth:`unsign` would succeed with this ``max_age``."""
        try:
            self.unsign(signed_value, max_age=max_age)
            return True
        except BadSignature:
            return False


class TimedSerializer(Serializer[_TSerialized]):
    """A :class:`Serializer` signing with :class:`TimestampSigner`; ``loads`` takes ``max_age``."""

    default_signer: type[TimestampSigner] = TimestampSigner

    def iter_unsigners(self, salt: str | bytes | None = None) -> cabc.Iterator[TimestampSigner]:
        return t.cast("cabc.Iterator[TimestampSigner]", super().iter_unsigners(salt))

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """Verify and load; :class:`SignatureExpired` past ``max_age`` seconds.
        With ``return_timestamp`` the result is ``(obj, datetime_signed)``."""
        fast = self._fast_core(salt)
        if fast is not None and fast[1]:
            # None when the core has no answer: the Python path below decides.
            rv = _fast.timed_loads(fast[0], s, max_age, return_timestamp)
            if rv is not None:
                return rv

        s = want_bytes(s)
        last_exception = None
        for signer in self.iter_unsigners(salt):
            try:
                base64d, timestamp = signer.unsign(s, max_age=max_age, return_timestamp=True)
                payload = self.load_payload(base64d)
                if return_timestamp:
                    return payload, timestamp
                return payload
            except SignatureExpired:
                raise
            except BadSignature as err:
                last_exception = err
        raise t.cast(BadSignature, last_exception)

    def loads_unsafe(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        salt: str | bytes | None = None,
    ) -> tuple[bool, t.Any]:
        """Like :meth:`loads` but returns ``(valid, payload)`` and never raises."""
        return self._loads_unsafe_impl(s, salt, load_kwargs={"max_age": max_age})
