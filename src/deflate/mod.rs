//! zlib's deflate at level 6 (CPython's `zlib.compress(data)`, madler zlib's
//! `compress2(.., 6)`), byte for byte, for inputs of at most
//! [`MAX_EXACT_LEN`] bytes.
//!
//! Why it exists: itsdangerous, Flask and Django compress every payload they
//! sign and keep the result only when it is shorter, so the tokens depend on
//! zlib's exact output. Calling real zlib costs microseconds per call even for
//! a hundred bytes, nearly all of it stream setup (deflateReset clears a
//! 64 KiB hash table). This module does the same parse and the same block
//! choice with per-call work proportional to the input only.
//!
//! Why the bound: up to `MAX_EXACT_LEN` bytes zlib writes exactly one block.
//! Its symbol buffer (16384 entries at memLevel 8) ends a block at the 16383rd
//! symbol, and each symbol covers at least one input byte, so 16382 bytes
//! give at most 16382 symbols. Its window never slides (that starts at 65274
//! bytes in) and no distance reaches MAX_DIST (32506). Beyond the bound the
//! caller uses zlib itself.
//!
//! How it is proven identical: differential tests against zlib (flate2 with
//! libz-sys) over generated inputs in this module, a cargo-fuzz target
//! (`fuzz/fuzz_targets/deflate_exact.rs`), and Python tests against CPython's
//! `zlib.compress` through the itsdangerous and Django APIs.

mod bits;
mod block;
mod lz77;
mod trees;

use std::cell::RefCell;

pub(crate) use trees::reverse;
// RFC 1951's length and distance codes, which the inflater reads back: each
// code's base (as `len - 3` and `dist - 1`) and its number of extra bits.
pub(crate) use block::{BL_ORDER, DIST_BASE, LEN_BASE};
pub(crate) use trees::{DIST_EXTRA, LENGTH_EXTRA};

use block::{Coder, Plan, Tally};
use lz77::{Chains, Match, MAX_MATCH};

/// The largest input compressed here; see the module comment for why.
pub const MAX_EXACT_LEN: usize = 16382;

/// zlib header for deflate, 32 KiB window, level 6 (FLEVEL 2), no dictionary.
const HEADER: [u8; 2] = [0x78, 0x9c];

struct State {
    chains: Chains,
    /// The input followed by zeros (see lz77: the padding keeps reads in bounds).
    window: Vec<u8>,
    /// The parse's matches (its literals are the bytes they leave).
    matches: Vec<Match>,
    tally: Tally,
    coder: Coder,
}

impl State {
    fn new() -> Self {
        State {
            chains: Chains::new(),
            window: Vec::new(),
            matches: Vec::new(),
            tally: Tally::new(),
            coder: Coder::new(),
        }
    }

    fn plan(&mut self, data: &[u8]) -> Plan {
        self.window.clear();
        self.window.extend_from_slice(data);
        self.window.resize(data.len() + MAX_MATCH + 8, 0);
        lz77::parse(
            &mut self.chains,
            &self.window,
            data.len(),
            &mut self.matches,
            &mut self.tally,
        );
        self.coder.plan(&mut self.tally, data.len())
    }
}

thread_local! {
    static STATE: RefCell<Option<Box<State>>> = const { RefCell::new(None) };
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => f(slot.get_or_insert_with(|| Box::new(State::new()))),
        // ok: not re-entrant; stay correct with a private state anyway
        Err(_) => f(&mut State::new()),
    })
}

/// `zlib.compress(data)` (level 6), or None when `data` is longer than
/// [`MAX_EXACT_LEN`].
pub fn compress(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() > MAX_EXACT_LEN {
        return None;
    }
    Some(with_state(|st| {
        let plan = st.plan(data);
        let mut out = Vec::with_capacity(plan.bytes + HEADER.len() + 4);
        out.extend_from_slice(&HEADER);
        st.coder.emit(&plan, &st.matches, data, &mut out);
        out.extend_from_slice(&adler32(data).to_be_bytes());
        out
    }))
}

