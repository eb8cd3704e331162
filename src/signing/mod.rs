//! The signing core: itsdangerous-compatible signatures, timestamps and
//! payloads, as Flask's session cookie and Starlette's SessionMiddleware use
//! them. Pure Rust; the binding (`src/py/signing.rs`) walks Python objects.
//!
//! A token is `payload SEP [timestamp SEP] signature`, every part url-safe
//! base64 without padding except Starlette's payload (standard base64).

pub mod b64;
pub mod error;
pub mod json;
pub mod mac;
pub mod timestamp;
pub mod zlib;

use zeroize::Zeroizing;

use crate::b64::Alphabet;

pub use error::{Result, SigningError};
pub use mac::{Digest, KeyDerivation};

/// Bounds on attacker-controlled input for the fast path. Inputs past them are
/// refused by the Flask/Starlette adapters and left to the (unbounded, but
/// slower) Python path by the itsdangerous drop-in.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_token_len: usize,
    pub max_decompressed_len: usize,
}

pub const DEFAULT_LIMITS: Limits = Limits {
    max_token_len: 1 << 20,
    max_decompressed_len: 16 << 20,
};

/// A signer with its keys already derived (oldest first, newest last).
pub struct Signer {
    pub digest: Digest,
    pub sep: Vec<u8>,
    /// One keyed HMAC per secret key, oldest first.
    macs: Vec<mac::KeyedMac>,
}

impl Signer {
    pub fn new(
        digest: Digest,
        derivation: KeyDerivation,
        secrets: &[Vec<u8>],
        salt: &[u8],
        sep: &[u8],
    ) -> Result<Signer> {
        if secrets.is_empty() {
            return Err(SigningError::Unsupported("no secret key".into()));
        }
        if sep.is_empty() {
            return Err(SigningError::Unsupported("empty separator".into()));
        }
        let mut macs = Vec::with_capacity(secrets.len());
        for secret in secrets {
            let key: Zeroizing<Vec<u8>> = mac::derive_key(digest, derivation, secret, salt);
            macs.push(
                mac::KeyedMac::new(digest, &key)
                    .ok_or_else(|| SigningError::Unsupported("bad key".into()))?,
            );
        }
        Ok(Signer {
            digest,
            sep: sep.to_vec(),
            macs,
        })
    }

    /// `value SEP [b64(ts) SEP] b64(hmac)`, as `Signer.sign` / `TimestampSigner.sign`.
    pub fn sign(&self, value: &[u8], ts: Option<u64>) -> Vec<u8> {
        let mut out = Vec::with_capacity(value.len() + 48);
        out.extend_from_slice(value);
        self.sign_into(&mut out, ts);
        out
    }

    /// Append `SEP [ts SEP] sig` to `out`, which holds the value to sign: the
    /// binding writes the payload straight into the token's buffer this way.
    pub fn sign_into(&self, out: &mut Vec<u8>, ts: Option<u64>) {
        if let Some(ts) = ts {
            out.extend_from_slice(&self.sep);
            let (bytes, start) = timestamp::be_bytes(ts);
            crate::b64::encode_into(&bytes[start..], Alphabet::UrlSafe, false, out);
        }
        let Some(mac) = self.macs.last() else {
            return; // ok: unreachable, `new` refuses an empty key list
        };
        let sig = mac.sign(out);
        out.extend_from_slice(&self.sep);
        crate::b64::encode_into(&sig, Alphabet::UrlSafe, false, out);
    }

    /// Check a token; return the payload and (when `timed`) the timestamp.
    /// Any failure is reported without detail: callers needing the peer's exact
    /// exception re-run the check on their slow path.
    pub fn unsign<'t>(&self, token: &'t [u8], timed: bool) -> Result<(&'t [u8], Option<u64>)> {
        let (value, sig) = rsplit(token, &self.sep)
            .ok_or_else(|| SigningError::Malformed("no separator".into()))?;
        let mut buf = [0u8; mac::Tag::MAX];
        let sig = decode_part(sig, &mut buf)
            .map_err(|_| SigningError::BadSignature("signature is not base64".into()))?;
        let mut ok = false;
        for m in &self.macs {
            ok |= m.verify(value, &sig);
        }
        if !ok {
            return Err(SigningError::BadSignature(
                "signature does not match".into(),
            ));
        }
        if !timed {
            return Ok((value, None));
        }
        let (payload, ts) = rsplit(value, &self.sep)
            .ok_or_else(|| SigningError::Malformed("timestamp missing".into()))?;
        let mut buf = [0u8; 8];
        let ts = decode_part(ts, &mut buf)
            .map_err(|_| SigningError::Malformed("Malformed timestamp".into()))?;
        Ok((payload, Some(timestamp::bytes_to_int(&ts)?)))
    }
}

