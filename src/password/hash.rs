//! A parsed stored password hash: scheme, KDF parameters, salt and digest.

use super::kdf::Kdf;

/// How a hash is written down. The name is what `identify` reports and what
/// `hash_password(scheme=…)` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (PHC; also argon2i, argon2d).
    Argon2,
    /// `$scrypt$ln=…,r=…,p=…$salt$hash` (passlib's PHC-style scrypt).
    Scrypt,
    /// `$pbkdf2-sha256$rounds$salt$hash` (passlib; `$pbkdf2$` is SHA-1).
    PasslibPbkdf2,
    /// `$2b$12$…` (also `$2a$`, `$2y$`; `$2x$` verifies only).
    Bcrypt,
    /// `$bcrypt-sha256$v=2,t=2b,r=12$salt$hash` (passlib; v1 verifies only).
    PasslibBcryptSha256,
    /// `$6$rounds=…$salt$hash` and `$5$…` (verify only).
    ShaCrypt,
    /// `pbkdf2:sha256:1000000$salt$hex` (werkzeug).
    WerkzeugPbkdf2,
    /// `scrypt:32768:8:1$salt$hex` (werkzeug).
    WerkzeugScrypt,
    /// `pbkdf2_sha256$iterations$salt$b64` and `pbkdf2_sha1$…` (Django).
    DjangoPbkdf2,
    /// `argon2$argon2id$v=19$…` (Django).
    DjangoArgon2,
    /// `bcrypt_sha256$$2b$…` (Django).
    DjangoBcryptSha256,
    /// `bcrypt$$2b$…` (Django).
    DjangoBcrypt,
    /// `scrypt$n$salt$r$p$b64` (Django).
    DjangoScrypt,
    /// `md5$salt$hex` (Django).
    DjangoMd5,
}

/// Format details a scheme needs to render a hash exactly as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Variant {
    #[default]
    Plain,
    /// bcrypt's prefix letter after `$2`: `a`, `b`, `x` or `y`.
    BcryptPrefix(u8),
    /// passlib bcrypt-sha256 version (1 or 2) and its inner bcrypt prefix.
    BcryptSha256 { version: u8, prefix: u8 },
    /// sha-crypt: whether `rounds=` was written.
    ExplicitRounds(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash {
    pub scheme: Scheme,
    pub kdf: Kdf,
    pub variant: Variant,
    pub salt: Vec<u8>,
    /// The derived key as stored. Empty when the stored text can never match
    /// (werkzeug compares hex strings, so uppercase hex never verifies).
    pub digest: Vec<u8>,
    /// False when the peer compares whole encoded strings and this one is not
    /// written the way the peer writes it: then no password matches it.
    pub canonical: bool,
}
