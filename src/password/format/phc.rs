//! PHC strings: argon2 as libargon2 writes it, and passlib's `$scrypt$`.

use super::{fields, number};
use crate::password::b64::{self, PHC};
use crate::password::error::{malformed, Result};
use crate::password::hash::{PasswordHash, Scheme, Variant};
use crate::password::kdf::{Argon2Variant, Kdf, ARGON2_V10};

/// `$argon2id$v=19$m=65536,t=3,p=4$salt$hash`; a string without `v=` is version 0x10.
pub fn parse_argon2(stored: &str, scheme: Scheme) -> Result<PasswordHash> {
    let parts: Vec<&str> = stored.split('$').collect();
    let (id, version, params, salt, digest) = match parts.as_slice() {
        ["", id, v, params, salt, digest] => {
            let version = v
                .strip_prefix("v=")
                .ok_or_else(|| malformed("argon2 hash: expected 'v=' after the variant"))?;
            (
                *id,
                number(version, "argon2 version")?,
                *params,
                *salt,
                *digest,
            )
        }
        ["", id, params, salt, digest] => (*id, ARGON2_V10, *params, *salt, *digest),
        _ => {
            return Err(malformed(
                "argon2 hash must look like $argon2id$v=19$m=…,t=…,p=…$salt$hash",
            ))
        }
    };
    let variant =
        Argon2Variant::from_name(id).ok_or_else(|| malformed("unknown argon2 variant"))?;
    let [m, t, p] = key_values(params, ["m", "t", "p"], "argon2 parameters")?;
    let kdf = Kdf::Argon2 {
        variant,
        version,
        memory_cost: number(m, "argon2 memory_cost")?,
        time_cost: number(t, "argon2 time_cost")?,
        parallelism: number(p, "argon2 parallelism")?,
    };
    let salt =
        b64::decode(&PHC, salt).ok_or_else(|| malformed("argon2 salt is not valid base64"))?;
    let digest =
        b64::decode(&PHC, digest).ok_or_else(|| malformed("argon2 hash is not valid base64"))?;
    if salt.len() < 8 {
        return Err(malformed("argon2 salt is shorter than 8 bytes"));
    }
    if digest.len() < 4 {
        return Err(malformed("argon2 hash is shorter than 4 bytes"));
    }
    Ok(PasswordHash {
        scheme,
        kdf,
        variant: Variant::Plain,
        salt,
        digest,
        canonical: true,
    })
}

pub fn render_argon2(hash: &PasswordHash) -> String {
    let Kdf::Argon2 {
        variant,
        version,
        memory_cost,
        time_cost,
        parallelism,
    } = hash.kdf
    else {
        return String::new();
    };
    format!(
        "${}$v={version}$m={memory_cost},t={time_cost},p={parallelism}${}${}",
        variant.name(),
        b64::encode(&PHC, &hash.salt),
        b64::encode(&PHC, &hash.digest)
    )
}

/// `$scrypt$ln=16,r=8,p=1$salt$hash` as passlib writes it.
pub fn parse_scrypt(stored: &str) -> Result<PasswordHash> {
    let [_, _, params, salt, digest] = fields::<5>(stored, "scrypt hash")?;
    let [ln, r, p] = key_values(params, ["ln", "r", "p"], "scrypt parameters")?;
    let ln: u32 = number(ln, "scrypt ln")?;
    if !(1..64).contains(&ln) {
        return Err(malformed("scrypt ln must be between 1 and 63"));
    }
    let kdf = Kdf::Scrypt {
        n: 1u64 << ln,
        r: number(r, "scrypt r")?,
        p: number(p, "scrypt p")?,
    };
    let salt =
        b64::decode(&PHC, salt).ok_or_else(|| malformed("scrypt salt is not valid base64"))?;
    let digest =
        b64::decode(&PHC, digest).ok_or_else(|| malformed("scrypt hash is not valid base64"))?;
    if digest.is_empty() {
        return Err(malformed("scrypt hash is empty"));
    }
    Ok(PasswordHash {
        scheme: Scheme::Scrypt,
        kdf,
        variant: Variant::Plain,
        salt,
        digest,
        canonical: true,
    })
}

pub fn render_scrypt(hash: &PasswordHash) -> String {
    let Kdf::Scrypt { n, r, p } = hash.kdf else {
        return String::new();
    };
    format!(
        "$scrypt$ln={},r={r},p={p}${}${}",
        n.trailing_zeros(),
        b64::encode(&PHC, &hash.salt),
        b64::encode(&PHC, &hash.digest)
    )
}

/// `k1=v1,k2=v2,…` with exactly these keys in this order, as libargon2 requires.
fn key_values<'a, const N: usize>(
    text: &'a str,
    keys: [&str; N],
    what: &str,
) -> Result<[&'a str; N]> {
    let pairs: Vec<&str> = text.split(',').collect();
    if pairs.len() != N {
        return Err(crate::password::error::PasswordError::Malformed(format!(
            "{what} must be {}",
            keys.map(|k| format!("{k}=…")).join(",")
        )));
    }
    let mut values = [""; N];
    for ((pair, key), value) in pairs.iter().zip(keys).zip(values.iter_mut()) {
        *value = pair
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix('='))
            .ok_or_else(|| {
                crate::password::error::PasswordError::Malformed(format!(
                    "{what}: expected '{key}='"
                ))
            })?;
    }
    Ok(values)
}
