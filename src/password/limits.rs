//! Bounds on attacker-influenced work parameters.
//!
//! A stored hash comes from a database row that an attacker may have written;
//! its parameters decide how much memory and time verifying it costs. Every KDF
//! run checks its parameters against these limits before it allocates or loops.

use std::sync::RwLock;

use super::error::{PasswordError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// argon2 memory in KiB (default 1 GiB; Django's default is 100 MiB).
    pub argon2_max_memory_kib: u32,
    /// argon2 passes.
    pub argon2_max_time_cost: u32,
    /// argon2 lanes.
    pub argon2_max_parallelism: u32,
    /// scrypt memory, 128·n·r bytes (default 1 GiB).
    pub scrypt_max_memory: u64,
    /// scrypt work, n·r·p (default 2^26: 256x werkzeug's default).
    pub scrypt_max_cost: u64,
    /// PBKDF2 iterations (default 20 million: 13x Django 6.1's default).
    pub pbkdf2_max_iterations: u32,
    /// bcrypt cost, log2 rounds (default 18).
    pub bcrypt_max_cost: u32,
    /// sha256_crypt / sha512_crypt rounds (default 10 million).
    pub sha_crypt_max_rounds: u32,
    /// Salt, hash, password and stored-hash length in bytes (default 1 MiB): bounds allocation per call.
    pub max_input_len: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        argon2_max_memory_kib: 1 << 20,
        argon2_max_time_cost: 100,
        argon2_max_parallelism: 64,
        scrypt_max_memory: 1 << 30,
        scrypt_max_cost: 1 << 26,
        pbkdf2_max_iterations: 20_000_000,
        bcrypt_max_cost: 18,
        sha_crypt_max_rounds: 10_000_000,
        max_input_len: 1 << 20,
    };
}

impl Limits {
    /// Every limit by name, as `get_limits` / `set_limits` expose them.
    pub const NAMES: [&'static str; 9] = [
        "argon2_max_memory_kib",
        "argon2_max_time_cost",
        "argon2_max_parallelism",
        "scrypt_max_memory",
        "scrypt_max_cost",
        "pbkdf2_max_iterations",
        "bcrypt_max_cost",
        "sha_crypt_max_rounds",
        "max_input_len",
    ];

    /// `(name, value)` for every limit, in `NAMES` order.
    pub fn entries(&self) -> [(&'static str, u64); 9] {
        let values = [
            self.argon2_max_memory_kib as u64,
            self.argon2_max_time_cost as u64,
            self.argon2_max_parallelism as u64,
            self.scrypt_max_memory,
            self.scrypt_max_cost,
            self.pbkdf2_max_iterations as u64,
            self.bcrypt_max_cost as u64,
            self.sha_crypt_max_rounds as u64,
            self.max_input_len as u64,
        ];
        let mut out = [("", 0); 9];
        for (slot, (name, value)) in out.iter_mut().zip(Self::NAMES.iter().zip(values)) {
            *slot = (name, value);
        }
        out
    }

    /// Change one limit by name.
    pub fn set_by_name(&mut self, name: &str, value: u64) -> Result<()> {
        let small = || {
            u32::try_from(value)
                .map_err(|_| PasswordError::InvalidParameter(format!("{name} must be below 2**32")))
        };
        match name {
            "argon2_max_memory_kib" => self.argon2_max_memory_kib = small()?,
            "argon2_max_time_cost" => self.argon2_max_time_cost = small()?,
            "argon2_max_parallelism" => self.argon2_max_parallelism = small()?,
            "scrypt_max_memory" => self.scrypt_max_memory = value,
            "scrypt_max_cost" => self.scrypt_max_cost = value,
            "pbkdf2_max_iterations" => self.pbkdf2_max_iterations = small()?,
            "bcrypt_max_cost" => self.bcrypt_max_cost = small()?,
            "sha_crypt_max_rounds" => self.sha_crypt_max_rounds = small()?,
            "max_input_len" => self.max_input_len = usize::try_from(value).unwrap_or(usize::MAX),
            _ => {
                return Err(PasswordError::Unsupported(format!(
                    "unknown limit '{name}'; limits are {}",
                    Self::NAMES.join(", ")
                )))
            }
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

static CURRENT: RwLock<Limits> = RwLock::new(Limits::DEFAULT);

/// The limits in force for this process.
pub fn current() -> Limits {
    // A poisoned lock still holds a valid Copy value: nothing can half-write it.
    match CURRENT.read() {
        Ok(guard) => *guard,
        Err(poisoned) => *poisoned.into_inner(),
    }
}

/// Replace the limits for this process.
pub fn set(limits: Limits) {
    match CURRENT.write() {
        Ok(mut guard) => *guard = limits,
        Err(poisoned) => *poisoned.into_inner() = limits,
    }
}

/// Refuse `value` when it is over `max`, naming the parameter and the limit.
pub(crate) fn check<T: PartialOrd + std::fmt::Display>(what: &str, value: T, max: T) -> Result<()> {
    if value > max {
        return Err(PasswordError::LimitExceeded(format!(
            "{what} {value} exceeds the limit of {max} (see ferroauth.set_limits)"
        )));
    }
    Ok(())
}
