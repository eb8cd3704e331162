//! Errors of the signing core. The Python adapters map each to the peer's
//! exception (itsdangerous `BadData`/`BadSignature`/..., or an empty session).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigningError {
    /// Input is not valid base64 (message as `binascii.Error` words it).
    Base64(String),
    /// The separator is missing, or a timestamp cannot be read.
    Malformed(String),
    /// No key produced this signature.
    BadSignature(String),
    /// The payload could not be decompressed.
    Decompress(String),
    /// A size or depth bound was exceeded.
    LimitExceeded(String),
    /// An unknown digest or key derivation name.
    Unsupported(String),
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::Base64(m)
            | SigningError::Malformed(m)
            | SigningError::BadSignature(m)
            | SigningError::Decompress(m)
            | SigningError::LimitExceeded(m)
            | SigningError::Unsupported(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for SigningError {}

pub type Result<T> = std::result::Result<T, SigningError>;
