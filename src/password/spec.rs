//! What to write: a scheme with its parameters, used to create hashes and to
//! decide whether a stored hash needs rehashing.

use super::error::{PasswordError, Result};
use super::hash::{PasswordHash, Scheme, Variant};
use super::kdf::{Argon2Variant, Kdf, ARGON2_V13};
use super::limits;
use super::pbkdf2::Digest;

/// A described parameter: a number, or a name such as a digest or a bcrypt ident.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Param {
    Int(u64),
    Text(&'static str),
}

/// Where a scheme's salt comes from: random bytes, or random text (werkzeug and
/// Django hash the salt's characters, and store them as typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaltKind {
    Bytes,
    /// werkzeug's `SALT_CHARS` and Django's `RANDOM_STRING_CHARS`: the same 62 characters, in a different order.
    Text(&'static [u8]),
}

const WERKZEUG_SALT_CHARS: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DJANGO_SALT_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashSpec {
    pub scheme: Scheme,
    pub kdf: Kdf,
    pub variant: Variant,
    pub salt_len: usize,
    pub hash_len: usize,
    pub salt_kind: SaltKind,
}

/// Every scheme `hash_password` can write, by name.
pub const WRITABLE: &[&str] = &[
    "argon2id",
    "argon2i",
    "argon2d",
    "scrypt",
    "pbkdf2_sha256",
    "pbkdf2_sha512",
    "pbkdf2_sha1",
    "bcrypt",
    "bcrypt_sha256",
    "werkzeug_pbkdf2",
    "werkzeug_scrypt",
    "django_pbkdf2_sha256",
    "django_pbkdf2_sha1",
    "django_argon2",
    "django_bcrypt_sha256",
    "django_bcrypt",
    "django_scrypt",
    "django_md5",
];

