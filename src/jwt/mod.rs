//! The JWT core: byte-exact `json.dumps` output pieces, HMAC signing and
//! verification, and asymmetric keys parsed once for RS*/PS*/ES256/ES384/EdDSA
//! (signing on aws-lc-rs key pairs, verification through `jsonwebtoken`'s
//! aws-lc-rs provider). No Python types here.

pub mod b64;
pub mod hmac;
pub mod json;
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
