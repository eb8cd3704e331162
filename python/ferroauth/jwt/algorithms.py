"""Signing algorithms with PyJWT's classes, names and key rules.

Each :class:`Algorithm` prepares a key (validating it), signs and verifies, and
converts keys to and from JWK. The classes behave as PyJWT's do, so code that
uses them directly keeps working; ``api_jws`` additionally routes the default
algorithms through the Rust core (see ``ferroauth.jwt._fast``).

``cryptography`` is optional, as in PyJWT: without it only ``none`` and HS*
are available.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from .exceptions import InvalidKeyError
from .types import HashlibHash, JWKDict
from .utils import (
    base64url_decode,
    base64url_encode,
    der_to_raw_signature,
    force_bytes,
    from_base64url_uint,
    is_pem_format,
    is_ssh_key,
    raw_to_der_signature,
    to_base64url_uint,
)

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.ec import (
        ECDSA,
        SECP256K1,
        SECP256R1,
        SECP384R1,
        SECP521R1,
        EllipticCurve,
        EllipticCurvePrivateKey,
        EllipticCurvePrivateNumbers,
        EllipticCurvePublicKey,
        EllipticCurvePublicNumbers,
    )
    from cryptography.hazmat.primitives.asymmetric.ed448 import (
        Ed448PrivateKey,
        Ed448PublicKey,
    )
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.asymmetric.rsa import (
        RSAPrivateKey,
        RSAPrivateNumbers,
        RSAPublicKey,
        RSAPublicNumbers,
        rsa_crt_dmp1,
        rsa_crt_dmq1,
        rsa_crt_iqmp,
        rsa_recover_prime_factors,
    )
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
        load_der_public_key,
        load_pem_private_key,
        load_pem_public_key,
        load_ssh_public_key,
    )

    AllowedRSAKeys = RSAPrivateKey | RSAPublicKey
    AllowedECKeys = EllipticCurvePrivateKey | EllipticCurvePublicKey
    AllowedOKPKeys = Ed25519PrivateKey | Ed25519PublicKey | Ed448PrivateKey | Ed448PublicKey
    AllowedKeys = AllowedRSAKeys | AllowedECKeys | AllowedOKPKeys
    #: cryptography private key types accepted for signing.
    AllowedPrivateKeys = (
        RSAPrivateKey | EllipticCurvePrivateKey | Ed25519PrivateKey | Ed448PrivateKey
    )
    #: cryptography public key types accepted for verification.
    AllowedPublicKeys = RSAPublicKey | EllipticCurvePublicKey | Ed25519PublicKey | Ed448PublicKey
    has_crypto = True
except ModuleNotFoundError:  # pragma: no cover - exercised only without cryptography
    # typing.Never is 3.11+; NoReturn is the same bottom type on 3.10.
    from typing import NoReturn as Never

    AllowedRSAKeys = Never  # type: ignore[misc]
    AllowedECKeys = Never  # type: ignore[misc]
    AllowedOKPKeys = Never  # type: ignore[misc]
    AllowedKeys = Never  # type: ignore[misc]
    AllowedPrivateKeys = Never  # type: ignore[misc]
    AllowedPublicKeys = Never  # type: ignore[misc]
    has_crypto = False

if TYPE_CHECKING:
    from typing import Literal  # noqa: F401

#: Algorithms that need ``cryptography``.
requires_cryptography = {
    "RS256",
    "RS384",
    "RS512",
    "ES256",
    "ES256K",
    "ES384",
    "ES521",
    "ES512",
    "PS256",
    "PS384",
    "PS512",
    "EdDSA",
}


def get_default_algorithms() -> dict[str, Algorithm]:
    """A fresh ``{name: Algorithm}`` dict of every algorithm available here."""
    algorithms: dict[str, Algorithm] = {
        "none": NoneAlgorithm(),
        "HS256": HMACAlgorithm(HMACAlgorithm.SHA256),
        "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
        "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
    }
    if has_crypto:
        algorithms["RS256"] = RSAAlgorithm(RSAAlgorithm.SHA256)
        algorithms["RS384"] = RSAAlgorithm(RSAAlgorithm.SHA384)
        algorithms["RS512"] = RSAAlgorithm(RSAAlgorithm.SHA512)
        algorithms["ES256"] = ECAlgorithm(ECAlgorithm.SHA256, SECP256R1)
        algorithms["ES256K"] = ECAlgorithm(ECAlgorithm.SHA256, SECP256K1)
        algorithms["ES384"] = ECAlgorithm(ECAlgorithm.SHA384, SECP384R1)
        algorithms["ES521"] = ECAlgorithm(ECAlgorithm.SHA512, SECP521R1)
        # ES512 is the historical (wrong, but kept) name for P-521 with SHA-512.
        algorithms["ES512"] = ECAlgorithm(ECAlgorithm.SHA512, SECP521R1)
        algorithms["PS256"] = RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256)
        algorithms["PS384"] = RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384)
        algorithms["PS512"] = RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512)
        algorithms["EdDSA"] = OKPAlgorithm()
    return algorithms


def _jwk_object(jwk: str | JWKDict) -> JWKDict:
    """A JWK given as JSON text or dict, as a dict; InvalidKeyError otherwise."""
    if isinstance(jwk, dict):
        return jwk
    if isinstance(jwk, str):
        try:
            return json.loads(jwk)
        except ValueError:
            pass
    raise InvalidKeyError("Key is not valid JSON")


def _emit(obj: JWKDict, as_dict: bool) -> JWKDict | str:
    return obj if as_dict else json.dumps(obj)


class Algorithm(ABC):
    """The interface of a signing algorithm."""

    # The cryptography key classes this algorithm accepts (None: not cryptography-based).
    _crypto_key_types: tuple[type, ...] | None = None

    def compute_hash_digest(self, bytestr: bytes) -> bytes:
        """Hash ``bytestr`` with this algorithm's hash; NotImplementedError when it has none."""
        hash_alg = getattr(self, "hash_alg", None)
        if hash_alg is None:
            raise NotImplementedError
        if has_crypto and isinstance(hash_alg, type) and issubclass(hash_alg, hashes.HashAlgorithm):
            digest = hashes.Hash(hash_alg())
            digest.update(bytestr)
            return bytes(digest.finalize())
        return bytes(hash_alg(bytestr).digest())

    def check_crypto_key_type(self, key: Any) -> None:
        """Raise InvalidKeyError unless ``key`` is of one of this algorithm's key classes."""
        if not has_crypto or self._crypto_key_types is None:
            raise ValueError(
                "This method requires the cryptography library, and should only be used "
                "by cryptography-based algorithms."
            )
        if not isinstance(key, self._crypto_key_types):
            names = (cls.__name__ for cls in self._crypto_key_types)
            raise InvalidKeyError(
                f"Expected one of {names}, got: {key.__class__.__name__}. "
                f"Invalid Key type for {self.__class__.__name__}"
            )

    @abstractmethod
    def prepare_key(self, key: Any) -> Any:
        """Validate ``key`` and convert it to what ``sign``/``verify`` take."""

    @abstractmethod
    def sign(self, msg: bytes, key: Any) -> bytes:
        """The signature of ``msg``."""

    @abstractmethod
    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        """Whether ``sig`` is a valid signature of ``msg``."""

    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> JWKDict | str:
        """The key as a JWK (JSON text, or a dict with ``as_dict=True``)."""

    @staticmethod
    @abstractmethod
    def from_jwk(jwk: str | JWKDict) -> Any:
        """A key from a JWK."""

    def check_key_length(self, key: Any) -> str | None:
        """A warning message when ``key`` is shorter than recommended, else None."""
        return None


