//! Digests, itsdangerous's key derivations and the HMAC signature.

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

use super::error::{Result, SigningError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Md5,
}

impl Digest {
    pub fn from_name(name: &str) -> Result<Digest> {
        Ok(match name {
            "sha1" => Digest::Sha1,
            "sha224" => Digest::Sha224,
            "sha256" => Digest::Sha256,
            "sha384" => Digest::Sha384,
            "sha512" => Digest::Sha512,
            "md5" => Digest::Md5,
            other => {
                return Err(SigningError::Unsupported(format!(
                    "unsupported digest {other:?}"
                )))
            }
        })
    }

    /// The plain digest of the concatenation of `parts`.
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        macro_rules! run {
            ($d:ty) => {{
                let mut d = <$d as sha2::Digest>::new();
                for p in parts {
                    sha2::Digest::update(&mut d, p);
                }
                sha2::Digest::finalize(d).to_vec()
            }};
        }
        match self {
            Digest::Sha1 => run!(sha1::Sha1),
            Digest::Sha224 => run!(sha2::Sha224),
            Digest::Sha256 => run!(sha2::Sha256),
            Digest::Sha384 => run!(sha2::Sha384),
            Digest::Sha512 => run!(sha2::Sha512),
            Digest::Md5 => run!(md5::Md5),
        }
    }

    /// HMAC of the concatenation of `parts` under `key`.
    pub fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        macro_rules! run {
            ($d:ty) => {{
                match <Hmac<$d> as KeyInit>::new_from_slice(key) {
                    Ok(mut mac) => {
                        for p in parts {
                            mac.update(p);
                        }
                        mac.finalize().into_bytes().to_vec()
                    }
                    Err(_) => Vec::new(), // ok: unreachable, HMAC takes keys of any length
                }
            }};
        }
        match self {
            Digest::Sha1 => run!(sha1::Sha1),
            Digest::Sha224 => run!(sha2::Sha224),
            Digest::Sha256 => run!(sha2::Sha256),
            Digest::Sha384 => run!(sha2::Sha384),
            Digest::Sha512 => run!(sha2::Sha512),
            Digest::Md5 => run!(md5::Md5),
        }
    }
}

/// An HMAC already keyed: the inner and outer pads are hashed once, and each
/// signature clones that state instead of re-keying.
#[derive(Clone)]
pub enum KeyedMac {
    Sha1(Hmac<sha1::Sha1>),
    Sha224(Hmac<sha2::Sha224>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
    Md5(Hmac<md5::Md5>),
}

impl KeyedMac {
    pub fn new(digest: Digest, key: &[u8]) -> Option<KeyedMac> {
        Some(match digest {
            Digest::Sha1 => {
                KeyedMac::Sha1(<Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).ok()?)
            }
            Digest::Sha224 => {
                KeyedMac::Sha224(<Hmac<sha2::Sha224> as KeyInit>::new_from_slice(key).ok()?)
            }
            Digest::Sha256 => {
                KeyedMac::Sha256(<Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).ok()?)
            }
            Digest::Sha384 => {
                KeyedMac::Sha384(<Hmac<sha2::Sha384> as KeyInit>::new_from_slice(key).ok()?)
            }
            Digest::Sha512 => {
                KeyedMac::Sha512(<Hmac<sha2::Sha512> as KeyInit>::new_from_slice(key).ok()?)
            }
            Digest::Md5 => KeyedMac::Md5(<Hmac<md5::Md5> as KeyInit>::new_from_slice(key).ok()?),
        })
    }

    pub fn sign(&self, value: &[u8]) -> Tag {
        macro_rules! run {
            ($m:expr) => {{
                let mut m = $m.clone();
                m.update(value);
                Tag::new(&m.finalize().into_bytes())
            }};
        }
        match self {
            KeyedMac::Sha1(m) => run!(m),
            KeyedMac::Sha224(m) => run!(m),
            KeyedMac::Sha256(m) => run!(m),
            KeyedMac::Sha384(m) => run!(m),
            KeyedMac::Sha512(m) => run!(m),
            KeyedMac::Md5(m) => run!(m),
        }
    }

    /// Does `sig` sign `value`? Constant time.
    pub fn verify(&self, value: &[u8], sig: &[u8]) -> bool {
        crate::ct::eq(&self.sign(value), sig)
    }
}

