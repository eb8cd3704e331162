//! passlib / libpass encodings: `$pbkdf2-sha256$`, `$bcrypt-sha256$`, and sha-crypt `$5$`/`$6$`.

use super::{fields, number};
use crate::password::b64::{self, AB64, BCRYPT64};
use crate::password::error::{malformed, Result};
use crate::password::hash::{PasswordHash, Scheme, Variant};
use crate::password::kdf::Kdf;
use crate::password::pbkdf2::Digest;

/// `$pbkdf2-sha256$29000$<ab64 salt>$<ab64 hash>`; `$pbkdf2$` is SHA-1.
pub fn parse_pbkdf2(stored: &str) -> Result<PasswordHash> {
    let [_, id, rounds, salt, digest] = fields::<5>(stored, "passlib pbkdf2 hash")?;
    let digest_kind = match id {
        "pbkdf2" => Digest::Sha1,
        "pbkdf2-sha256" => Digest::Sha256,
        _ => Digest::Sha512,
    };
    let kdf = Kdf::Pbkdf2 {
        digest: digest_kind,
        iterations: number(rounds, "pbkdf2 rounds")?,
    };
    let salt =
        b64::decode(&AB64, salt).ok_or_else(|| malformed("pbkdf2 salt is not valid ab64"))?;
    let digest =
        b64::decode(&AB64, digest).ok_or_else(|| malformed("pbkdf2 hash is not valid ab64"))?;
    if digest.is_empty() {
        return Err(malformed("pbkdf2 hash is empty"));
    }
    Ok(PasswordHash {
        scheme: Scheme::PasslibPbkdf2,
        kdf,
        variant: Variant::Plain,
        salt,
        digest,
        canonical: true,
    })
}

pub fn render_pbkdf2(hash: &PasswordHash) -> String {
    let Kdf::Pbkdf2 { digest, iterations } = hash.kdf else {
        return String::new();
    };
    let id = match digest {
        Digest::Sha1 => "pbkdf2",
        Digest::Sha512 => "pbkdf2-sha512",
        _ => "pbkdf2-sha256",
    };
    format!(
        "${id}${iterations}${}${}",
        b64::encode(&AB64, &hash.salt),
        b64::encode(&AB64, &hash.digest)
    )
}

/// `$bcrypt-sha256$v=2,t=2b,r=12$<salt>$<hash>` (v2) or `$bcrypt-sha256$2b,12$<salt>$<hash>` (v1).
pub fn parse_bcrypt_sha256(stored: &str) -> Result<PasswordHash> {
    let [_, _, params, salt, digest] = fields::<5>(stored, "bcrypt-sha256 hash")?;
    let (version, ident, rounds) = if let Some(v2) = params.strip_prefix("v=2,t=") {
        let (ident, rounds) = v2
            .split_once(",r=")
            .ok_or_else(|| malformed("bcrypt-sha256 parameters must be v=2,t=…,r=…"))?;
        (2, ident, rounds)
    } else {
        let (ident, rounds) = params
            .split_once(',')
            .ok_or_else(|| malformed("bcrypt-sha256 parameters must be <ident>,<rounds>"))?;
        (1, ident, rounds)
    };
    let prefix = match ident {
        "2a" => b'a',
        "2b" => b'b',
        _ => return Err(malformed("bcrypt-sha256 ident must be 2a or 2b")),
    };
    if salt.len() != 22 || digest.len() != 31 {
        return Err(malformed(
            "bcrypt-sha256 salt must be 22 characters and hash 31",
        ));
    }
    let salt_bytes = b64::decode(&BCRYPT64, salt)
        .ok_or_else(|| malformed("bcrypt-sha256 salt is not bcrypt base64"))?;
    let digest = b64::decode(&BCRYPT64, digest)
        .ok_or_else(|| malformed("bcrypt-sha256 hash is not bcrypt base64"))?;
    let mut hash = PasswordHash {
        scheme: Scheme::PasslibBcryptSha256,
        kdf: Kdf::Bcrypt {
            cost: number(rounds, "bcrypt-sha256 rounds")?,
        },
        variant: Variant::BcryptSha256 { version, prefix },
        salt: salt_bytes,
        digest,
        canonical: true,
    };
    // v2 keys its HMAC with the salt text; a salt with padding bits set would
    // key it differently from the canonical text we re-render.
    hash.canonical = b64::encode(&BCRYPT64, &hash.salt) == salt;
    Ok(hash)
}

pub fn render_bcrypt_sha256(hash: &PasswordHash) -> String {
    let (Kdf::Bcrypt { cost }, Variant::BcryptSha256 { version, prefix }) =
        (hash.kdf, hash.variant)
    else {
        return String::new();
    };
    let prefix = prefix as char;
    let params = if version == 1 {
        format!("2{prefix},{cost}")
    } else {
        format!("v=2,t=2{prefix},r={cost}")
    };
    format!(
        "$bcrypt-sha256${params}${}${}",
        b64::encode(&BCRYPT64, &hash.salt),
        b64::encode(&BCRYPT64, &hash.digest)
    )
}

/// `$6$rounds=656000$salt$checksum` and `$5$…`; rounds default to 5000.
pub fn parse_sha_crypt(stored: &str) -> Result<PasswordHash> {
    let parts: Vec<&str> = stored.split('$').collect();
    let (id, rounds, explicit, salt, checksum) = match parts.as_slice() {
        ["", id, rounds, salt, checksum] if rounds.starts_with("rounds=") => (
            *id,
            number(&rounds[7..], "sha-crypt rounds")?,
            true,
            *salt,
            *checksum,
        ),
        ["", id, salt, checksum] => (*id, 5000, false, *salt, *checksum),
        _ => {
            return Err(malformed(
                "sha-crypt hash must look like $6$rounds=N$salt$checksum",
            ))
        }
    };
    let sha512 = id == "6";
    let expected_len = if sha512 { 86 } else { 43 };
    if checksum.len() != expected_len || salt.len() > 16 || salt.contains(['\n', ':']) {
        return Err(malformed(
            "sha-crypt salt must be at most 16 characters and checksum the digest's length",
        ));
    }
    Ok(PasswordHash {
        scheme: Scheme::ShaCrypt,
        kdf: Kdf::ShaCrypt { sha512, rounds },
        variant: Variant::ExplicitRounds(explicit),
        salt: salt.as_bytes().to_vec(),
        digest: checksum.as_bytes().to_vec(),
        canonical: true,
    })
}

pub fn render_sha_crypt(hash: &PasswordHash) -> String {
    let Kdf::ShaCrypt { sha512, rounds } = hash.kdf else {
        return String::new();
    };
    let id = if sha512 { 6 } else { 5 };
    let rounds = match hash.variant {
        Variant::ExplicitRounds(false) => String::new(),
        _ => format!("rounds={rounds}$"),
    };
    format!(
        "${id}${rounds}{}${}",
        String::from_utf8_lossy(&hash.salt),
        String::from_utf8_lossy(&hash.digest)
    )
}