class NoneAlgorithm(Algorithm):
    """``alg: none``: an empty signature that never verifies."""

    def prepare_key(self, key: str | None) -> None:
        if key == "":
            key = None
        if key is not None:
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return key

    def sign(self, msg: bytes, key: None) -> bytes:
        return b""

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> NoReturn:
        raise NotImplementedError()

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> NoReturn:
        raise NotImplementedError()


_JWK_AS_SECRET = (
    "The specified key looks like a JWK and should not be used directly as an HMAC "
    "secret. Load it via PyJWK / HMACAlgorithm.from_jwk first."
)
_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _contains_kty(obj: Any) -> bool:
    """Whether any object nested in ``obj`` has a ``kty`` member (iteratively)."""
    pending = [obj]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if "kty" in item:
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _too_deep_json_is_jwk(key_bytes: bytes) -> bool:
    """For JSON too deep to parse: does it start as an object, or as an array with a
    ``"kty":`` member somewhere?"""
    try:
        text = key_bytes.decode(json.detect_encoding(key_bytes), errors="surrogatepass")
    except UnicodeError:
        text = ""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return True
    if not head.startswith("["):
        return False
    pos = text.find('"')
    while pos != -1:
        literal = _STRING_LITERAL.match(text, pos)
        if literal is None:
            break
        after = literal.end()
        while after < len(text) and text[after] in " \t\r\n":
            after += 1
        if after < len(text) and text[after] == ":":
            try:
                if json.loads(literal.group()) == "kty":
                    return True
            except ValueError:
                pass
        pos = text.find('"', literal.end())
    return False


