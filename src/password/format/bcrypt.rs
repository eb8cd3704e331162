//! Modular-crypt bcrypt, `$2b$12$<22 salt chars><31 hash chars>`, as pyca/bcrypt reads it.

use crate::password::b64::{self, BCRYPT64};
use crate::password::error::{malformed, Result};
use crate::password::hash::{PasswordHash, Scheme, Variant};
use crate::password::kdf::Kdf;

pub fn parse(stored: &str, scheme: Scheme) -> Result<PasswordHash> {
    let bytes = stored.as_bytes();
    if bytes.len() != 60
        || !stored.is_ascii()
        || bytes[0] != b'$'
        || bytes[3] != b'$'
        || bytes[6] != b'$'
    {
        return Err(malformed(
            "bcrypt hash must be 60 characters: $2b$<cost>$<53 characters>",
        ));
    }
    let prefix = bytes[2];
    if bytes[1] != b'2' || !matches!(prefix, b'a' | b'b' | b'x' | b'y') {
        return Err(malformed(
            "bcrypt hash prefix must be $2a$, $2b$, $2x$ or $2y$",
        ));
    }
    let cost = super::number(&stored[4..6], "bcrypt cost")?;
    let salt = b64::decode(&BCRYPT64, &stored[7..29])
        .ok_or_else(|| malformed("bcrypt salt is not valid bcrypt base64"))?;
    let digest = b64::decode(&BCRYPT64, &stored[29..])
        .ok_or_else(|| malformed("bcrypt hash is not valid bcrypt base64"))?;
    let mut hash = PasswordHash {
        scheme,
        kdf: Kdf::Bcrypt { cost },
        variant: Variant::BcryptPrefix(prefix),
        salt,
        digest,
        canonical: true,
    };
    // pyca/bcrypt compares its own rendering with the stored string.
    hash.canonical = render_modular(&hash) == stored;
    Ok(hash)
}

/// The `$2b$…` form alone, also embedded in Django's `bcrypt$` strings.
pub fn render_modular(hash: &PasswordHash) -> String {
    let prefix = match hash.variant {
        Variant::BcryptPrefix(p) | Variant::BcryptSha256 { prefix: p, .. } => p as char,
        _ => 'b',
    };
    let Kdf::Bcrypt { cost } = hash.kdf else {
        return String::new();
    };
    format!(
        "$2{prefix}${cost:02}${}{}",
        b64::encode(&BCRYPT64, &hash.salt),
        b64::encode(&BCRYPT64, &hash.digest)
    )
}

pub fn render(hash: &PasswordHash) -> String {
    render_modular(hash)
}