/// Is a token signed at `ts` still valid at `now` for `max_age` seconds?
/// (`age > max_age` and negative ages are errors, as in itsdangerous.)
pub fn check_age(ts: u64, now: i64, max_age: Option<f64>) -> Result<()> {
    if let Some(max_age) = max_age {
        let age = now as i128 - ts as i128;
        if age as f64 > max_age || age < 0 {
            return Err(SigningError::BadSignature("signature expired".into()));
        }
    }
    Ok(())
}

/// `URLSafeSerializerMixin.dump_payload` after JSON: compress when it saves at
/// least two bytes, then url-safe base64, with a `.` marking compression.
pub fn encode_urlsafe_payload(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() * 4 / 3 + 2);
    encode_urlsafe_payload_into(json, &mut out);
    out
}

/// [`encode_urlsafe_payload`], appending to `out`.
pub fn encode_urlsafe_payload_into(json: &[u8], out: &mut Vec<u8>) {
    if let Some(compressed) = zlib::compress_if_smaller(json) {
        out.push(b'.');
        crate::b64::encode_into(&compressed, Alphabet::UrlSafe, false, out);
    } else {
        crate::b64::encode_into(json, Alphabet::UrlSafe, false, out);
    }
}

/// The JSON bytes inside a url-safe payload (inflated if it starts with `.`).
pub fn decode_urlsafe_payload(payload: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    let (compressed, body) = match payload.strip_prefix(b".") {
        Some(rest) => (true, rest),
        None => (false, payload),
    };
    let raw = b64::lenient_urlsafe_decode(body)?;
    if compressed {
        zlib::decompress(&raw, limits.max_decompressed_len)
    } else {
        Ok(raw)
    }
}

/// A signature or timestamp as itsdangerous decodes it. What encoders write
/// (canonical, short) decodes into `buf` without allocating; anything else goes
/// through the lenient decoder, which gives the same bytes for canonical input.
fn decode_part<'b>(part: &[u8], buf: &'b mut [u8]) -> Result<std::borrow::Cow<'b, [u8]>> {
    if let Some(n) = crate::b64::decode_to(part, Alphabet::UrlSafe, buf) {
        return Ok(std::borrow::Cow::Borrowed(&buf[..n]));
    }
    b64::lenient_urlsafe_decode(&ascii_only(part)).map(std::borrow::Cow::Owned)
}

/// `bytes.rsplit(sep, 1)`.
pub fn rsplit<'a>(s: &'a [u8], sep: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    if sep.is_empty() {
        return None;
    }
    let i = memchr::memmem::rfind(s, sep)?;
    Some((&s[..i], &s[i + sep.len()..]))
}

