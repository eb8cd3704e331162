//! Argon2's compression function G (RFC 9106 §3.5-3.6): R = X ⊕ Y, Q = P applied
//! to the eight rows and then the eight columns of R, result Q ⊕ R.
//!
//! This is the whole cost of Argon2 (one call per KiB of memory per pass), so
//! it has an AVX2 version, picked at run time, next to a portable one. Both
//! write straight into the destination block and fold in the version-1.3 XOR
//! with its old content, so no temporary block is copied around.

use super::block::{Block, WORDS};

/// Which implementation of G to run. Chosen once per hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Backend {
    /// The fastest implementation this CPU supports.
    pub fn detect() -> Backend {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                return Backend::Avx2;
            }
        }
        Backend::Portable
    }

    /// `dst = G(x, y)`, or `dst ^= G(x, y)` when `xor` (version 1.3, passes > 0).
    #[inline]
    pub fn compress(self, x: &Block, y: &Block, dst: &mut Block, xor: bool) {
        self.compress_then_prefetch(x, y, dst, xor, |_| None);
    }

    /// `compress`, and as soon as the result's first word is final, asks
    /// `next_ref` (given that word) which block the next step will read and
    /// starts loading it into cache. The reference block is a random one in
    /// megabytes of memory; without this its cache misses stall every step.
    #[inline]
    pub fn compress_then_prefetch<F>(
        self,
        x: &Block,
        y: &Block,
        dst: &mut Block,
        xor: bool,
        next_ref: F,
    ) where
        F: FnOnce(u64) -> Option<*const Block>,
    {
        match self {
            Backend::Portable => compress_portable(x, y, dst, xor),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Avx2` is only constructed after `is_x86_feature_detected!("avx2")`
            // (in `detect`, and in tests that check the same before forcing it).
            Backend::Avx2 => unsafe { avx2::compress(x, y, dst, xor, next_ref) },
        }
    }
}

/// BlaMka's multiply-add: a + b + 2·lo32(a)·lo32(b), all mod 2^64.
#[inline(always)]
fn fblamka(a: u64, b: u64) -> u64 {
    let product = (a & 0xFFFF_FFFF).wrapping_mul(b & 0xFFFF_FFFF);
    a.wrapping_add(b).wrapping_add(product.wrapping_mul(2))
}

#[inline(always)]
fn gb(v: &mut [u64; WORDS], a: usize, b: usize, c: usize, d: usize) {
    v[a] = fblamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = fblamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = fblamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = fblamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// The permutation P over 16 words of `v`, given by their positions `i`.
#[inline(always)]
fn permute(v: &mut [u64; WORDS], i: &[usize; 16]) {
    gb(v, i[0], i[4], i[8], i[12]);
    gb(v, i[1], i[5], i[9], i[13]);
    gb(v, i[2], i[6], i[10], i[14]);
    gb(v, i[3], i[7], i[11], i[15]);
    gb(v, i[0], i[5], i[10], i[15]);
    gb(v, i[1], i[6], i[11], i[12]);
    gb(v, i[2], i[7], i[8], i[13]);
    gb(v, i[3], i[4], i[9], i[14]);
}

fn compress_portable(x: &Block, y: &Block, dst: &mut Block, xor: bool) {
    let mut r = [0u64; WORDS];
    for (w, (a, b)) in r.iter_mut().zip(x.0.iter().zip(y.0.iter())) {
        *w = a ^ b;
    }
    let mut q = r;
    // Rows: row k is the 16 consecutive words starting at 16k.
    for row in 0..8 {
        let base = 16 * row;
        let idx: [usize; 16] = std::array::from_fn(|j| base + j);
        permute(&mut q, &idx);
    }
    // Columns: column c is the word pairs (2c, 2c+1) of every row.
    for col in 0..8 {
        let idx: [usize; 16] = std::array::from_fn(|j| 16 * (j / 2) + 2 * col + (j % 2));
        permute(&mut q, &idx);
    }
    for (out, (a, b)) in dst.0.iter_mut().zip(q.iter().zip(r.iter())) {
        *out = if xor { *out ^ a ^ b } else { a ^ b };
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! The block as 32 registers of four words, in memory order: row k is
    //! registers 4k..4k+4, holding words (v0..v3), (v4..v7), (v8..v11),
    //! (v12..v15) of P's 4x4 view, so a row round is one G on whole registers
    //! plus lane rotations for the diagonal step. Columns need no gathering
    //! either (see the column round below). Several independent P's run
    //! interleaved, since each G step waits on a multiply.

    use super::super::block::Block;
    use std::arch::x86_64::*;

    // How many row P's run interleaved (measured here: 4 beat 2 or 8; more
    // sets spill registers, fewer leave the multiplier's latency exposed).
    const ROWS: usize = 4;

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn fblamka(a: __m256i, b: __m256i) -> __m256i {
        let product = _mm256_mul_epu32(a, b);
        _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(product, product))
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn rotr32(x: __m256i) -> __m256i {
        _mm256_shuffle_epi32::<0b10_11_00_01>(x)
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn rotr24(x: __m256i) -> __m256i {
        let m = _mm256_setr_epi8(
            3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12,
            13, 14, 15, 8, 9, 10,
        );
        _mm256_shuffle_epi8(x, m)
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn rotr16(x: __m256i) -> __m256i {
        let m = _mm256_setr_epi8(
            2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11,
            12, 13, 14, 15, 8, 9,
        );
        _mm256_shuffle_epi8(x, m)
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn rotr63(x: __m256i) -> __m256i {
        _mm256_xor_si256(_mm256_srli_epi64::<63>(x), _mm256_add_epi64(x, x))
    }

    /// One (a, b, c, d) register set: a 16-word state of P.
    type Set = [__m256i; 4];

    /// GB on every lane of every set; the sets are independent, so their
    /// steps interleave and hide the multiplier's latency.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn g<const N: usize>(s: &mut [Set; N]) {
        for v in s.iter_mut() {
            v[0] = fblamka(v[0], v[1]);
        }
        for v in s.iter_mut() {
            v[3] = rotr32(_mm256_xor_si256(v[3], v[0]));
        }
        for v in s.iter_mut() {
            v[2] = fblamka(v[2], v[3]);
        }
        for v in s.iter_mut() {
            v[1] = rotr24(_mm256_xor_si256(v[1], v[2]));
        }
        for v in s.iter_mut() {
            v[0] = fblamka(v[0], v[1]);
        }
        for v in s.iter_mut() {
            v[3] = rotr16(_mm256_xor_si256(v[3], v[0]));
        }
        for v in s.iter_mut() {
            v[2] = fblamka(v[2], v[3]);
        }
        for v in s.iter_mut() {
            v[1] = rotr63(_mm256_xor_si256(v[1], v[2]));
        }
    }

    /// P on N independent 16-word states.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn p<const N: usize>(s: &mut [Set; N]) {
        g(s);
        // Diagonals: lane k of b, c, d moves to line up v(4+(k+1)%4),
        // v(8+(k+2)%4), v(12+(k+3)%4) under v(k).
        for v in s.iter_mut() {
            v[1] = _mm256_permute4x64_epi64::<0b00_11_10_01>(v[1]);
            v[2] = _mm256_permute4x64_epi64::<0b01_00_11_10>(v[2]);
            v[3] = _mm256_permute4x64_epi64::<0b10_01_00_11>(v[3]);
        }
        g(s);
        for v in s.iter_mut() {
            v[1] = _mm256_permute4x64_epi64::<0b10_01_00_11>(v[1]);
            v[2] = _mm256_permute4x64_epi64::<0b01_00_11_10>(v[2]);
            v[3] = _mm256_permute4x64_epi64::<0b00_11_10_01>(v[3]);
        }
    }

    /// `(hi64(low), lo64(high))` in each 128-bit half.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn straddle(high: __m256i, low: __m256i) -> __m256i {
        _mm256_alignr_epi8::<8>(high, low)
    }

    /// P on column sets in pairs: set 2i is (v0 v1, v4 v5, v8 v9, v12 v13)
    /// and set 2i+1 is (v2 v3, v6 v7, v10 v11, v14 v15) of the same columns
    /// (one column per 128-bit half). The first G step is lane-wise as is; the
    /// diagonal step pairs v0 with v5, v10, v15 (and so on), which in this
    /// layout is v10 v11 from the other set and v5 v6 / v15 v12 straddling
    /// both sets' registers.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn p_columns<const N: usize>(s: &mut [Set; N]) {
        g(s);
        for i in (0..N).step_by(2) {
            let (x, y) = (s[i], s[i + 1]);
            s[i] = [x[0], straddle(y[1], x[1]), y[2], straddle(x[3], y[3])];
            s[i + 1] = [y[0], straddle(x[1], y[1]), x[2], straddle(y[3], x[3])];
        }
        g(s);
        for i in (0..N).step_by(2) {
            let (x, y) = (s[i], s[i + 1]);
            s[i] = [x[0], straddle(x[1], y[1]), y[2], straddle(y[3], x[3])];
            s[i + 1] = [y[0], straddle(y[1], x[1]), x[2], straddle(x[3], y[3])];
        }
    }

    /// The column round for column pairs j0..j0 + N/2 (N sets, two per pair;
    /// see `compress` for the layout).
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn columns<const N: usize>(q: &mut [__m256i; 32], j0: usize) {
        let mut s: [Set; N] = [[_mm256_setzero_si256(); 4]; N];
        for c in 0..N / 2 {
            for k in 0..4 {
                s[2 * c][k] = q[4 * (2 * k) + j0 + c];
                s[2 * c + 1][k] = q[4 * (2 * k + 1) + j0 + c];
            }
        }
        p_columns(&mut s);
        for c in 0..N / 2 {
            for k in 0..4 {
                q[4 * (2 * k) + j0 + c] = s[2 * c][k];
                q[4 * (2 * k + 1) + j0 + c] = s[2 * c + 1][k];
            }
        }
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn compress<F>(x: &Block, y: &Block, dst: &mut Block, xor: bool, next_ref: F)
    where
        F: FnOnce(u64) -> Option<*const Block>,
    {
        let xp = x.0.as_ptr().cast::<__m256i>();
        let yp = y.0.as_ptr().cast::<__m256i>();
        let mut q = [_mm256_setzero_si256(); 32];
        for (i, reg) in q.iter_mut().enumerate() {
            // Blocks are 64-byte aligned, so aligned loads are valid.
            *reg = _mm256_xor_si256(_mm256_load_si256(xp.add(i)), _mm256_load_si256(yp.add(i)));
        }

        // Row rounds, ROWS rows at a time.
        for group in 0..8 / ROWS {
            let mut s: [Set; ROWS] =
                std::array::from_fn(|r| std::array::from_fn(|k| q[4 * (ROWS * group + r) + k]));
            p(&mut s);
            for (r, set) in s.iter().enumerate() {
                q[4 * (ROWS * group + r)..][..4].copy_from_slice(set);
            }
        }

        // Column rounds. Register 4k + j holds words (2c, 2c+1) of row k for
        // the two columns c = 2j, 2j+1, one per 128-bit half. Column c's P sees
        // row k's pair as its v(2k), v(2k+1), so registers j of the even rows
        // form one (a, b, c, d) set and those of the odd rows another, for
        // both columns at once, with no data moved. Only the diagonal step
        // mixes the two sets, within 128-bit halves (see `p_columns`).
        // The first column pair runs alone: word 0 of the result is final
        // after it, and the sooner the next reference block is known, the more
        // of the remaining work hides its prefetch. The other three pairs run
        // two, then one, at a time (measured: 1-2-1 beats 2-2 and 1-3).
        columns::<2>(&mut q, 0);
        let mut first = _mm_cvtsi128_si64(_mm256_castsi256_si128(q[0])) as u64;
        first ^= x.0[0] ^ y.0[0];
        if xor {
            first ^= dst.0[0];
        }
        if let Some(block) = next_ref(first) {
            let lines = block.cast::<i8>();
            for line in 0..Block::SIZE / 64 {
                // A prefetch is only a hint: it never faults.
                _mm_prefetch::<_MM_HINT_T0>(lines.wrapping_add(64 * line));
            }
        }
        columns::<4>(&mut q, 1);
        columns::<2>(&mut q, 3);

        let dp = dst.0.as_mut_ptr().cast::<__m256i>();
        for (i, reg) in q.iter().enumerate() {
            let r = _mm256_xor_si256(_mm256_load_si256(xp.add(i)), _mm256_load_si256(yp.add(i)));
            let mut z = _mm256_xor_si256(*reg, r);
            if xor {
                z = _mm256_xor_si256(z, _mm256_load_si256(dp.add(i)));
            }
            _mm256_store_si256(dp.add(i), z);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudo_random_block(seed: u64) -> Block {
        let mut state = seed;
        let mut block = Block::ZERO;
        for w in block.0.iter_mut() {
            // splitmix64: enough to make every word and bit position differ.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            *w = z ^ (z >> 31);
        }
        block
    }

    #[test]
    fn portable_g_fixes_zero_and_moves_everything_else() {
        // BlaMka maps all-zero words to zero, so G(0, 0) = 0; any other
        // input gives a non-zero block.
        let mut dst = pseudo_random_block(9);
        Backend::Portable.compress(&Block::ZERO, &Block::ZERO, &mut dst, false);
        assert!(dst.0.iter().all(|&w| w == 0));
        let mut dst = Block::ZERO;
        Backend::Portable.compress(&pseudo_random_block(1), &Block::ZERO, &mut dst, false);
        assert!(dst.0.iter().any(|&w| w != 0));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_matches_portable() {
        if !std::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this CPU; only the portable G is tested");
            return;
        }
        for seed in 0..200u64 {
            let x = pseudo_random_block(seed);
            let y = pseudo_random_block(seed + 1000);
            let old = pseudo_random_block(seed + 5000);
            for xor in [false, true] {
                let mut a = old;
                let mut b = old;
                Backend::Portable.compress(&x, &y, &mut a, xor);
                Backend::Avx2.compress(&x, &y, &mut b, xor);
                assert_eq!(a.0, b.0, "seed {seed} xor {xor}");
            }
        }
    }
}
