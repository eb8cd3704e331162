//! The password core: parse, verify and create stored password hashes.

#[cfg(target_os = "linux")]
mod arena;
pub mod argon2;
pub mod b64;
pub mod census;
pub mod error;
pub mod format;
pub mod hash;
pub mod kdf;
pub mod limits;
pub mod pbkdf2;
pub mod spec;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

pub use error::{PasswordError, Result};
pub use hash::{PasswordHash, Scheme, Variant};
pub use spec::HashSpec;

/// Parse a stored hash, refusing oversized input before looking at it.
pub fn parse(stored: &str) -> Result<PasswordHash> {
    limits::check(
        "stored hash length",
        stored.len(),
        limits::current().max_input_len,
    )?;
    format::parse(stored)
}

/// Does `password` match `stored`? Errors for a hash we cannot read or run.
pub fn verify(password: &[u8], stored: &str) -> Result<bool> {
    let hash = parse(stored)?;
    verify_parsed(password, &hash)
}

pub fn verify_parsed(password: &[u8], hash: &PasswordHash) -> Result<bool> {
    let computed = compute(hash, password, hash.digest.len().max(1))?;
    Ok(hash.canonical && !hash.digest.is_empty() && crate::ct::eq(&computed, &hash.digest))
}

/// Create a new stored hash of `password` under `spec`.
pub fn hash(password: &[u8], spec: &HashSpec, salt: Option<Vec<u8>>) -> Result<String> {
    let mut hash = spec.blank(salt)?;
    hash.digest = compute(&hash, password, spec.hash_len)?.to_vec();
    Ok(format::render(&hash))
}

/// Run the KDF over `password` (pre-hashed as the scheme requires) with the hash's salt.
fn compute(hash: &PasswordHash, password: &[u8], out_len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let limits = limits::current();
    limits::check("password length", password.len(), limits.max_input_len)?;
    let key = prehash(hash, password);
    hash.kdf.derive(&key, &hash.salt, out_len)
}

/// Schemes that feed bcrypt a digest of the password instead of the password.
fn prehash(hash: &PasswordHash, password: &[u8]) -> Zeroizing<Vec<u8>> {
    use base64::Engine;
    match (hash.scheme, hash.variant) {
        (Scheme::DjangoBcryptSha256, _) => {
            Zeroizing::new(b64::hex(&Sha256::digest(password)).into_bytes())
        }
        (Scheme::PasslibBcryptSha256, Variant::BcryptSha256 { version: 1, .. }) => Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .encode(Sha256::digest(password))
                .into_bytes(),
        ),
        (Scheme::PasslibBcryptSha256, _) => {
            let salt_text = b64::encode(&b64::BCRYPT64, &hash.salt);
            let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(salt_text.as_bytes()).unwrap(); // ok: HMAC takes keys of any length
            mac.update(password);
            Zeroizing::new(
                base64::engine::general_purpose::STANDARD
                    .encode(mac.finalize().into_bytes())
                    .into_bytes(),
            )
        }
        _ => Zeroizing::new(password.to_vec()),
    }
}

/// The scheme name and numeric parameters of a parsed hash, as `identify` reports them.
pub fn describe(hash: &PasswordHash) -> (String, Vec<(&'static str, spec::Param)>) {
    spec::describe(hash)
}

/// Would `spec` write this hash differently (another scheme or other parameters)?
pub fn needs_rehash(hash: &PasswordHash, spec: &HashSpec) -> bool {
    describe(hash) != spec.describe()
}

#[cfg(test)]
mod timing_tests;