impl HashSpec {
    /// The scheme `name` with its defaults: RFC 9106 / argon2-cffi for argon2,
    /// OWASP's 2023 minimums for passlib PBKDF2, and each library's own defaults
    /// for werkzeug and Django formats.
    pub fn new(name: &str) -> Result<HashSpec> {
        use Scheme::*;
        let argon2 = |variant, memory_cost, time_cost, parallelism| Kdf::Argon2 {
            variant,
            version: ARGON2_V13,
            memory_cost,
            time_cost,
            parallelism,
        };
        let pbkdf2 = |digest, iterations| Kdf::Pbkdf2 { digest, iterations };
        let bytes = SaltKind::Bytes;
        let django = SaltKind::Text(DJANGO_SALT_CHARS);
        let (scheme, kdf, variant, salt_len, hash_len, salt_kind) = match name {
            "argon2id" => (
                Argon2,
                argon2(Argon2Variant::Id, 65536, 3, 4),
                Variant::Plain,
                16,
                32,
                bytes,
            ),
            "argon2i" => (
                Argon2,
                argon2(Argon2Variant::I, 65536, 3, 4),
                Variant::Plain,
                16,
                32,
                bytes,
            ),
            "argon2d" => (
                Argon2,
                argon2(Argon2Variant::D, 65536, 3, 4),
                Variant::Plain,
                16,
                32,
                bytes,
            ),
            "scrypt" => (
                Scrypt,
                Kdf::Scrypt {
                    n: 1 << 16,
                    r: 8,
                    p: 1,
                },
                Variant::Plain,
                16,
                32,
                bytes,
            ),
            "pbkdf2_sha256" => (
                PasslibPbkdf2,
                pbkdf2(Digest::Sha256, 600_000),
                Variant::Plain,
                16,
                32,
                bytes,
            ),
            "pbkdf2_sha512" => (
                PasslibPbkdf2,
                pbkdf2(Digest::Sha512, 210_000),
                Variant::Plain,
                16,
                64,
                bytes,
            ),
            "pbkdf2_sha1" => (
                PasslibPbkdf2,
                pbkdf2(Digest::Sha1, 1_300_000),
                Variant::Plain,
                16,
                20,
                bytes,
            ),
            "bcrypt" => (
                Bcrypt,
                Kdf::Bcrypt { cost: 12 },
                Variant::BcryptPrefix(b'b'),
                16,
                23,
                bytes,
            ),
            "bcrypt_sha256" => (
                PasslibBcryptSha256,
                Kdf::Bcrypt { cost: 12 },
                Variant::BcryptSha256 {
                    version: 2,
                    prefix: b'b',
                },
                16,
                23,
                bytes,
            ),
            "werkzeug_pbkdf2" => (
                WerkzeugPbkdf2,
                pbkdf2(
                    Digest::Sha256,
                    super::format::werkzeug_defaults::PBKDF2_ITERATIONS,
                ),
                Variant::Plain,
                16,
                32,
                SaltKind::Text(WERKZEUG_SALT_CHARS),
            ),
            "werkzeug_scrypt" => {
                let (n, r, p) = super::format::werkzeug_defaults::SCRYPT;
                (
                    WerkzeugScrypt,
                    Kdf::Scrypt { n, r, p },
                    Variant::Plain,
                    16,
                    64,
                    SaltKind::Text(WERKZEUG_SALT_CHARS),
                )
            }
            "django_pbkdf2_sha256" => (
                DjangoPbkdf2,
                pbkdf2(Digest::Sha256, 1_500_000),
                Variant::Plain,
                22,
                32,
                django,
            ),
            "django_pbkdf2_sha1" => (
                DjangoPbkdf2,
                pbkdf2(Digest::Sha1, 1_500_000),
                Variant::Plain,
                22,
                20,
                django,
            ),
            "django_argon2" => (
                DjangoArgon2,
                argon2(Argon2Variant::Id, 102_400, 2, 8),
                Variant::Plain,
                22,
                32,
                django,
            ),
            "django_bcrypt_sha256" => (
                DjangoBcryptSha256,
                Kdf::Bcrypt { cost: 12 },
                Variant::BcryptPrefix(b'b'),
                16,
                23,
                bytes,
            ),
            "django_bcrypt" => (
                DjangoBcrypt,
                Kdf::Bcrypt { cost: 12 },
                Variant::BcryptPrefix(b'b'),
                16,
                23,
                bytes,
            ),
            "django_scrypt" => (
                DjangoScrypt,
                Kdf::Scrypt {
                    n: 16384,
                    r: 8,
                    p: 5,
                },
                Variant::Plain,
                22,
                64,
                django,
            ),
            "django_md5" => (DjangoMd5, Kdf::SaltedMd5, Variant::Plain, 22, 16, django),
            "sha512_crypt" | "sha256_crypt" => {
                return Err(PasswordError::Unsupported(format!(
                    "{name} is read-only: ferroauth verifies it but does not write it"
                )))
            }
            _ => {
                return Err(PasswordError::Unsupported(format!(
                    "unknown scheme '{name}'; choose one of {}",
                    WRITABLE.join(", ")
                )))
            }
        };
        Ok(HashSpec {
            scheme,
            kdf,
            variant,
            salt_len,
            hash_len,
            salt_kind,
        })
    }

    /// Set one numeric parameter by its name.
    pub fn set(&mut self, param: &str, value: u64) -> Result<()> {
        let small = |v: u64| {
            u32::try_from(v)
                .map_err(|_| PasswordError::LimitExceeded(format!("{param} {v} is out of range")))
        };
        let len = |v: u64| -> Result<usize> {
            let v = usize::try_from(v).unwrap_or(usize::MAX);
            limits::check(param, v, limits::current().max_input_len)?;
            Ok(v)
        };
        let is_bcrypt = matches!(self.kdf, Kdf::Bcrypt { .. });
        // bcrypt and md5 have fixed output sizes; werkzeug and Django PBKDF2 use the digest size.
        let hash_len_fixed = is_bcrypt
            || matches!(self.kdf, Kdf::SaltedMd5)
            || matches!(self.scheme, Scheme::WerkzeugPbkdf2 | Scheme::DjangoPbkdf2);
        if param == "salt_len" && !is_bcrypt {
            self.salt_len = len(value)?;
            return Ok(());
        }
        if param == "hash_len" && !hash_len_fixed {
            self.hash_len = len(value)?;
            return Ok(());
        }
        let name = self.describe().0;
        match (param, &mut self.kdf) {
            ("memory_cost", Kdf::Argon2 { memory_cost, .. }) => *memory_cost = small(value)?,
            ("time_cost", Kdf::Argon2 { time_cost, .. }) => *time_cost = small(value)?,
            ("parallelism", Kdf::Argon2 { parallelism, .. }) => *parallelism = small(value)?,
            ("version", Kdf::Argon2 { version, .. }) => *version = small(value)?,
            ("n", Kdf::Scrypt { n, .. }) => *n = value,
            ("r", Kdf::Scrypt { r, .. }) => *r = small(value)?,
            ("p", Kdf::Scrypt { p, .. }) => *p = small(value)?,
            ("iterations", Kdf::Pbkdf2 { iterations, .. }) => *iterations = small(value)?,
            ("rounds", Kdf::Bcrypt { cost }) => *cost = small(value)?,
            _ => {
                return Err(PasswordError::InvalidParameter(format!(
                    "{name} takes no parameter '{param}'"
                )))
            }
        }
        Ok(())
    }

