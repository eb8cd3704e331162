//! The key-derivation functions, with their parameters, behind every stored hash.

use sha2::Digest as _;
use zeroize::Zeroizing;

use super::error::{PasswordError, Result};
use super::limits::{self, Limits};
use super::pbkdf2::{self, Digest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Argon2Variant {
    D,
    I,
    Id,
}

impl Argon2Variant {
    pub fn name(self) -> &'static str {
        match self {
            Argon2Variant::D => "argon2d",
            Argon2Variant::I => "argon2i",
            Argon2Variant::Id => "argon2id",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "argon2d" => Argon2Variant::D,
            "argon2i" => Argon2Variant::I,
            "argon2id" => Argon2Variant::Id,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kdf {
    Pbkdf2 {
        digest: Digest,
        iterations: u32,
    },
    /// `n` is the CPU/memory cost itself (a power of two), as werkzeug and Django store it.
    Scrypt {
        n: u64,
        r: u32,
        p: u32,
    },
    Argon2 {
        variant: Argon2Variant,
        version: u32,
        memory_cost: u32,
        time_cost: u32,
        parallelism: u32,
    },
    Bcrypt {
        cost: u32,
    },
    ShaCrypt {
        sha512: bool,
        rounds: u32,
    },
    /// md5(salt || password), Django's `MD5PasswordHasher`.
    SaltedMd5,
}

/// argon2 version 1.3 (0x13, written `v=19`) and 1.0 (0x10, `v=16` or no `v=`).
pub const ARGON2_V13: u32 = 0x13;
pub const ARGON2_V10: u32 = 0x10;

impl Kdf {
    /// Refuse parameters the algorithm cannot run, then ones over `limits`,
    /// before any memory is allocated or any round is run.
    pub fn check(&self, limits: &Limits) -> Result<()> {
        match *self {
            Kdf::Pbkdf2 { iterations, .. } => {
                if iterations == 0 {
                    return invalid("PBKDF2 iterations must be at least 1");
                }
                limits::check(
                    "PBKDF2 iterations",
                    iterations,
                    limits.pbkdf2_max_iterations,
                )
            }
            Kdf::Scrypt { n, r, p } => {
                if n < 2 || !n.is_power_of_two() {
                    return invalid("scrypt n must be a power of 2 greater than 1");
                }
                if r == 0 || p == 0 {
                    return invalid("scrypt r and p must be at least 1");
                }
                let memory = 128u128 * n as u128 * r as u128;
                let cost = n as u128 * r as u128 * p as u128;
                limits::check(
                    "scrypt memory (128·n·r bytes)",
                    memory,
                    limits.scrypt_max_memory as u128,
                )?;
                limits::check("scrypt cost n·r·p", cost, limits.scrypt_max_cost as u128)
            }
            Kdf::Argon2 {
                version,
                memory_cost,
                time_cost,
                parallelism,
                ..
            } => {
                if version != ARGON2_V13 && version != ARGON2_V10 {
                    return Err(PasswordError::Unsupported(format!(
                        "argon2 version {version} is not 16 or 19"
                    )));
                }
                if time_cost == 0 {
                    return invalid("argon2 time_cost must be at least 1");
                }
                if parallelism == 0 || parallelism > 0xFF_FFFF {
                    return invalid("argon2 parallelism must be between 1 and 16777215");
                }
                if (memory_cost as u64) < 8 * parallelism as u64 {
                    return invalid("argon2 memory_cost must be at least 8 KiB per lane");
                }
                limits::check(
                    "argon2 memory_cost (KiB)",
                    memory_cost,
                    limits.argon2_max_memory_kib,
                )?;
                limits::check("argon2 time_cost", time_cost, limits.argon2_max_time_cost)?;
                limits::check(
                    "argon2 parallelism",
                    parallelism,
                    limits.argon2_max_parallelism,
                )
            }
            Kdf::Bcrypt { cost } => {
                if !(4..=31).contains(&cost) {
                    return invalid("bcrypt cost must be between 4 and 31");
                }
                limits::check("bcrypt cost", cost, limits.bcrypt_max_cost)
            }
            Kdf::ShaCrypt { rounds, .. } => {
                limits::check("sha-crypt rounds", rounds, limits.sha_crypt_max_rounds)
            }
            Kdf::SaltedMd5 => Ok(()),
        }
    }

    /// Derive `out_len` bytes from `password` and `salt`. Checks the parameters first.
    pub fn derive(
        &self,
        password: &[u8],
        salt: &[u8],
        out_len: usize,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let limits = limits::current();
        self.check(&limits)?;
        for (what, len) in [
            ("password", password.len()),
            ("salt", salt.len()),
            ("hash", out_len),
        ] {
            limits::check(&format!("{what} length"), len, limits.max_input_len)?;
        }
        let mut out = Zeroizing::new(vec![0u8; out_len]);
        match *self {
            Kdf::Pbkdf2 { digest, iterations } => {
                pbkdf2::pbkdf2(digest, password, salt, iterations, &mut out)?
            }
            Kdf::Scrypt { n, r, p } => {
                let log_n = n.trailing_zeros() as u8;
                let params = scrypt::Params::new(log_n, r, p, out_len.max(10)).map_err(|e| {
                    PasswordError::InvalidParameter(format!("invalid scrypt parameters: {e}"))
                })?;
                scrypt::scrypt(password, salt, &params, &mut out).map_err(|e| {
                    PasswordError::InvalidParameter(format!("invalid scrypt output length: {e}"))
                })?;
            }
            Kdf::Argon2 {
                variant,
                version,
                memory_cost,
                time_cost,
                parallelism,
            } => {
                // The crate's checks keep the messages stored-hash users already see.
                ::argon2::Params::new(memory_cost, time_cost, parallelism, Some(out_len)).map_err(
                    |e| PasswordError::InvalidParameter(format!("invalid argon2 parameters: {e}")),
                )?;
                let params = super::argon2::Params {
                    variant: match variant {
                        Argon2Variant::D => super::argon2::Variant::D,
                        Argon2Variant::I => super::argon2::Variant::I,
                        Argon2Variant::Id => super::argon2::Variant::Id,
                    },
                    version,
                    memory_kib: memory_cost,
                    passes: time_cost,
                    lanes: parallelism,
                };
                run_argon2(&params, password, salt, &mut out)?;
            }
            Kdf::Bcrypt { cost } => {
                if password.len() > 72 {
                    return Err(PasswordError::PasswordTooLong);
                }
                let salt: [u8; 16] = salt.try_into().map_err(|_| {
                    PasswordError::InvalidParameter("bcrypt salt must be 16 bytes".into())
                })?;
                let parts = bcrypt::hash_with_salt(password, cost, salt)
                    .map_err(|e| PasswordError::InvalidParameter(format!("bcrypt: {e}")))?;
                // HashParts only renders; its 23 hash bytes are the last 31 characters.
                let rendered = parts.format_for_version(bcrypt::Version::TwoB);
                let decoded = super::b64::decode(&super::b64::BCRYPT64, &rendered[29..])
                    .ok_or_else(|| {
                        PasswordError::InvalidParameter("bcrypt produced an unreadable hash".into())
                    })?;
                out.resize(decoded.len(), 0);
                out.copy_from_slice(&decoded);
            }
            Kdf::ShaCrypt { sha512, rounds } => {
                let text = sha_crypt_checksum(sha512, rounds, password, salt)?;
                out.resize(text.len(), 0);
                out.copy_from_slice(text.as_bytes());
            }
            Kdf::SaltedMd5 => {
                let mut md5 = md5::Md5::new();
                md5.update(salt);
                md5.update(password);
                out.resize(16, 0);
                out.copy_from_slice(&md5.finalize());
            }
        }
        Ok(out)
    }
}

/// The sha-crypt checksum text: the digest bytes reordered as the SHA-crypt
/// specification prescribes, then written in crypt's base64 alphabet.
fn sha_crypt_checksum(sha512: bool, rounds: u32, password: &[u8], salt: &[u8]) -> Result<String> {
    use base64ct::{Base64ShaCrypt, Encoding};
    const ORDER_256: [usize; 32] = [
        20, 10, 0, 11, 1, 21, 2, 22, 12, 23, 13, 3, 14, 4, 24, 5, 25, 15, 26, 16, 6, 17, 7, 27, 8,
        28, 18, 29, 19, 9, 30, 31,
    ];
    const ORDER_512: [usize; 64] = [
        42, 21, 0, 1, 43, 22, 23, 2, 44, 45, 24, 3, 4, 46, 25, 26, 5, 47, 48, 27, 6, 7, 49, 28, 29,
        8, 50, 51, 30, 9, 10, 52, 31, 32, 11, 53, 54, 33, 12, 13, 55, 34, 35, 14, 56, 57, 36, 15,
        16, 58, 37, 38, 17, 59, 60, 39, 18, 19, 61, 40, 41, 20, 62, 63,
    ];
    // glibc clamps rounds below 1000 up to 1000.
    let params = sha_crypt::Params::new(rounds.clamp(1000, 999_999_999))
        .map_err(|e| PasswordError::InvalidParameter(format!("sha-crypt: {e}")))?;
    let (raw, order): (Zeroizing<Vec<u8>>, &[usize]) = if sha512 {
        (
            Zeroizing::new(sha_crypt::sha512_crypt(password, salt, params).to_vec()),
            &ORDER_512,
        )
    } else {
        (
            Zeroizing::new(sha_crypt::sha256_crypt(password, salt, params).to_vec()),
            &ORDER_256,
        )
    };
    let reordered: Zeroizing<Vec<u8>> = Zeroizing::new(order.iter().map(|&i| raw[i]).collect());
    Ok(Base64ShaCrypt::encode_string(&reordered))
}

fn invalid<T>(message: &str) -> Result<T> {
    Err(PasswordError::InvalidParameter(message.to_string()))
}

/// Argon2 in fresh working memory: the huge-page arena where the kernel gives
/// one (unmapped, so wiped, on drop), else a heap buffer zeroized on drop.
fn run_argon2(
    params: &super::argon2::Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<()> {
    use super::argon2::{hash_into, Backend, Block};
    let blocks = params.block_count();
    let mut run = |memory: &mut [Block]| {
        hash_into(
            params,
            password,
            salt,
            &[],
            &[],
            out,
            memory,
            Backend::detect(),
        )
        .map_err(|e| PasswordError::InvalidParameter(format!("argon2: {e}")))
    };
    #[cfg(target_os = "linux")]
    if let Some(mut arena) = super::arena::Arena::new(blocks) {
        return run(arena.as_mut());
    }
    let mut heap = Zeroizing::new(vec![Block::ZERO; blocks]);
    run(&mut heap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_parameters_are_refused_before_work() {
        let limits = Limits::DEFAULT;
        let huge = [
            Kdf::Argon2 {
                variant: Argon2Variant::Id,
                version: ARGON2_V13,
                memory_cost: 4 << 20,
                time_cost: 3,
                parallelism: 4,
            },
            Kdf::Scrypt {
                n: 1 << 30,
                r: 8,
                p: 1,
            },
            Kdf::Pbkdf2 {
                digest: Digest::Sha256,
                iterations: u32::MAX,
            },
            Kdf::Bcrypt { cost: 31 },
            Kdf::ShaCrypt {
                sha512: true,
                rounds: 999_999_999,
            },
        ];
        for kdf in huge {
            match kdf.check(&limits) {
                Err(PasswordError::LimitExceeded(message)) => {
                    assert!(message.contains("exceeds the limit"))
                }
                other => panic!("{kdf:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn impossible_parameters_are_invalid() {
        let limits = Limits::DEFAULT;
        for kdf in [
            Kdf::Scrypt { n: 3, r: 8, p: 1 },
            Kdf::Scrypt {
                n: 1024,
                r: 0,
                p: 1,
            },
            Kdf::Bcrypt { cost: 3 },
            Kdf::Pbkdf2 {
                digest: Digest::Sha1,
                iterations: 0,
            },
            Kdf::Argon2 {
                variant: Argon2Variant::I,
                version: ARGON2_V13,
                memory_cost: 8,
                time_cost: 1,
                parallelism: 4,
            },
        ] {
            assert!(
                matches!(kdf.check(&limits), Err(PasswordError::InvalidParameter(_))),
                "{kdf:?}"
            );
        }
    }

    #[test]
    fn bcrypt_refuses_long_passwords() {
        let kdf = Kdf::Bcrypt { cost: 4 };
        assert_eq!(
            kdf.derive(&[b'a'; 73], &[0; 16], 23).unwrap_err(),
            PasswordError::PasswordTooLong
        );
        assert_eq!(kdf.derive(&[b'a'; 72], &[0; 16], 23).unwrap().len(), 23);
    }
}
