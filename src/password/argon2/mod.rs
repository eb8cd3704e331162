//! Argon2 (RFC 9106): argon2d, argon2i and argon2id, versions 0x10 and 0x13.
//!
//! Our own memory fill with an AVX2 compression function; the RustCrypto
//! `argon2` crate's portable one took ~650 ns per block here, twice what the
//! SIMD code in argon2-cffi's libargon2 needs. The parameter rules and error
//! values are the crate's (`argon2::Error`), so messages do not change; the
//! crate stays the reference the tests compare against.

mod blamka;
mod block;
mod fill;
mod hprime;

pub use blamka::Backend;
pub use block::Block;

use argon2::Error;
use zeroize::Zeroize;

pub const ARGON2_V10: u32 = 0x10;
pub const ARGON2_V13: u32 = 0x13;

/// The type field `y` of RFC 9106: its value is hashed into H0 and Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Variant {
    D = 0,
    I = 1,
    Id = 2,
}

#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub variant: Variant,
    pub version: u32,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

const MAX_LEN: usize = u32::MAX as usize;
const MIN_SALT_LEN: usize = 8;
const MAX_LANES: u32 = 0xFF_FFFF;

impl Params {
    fn check(&self) -> Result<(), Error> {
        if self.version != ARGON2_V10 && self.version != ARGON2_V13 {
            return Err(Error::VersionInvalid);
        }
        if self.lanes < 1 {
            return Err(Error::ThreadsTooFew);
        }
        if self.lanes > MAX_LANES {
            return Err(Error::ThreadsTooMany);
        }
        if self.passes < 1 {
            return Err(Error::TimeTooSmall);
        }
        if self.memory_kib < 8 {
            return Err(Error::MemoryTooLittle);
        }
        Ok(())
    }

    /// Blocks per segment: memory rounded down to a multiple of 4 per lane,
    /// and at least 2 blocks per segment (as the `argon2` crate does).
    fn segment_len(&self) -> usize {
        let lanes = self.lanes as usize;
        // `max(1)`: callers may size memory before `check` refuses lanes = 0.
        let blocks = (self.memory_kib as usize).max(8 * lanes);
        blocks / (4 * lanes.max(1))
    }

    /// How many 1 KiB blocks of working memory a hash with these parameters uses.
    pub fn block_count(&self) -> usize {
        self.segment_len() * 4 * self.lanes as usize
    }
}

/// Hashes into `out` (4..=2^32-1 bytes) with `memory` as working space, which
/// must hold exactly `params.block_count()` blocks; what is left in it is
/// derived from the password, so the caller wipes or unmaps it.
#[allow(clippy::too_many_arguments)]
pub fn hash_into(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated: &[u8],
    out: &mut [u8],
    memory: &mut [Block],
    backend: Backend,
) -> Result<(), Error> {
    params.check()?;
    if out.len() < 4 {
        return Err(Error::OutputTooShort);
    }
    if out.len() > MAX_LEN {
        return Err(Error::OutputTooLong);
    }
    if password.len() > MAX_LEN {
        return Err(Error::PwdTooLong);
    }
    if salt.len() < MIN_SALT_LEN {
        return Err(Error::SaltTooShort);
    }
    if salt.len() > MAX_LEN {
        return Err(Error::SaltTooLong);
    }
    if secret.len() > MAX_LEN {
        return Err(Error::SecretTooLong);
    }
    if associated.len() > MAX_LEN {
        return Err(Error::AdTooLong);
    }
    if memory.len() != params.block_count() {
        return Err(Error::MemoryTooLittle);
    }

    let geometry = fill::Geometry {
        variant: params.variant,
        version: params.version,
        passes: params.passes,
        lanes: params.lanes as usize,
        segment_len: params.segment_len(),
    };
    let lane_len = geometry.lane_len();

    let mut h0 = hprime::h0(&hprime::Inputs {
        lanes: params.lanes,
        tag_len: out.len() as u32,
        memory_kib: params.memory_kib,
        passes: params.passes,
        version: params.version,
        variant: params.variant as u32,
        password,
        salt,
        secret,
        associated,
    });

    // Blocks 0 and 1 of each lane: H'(H0 || LE32(column) || LE32(lane)).
    let mut seed = [0u8; Block::SIZE];
    for lane in 0..geometry.lanes {
        for column in 0..2u32 {
            let lane_le = (lane as u32).to_le_bytes();
            hprime::h_prime(&[&h0, &column.to_le_bytes(), &lane_le], &mut seed);
            memory[lane * lane_len + column as usize] = Block::from_bytes(&seed);
        }
    }
    seed.zeroize();
    h0.zeroize();

    fill::fill(memory, &geometry, backend);

    // The tag: H' of the XOR of every lane's last block.
    let mut last = memory[lane_len - 1];
    for lane in 1..geometry.lanes {
        last.xor_assign(&memory[lane * lane_len + lane_len - 1]);
    }
    let mut last_bytes = last.to_bytes();
    hprime::h_prime(&[&last_bytes], out);
    last_bytes.zeroize();
    last.zeroize();
    Ok(())
}

#[cfg(test)]
mod tests;