/// Bytes of a token part with non-ASCII bytes dropped. itsdangerous decodes a
/// `str` with `errors="ignore"`; for bytes this changes nothing that base64
/// would not skip anyway.
fn ascii_only(s: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.iter().copied().filter(u8::is_ascii).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(secret: &str, salt: &str, kd: KeyDerivation) -> Signer {
        Signer::new(
            Digest::Sha1,
            kd,
            &[secret.as_bytes().to_vec()],
            salt.as_bytes(),
            b".",
        )
        .unwrap()
    }

    // Expected tokens: shared/vectors/signing.json, recorded from itsdangerous 2.2.0,
    // Flask 3.1.3 and Starlette 1.10.0.
    #[test]
    fn timestamp_signer_vector() {
        let s = signer(
            "secret-key",
            "itsdangerous.Signer",
            KeyDerivation::DjangoConcat,
        );
        let tok = s.sign(b"hello", Some(1700000000));
        assert_eq!(tok, b"hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI");
        assert_eq!(
            s.unsign(&tok, true).unwrap(),
            (&b"hello"[..], Some(1700000000))
        );
        let mut bad = tok.clone();
        bad[0] = b'j';
        assert!(s.unsign(&bad, true).is_err());
    }

    #[test]
    fn url_safe_timed_vectors() {
        let s = signer("secret-key", "test-salt", KeyDerivation::DjangoConcat);
        let json = br#"{"user_id":42,"csrf":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131","roles":["a","b"],"_fresh":true}"#;
        let tok = s.sign(&encode_urlsafe_payload(json), Some(1700000000));
        assert_eq!(
            String::from_utf8(tok.clone()).unwrap(),
            ".eJwNxzsKgDAQBcC7vDpF4j-5iois6wsKgrDRSry7TjcP7kKb9xWpqRy0WEZCG9QLG3Y9lb5eYy-qWaNGL1qJZzt0Q6gDHOw8WJBGyJ8Fk8OcjWVDuuzm-wFsPBy9.ZVPxAA.pnbrDchcfaocBQ0XxvRWqtBT31w"
        );
        let (payload, ts) = s.unsign(&tok, true).unwrap();
        assert_eq!(ts, Some(1700000000));
        assert_eq!(
            decode_urlsafe_payload(payload, &DEFAULT_LIMITS).unwrap(),
            json
        );
        let small = s.sign(&encode_urlsafe_payload(br#"{"a":1}"#), Some(1700000000));
        assert_eq!(small, b"eyJhIjoxfQ.ZVPxAA.RUIIEPUtDCl99SS8Fya3MwOV048");
    }

    #[test]
    fn flask_and_starlette_vectors() {
        let flask = signer("flask-secret", "cookie-session", KeyDerivation::Hmac);
        let json = br#"{"_fresh":true,"csrf":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131","roles":["a","b"],"user_id":42}"#;
        assert_eq!(
            String::from_utf8(flask.sign(&encode_urlsafe_payload(json), Some(1700000000))).unwrap(),
            ".eJwNxzsKgDAQBcC7vDpF4j-5iois6wsKgrDRSry7TjcP5mwsG9JlNx20WEZCG9QLG3Y9lb5eYy-qWaNGL1qJZzt0Q6gDHOw8WJBGyJ8Fk8NdaPO-IjXV-wGd8xy9.ZVPxAA.A1Xek0EpyWXfjiTd-_p9Mp8wfik"
        );
        let star = signer(
            "starlette-secret",
            "itsdangerous.Signer",
            KeyDerivation::DjangoConcat,
        );
        let json = br#"{"user_id": 42, "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131", "roles": ["a", "b"], "_fresh": true}"#;
        let payload = b64::std_encode(json);
        assert_eq!(
            String::from_utf8(star.sign(payload.as_bytes(), Some(1700000000))).unwrap(),
            "eyJ1c2VyX2lkIjogNDIsICJjc3JmIjogIjUxYzBhZTRlNjdlY2UwM2Q5N2FjY2ZjOWM5MGFjMmEwZTU4NjgxMzEiLCAicm9sZXMiOiBbImEiLCAiYiJdLCAiX2ZyZXNoIjogdHJ1ZX0=.ZVPxAA.hNtMCcjxvQKH5Rh3R5NZGMf8yqU"
        );
    }

    #[test]
    fn key_rotation_and_age() {
        let s = Signer::new(
            Digest::Sha1,
            KeyDerivation::DjangoConcat,
            &[b"old".to_vec(), b"new".to_vec()],
            b"salt",
            b".",
        )
        .unwrap();
        let old = Signer::new(
            Digest::Sha1,
            KeyDerivation::DjangoConcat,
            &[b"old".to_vec()],
            b"salt",
            b".",
        )
        .unwrap();
        assert!(s.unsign(&old.sign(b"v", None), false).is_ok());
        assert!(old.unsign(&s.sign(b"v", None), false).is_err());
        assert!(check_age(100, 105, Some(5.0)).is_ok());
        assert!(check_age(100, 106, Some(5.0)).is_err());
        assert!(check_age(100, 99, Some(5.0)).is_err());
        assert!(check_age(100, 99, None).is_ok());
    }

    #[test]
    fn rsplit_like_python() {
        assert_eq!(rsplit(b"a.b.c", b"."), Some((&b"a.b"[..], &b"c"[..])));
        assert_eq!(rsplit(b"abc", b"."), None);
        assert_eq!(rsplit(b"a::b", b"::"), Some((&b"a"[..], &b"b"[..])));
    }

    #[test]
    fn unsign_time_does_not_depend_on_where_the_signature_differs() {
        use crate::timing::{assert_constant_time, leaky_eq};
        use std::hint::black_box;
        let signer = Signer::new(
            Digest::Sha1,
            KeyDerivation::DjangoConcat,
            &[b"secret-key".to_vec()],
            b"itsdangerous.Signer",
            b".",
        )
        .unwrap();
        let value = b"eyJ1c2VyX2lkIjo0Mn0.ZVPxAA";
        let good = signer.macs[0].sign(value);
        let token = |flip: usize| {
            let mut sig = good.to_vec();
            sig[flip] ^= 0x80;
            let mut t = value.to_vec();
            t.push(b'.');
            t.extend_from_slice(b64::urlsafe_encode(&sig).as_bytes());
            t
        };
        let tokens = [token(0), token(good.len() - 1)];
        assert_constant_time(
            "itsdangerous Signer.unsign",
            8000,
            32,
            |c| {
                let (v, s) = rsplit(black_box(&tokens[c]), b".").unwrap();
                let sig = b64::lenient_urlsafe_decode(s).unwrap();
                black_box(leaky_eq(&signer.macs[0].sign(v), &sig));
            },
            |c| {
                black_box(signer.unsign(black_box(&tokens[c]), false).is_ok());
            },
        );
    }
}