/// The length `compress(data)` would have, without writing it (None past the
/// bound). zlib's own cost accounting is exact, so this is the true length.
pub fn compressed_len(data: &[u8]) -> Option<usize> {
    if data.len() > MAX_EXACT_LEN {
        return None;
    }
    Some(with_state(|st| st.plan(data).bytes) + HEADER.len() + 4)
}

/// `compress(data)` when it is shorter than `limit` bytes; Some(None) when it
/// is not (decided before any bits are written); None past the bound.
pub fn compress_if_shorter(data: &[u8], limit: usize) -> Option<Option<Vec<u8>>> {
    if data.len() > MAX_EXACT_LEN {
        return None;
    }
    Some(with_state(|st| {
        let plan = st.plan(data);
        let total = plan.bytes + HEADER.len() + 4;
        if total >= limit {
            return None;
        }
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&HEADER);
        st.coder.emit(&plan, &st.matches, data, &mut out);
        out.extend_from_slice(&adler32(data).to_be_bytes());
        Some(out)
    }))
}

/// Adler-32 (RFC 1950), the zlib trailer.
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes keep the scalar sums below 2^32 between reductions (zlib's NMAX).
    for chunk in data.chunks(5552) {
        let (blocks, tail) = chunk.split_at(chunk.len() / 16 * 16);
        if !blocks.is_empty() {
            // Over n bytes x_1..x_n: a gains their sum, b gains n·a plus each
            // byte weighted by how many sums it is still in (n - i + 1).
            let (sum, weighted) = block_sums(blocks);
            let n = blocks.len() as u64; // <= 5552
            b = ((u64::from(b) + n * u64::from(a) + weighted) % u64::from(MOD)) as u32;
            a = ((u64::from(a) + sum) % u64::from(MOD)) as u32;
        }
        for &x in tail {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    b << 16 | a
}

/// For 16-byte blocks (at most 5552 bytes): the sum of the bytes, and the sum
/// of each byte times its distance from the end (last byte 1). A session
/// token's checksum is a hundred bytes; byte at a time it cost ~4
/// instructions a byte, here 16 bytes take a dozen.
#[cfg(target_arch = "x86_64")]
fn block_sums(blocks: &[u8]) -> (u64, u64) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline; every load is an unaligned
    // 16-byte read of a chunk of `blocks`.
    unsafe {
        let zero = _mm_setzero_si128();
        // Weights of a block's bytes 0..8 and 8..16 within the block.
        let w_lo = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9);
        let w_hi = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
        // `sum`: the bytes so far (two u64 lanes); `prefix`: `sum` added once
        // per later block (each earlier byte is in 16 more sums per block);
        // `within`: the in-block weights (four i32 lanes, < 2^24 each).
        let (mut sum, mut prefix, mut within) = (zero, zero, zero);
        for c in blocks.chunks_exact(16) {
            let v = _mm_loadu_si128(c.as_ptr().cast());
            prefix = _mm_add_epi64(prefix, sum);
            sum = _mm_add_epi64(sum, _mm_sad_epu8(v, zero));
            within = _mm_add_epi32(within, _mm_madd_epi16(_mm_unpacklo_epi8(v, zero), w_lo));
            within = _mm_add_epi32(within, _mm_madd_epi16(_mm_unpackhi_epi8(v, zero), w_hi));
        }
        let lanes64 = |x: __m128i| {
            (_mm_cvtsi128_si64(x) as u64)
                .wrapping_add(_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x)) as u64)
        };
        let w = _mm_add_epi32(within, _mm_shuffle_epi32(within, 0b01_00_11_10));
        let w = _mm_add_epi32(w, _mm_shuffle_epi32(w, 0b10_11_00_01));
        let within = u64::from(_mm_cvtsi128_si32(w) as u32);
        (lanes64(sum), 16 * lanes64(prefix) + within)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_sums(blocks: &[u8]) -> (u64, u64) {
    let (mut sum, mut weighted) = (0u64, 0u64);
    for &x in blocks {
        sum += u64::from(x);
        weighted += sum;
    }
    (sum, weighted)
}

#[cfg(test)]
mod tests;
