//! Django's `PASSWORD_HASHERS` encodings: `<algorithm>$<fields…>`.
//!
//! Django verifies by re-encoding and comparing whole strings, so a stored
//! string that Django would not write (e.g. `pbkdf2_sha256$01000$…`) never
//! verifies; `canonical` records that.

use super::{bcrypt, fields, number, phc};
use crate::password::b64::{self, STANDARD_PADDED};
use crate::password::error::{malformed, Result};
use crate::password::hash::{PasswordHash, Scheme, Variant};
use crate::password::kdf::Kdf;
use crate::password::pbkdf2::Digest;

fn finish(mut hash: PasswordHash, stored: &str) -> PasswordHash {
    hash.canonical = super::render(&hash) == stored;
    hash
}

/// A hash whose salt is stored as typed text (Django hashes the salt's UTF-8).
fn text_salted(
    scheme: Scheme,
    kdf: Kdf,
    salt: &str,
    digest: Vec<u8>,
    stored: &str,
) -> PasswordHash {
    let hash = PasswordHash {
        scheme,
        kdf,
        variant: Variant::Plain,
        salt: salt.as_bytes().to_vec(),
        digest,
        canonical: true,
    };
    finish(hash, stored)
}

/// `pbkdf2_sha256$1500000$salt$base64` and `pbkdf2_sha1$…`.
pub fn parse_pbkdf2(stored: &str) -> Result<PasswordHash> {
    let [algorithm, iterations, salt, digest] = fields::<4>(stored, "Django pbkdf2 hash")?;
    let digest_kind = if algorithm == "pbkdf2_sha1" {
        Digest::Sha1
    } else {
        Digest::Sha256
    };
    let kdf = Kdf::Pbkdf2 {
        digest: digest_kind,
        iterations: number(iterations, "pbkdf2 iterations")?,
    };
    let digest = b64::decode(&STANDARD_PADDED, digest).unwrap_or_default();
    Ok(text_salted(Scheme::DjangoPbkdf2, kdf, salt, digest, stored))
}

pub fn render_pbkdf2(hash: &PasswordHash) -> String {
    let Kdf::Pbkdf2 { digest, iterations } = hash.kdf else {
        return String::new();
    };
    let algorithm = if digest == Digest::Sha1 {
        "pbkdf2_sha1"
    } else {
        "pbkdf2_sha256"
    };
    format!(
        "{algorithm}${iterations}${}${}",
        String::from_utf8_lossy(&hash.salt),
        b64::encode(&STANDARD_PADDED, &hash.digest)
    )
}

/// `argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash`: Django prefixes argon2-cffi's string.
pub fn parse_argon2(stored: &str) -> Result<PasswordHash> {
    phc::parse_argon2(&stored["argon2".len()..], Scheme::DjangoArgon2)
}

pub fn render_argon2(hash: &PasswordHash) -> String {
    format!("argon2{}", phc::render_argon2(hash))
}

/// `bcrypt_sha256$$2b$12$…` and `bcrypt$$2b$12$…`.
pub fn parse_bcrypt(stored: &str, scheme: Scheme) -> Result<PasswordHash> {
    let (_, modular) = stored
        .split_once('$')
        .ok_or_else(|| malformed("Django bcrypt hash must be algorithm$bcrypt-hash"))?;
    let hash = bcrypt::parse(modular, scheme)?;
    Ok(finish(hash, stored))
}

pub fn render_bcrypt(hash: &PasswordHash) -> String {
    let algorithm = if hash.scheme == Scheme::DjangoBcryptSha256 {
        "bcrypt_sha256"
    } else {
        "bcrypt"
    };
    format!("{algorithm}${}", bcrypt::render_modular(hash))
}

/// `scrypt$16384$salt$8$5$base64`, with a 64-byte key.
pub fn parse_scrypt(stored: &str) -> Result<PasswordHash> {
    let [_, n, salt, r, p, digest] = fields::<6>(stored, "Django scrypt hash")?;
    let kdf = Kdf::Scrypt {
        n: number(n, "scrypt n")?,
        r: number(r, "scrypt r")?,
        p: number(p, "scrypt p")?,
    };
    let digest = b64::decode(&STANDARD_PADDED, digest).unwrap_or_default();
    Ok(text_salted(Scheme::DjangoScrypt, kdf, salt, digest, stored))
}

pub fn render_scrypt(hash: &PasswordHash) -> String {
    let Kdf::Scrypt { n, r, p } = hash.kdf else {
        return String::new();
    };
    format!(
        "scrypt${n}${}${r}${p}${}",
        String::from_utf8_lossy(&hash.salt),
        b64::encode(&STANDARD_PADDED, &hash.digest)
    )
}

/// `md5$salt$hex`: md5(salt + password).
pub fn parse_md5(stored: &str) -> Result<PasswordHash> {
    let [_, salt, digest] = fields::<3>(stored, "Django md5 hash")?;
    let digest = b64::unhex_lower(digest).unwrap_or_default();
    Ok(text_salted(
        Scheme::DjangoMd5,
        Kdf::SaltedMd5,
        salt,
        digest,
        stored,
    ))
}

pub fn render_md5(hash: &PasswordHash) -> String {
    format!(
        "md5${}${}",
        String::from_utf8_lossy(&hash.salt),
        b64::hex(&hash.digest)
    )
}