/// An HMAC output on the stack (at most SHA-512's 64 bytes): a signature per
/// token should not cost an allocation.
#[derive(Clone, Copy)]
pub struct Tag {
    bytes: [u8; Tag::MAX],
    len: usize,
}

impl Tag {
    pub const MAX: usize = 64;

    fn new(out: &[u8]) -> Tag {
        let mut bytes = [0u8; Tag::MAX];
        let len = out.len().min(Tag::MAX); // every digest here is <= 64 bytes
        bytes[..len].copy_from_slice(&out[..len]);
        Tag { bytes, len }
    }
}

impl std::ops::Deref for Tag {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// itsdangerous's `key_derivation` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDerivation {
    Concat,
    DjangoConcat,
    Hmac,
    None,
}

impl KeyDerivation {
    pub fn from_name(name: &str) -> Result<KeyDerivation> {
        Ok(match name {
            "concat" => KeyDerivation::Concat,
            "django-concat" => KeyDerivation::DjangoConcat,
            "hmac" => KeyDerivation::Hmac,
            "none" => KeyDerivation::None,
            _ => {
                return Err(SigningError::Unsupported(
                    "Unknown key derivation method".into(),
                ))
            }
        })
    }
}

/// The signing key itsdangerous derives from `secret` and `salt`.
pub fn derive_key(
    digest: Digest,
    derivation: KeyDerivation,
    secret: &[u8],
    salt: &[u8],
) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(match derivation {
        KeyDerivation::Concat => digest.hash(&[salt, secret]),
        KeyDerivation::DjangoConcat => digest.hash(&[salt, b"signer", secret]),
        KeyDerivation::Hmac => digest.hmac(secret, &[salt]),
        KeyDerivation::None => secret.to_vec(),
    })
}

/// The raw HMAC signature of `value` under an already derived key.
pub fn signature(digest: Digest, key: &[u8], value: &[u8]) -> Vec<u8> {
    digest.hmac(key, &[value])
}

/// Does `sig` (raw bytes) sign `value` under any of `keys`? Constant time per key.
pub fn verify_any(digest: Digest, keys: &[Zeroizing<Vec<u8>>], value: &[u8], sig: &[u8]) -> bool {
    let mut ok = false;
    for key in keys {
        ok |= crate::ct::eq(&signature(digest, key, value), sig);
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::b64::urlsafe_encode;

    #[test]
    fn itsdangerous_signer_vectors() {
        // Recorded from itsdangerous 2.2.0 (shared/vectors/signing.json).
        let cases = [
            (KeyDerivation::Concat, "cDjete3t8elcz--gYkiMY69YpgI"),
            (KeyDerivation::DjangoConcat, "GIG_I5genEs4rf1bcDRWLO8Yso4"),
            (KeyDerivation::Hmac, "ALZU3ey00YNgkgxl633Xs8VG_Eo"),
            (KeyDerivation::None, "J5rb-6R5G3Md2aC4ofFuty27aR0"),
        ];
        for (kd, want) in cases {
            let key = derive_key(Digest::Sha1, kd, b"secret-key", b"itsdangerous.Signer");
            let sig = signature(Digest::Sha1, &key, b"hello");
            assert_eq!(urlsafe_encode(&sig), want, "{kd:?}");
            assert!(verify_any(Digest::Sha1, &[key], b"hello", &sig));
        }
    }

    #[test]
    fn digest_lengths() {
        for (name, len) in [
            ("sha1", 20),
            ("sha224", 28),
            ("sha256", 32),
            ("sha384", 48),
            ("sha512", 64),
            ("md5", 16),
        ] {
            let d = Digest::from_name(name).unwrap();
            assert_eq!(d.hash(&[b"x"]).len(), len);
            assert_eq!(d.hmac(b"k", &[b"x"]).len(), len);
        }
        assert!(Digest::from_name("sha3").is_err());
        assert!(KeyDerivation::from_name("bogus").is_err());
    }
}
