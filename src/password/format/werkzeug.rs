//! werkzeug.security: `pbkdf2:sha256:1000000$salt$hex` and `scrypt:32768:8:1$salt$hex`.
//!
//! werkzeug splits at the first two '$', hashes with the salt text as UTF-8,
//! and compares lowercase hex strings: a hash part that is not lowercase hex
//! of the right length can never match, so it is kept as an empty digest.

use super::number;
use crate::password::b64;
use crate::password::error::{PasswordError, Result};
use crate::password::hash::{PasswordHash, Scheme, Variant};
use crate::password::kdf::Kdf;
use crate::password::pbkdf2::Digest;

/// werkzeug 3.1's defaults for a method given without parameters.
pub mod defaults {
    pub const PBKDF2_ITERATIONS: u32 = 1_000_000;
    pub const SCRYPT: (u64, u32, u32) = (1 << 15, 8, 1);
}

pub fn parse(stored: &str) -> Result<PasswordHash> {
    let mut parts = stored.splitn(3, '$');
    let (Some(method), Some(salt), Some(hex)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(PasswordError::Malformed(
            "werkzeug hash must be method$salt$hash".into(),
        ));
    };
    let (scheme, kdf) = parse_method(method)?;
    let digest = b64::unhex_lower(hex).unwrap_or_default();
    Ok(PasswordHash {
        scheme,
        kdf,
        variant: Variant::Plain,
        salt: salt.as_bytes().to_vec(),
        digest,
        canonical: true,
    })
}

/// A werkzeug method string: `pbkdf2[:hash[:iterations]]` or `scrypt[:n:r:p]`.
pub fn parse_method(method: &str) -> Result<(Scheme, Kdf)> {
    let mut args = method.split(':');
    let name = args.next().unwrap_or_default(); // ok: split yields at least one item
    let args: Vec<&str> = args.collect();
    match name {
        "scrypt" => {
            let (n, r, p) = match args.as_slice() {
                [] => defaults::SCRYPT,
                [n, r, p] => (
                    number(n, "scrypt n")?,
                    number(r, "scrypt r")?,
                    number(p, "scrypt p")?,
                ),
                _ => {
                    return Err(PasswordError::InvalidParameter(
                        "'scrypt' takes 3 arguments.".into(),
                    ))
                }
            };
            Ok((Scheme::WerkzeugScrypt, Kdf::Scrypt { n, r, p }))
        }
        "pbkdf2" => {
            let (hash_name, iterations) = match args.as_slice() {
                [] => ("sha256", defaults::PBKDF2_ITERATIONS),
                [hash_name] => (*hash_name, defaults::PBKDF2_ITERATIONS),
                [hash_name, iterations] => (*hash_name, number(iterations, "pbkdf2 iterations")?),
                _ => {
                    return Err(PasswordError::InvalidParameter(
                        "'pbkdf2' takes 2 arguments.".into(),
                    ))
                }
            };
            let digest = Digest::from_name(hash_name).ok_or_else(|| {
                PasswordError::Unsupported(format!("unsupported hash type {hash_name}"))
            })?;
            Ok((Scheme::WerkzeugPbkdf2, Kdf::Pbkdf2 { digest, iterations }))
        }
        _ => Err(PasswordError::InvalidParameter(format!(
            "Invalid hash method '{name}'."
        ))),
    }
}

pub fn render(hash: &PasswordHash) -> String {
    let method = match hash.kdf {
        Kdf::Pbkdf2 { digest, iterations } => format!("pbkdf2:{}:{iterations}", digest.name()),
        Kdf::Scrypt { n, r, p } => format!("scrypt:{n}:{r}:{p}"),
        _ => return String::new(),
    };
    format!(
        "{method}${}${}",
        String::from_utf8_lossy(&hash.salt),
        b64::hex(&hash.digest)
    )
}
