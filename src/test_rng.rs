//! A seeded xorshift64 generator for tests that want many varied inputs
//! reproducibly (tests only; not for anything secret).

/// Marsaglia's xorshift64 (13, 7, 17) from `seed` (must be non-zero).
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