class HMACAlgorithm(Algorithm):
    """HS256/384/512: HMAC with a SHA-2 hash."""

    SHA256: ClassVar[HashlibHash] = hashlib.sha256
    SHA384: ClassVar[HashlibHash] = hashlib.sha384
    SHA512: ClassVar[HashlibHash] = hashlib.sha512

    def __init__(self, hash_alg: HashlibHash) -> None:
        self.hash_alg = hash_alg

    @staticmethod
    def _is_der_key(key_bytes: bytes) -> bool:
        """Whether the bytes load as a DER public key or certificate."""
        if not has_crypto:
            return False
        for loader in (load_der_public_key, x509.load_der_x509_certificate):
            try:
                loader(key_bytes)
            except (TypeError, ValueError, UnsupportedAlgorithm):
                continue
            return True
        return False

    def prepare_key(self, key: str | bytes) -> bytes:
        key_bytes = force_bytes(key)
        if not key_bytes:
            raise InvalidKeyError("HMAC key must not be empty.")
        if is_pem_format(key_bytes) or is_ssh_key(key_bytes) or self._is_der_key(key_bytes):
            raise InvalidKeyError(
                "The specified key is an asymmetric key or x509 certificate and"
                " should not be used as an HMAC secret."
            )
        # Algorithm confusion: a JWK (or JSON holding one) is not a secret.
        try:
            parsed = json.loads(key_bytes, parse_int=lambda _: 0)
        except RecursionError:
            if _too_deep_json_is_jwk(key_bytes):
                raise InvalidKeyError(_JWK_AS_SECRET) from None
            parsed = None
        except ValueError:
            parsed = None
        if _contains_kty(parsed):
            raise InvalidKeyError(_JWK_AS_SECRET)
        return key_bytes

    @staticmethod
    def to_jwk(key_obj: str | bytes, as_dict: bool = False) -> JWKDict | str:
        return _emit({"k": base64url_encode(force_bytes(key_obj)).decode(), "kty": "oct"}, as_dict)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> bytes:
        obj = _jwk_object(jwk)
        if obj.get("kty") != "oct":
            raise InvalidKeyError("Not an HMAC key")
        secret = base64url_decode(obj["k"])
        if not secret:
            raise InvalidKeyError("HMAC key must not be empty.")
        return secret

    def check_key_length(self, key: bytes) -> str | None:
        digest = self.hash_alg()
        if len(key) < digest.digest_size:
            return (
                f"The HMAC key is {len(key)} bytes long, which is below "
                f"the minimum recommended length of {digest.digest_size} bytes for "
                f"{digest.name.upper()}. See RFC 7518 Section 3.2."
            )
        return None

    def sign(self, msg: bytes, key: bytes) -> bytes:
        return hmac.new(key, msg, self.hash_alg).digest()

    def verify(self, msg: bytes, key: bytes, sig: bytes) -> bool:
        return hmac.compare_digest(sig, self.sign(msg, key))


