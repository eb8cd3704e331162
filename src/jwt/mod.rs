//! The JWT core (its JSON text comes from [`crate::pyjson`]): HMAC signing and
//! verification, and asymmetric keys parsed once for RS*/PS*/ES256/ES384/EdDSA
//! (signing on aws-lc-rs key pairs, verification through `jsonwebtoken`'s
//! aws-lc-rs provider). No Python types here.

pub mod b64;
pub mod hmac;
pub mod keys;
pub mod parse;
pub mod token;

use std::fmt;

/// Errors of the JWT core. The binding maps them to PyJWT's exception types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// The key material cannot be used for the algorithm.
    InvalidKey(String),
    /// The algorithm name is not one the core implements.
    UnsupportedAlgorithm(String),
    /// Signing failed inside the crypto backend.
    Crypto(String),
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::InvalidKey(m) => write!(f, "invalid key: {m}"),
            JwtError::UnsupportedAlgorithm(a) => {
                write!(f, "algorithm {a} is not implemented in the core")
            }
            JwtError::Crypto(m) => write!(f, "crypto backend error: {m}"),
        }
    }
}

impl std::error::Error for JwtError {}

#[cfg(test)]
mod supply_chain_tests {
    /// Package names in a Cargo.lock (every package of every feature and target).
    fn locked(lock: &str) -> Vec<&str> {
        lock.lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .collect()
    }

    #[test]
    fn rsa_crate_is_not_in_the_dependency_graph() {
        // jsonwebtoken's rust_crypto backend pulls the `rsa` crate, which has an
        // unfixed timing advisory (RUSTSEC-2023-0071, Marvin); the core must stay
        // on the aws_lc_rs backend. Cargo.lock lists every package any feature
        // or target could build, so this covers the `python` feature too.
        for (file, lock) in [
            ("Cargo.lock", include_str!("../../Cargo.lock")),
            ("fuzz/Cargo.lock", include_str!("../../fuzz/Cargo.lock")),
        ] {
            let names = locked(lock);
            assert!(names.contains(&"jsonwebtoken"), "{file} was not parsed");
            assert!(names.contains(&"aws-lc-rs"), "{file}: not on aws-lc-rs");
            assert!(
                !names.contains(&"rsa"),
                "{file}: the rsa crate is a dependency"
            );
        }
    }
}
