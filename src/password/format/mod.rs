//! Reading and writing stored hashes. One module per family of encodings; each
//! has a `parse` that takes the whole stored string and a `render` that writes
//! a `PasswordHash` back exactly as its library writes it.

mod bcrypt;
mod django;
mod passlib;
mod phc;
mod werkzeug;

pub use werkzeug::defaults as werkzeug_defaults;

use super::error::{malformed, PasswordError, Result};
use super::hash::{PasswordHash, Scheme};

/// Parse any stored hash we can read.
pub fn parse(stored: &str) -> Result<PasswordHash> {
    if let Some(rest) = stored.strip_prefix('$') {
        let id = rest.split('$').next().unwrap_or_default(); // ok: split yields at least one item
        return match id {
            "argon2id" | "argon2i" | "argon2d" => phc::parse_argon2(stored, Scheme::Argon2),
            "scrypt" => phc::parse_scrypt(stored),
            "pbkdf2" | "pbkdf2-sha256" | "pbkdf2-sha512" => passlib::parse_pbkdf2(stored),
            "bcrypt-sha256" => passlib::parse_bcrypt_sha256(stored),
            "5" | "6" => passlib::parse_sha_crypt(stored),
            "2a" | "2b" | "2y" | "2x" => bcrypt::parse(stored, Scheme::Bcrypt),
            "" => Err(malformed("the hash has an empty scheme identifier")),
            other => Err(unknown(other)),
        };
    }
    let (prefix, _) = stored
        .split_once('$')
        .ok_or_else(|| malformed("the hash has no '$'-separated fields"))?;
    match prefix {
        "pbkdf2_sha256" | "pbkdf2_sha1" => django::parse_pbkdf2(stored),
        "argon2" => django::parse_argon2(stored),
        "bcrypt_sha256" => django::parse_bcrypt(stored, Scheme::DjangoBcryptSha256),
        "bcrypt" => django::parse_bcrypt(stored, Scheme::DjangoBcrypt),
        "md5" => django::parse_md5(stored),
        "scrypt" if stored.matches('$').count() == 5 => django::parse_scrypt(stored),
        method
            if method == "pbkdf2"
                || method == "scrypt"
                || method.starts_with("pbkdf2:")
                || method.starts_with("scrypt:") =>
        {
            werkzeug::parse(stored)
        }
        other => Err(unknown(other)),
    }
}

/// Write `hash` as its scheme's library writes it.
pub fn render(hash: &PasswordHash) -> String {
    match hash.scheme {
        Scheme::Argon2 => phc::render_argon2(hash),
        Scheme::Scrypt => phc::render_scrypt(hash),
        Scheme::PasslibPbkdf2 => passlib::render_pbkdf2(hash),
        Scheme::PasslibBcryptSha256 => passlib::render_bcrypt_sha256(hash),
        Scheme::ShaCrypt => passlib::render_sha_crypt(hash),
        Scheme::Bcrypt => bcrypt::render(hash),
        Scheme::WerkzeugPbkdf2 | Scheme::WerkzeugScrypt => werkzeug::render(hash),
        Scheme::DjangoPbkdf2 => django::render_pbkdf2(hash),
        Scheme::DjangoArgon2 => django::render_argon2(hash),
        Scheme::DjangoBcryptSha256 | Scheme::DjangoBcrypt => django::render_bcrypt(hash),
        Scheme::DjangoScrypt => django::render_scrypt(hash),
        Scheme::DjangoMd5 => django::render_md5(hash),
    }
}

fn unknown(id: &str) -> PasswordError {
    let shown: String = id.chars().take(32).collect();
    PasswordError::Unsupported(format!("unknown password hash scheme '{shown}'"))
}

/// A decimal field as the peers write it: ASCII digits only, fits in `T`.
fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PasswordError::Malformed(format!(
            "{what} is not a decimal number"
        )));
    }
    text.parse()
        .map_err(|_| PasswordError::LimitExceeded(format!("{what} {text} is out of range")))
}

/// Split `text` on '$' into exactly `N` fields.
fn fields<'a, const N: usize>(text: &'a str, what: &str) -> Result<[&'a str; N]> {
    let parts: Vec<&str> = text.split('$').collect();
    parts
        .try_into()
        .map_err(|_| PasswordError::Malformed(format!("{what} must have {N} '$'-separated fields")))
}

#[cfg(test)]
mod tests;
