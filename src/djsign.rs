//! Django's signing primitives (`django.core.signing`): the salted HMAC
//! (`key = H(key_salt + secret)`, then `HMAC-H(key, value)`), URL-safe base64
//! without padding, base62 timestamps, and the `payload:timestamp:signature` layout.

use crate::b64::{self, Alphabet};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use std::sync::Mutex;
use zeroize::Zeroizing;

use crate::signing::mac::{Digest as MacDigest, KeyedMac};

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

impl Algorithm {
    fn digest(self) -> MacDigest {
        match self {
            Algorithm::Sha1 => MacDigest::Sha1,
            Algorithm::Sha224 => MacDigest::Sha224,
            Algorithm::Sha256 => MacDigest::Sha256,
            Algorithm::Sha384 => MacDigest::Sha384,
            Algorithm::Sha512 => MacDigest::Sha512,
        }
    }
}

/// An HMAC keyed with `H(key_salt + secret)`, kept for reuse.
struct CachedMac {
    alg: Algorithm,
    key_salt: Vec<u8>,
    secret: Zeroizing<Vec<u8>>,
    mac: KeyedMac,
}

/// Keyed HMAC states of recently used `(algorithm, key_salt, secret)` triples.
/// Deriving the key and hashing the HMAC pads is three of the five hash blocks
/// a short signature costs. The secret is part of the lookup, so a changed
/// `SECRET_KEY` (override_settings, rotation) simply misses; the oldest entry
/// goes when the cache is full.
static MACS: Mutex<Vec<CachedMac>> = Mutex::new(Vec::new());
const MAX_CACHED_MACS: usize = 32;

/// Run `f` with the keyed HMAC for `(alg, key_salt, secret)`; `None` only if the
/// HMAC cannot be keyed (unreachable: HMAC takes keys of any length).
fn with_keyed_mac<R>(
    alg: Algorithm,
    key_salt: &[u8],
    secret: &[u8],
    f: impl FnOnce(&KeyedMac) -> R,
) -> Option<R> {
    let derive = || {
        let key = Zeroizing::new(alg.digest().hash(&[key_salt, secret]));
        KeyedMac::new(alg.digest(), &key)
    };
    let Ok(mut cache) = MACS.lock() else {
        return derive().map(|m| f(&m)); // ok: a poisoned lock only loses the cache
    };
    if let Some(hit) = cache
        .iter()
        .find(|e| e.alg == alg && e.key_salt == key_salt && e.secret.as_slice() == secret)
    {
        return Some(f(&hit.mac));
    }
    let mac = derive()?;
    let result = f(&mac);
    if cache.len() >= MAX_CACHED_MACS {
        cache.remove(0);
    }
    cache.push(CachedMac {
        alg,
        key_salt: key_salt.to_vec(),
        secret: Zeroizing::new(secret.to_vec()),
        mac,
    });
    Some(result)
}

/// `django.utils.crypto.salted_hmac(key_salt, value, secret, algorithm).digest()`.
pub fn salted_hmac(alg: Algorithm, key_salt: &[u8], secret: &[u8], value: &[u8]) -> Vec<u8> {
    with_keyed_mac(alg, key_salt, secret, |mac| mac.sign(value).to_vec())
        .unwrap_or_else(|| salted_hmac_uncached(alg, key_salt, secret, value))
}

/// The same HMAC computed from scratch (also the reference for the cache's tests).
fn salted_hmac_uncached(alg: Algorithm, key_salt: &[u8], secret: &[u8], value: &[u8]) -> Vec<u8> {
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
    b64::encode(
        &salted_hmac(alg, key_salt, secret, value),
        Alphabet::UrlSafe,
        false,
    )
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
    value.push_str(&b64::encode(payload, Alphabet::UrlSafe, false));
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
    // The magnitude is accumulated wider than i64: i64::MIN's magnitude, 2^63,
    // does not fit an i64 (found by fuzz/fuzz_targets/djsign_token.rs).
    let mut value: i128 = 0;
    for byte in digits.bytes() {
        let digit = BASE62.iter().position(|&c| c == byte)? as i128;
        value = value * 62 + digit;
        if value > 1 << 63 {
            return None;
        }
    }
    i64::try_from(if negative { -value } else { value }).ok()
}

/// A verified token's content: the serialized payload, whether it was compressed
/// (a leading `.`), and the timestamp of a `TimestampSigner` token.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsigned {
    pub payload: Vec<u8>,
    pub compressed: bool,
    pub timestamp: Option<i64>,
}

/// `str.rsplit(sep, 1)` as a pair; memchr's searcher (str's own builds a
/// two-way searcher per call, which shows in a per-request profile).
fn rsplit_once<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let i = memchr::memmem::rfind(s.as_bytes(), sep.as_bytes())?;
    Some((s.get(..i)?, s.get(i + sep.len()..)?))
}

