//! Asymmetric keys for RS*/PS*/ES256/ES384/EdDSA (Ed25519), parsed once.
//!
//! `jsonwebtoken::crypto::sign` builds its aws-lc-rs signer from DER on every call
//! (re-parsing and re-validating the private key), and `jsonwebtoken::crypto::verify`
//! re-parses the public key on every call (about a fifth of an RS256 verify). So
//! both hold the parsed aws-lc-rs keys themselves, with the same aws-lc-rs
//! algorithms jsonwebtoken's `aws_lc_rs` backend uses.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, ParsedPublicKey, RsaKeyPair,
};
use jsonwebtoken::Algorithm;

use super::JwtError;

enum Signer {
    Rsa(RsaKeyPair, &'static dyn signature::RsaEncoding),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A parsed key bound to one algorithm.
pub struct AsymKey {
    alg: Algorithm,
    signer: Option<Signer>,
    /// `None` for public key material aws-lc-rs refuses: nothing verifies under it.
    verifier: Option<ParsedPublicKey>,
}

fn algorithm(name: &str) -> Result<Algorithm, JwtError> {
    Ok(match name {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" => Algorithm::EdDSA,
        other => return Err(JwtError::UnsupportedAlgorithm(other.to_owned())),
    })
}

fn rsa_encoding(alg: Algorithm) -> &'static dyn signature::RsaEncoding {
    match alg {
        Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &signature::RSA_PSS_SHA256,
        Algorithm::PS384 => &signature::RSA_PSS_SHA384,
        Algorithm::PS512 => &signature::RSA_PSS_SHA512,
        _ => &signature::RSA_PKCS1_SHA256,
    }
}

/// The aws-lc-rs verification algorithm jsonwebtoken's `aws_lc_rs` backend uses for `alg`.
fn verification(alg: Algorithm) -> &'static dyn signature::VerificationAlgorithm {
    match alg {
        Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
        Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
        Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED,
        Algorithm::EdDSA => &signature::ED25519,
        _ => &signature::RSA_PKCS1_2048_8192_SHA256,
    }
}

fn parse_public(alg: Algorithm, material: &[u8]) -> Option<ParsedPublicKey> {
    ParsedPublicKey::new(verification(alg), material).ok()
}

fn rejected(what: &str) -> impl Fn(aws_lc_rs::error::KeyRejected) -> JwtError + '_ {
    move |e| JwtError::InvalidKey(format!("{what}: {e}"))
}

impl AsymKey {
    /// Parse a key for the JWS algorithm `alg_name`.
    ///
    /// Private keys: RSA as PKCS#1 DER, EC and Ed25519 as PKCS#8 DER.
    /// Public keys: RSA as PKCS#1 DER, EC as an uncompressed SEC1 point, Ed25519 raw.
    pub fn new(alg_name: &str, material: &[u8], private: bool) -> Result<Self, JwtError> {
        let alg = algorithm(alg_name)?;
        let rsa = matches!(
            alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
        );
        if !private {
            return Ok(AsymKey {
                alg,
                signer: None,
                verifier: parse_public(alg, material),
            });
        }
        let signer = if rsa {
            let pair = RsaKeyPair::from_der(material).map_err(rejected("RSA private key"))?;
            Signer::Rsa(pair, rsa_encoding(alg))
        } else if alg == Algorithm::EdDSA {
            Signer::Ed(Ed25519KeyPair::from_pkcs8(material).map_err(rejected("Ed25519 key"))?)
        } else {
            let curve = if alg == Algorithm::ES256 {
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING
            } else {
                &signature::ECDSA_P384_SHA384_FIXED_SIGNING
            };
            Signer::Ec(EcdsaKeyPair::from_pkcs8(curve, material).map_err(rejected("EC key"))?)
        };
        let public = match &signer {
            Signer::Rsa(pair, _) => pair.public_key().as_ref().to_vec(),
            Signer::Ec(pair) => pair.public_key().as_ref().to_vec(),
            Signer::Ed(pair) => pair.public_key().as_ref().to_vec(),
        };
        Ok(AsymKey {
            alg,
            verifier: parse_public(alg, &public),
            signer: Some(signer),
        })
    }

