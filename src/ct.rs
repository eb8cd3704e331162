//! Constant-time comparison of secrets.

use subtle::ConstantTimeEq;

/// True when `a` and `b` are equal, in time that depends only on their lengths.
///
/// Like `hmac.compare_digest`, a length mismatch returns early: lengths of
/// MACs and digests are public.
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::eq;
    use crate::timing::{welch_t, LEAK, NO_LEAK};
    use std::hint::black_box;

    /// Welch's t between timings of "mismatch at the first byte" and
    /// "mismatch at the last byte" of a 4 KiB comparison.
    fn t_for(compare: impl Fn(&[u8], &[u8]) -> bool) -> f64 {
        const LEN: usize = 4096;
        let a = vec![0x5au8; LEN];
        let mut first = a.clone();
        first[0] ^= 1;
        let mut last = a.clone();
        last[LEN - 1] ^= 1;
        welch_t(6000, 64, |class| {
            let b = if class == 0 { &first } else { &last };
            black_box(compare(black_box(&a), black_box(b)));
        })
    }

    #[test]
    fn timing_does_not_depend_on_where_inputs_differ() {
        // The harness must be able to see a leak: an early-exit comparison shows one.
        let leaky = t_for(|x, y| x == y);
        assert!(
            leaky.abs() > LEAK,
            "the timing harness failed to detect an early-exit compare (t = {leaky})"
        );
        let t = t_for(eq);
        eprintln!("welch t: early-exit {leaky:.1}, ct::eq {t:.1}");
        assert!(
            t.abs() < NO_LEAK,
            "ct::eq timing depends on the mismatch position (t = {t})"
        );
    }

    #[test]
    fn equal_and_unequal() {
        assert!(eq(b"", b""));
        assert!(eq(b"abc", b"abc"));
        assert!(!eq(b"abc", b"abd"));
        assert!(!eq(b"abc", b"ab"));
        assert!(!eq(b"", b"a"));
    }
}