/// `Signer.unsign_object` up to deserialization: split off the signature, compare it
/// (constant time, exactly) with the signature under each key in turn, then split
/// the timestamp and decode the base64. `None` when anything fails; the caller then
/// takes Django's path, which raises Django's exception for the failure.
pub fn unsign_payload(
    alg: Algorithm,
    key_salt: &[u8],
    keys: &[impl AsRef<[u8]>],
    signed: &str,
    sep: &str,
    timestamped: bool,
) -> Option<Unsigned> {
    if sep.is_empty() {
        return None;
    }
    let (value, sig) = rsplit_once(signed, sep)?;
    let matches = keys.iter().any(|key| {
        crate::ct::eq(
            signature(alg, key_salt, key.as_ref(), value.as_bytes()).as_bytes(),
            sig.as_bytes(),
        )
    });
    if !matches {
        return None;
    }
    let (body, timestamp) = if timestamped {
        let (body, ts) = rsplit_once(value, sep)?;
        (body, Some(b62_decode(ts)?))
    } else {
        (value, None)
    };
    let (compressed, b64) = match body.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let payload = b64::decode(b64.as_bytes(), Alphabet::UrlSafe)?;
    Some(Unsigned {
        payload,
        compressed,
        timestamp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached keyed HMACs give what a fresh computation gives, whatever the
    /// order of secrets, salts and algorithms, and past the cache's capacity.
    #[test]
    fn keyed_mac_cache_matches_uncached() {
        let algs = [
            Algorithm::Sha1,
            Algorithm::Sha256,
            Algorithm::Sha512,
            Algorithm::Sha224,
        ];
        for round in 0..3 {
            for n in 0..(MAX_CACHED_MACS + 10) {
                let secret = format!("secret-{}", n % 7);
                let salt = format!("salt-{}signer", n % 5);
                let alg = algs[(n + round) % algs.len()];
                let value = format!("value-{n}");
                assert_eq!(
                    salted_hmac(alg, salt.as_bytes(), secret.as_bytes(), value.as_bytes()),
                    salted_hmac_uncached(alg, salt.as_bytes(), secret.as_bytes(), value.as_bytes()),
                    "{alg:?} {salt} {secret}"
                );
            }
        }
        // a secret that is a prefix of another, and salt/secret boundaries that
        // concatenate alike (the cache must compare the parts, not the joined key)
        let a = salted_hmac(Algorithm::Sha256, b"ab", b"c", b"v");
        let b = salted_hmac(Algorithm::Sha256, b"a", b"bc", b"v");
        assert_eq!(a, b); // same derived key, as in Django: H("ab" + "c")
        assert_eq!(
            a,
            salted_hmac_uncached(Algorithm::Sha256, b"a", b"bc", b"v")
        );
        assert_ne!(
            salted_hmac(Algorithm::Sha256, b"a", b"b", b"v"),
            salted_hmac(Algorithm::Sha256, b"a", b"bc", b"v")
        );
    }

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

    #[test]
    fn unsign_time_does_not_depend_on_where_the_signature_differs() {
        use crate::timing::{assert_constant_time, leaky_eq};
        use std::hint::black_box;
        let keys = [Zeroizing::new(b"django-insecure-secret".to_vec())];
        let salt = b"django.core.signing.Signer";
        let good = sign_payload(
            Algorithm::Sha256,
            salt,
            &keys[0],
            b"\"hello\"",
            false,
            ":",
            None,
        );
        // Django compares the base64 text: change its first or its last character.
        let flip = |at: usize| {
            let mut t = good.clone().into_bytes();
            t[at] = if t[at] == b'A' { b'B' } else { b'A' };
            String::from_utf8(t).unwrap()
        };
        let sig_start = good.rfind(':').unwrap() + 1;
        let tokens = [flip(sig_start), flip(good.len() - 1)];
        assert_constant_time(
            "Django Signer.unsign",
            8000,
            32,
            |c| {
                let (value, sig) = black_box(&tokens[c]).rsplit_once(':').unwrap();
                let expected = signature(Algorithm::Sha256, salt, &keys[0], value.as_bytes());
                black_box(leaky_eq(expected.as_bytes(), sig.as_bytes()));
            },
            |c| {
                let r = unsign_payload(
                    Algorithm::Sha256,
                    salt,
                    &keys,
                    black_box(&tokens[c]),
                    ":",
                    false,
                );
                black_box(r.is_none());
            },
        );
    }

    #[test]
    fn b62_round_trips_the_whole_i64_range() {
        for n in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX] {
            assert_eq!(b62_decode(&b62_encode(n)), Some(n), "{n}");
        }
        // One past either end of i64 is left to Python.
        // 2^63 - 1 is "AzL8n0Y58m7" in Django's base62.
        assert_eq!(b62_decode("AzL8n0Y58m7"), Some(i64::MAX));
        assert_eq!(b62_decode("AzL8n0Y58m8"), None);
        assert_eq!(b62_decode("-AzL8n0Y58m7"), Some(-i64::MAX));
        assert_eq!(b62_decode("-AzL8n0Y58m8"), Some(i64::MIN));
        assert_eq!(b62_decode("-AzL8n0Y58m9"), None);
        assert_eq!(b62_decode(&"z".repeat(40)), None);
    }
}