    /// Set a named parameter: `digest` of a werkzeug PBKDF2 hash
    /// (`pbkdf2:<digest>:<iterations>`), or `ident` of a bcrypt hash (`2a`, `2b`, `2y`).
    pub fn set_text(&mut self, param: &str, value: &str) -> Result<()> {
        let name = self.describe().0;
        let refuse = || {
            Err(PasswordError::InvalidParameter(format!(
                "{name} takes no parameter '{param}'"
            )))
        };
        match (param, &mut self.kdf, &mut self.variant) {
            ("digest", Kdf::Pbkdf2 { digest, .. }, _) if self.scheme == Scheme::WerkzeugPbkdf2 => {
                *digest = Digest::from_name(value).ok_or_else(|| {
                    PasswordError::Unsupported(format!("unsupported hash type {value}"))
                })?;
                self.hash_len = digest.output_len();
                Ok(())
            }
            ("ident", Kdf::Bcrypt { .. }, Variant::BcryptPrefix(prefix))
                if self.scheme == Scheme::Bcrypt =>
            {
                *prefix = match value {
                    "2a" => b'a',
                    "2b" => b'b',
                    "2y" => b'y',
                    _ => {
                        return Err(PasswordError::InvalidParameter(format!(
                            "bcrypt ident must be '2a', '2b' or '2y', not '{value}'"
                        )))
                    }
                };
                Ok(())
            }
            _ => refuse(),
        }
    }

    /// A hash with this spec's parameters and `salt` (or a fresh random one), not yet computed.
    pub fn blank(&self, salt: Option<Vec<u8>>) -> Result<PasswordHash> {
        self.kdf.check(&limits::current())?;
        let salt = match salt {
            Some(salt) => self.checked_salt(salt)?,
            None => self.random_salt()?,
        };
        Ok(PasswordHash {
            scheme: self.scheme,
            kdf: self.kdf,
            variant: self.variant,
            salt,
            digest: Vec::new(),
            canonical: true,
        })
    }

    fn checked_salt(&self, salt: Vec<u8>) -> Result<Vec<u8>> {
        let bad = |why: &str| Err(PasswordError::InvalidParameter(format!("salt {why}")));
        match (self.kdf, self.salt_kind) {
            (Kdf::Bcrypt { .. }, _) if salt.len() != 16 => bad("must be 16 bytes for bcrypt"),
            (Kdf::Argon2 { .. }, _) if salt.len() < 8 => bad("must be at least 8 bytes for argon2"),
            (_, SaltKind::Text(_)) if salt.is_empty() => bad("must not be empty"),
            (_, SaltKind::Text(_)) if salt.contains(&b'$') => bad("must not contain '$'"),
            (_, SaltKind::Text(_)) if std::str::from_utf8(&salt).is_err() => bad("must be text"),
            _ if salt.len() > limits::current().max_input_len => bad("is too long"),
            _ => Ok(salt),
        }
    }

    fn random_salt(&self) -> Result<Vec<u8>> {
        match self.salt_kind {
            SaltKind::Bytes => random_bytes(self.salt_len),
            SaltKind::Text(alphabet) => random_text(alphabet, self.salt_len),
        }
    }

