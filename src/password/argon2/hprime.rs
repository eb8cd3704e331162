//! BLAKE2b as Argon2 uses it: H0 (RFC 9106 §3.2) and the variable-length hash
//! H' (§3.3) that seeds the first blocks and produces the tag.

use blake2::digest::block_api::{UpdateCore, VariableOutputCore};
use blake2::digest::block_buffer::LazyBuffer;
use blake2::{Blake2b512, Blake2bVarCore, Digest};
use zeroize::Zeroize;

/// Everything H0 absorbs besides the lengths the caller already knows.
pub struct Inputs<'a> {
    pub lanes: u32,
    pub tag_len: u32,
    pub memory_kib: u32,
    pub passes: u32,
    pub version: u32,
    pub variant: u32,
    pub password: &'a [u8],
    pub salt: &'a [u8],
    pub secret: &'a [u8],
    pub associated: &'a [u8],
}

fn le32(n: usize) -> [u8; 4] {
    // Callers bound every length to u32 before hashing (see mod.rs).
    (n as u32).to_le_bytes()
}

/// H0: BLAKE2b-512 of the parameters and the length-prefixed inputs.
pub fn h0(inputs: &Inputs) -> [u8; 64] {
    let mut h = Blake2b512::new();
    for n in [
        inputs.lanes,
        inputs.tag_len,
        inputs.memory_kib,
        inputs.passes,
        inputs.version,
        inputs.variant,
    ] {
        h.update(n.to_le_bytes());
    }
    for field in [
        inputs.password,
        inputs.salt,
        inputs.secret,
        inputs.associated,
    ] {
        h.update(le32(field.len()));
        h.update(field);
    }
    h.finalize().into()
}

/// BLAKE2b with an output length (1..=64) fixed at run time, over the
/// concatenation of `parts`. Returns the full 64-byte buffer; the first
/// `len` bytes are the digest.
fn blake2b_var(len: usize, parts: &[&[u8]]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // Every caller passes 1..=64, the range BLAKE2b accepts.
    let Ok(mut core) = Blake2bVarCore::new(len) else {
        return out;
    };
    let mut buffer = LazyBuffer::default();
    for part in parts {
        buffer.digest_blocks(part, |blocks| core.update_blocks(blocks));
    }
    let mut full = Default::default();
    core.finalize_variable_core(&mut buffer, &mut full);
    out.copy_from_slice(&full);
    full.zeroize();
    out
}

/// H'^T over the concatenation of `parts`, written into `out` (T = out.len(),
/// 1..=2^32-1).
pub fn h_prime(parts: &[&[u8]], out: &mut [u8]) {
    let t = le32(out.len());
    if out.len() <= 64 {
        let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 1);
        all.push(&t);
        all.extend_from_slice(parts);
        let mut digest = blake2b_var(out.len(), &all);
        out.copy_from_slice(&digest[..out.len()]);
        digest.zeroize();
        return;
    }
    // Longer outputs: a chain of 64-byte hashes, keeping the first half of
    // each, and a last hash sized to whatever remains (33..=64 bytes).
    let mut h = Blake2b512::new();
    h.update(t);
    for part in parts {
        h.update(part);
    }
    let mut v: [u8; 64] = h.finalize().into();
    out[..32].copy_from_slice(&v[..32]);
    let mut rest = &mut out[32..];
    while rest.len() > 64 {
        v = Blake2b512::digest(v).into();
        let (head, tail) = rest.split_at_mut(32);
        head.copy_from_slice(&v[..32]);
        rest = tail;
    }
    let mut last = blake2b_var(rest.len(), &[&v]);
    rest.copy_from_slice(&last[..rest.len()]);
    last.zeroize();
    v.zeroize();
}
