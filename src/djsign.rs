//! Django's signing primitives (`django.core.signing`): the salted HMAC
//! (`key = H(key_salt + secret)`, then `HMAC-H(key, value)`), URL-safe base64
//! without padding, base62 timestamps, and the `payload:timestamp:signature` layout.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

/// The hashlib algorithms the core signs with; others stay in Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Some(match name {
            "sha1" => Algorithm::Sha1,
            "sha224" => Algorithm::Sha224,
            "sha256" => Algorithm::Sha256,
            "sha384" => Algorithm::Sha384,
            "sha512" => Algorithm::Sha512,
            _ => return None,
        })
    }
}

/// `HMAC-D(D(key_salt + secret), value)` for one concrete digest type.
macro_rules! salted {
    ($digest:ty, $key_salt:expr, $secret:expr, $value:expr) => {{
        let mut hasher = <$digest>::new();
        hasher.update($key_salt);
        hasher.update($secret);
        let key = Zeroizing::new(hasher.finalize().to_vec());
        match <Hmac<$digest> as KeyInit>::new_from_slice(&key) {
            Ok(mut mac) => {
                mac.update($value);
                mac.finalize().into_bytes().to_vec()
            }
            // HMAC takes keys of any length: unreachable.
            Err(_) => Vec::new(),
        }
    }};
}

/// `django.utils.crypto.salted_hmac(key_salt, value, secret, algorithm).digest()`.
pub fn salted_hmac(alg: Algorithm, key_salt: &[u8], secret: &[u8], value: &[u8]) -> Vec<u8> {
    match alg {
        Algorithm::Sha1 => salted!(Sha1, key_salt, secret, value),
        Algorithm::Sha224 => salted!(Sha224, key_salt, secret, value),
        Algorithm::Sha256 => salted!(Sha256, key_salt, secret, value),
        Algorithm::Sha384 => salted!(Sha384, key_salt, secret, value),
        Algorithm::Sha512 => salted!(Sha512, key_salt, secret, value),
    }
}