if has_crypto:

    def _public_of(key: Any) -> Any:
        return key.public_key() if hasattr(key, "private_numbers") else key

    class RSAAlgorithm(Algorithm):
        """RS256/384/512: RSASSA-PKCS1-v1_5."""

        SHA256: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA256
        SHA384: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA384
        SHA512: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA512

        _crypto_key_types = (RSAPrivateKey, RSAPublicKey)
        _MIN_KEY_SIZE: ClassVar[int] = 2048

        def __init__(self, hash_alg: type[hashes.HashAlgorithm]) -> None:
            self.hash_alg = hash_alg

        def check_key_length(self, key: Any) -> str | None:
            if key.key_size < self._MIN_KEY_SIZE:
                return (
                    f"The RSA key is {key.key_size} bits long, which is below "
                    f"the minimum recommended size of {self._MIN_KEY_SIZE} bits. "
                    f"See NIST SP 800-131A."
                )
            return None

        def prepare_key(self, key: Any) -> Any:
            if isinstance(key, self._crypto_key_types):
                return key
            if not isinstance(key, (bytes, str)):
                raise TypeError("Expecting a PEM-formatted key.")
            key_bytes = force_bytes(key)
            try:
                if key_bytes.startswith(b"ssh-rsa"):
                    loaded = load_ssh_public_key(key_bytes)
                else:
                    loaded = load_pem_private_key(key_bytes, password=None)
                self.check_crypto_key_type(loaded)
                return loaded
            except ValueError:
                try:
                    loaded = load_pem_public_key(key_bytes)
                    self.check_crypto_key_type(loaded)
                    return loaded
                except (ValueError, UnsupportedAlgorithm):
                    raise InvalidKeyError("Could not parse the provided public key.") from None

        @staticmethod
        def to_jwk(key_obj: Any, as_dict: bool = False) -> JWKDict | str:
            def b64(n: int) -> str:
                return to_base64url_uint(n).decode()

            if hasattr(key_obj, "private_numbers"):
                priv = key_obj.private_numbers()
                pub = priv.public_numbers
                obj: JWKDict = {
                    "kty": "RSA",
                    "key_ops": ["sign"],
                    "n": b64(pub.n),
                    "e": b64(pub.e),
                    "d": b64(priv.d),
                    "p": b64(priv.p),
                    "q": b64(priv.q),
                    "dp": b64(priv.dmp1),
                    "dq": b64(priv.dmq1),
                    "qi": b64(priv.iqmp),
                }
            elif hasattr(key_obj, "verify"):
                pub = key_obj.public_numbers()
                obj = {"kty": "RSA", "key_ops": ["verify"], "n": b64(pub.n), "e": b64(pub.e)}
            else:
                raise InvalidKeyError("Not a public or private key")
            return _emit(obj, as_dict)

        @staticmethod
        def from_jwk(jwk: str | JWKDict) -> Any:
            obj = _jwk_object(jwk)
            if obj.get("kty") != "RSA":
                raise InvalidKeyError("Not an RSA key") from None
            if "d" in obj and "e" in obj and "n" in obj:
                if "oth" in obj:
                    raise InvalidKeyError("Unsupported RSA private key: > 2 primes not supported")
                crt = ("p", "q", "dp", "dq", "qi")
                present = [name in obj for name in crt]
                if any(present) and not all(present):
                    raise InvalidKeyError(
                        "RSA key must include all parameters if any are present besides d"
                    ) from None
                public = RSAPublicNumbers(
                    from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"])
                )
                d = from_base64url_uint(obj["d"])
                if all(present):
                    p = from_base64url_uint(obj["p"])
                    q = from_base64url_uint(obj["q"])
                    dmp1 = from_base64url_uint(obj["dp"])
                    dmq1 = from_base64url_uint(obj["dq"])
                    iqmp = from_base64url_uint(obj["qi"])
                else:
                    p, q = rsa_recover_prime_factors(public.n, d, public.e)
                    dmp1, dmq1, iqmp = rsa_crt_dmp1(d, p), rsa_crt_dmq1(d, q), rsa_crt_iqmp(p, q)
                return RSAPrivateNumbers(
                    d=d, p=p, q=q, dmp1=dmp1, dmq1=dmq1, iqmp=iqmp, public_numbers=public
                ).private_key()
            if "n" in obj and "e" in obj:
                return RSAPublicNumbers(
                    from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"])
                ).public_key()
            raise InvalidKeyError("Not a public or private key")

        def sign(self, msg: bytes, key: Any) -> bytes:
            return key.sign(msg, padding.PKCS1v15(), self.hash_alg())

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            try:
                key.verify(sig, msg, padding.PKCS1v15(), self.hash_alg())
            except InvalidSignature:
                return False
            return True

    _CURVE_BY_CRV: dict[str, tuple[type, int]] = {
        "P-256": (SECP256R1, 32),
        "P-384": (SECP384R1, 48),
        "P-521": (SECP521R1, 66),
        "secp256k1": (SECP256K1, 32),
    }

    class ECAlgorithm(Algorithm):
        """ES256/ES256K/ES384/ES512: ECDSA with the raw ``r || s`` signature form."""

        SHA256: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA256
        SHA384: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA384
        SHA512: ClassVar[type[hashes.HashAlgorithm]] = hashes.SHA512

        _crypto_key_types = (EllipticCurvePrivateKey, EllipticCurvePublicKey)

        def __init__(
            self,
            hash_alg: type[hashes.HashAlgorithm],
            expected_curve: type[EllipticCurve] | None = None,
        ) -> None:
            self.hash_alg = hash_alg
            self.expected_curve = expected_curve

        def _validate_curve(self, key: Any) -> None:
            if self.expected_curve is not None and not isinstance(key.curve, self.expected_curve):
                raise InvalidKeyError(
                    f"The key's curve '{key.curve.name}' does not match the expected "
                    f"curve '{self.expected_curve.name}' for this algorithm"
                )

        def prepare_key(self, key: Any) -> Any:
            if isinstance(key, self._crypto_key_types):
                self._validate_curve(key)
                return key
            if not isinstance(key, (bytes, str)):
                raise TypeError("Expecting a PEM-formatted key.")
            key_bytes = force_bytes(key)
            # Public first (the key could be either); then private.
            try:
                if key_bytes.startswith(b"ecdsa-sha2-"):
                    loaded = load_ssh_public_key(key_bytes)
                else:
                    loaded = load_pem_public_key(key_bytes)
                self.check_crypto_key_type(loaded)
            except ValueError:
                loaded = load_pem_private_key(key_bytes, password=None)
                self.check_crypto_key_type(loaded)
            self._validate_curve(loaded)
            return loaded

        def sign(self, msg: bytes, key: Any) -> bytes:
            return der_to_raw_signature(key.sign(msg, ECDSA(self.hash_alg())), key.curve)

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            try:
                der = raw_to_der_signature(sig, key.curve)
            except ValueError:
                return False
            try:
                _public_of(key).verify(der, msg, ECDSA(self.hash_alg()))
            except InvalidSignature:
                return False
            return True

        @staticmethod
        def to_jwk(key_obj: Any, as_dict: bool = False) -> JWKDict | str:
            if isinstance(key_obj, EllipticCurvePrivateKey):
                numbers = key_obj.public_key().public_numbers()
            elif isinstance(key_obj, EllipticCurvePublicKey):
                numbers = key_obj.public_numbers()
            else:
                raise InvalidKeyError("Not a public or private key")
            crv = next(
                (
                    name
                    for name, (cls, _) in _CURVE_BY_CRV.items()
                    if isinstance(key_obj.curve, cls)
                ),
                None,
            )
            if crv is None:
                raise InvalidKeyError(f"Invalid curve: {key_obj.curve}")
            bits = key_obj.curve.key_size
            obj: JWKDict = {
                "kty": "EC",
                "crv": crv,
                "x": to_base64url_uint(numbers.x, bit_length=bits).decode(),
                "y": to_base64url_uint(numbers.y, bit_length=bits).decode(),
            }
            if isinstance(key_obj, EllipticCurvePrivateKey):
                obj["d"] = to_base64url_uint(
                    key_obj.private_numbers().private_value, bit_length=bits
                ).decode()
            return _emit(obj, as_dict)

        @staticmethod
        def from_jwk(jwk: str | JWKDict) -> Any:
            obj = _jwk_object(jwk)
            if obj.get("kty") != "EC":
                raise InvalidKeyError("Not an Elliptic curve key") from None
            if "x" not in obj or "y" not in obj:
                raise InvalidKeyError("Not an Elliptic curve key") from None
            x = base64url_decode(obj.get("x"))
            y = base64url_decode(obj.get("y"))
            crv = obj.get("crv")
            if crv not in _CURVE_BY_CRV:
                raise InvalidKeyError(f"Invalid curve: {crv}")
            curve_cls, size = _CURVE_BY_CRV[crv]
            if not len(x) == len(y) == size:
                raise InvalidKeyError(f"Coords should be {size} bytes for curve {crv}")
            public = EllipticCurvePublicNumbers(
                x=int.from_bytes(x, "big"), y=int.from_bytes(y, "big"), curve=curve_cls()
            )
            if "d" not in obj:
                return public.public_key()
            d = base64url_decode(obj.get("d"))
            if len(d) != len(x):
                # PyJWT passes the format arguments to the exception instead of formatting.
                raise InvalidKeyError("D should be {} bytes for curve {}", len(x), crv)
            return EllipticCurvePrivateNumbers(int.from_bytes(d, "big"), public).private_key()

    class RSAPSSAlgorithm(RSAAlgorithm):
        """PS256/384/512: RSASSA-PSS with MGF1 and a salt as long as the digest."""

        def _padding(self) -> Any:
            return padding.PSS(
                mgf=padding.MGF1(self.hash_alg()), salt_length=self.hash_alg().digest_size
            )

        def sign(self, msg: bytes, key: Any) -> bytes:
            return key.sign(msg, self._padding(), self.hash_alg())

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            try:
                key.verify(sig, msg, self._padding(), self.hash_alg())
            except InvalidSignature:
                return False
            return True

    _OKP_PRIVATE = (Ed25519PrivateKey, Ed448PrivateKey)
    _OKP_PUBLIC = (Ed25519PublicKey, Ed448PublicKey)

    class OKPAlgorithm(Algorithm):
        """EdDSA with Ed25519 or Ed448 keys."""

        _crypto_key_types = (Ed25519PrivateKey, Ed25519PublicKey, Ed448PrivateKey, Ed448PublicKey)

        def __init__(self, **kwargs: Any) -> None:
            pass

        def prepare_key(self, key: Any) -> Any:
            if not isinstance(key, (str, bytes)):
                self.check_crypto_key_type(key)
                return key
            text = key.decode("utf-8") if isinstance(key, bytes) else key
            raw = key.encode("utf-8") if isinstance(key, str) else key
            if "-----BEGIN PUBLIC" in text:
                loaded = load_pem_public_key(raw)
            elif "-----BEGIN PRIVATE" in text:
                loaded = load_pem_private_key(raw, password=None)
            elif text[:4] == "ssh-":
                loaded = load_ssh_public_key(raw)
            else:
                raise InvalidKeyError("Not a public or private key")
            self.check_crypto_key_type(loaded)
            return loaded

        def sign(self, msg: str | bytes, key: Any) -> bytes:
            return key.sign(msg.encode("utf-8") if isinstance(msg, str) else msg)

        def verify(self, msg: str | bytes, key: Any, sig: str | bytes) -> bool:
            try:
                data = msg.encode("utf-8") if isinstance(msg, str) else msg
                signature = sig.encode("utf-8") if isinstance(sig, str) else sig
                public = key.public_key() if isinstance(key, _OKP_PRIVATE) else key
                public.verify(signature, data)
            except InvalidSignature:
                return False
            return True

        @staticmethod
        def to_jwk(key: Any, as_dict: bool = False) -> JWKDict | str:
            if isinstance(key, _OKP_PUBLIC):
                x = key.public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw)
                crv = "Ed25519" if isinstance(key, Ed25519PublicKey) else "Ed448"
                obj: JWKDict = {"x": base64url_encode(x).decode(), "kty": "OKP", "crv": crv}
                return _emit(obj, as_dict)
            if isinstance(key, _OKP_PRIVATE):
                d = key.private_bytes(
                    encoding=Encoding.Raw,
                    format=PrivateFormat.Raw,
                    encryption_algorithm=NoEncryption(),
                )
                x = key.public_key().public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw)
                crv = "Ed25519" if isinstance(key, Ed25519PrivateKey) else "Ed448"
                obj = {
                    "x": base64url_encode(x).decode(),
                    "d": base64url_encode(d).decode(),
                    "kty": "OKP",
                    "crv": crv,
                }
                return _emit(obj, as_dict)
            raise InvalidKeyError("Not a public or private key")

        @staticmethod
        def from_jwk(jwk: str | JWKDict) -> Any:
            obj = _jwk_object(jwk)
            if obj.get("kty") != "OKP":
                raise InvalidKeyError("Not an Octet Key Pair")
            crv = obj.get("crv")
            if crv not in ("Ed25519", "Ed448"):
                raise InvalidKeyError(f"Invalid curve: {crv}")
            if "x" not in obj:
                raise InvalidKeyError('OKP should have "x" parameter')
            x = base64url_decode(obj.get("x"))
            ed25519 = crv == "Ed25519"
            try:
                if "d" not in obj:
                    public_cls = Ed25519PublicKey if ed25519 else Ed448PublicKey
                    return public_cls.from_public_bytes(x)
                private_cls = Ed25519PrivateKey if ed25519 else Ed448PrivateKey
                private = private_cls.from_private_bytes(base64url_decode(obj.get("d")))
                derived = private.public_key().public_bytes(
                    encoding=Encoding.Raw, format=PublicFormat.Raw
                )
                if derived != x:
                    raise InvalidKeyError("Public key does not match private key")
                return private
            except ValueError as err:
                raise InvalidKeyError("Invalid key parameter") from err
