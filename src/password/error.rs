//! Errors of the password core. Each maps to one Python exception in the binding.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordError {
    /// The stored string is not a hash in any format we read, or is damaged.
    Malformed(String),
    /// A well-formed hash whose algorithm or variant we do not implement.
    Unsupported(String),
    /// A parameter outside what the algorithm allows (e.g. scrypt n not a power of 2).
    InvalidParameter(String),
    /// A parameter the algorithm allows but the configured limits refuse.
    LimitExceeded(String),
    /// bcrypt refuses passwords over 72 bytes instead of truncating them.
    PasswordTooLong,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(m)
            | Self::Unsupported(m)
            | Self::InvalidParameter(m)
            | Self::LimitExceeded(m) => f.write_str(m),
            Self::PasswordTooLong => f.write_str(
                "password cannot be longer than 72 bytes, truncate manually if necessary (e.g. my_password[:72])",
            ),
        }
    }
}

impl std::error::Error for PasswordError {}

pub type Result<T> = std::result::Result<T, PasswordError>;

pub(crate) fn malformed(what: &str) -> PasswordError {
    PasswordError::Malformed(what.to_string())
}