    /// The scheme name and parameters a hash written by this spec would report.
    pub fn describe(&self) -> (String, Vec<(&'static str, Param)>) {
        let hash = PasswordHash {
            scheme: self.scheme,
            kdf: self.kdf,
            variant: self.variant,
            salt: vec![0; self.salt_len],
            digest: vec![0; self.hash_len],
            canonical: true,
        };
        describe(&hash)
    }
}

pub fn random_bytes(len: usize) -> Result<Vec<u8>> {
    let mut salt = vec![0u8; len];
    getrandom::fill(&mut salt)
        .map_err(|e| PasswordError::InvalidParameter(format!("no randomness available: {e}")))?;
    Ok(salt)
}

/// `len` characters drawn uniformly from `alphabet` (rejection sampling).
pub fn random_text(alphabet: &[u8], len: usize) -> Result<Vec<u8>> {
    let limit = 256 - (256 % alphabet.len());
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        for b in random_bytes(len * 2)? {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()]);
            }
        }
    }
    Ok(out)
}

/// The scheme name and parameters of a parsed hash.
pub fn describe(hash: &PasswordHash) -> (String, Vec<(&'static str, Param)>) {
    use Param::{Int, Text};
    let salt_len = ("salt_len", Int(hash.salt.len() as u64));
    let hash_len = ("hash_len", Int(hash.digest.len() as u64));
    let (name, mut params): (String, Vec<(&'static str, Param)>) = match (hash.scheme, hash.kdf) {
        (
            _,
            Kdf::Argon2 {
                variant,
                version,
                memory_cost,
                time_cost,
                parallelism,
            },
        ) => (
            if hash.scheme == Scheme::DjangoArgon2 {
                "django_argon2".into()
            } else {
                variant.name().into()
            },
            vec![
                ("type", Text(variant.name())),
                ("version", Int(version as u64)),
                ("memory_cost", Int(memory_cost as u64)),
                ("time_cost", Int(time_cost as u64)),
                ("parallelism", Int(parallelism as u64)),
            ],
        ),
        (scheme, Kdf::Scrypt { n, r, p }) => (
            match scheme {
                Scheme::WerkzeugScrypt => "werkzeug_scrypt",
                Scheme::DjangoScrypt => "django_scrypt",
                _ => "scrypt",
            }
            .into(),
            vec![("n", Int(n)), ("r", Int(r as u64)), ("p", Int(p as u64))],
        ),
        (scheme, Kdf::Pbkdf2 { digest, iterations }) => (
            match scheme {
                Scheme::WerkzeugPbkdf2 => "werkzeug_pbkdf2".into(),
                Scheme::DjangoPbkdf2 => format!("django_pbkdf2_{}", digest.name()),
                _ => format!("pbkdf2_{}", digest.name()),
            },
            vec![
                ("digest", Text(digest.name())),
                ("iterations", Int(iterations as u64)),
            ],
        ),
        (scheme, Kdf::Bcrypt { cost }) => {
            let (name, ident) = match (scheme, hash.variant) {
                (Scheme::PasslibBcryptSha256, Variant::BcryptSha256 { version, prefix }) => (
                    "bcrypt_sha256",
                    if version == 1 {
                        ident(prefix)
                    } else {
                        ident_v2(prefix)
                    },
                ),
                (Scheme::DjangoBcryptSha256, Variant::BcryptPrefix(p)) => {
                    ("django_bcrypt_sha256", ident(p))
                }
                (Scheme::DjangoBcrypt, Variant::BcryptPrefix(p)) => ("django_bcrypt", ident(p)),
                (_, Variant::BcryptPrefix(p)) => ("bcrypt", ident(p)),
                _ => ("bcrypt", "2b"),
            };
            (
                name.into(),
                vec![("ident", Text(ident)), ("rounds", Int(cost as u64))],
            )
        }
        (_, Kdf::ShaCrypt { sha512, rounds }) => (
            if sha512 {
                "sha512_crypt"
            } else {
                "sha256_crypt"
            }
            .into(),
            vec![("rounds", Int(rounds as u64))],
        ),
        (_, Kdf::SaltedMd5) => ("django_md5".into(), vec![]),
    };
    params.push(salt_len);
    params.push(hash_len);
    (name, params)
}

fn ident(prefix: u8) -> &'static str {
    match prefix {
        b'a' => "2a",
        b'x' => "2x",
        b'y' => "2y",
        _ => "2b",
    }
}

/// passlib bcrypt-sha256 v2 reports its version in the ident so that v1 hashes need a rehash.
fn ident_v2(prefix: u8) -> &'static str {
    match prefix {
        b'a' => "v2-2a",
        _ => "v2-2b",
    }
}
