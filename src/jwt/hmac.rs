//! HS256/HS384/HS512.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

use super::JwtError;

/// The longest tag (HMAC-SHA-512), in bytes.
pub const MAX_TAG: usize = 64;

fn mac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    match <M as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(), // ok: unreachable, HMAC takes any key length
    }
}

/// The HMAC-SHA-`bits` tag of `msg`.
pub fn sign(bits: u32, key: &[u8], msg: &[u8]) -> Result<Vec<u8>, JwtError> {
    match bits {
        256 => Ok(mac::<Hmac<Sha256>>(key, msg)),
        384 => Ok(mac::<Hmac<Sha384>>(key, msg)),
        512 => Ok(mac::<Hmac<Sha512>>(key, msg)),
        other => Err(JwtError::UnsupportedAlgorithm(format!("HS{other}"))),
    }
}

/// An HMAC secret with the keyed inner/outer hash states precomputed for
/// SHA-256/384/512: signing with it skips the two key-block compressions that
/// `new_from_slice` runs per call (a third of an HS256 token's hashing).
#[derive(Clone)]
pub struct HmacKey {
    s256: Hmac<Sha256>,
    s384: Hmac<Sha384>,
    s512: Hmac<Sha512>,
    len: usize,
}

fn keyed<M: Mac + KeyInit>(key: &[u8]) -> Option<M> {
    <M as KeyInit>::new_from_slice(key).ok()
}

impl HmacKey {
    /// Precompute the keyed states; None only if the backend refused the key,
    /// which HMAC never does (it takes any length).
    pub fn new(key: &[u8]) -> Option<Self> {
        Some(HmacKey {
            s256: keyed(key)?,
            s384: keyed(key)?,
            s512: keyed(key)?,
            len: key.len(),
        })
    }

    /// The secret's length in bytes (PyJWT warns below the hash output size).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Write the HMAC-SHA-`bits` tag of `msg` to the front of `out` and return its
    /// length; None for other `bits`.
    pub fn sign_to(&self, bits: u32, msg: &[u8], out: &mut [u8; MAX_TAG]) -> Option<usize> {
        fn run<M: Mac + Clone>(m: &M, msg: &[u8], out: &mut [u8; MAX_TAG]) -> usize {
            let mut m = m.clone();
            m.update(msg);
            let tag = m.finalize().into_bytes();
            out[..tag.len()].copy_from_slice(&tag);
            tag.len()
        }
        match bits {
            256 => Some(run(&self.s256, msg, out)),
            384 => Some(run(&self.s384, msg, out)),
            512 => Some(run(&self.s512, msg, out)),
            _ => None,
        }
    }

    /// Append the HMAC-SHA-`bits` tag of `msg` to `out`; false for other `bits`.
    pub fn sign_into(&self, bits: u32, msg: &[u8], out: &mut Vec<u8>) -> bool {
        fn run<M: Mac + Clone>(m: &M, msg: &[u8], out: &mut Vec<u8>) {
            let mut m = m.clone();
            m.update(msg);
            out.extend_from_slice(&m.finalize().into_bytes());
        }
        match bits {
            256 => run(&self.s256, msg, out),
            384 => run(&self.s384, msg, out),
            512 => run(&self.s512, msg, out),
            _ => return false,
        }
        true
    }

    /// Whether `sig` is the HMAC-SHA-`bits` tag of `msg`, compared in constant time.
    pub fn verify(&self, bits: u32, msg: &[u8], sig: &[u8]) -> bool {
        fn run<M: Mac + Clone>(m: &M, msg: &[u8], sig: &[u8]) -> bool {
            let mut m = m.clone();
            m.update(msg);
            crate::ct::eq(&m.finalize().into_bytes(), sig)
        }
        match bits {
            256 => run(&self.s256, msg, sig),
            384 => run(&self.s384, msg, sig),
            512 => run(&self.s512, msg, sig),
            _ => false,
        }
    }
}

/// Whether `sig` is the tag of `msg`, compared in constant time.
pub fn verify(bits: u32, key: &[u8], msg: &[u8], sig: &[u8]) -> Result<bool, JwtError> {
    let expected = sign(bits, key, msg)?;
    Ok(crate::ct::eq(&expected, sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn rfc4231_case_2() {
        let (key, msg) = (
            b"Jefe".as_slice(),
            b"what do ya want for nothing?".as_slice(),
        );
        assert_eq!(
            hex(&sign(256, key, msg).unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&sign(384, key, msg).unwrap()),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"
        );
        assert!(verify(256, key, msg, &sign(256, key, msg).unwrap()).unwrap());
        assert!(!verify(256, key, msg, b"short").unwrap());
        assert!(sign(1, key, msg).is_err());
        let k = HmacKey::new(key).unwrap();
        for bits in [256, 384, 512] {
            let mut tag = Vec::new();
            assert!(k.sign_into(bits, msg, &mut tag));
            assert_eq!(tag, sign(bits, key, msg).unwrap());
            assert!(k.verify(bits, msg, &tag));
            assert!(!k.verify(bits, b"other", &tag));
        }
        assert!(!k.sign_into(1, msg, &mut Vec::new()));
        let mut buf = [0u8; MAX_TAG];
        for bits in [256, 384, 512] {
            let n = k.sign_to(bits, msg, &mut buf).unwrap();
            assert_eq!(&buf[..n], sign(bits, key, msg).unwrap().as_slice());
        }
        assert!(k.sign_to(1, msg, &mut buf).is_none());
        assert_eq!(k.len(), 4);
    }

    #[test]
    fn rfc7515_a1_hs256_signature() {
        // RFC 7515 appendix A.1: the JWS signing input and key, and its signature.
        let key = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
        )
        .unwrap();
        let input = b"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let sig = sign(256, &key, input).unwrap();
        assert_eq!(
            super::super::b64::encode(&sig),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn verify_time_does_not_depend_on_where_the_signature_differs() {
        use crate::timing::{assert_constant_time, leaky_eq};
        use std::hint::black_box;
        let key = [0x42u8; 32];
        let msg = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ";
        let good = sign(256, &key, msg).unwrap();
        let mut early = good.clone();
        early[0] ^= 1;
        let mut late = good.clone();
        late[31] ^= 1;
        let sigs = [early, late];
        assert_constant_time(
            "JWT HS256 verify",
            8000,
            32,
            |c| {
                let expected = sign(256, &key, black_box(msg)).unwrap();
                black_box(leaky_eq(&expected, black_box(&sigs[c])));
            },
            |c| {
                black_box(verify(256, &key, black_box(msg), black_box(&sigs[c])).unwrap());
            },
        );
    }
}