/// `base64_hmac`: the salted HMAC in URL-safe base64 without padding.
pub fn signature(alg: Algorithm, key_salt: &[u8], secret: &[u8], value: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(salted_hmac(alg, key_salt, secret, value))
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `b62_encode`: base62 with a leading `-` for negative numbers.
pub fn b62_encode(value: i64) -> String {
    if value == 0 {
        return "0".into();
    }
    let mut n = value.unsigned_abs();
    let mut digits = Vec::with_capacity(12);
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    if value < 0 {
        digits.push(b'-');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

/// `Signer.sign_object` after serialization: `["."]b64(payload)[sep b62(ts)] sep sig`,
/// where the signature covers everything before the last separator.
pub fn sign_payload(
    alg: Algorithm,
    key_salt: &[u8],
    secret: &[u8],
    payload: &[u8],
    compressed: bool,
    sep: &str,
    timestamp: Option<i64>,
) -> String {
    let mut value = String::with_capacity(payload.len() * 4 / 3 + 100);
    if compressed {
        value.push('.');
    }
    URL_SAFE_NO_PAD.encode_string(payload, &mut value);
    if let Some(ts) = timestamp {
        value.push_str(sep);
        value.push_str(&b62_encode(ts));
    }
    let sig = signature(alg, key_salt, secret, value.as_bytes());
    value.push_str(sep);
    value.push_str(&sig);
    value
}

/// `b62_decode` for what fits an `i64`; `None` for anything else (empty, a
/// character outside the alphabet, overflow), which the caller re-checks in Python.
pub fn b62_decode(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for byte in digits.bytes() {
        let digit = BASE62.iter().position(|&c| c == byte)? as i64;
        value = value.checked_mul(62)?.checked_add(digit)?;
    }
    Some(if negative { -value } else { value })
}

/// A verified token's content: the serialized payload, whether it was compressed
/// (a leading `.`), and the timestamp of a `TimestampSigner` token.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsigned {
    pub payload: Vec<u8>,
    pub compressed: bool,
    pub timestamp: Option<i64>,
}

/// `Signer.unsign_object` up to deserialization: split off the signature, compare it
/// (constant time, exactly) with the signature under each key in turn, then split
/// the timestamp and decode the base64. `None` when anything fails; the caller then
/// takes Django's path, which raises Django's exception for the failure.
pub fn unsign_payload(
    alg: Algorithm,
    key_salt: &[u8],
    keys: &[Zeroizing<Vec<u8>>],
    signed: &str,
    sep: &str,
    timestamped: bool,
) -> Option<Unsigned> {
    if sep.is_empty() {
        return None;
    }
    let (value, sig) = signed.rsplit_once(sep)?;
    let matches = keys.iter().any(|key| {
        crate::ct::eq(
            signature(alg, key_salt, key, value.as_bytes()).as_bytes(),
            sig.as_bytes(),
        )
    });
    if !matches {
        return None;
    }
    let (body, timestamp) = if timestamped {
        let (body, ts) = value.rsplit_once(sep)?;
        (body, Some(b62_decode(ts)?))
    } else {
        (value, None)
    };
    let (compressed, b64) = match body.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let payload = URL_SAFE_NO_PAD.decode(b64).ok()?;
    Some(Unsigned {
        payload,
        compressed,
        timestamp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_vectors() {
        // Recorded from Django 6.1.3 (shared/vectors/signing.json).
        let sig = signature(
            Algorithm::Sha256,
            b"django.core.signing.Signersigner",
            b"django-secret",
            b"hello",
        );
        assert_eq!(sig, "jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEc");
        let token = sign_payload(
            Algorithm::Sha256,
            b"django.core.signingsigner",
            b"django-secret",
            b"\"hello\"",
            false,
            ":",
            Some(1_700_000_000),
        );
        assert_eq!(
            token,
            "ImhlbGxvIg:1r31eq:mpwnmcajculCk50QroUwe1NJzJHfNhuJlS4WcZeYUjg"
        );
    }

    #[test]
    fn unsign() {
        let keys = [
            Zeroizing::new(b"old".to_vec()),
            Zeroizing::new(b"django-secret".to_vec()),
        ];
        let token = "ImhlbGxvIg:1r31eq:mpwnmcajculCk50QroUwe1NJzJHfNhuJlS4WcZeYUjg";
        let salt = b"django.core.signingsigner";
        let got = unsign_payload(Algorithm::Sha256, salt, &keys, token, ":", true);
        assert_eq!(
            got,
            Some(Unsigned {
                payload: b"\"hello\"".to_vec(),
                compressed: false,
                timestamp: Some(1_700_000_000)
            })
        );
        let tampered = token.replace("mpwn", "mpwm");
        assert_eq!(
            unsign_payload(Algorithm::Sha256, salt, &keys, &tampered, ":", true),
            None
        );
        assert_eq!(
            unsign_payload(Algorithm::Sha256, salt, &keys[..1], token, ":", true),
            None
        );
        assert_eq!(
            unsign_payload(Algorithm::Sha256, salt, &keys, "nosep", ":", true),
            None
        );
    }

    #[test]
    fn base62() {
        assert_eq!(b62_decode("1r31eq"), Some(1_700_000_000));
        assert_eq!(b62_decode("-10"), Some(-62));
        assert_eq!(b62_decode(""), None);
        assert_eq!(b62_decode("-"), None);
        assert_eq!(b62_decode("!"), None);
        assert_eq!(b62_decode("zzzzzzzzzzzzzzzz"), None);
        assert_eq!(b62_encode(0), "0");
        assert_eq!(b62_encode(61), "z");
        assert_eq!(b62_encode(62), "10");
        assert_eq!(b62_encode(-62), "-10");
        assert_eq!(b62_encode(1_700_000_000), "1r31eq");
        assert_eq!(b62_encode(i64::MIN), "-AzL8n0Y58m8");
    }

    #[test]
    fn algorithms() {
        assert_eq!(Algorithm::from_name("sha512"), Some(Algorithm::Sha512));
        assert_eq!(Algorithm::from_name("md5"), None);
        // RFC 4231-style sanity: the output length is the digest size.
        for (alg, len) in [
            (Algorithm::Sha1, 20),
            (Algorithm::Sha224, 28),
            (Algorithm::Sha256, 32),
            (Algorithm::Sha384, 48),
            (Algorithm::Sha512, 64),
        ] {
            assert_eq!(salted_hmac(alg, b"s", b"k", b"v").len(), len);
        }
    }
}