    /// Whether this is an RS*/PS* key.
    pub fn is_rsa(&self) -> bool {
        matches!(
            self.alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
        )
    }

    /// Whether this is a private key.
    pub fn can_sign(&self) -> bool {
        self.signer.is_some()
    }

    /// The JWS signature of `msg` (raw `r || s` for ECDSA).
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, JwtError> {
        let rng = SystemRandom::new();
        let failed = |_| JwtError::Crypto("signing failed".into());
        match &self.signer {
            None => Err(JwtError::InvalidKey("a public key cannot sign".into())),
            Some(Signer::Rsa(pair, encoding)) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(*encoding, &rng, msg, &mut sig).map_err(failed)?;
                Ok(sig)
            }
            Some(Signer::Ec(pair)) => Ok(pair.sign(&rng, msg).map_err(failed)?.as_ref().to_vec()),
            Some(Signer::Ed(pair)) => Ok(pair.sign(msg).as_ref().to_vec()),
        }
    }

    /// Whether `sig` is a valid signature of `msg` under this key.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        self.verifier
            .as_ref()
            .is_some_and(|key| key.verify_sig(msg, sig).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair};

    #[test]
    fn ed25519_and_es256_roundtrip_and_reject_tampering() {
        let rng = SystemRandom::new();
        let ed = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let key = AsymKey::new("EdDSA", ed.as_ref(), true).unwrap();
        let sig = key.sign(b"payload").unwrap();
        assert!(key.verify(b"payload", &sig));
        assert!(!key.verify(b"payloaD", &sig));
        let public = Ed25519KeyPair::from_pkcs8(ed.as_ref()).unwrap();
        let pubkey = AsymKey::new("EdDSA", public.public_key().as_ref(), false).unwrap();
        assert!(pubkey.verify(b"payload", &sig));
        assert!(pubkey.sign(b"x").is_err());

        let doc = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
        let es = AsymKey::new("ES256", doc.as_ref(), true).unwrap();
        let sig = es.sign(b"m").unwrap();
        assert_eq!(sig.len(), 64);
        assert!(es.verify(b"m", &sig));
        assert!(!es.verify(b"m", &sig[..63]));
    }

    /// The hardware floor for RS256 on this machine, through aws-lc-rs alone:
    /// `cargo test --release --lib rs256_floor -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check: run by hand"]
    fn rs256_floor() {
        use aws_lc_rs::encoding::AsDer;
        use aws_lc_rs::rsa::KeySize;
        use std::time::Instant;
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = pair.as_der().unwrap();
        let pair = RsaKeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let public = pair.public_key().as_ref().to_vec();
        let key = AsymKey::new("RS256", &public, false).unwrap();
        let rng = SystemRandom::new();
        let msg = [b'x'; 240];
        let mut sig = vec![0u8; pair.public_modulus_len()];
        let best = |n: u32, f: &mut dyn FnMut()| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    for _ in 0..n {
                        f();
                    }
                    t.elapsed().as_secs_f64() / f64::from(n) * 1e6
                })
                .fold(f64::INFINITY, f64::min)
        };
        let sign = best(200, &mut || {
            pair.sign(&signature::RSA_PKCS1_SHA256, &rng, &msg, &mut sig)
                .unwrap();
        });
        let verify = best(4000, &mut || assert!(key.verify(&msg, &sig)));
        println!("aws-lc-rs RSA-2048: sign {sign:.1} us, verify (parsed key) {verify:.1} us");
    }

    #[test]
    fn bad_material_is_an_error_not_a_panic() {
        assert!(AsymKey::new("RS256", b"not a key", true).is_err());
        assert!(AsymKey::new("ES256", b"", true).is_err());
        assert!(AsymKey::new("HS256", b"x", true).is_err());
        let junk = AsymKey::new("RS256", b"junk", false).unwrap();
        assert!(!junk.verify(b"m", b"sig"));
    }
}
