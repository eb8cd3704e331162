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
    use std::hint::black_box;
    use std::time::Instant;

    /// Welch's t statistic between timings of "mismatch at the first byte" and
    /// "mismatch at the last byte", classes interleaved pseudo-randomly
    /// (dudect's method).
    fn welch_t(compare: impl Fn(&[u8], &[u8]) -> bool) -> f64 {
        const LEN: usize = 4096;
        const BATCH: usize = 64;
        let a = vec![0x5au8; LEN];
        let mut first = a.clone();
        first[0] ^= 1;
        let mut last = a.clone();
        last[LEN - 1] ^= 1;
        let mut samples: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut state = 0x9E3779B97F4A7C15u64;
        for _ in 0..6000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let class = (state & 1) as usize;
            let b = if class == 0 { &first } else { &last };
            let start = Instant::now();
            for _ in 0..BATCH {
                black_box(compare(black_box(&a), black_box(b)));
            }
            samples[class].push(start.elapsed().as_nanos() as f64);
        }
        // Drop the slowest 10% of each class: interrupts and preemption, not the code.
        let stats = |v: &mut Vec<f64>| {
            v.sort_by(|x, y| x.total_cmp(y));
            v.truncate(v.len() * 9 / 10);
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, var, n)
        };
        let (m0, v0, n0) = stats(&mut samples[0]);
        let (m1, v1, n1) = stats(&mut samples[1]);
        (m0 - m1) / (v0 / n0 + v1 / n1).sqrt()
    }

    #[test]
    fn timing_does_not_depend_on_where_inputs_differ() {
        // The harness must be able to see a leak: an early-exit comparison shows one.
        let leaky = welch_t(|x, y| x == y);
        assert!(
            leaky.abs() > 20.0,
            "the timing harness failed to detect an early-exit compare (t = {leaky})"
        );
        let t = welch_t(eq);
        eprintln!("welch t: early-exit {leaky:.1}, ct::eq {t:.1}");
        assert!(
            t.abs() < 10.0,
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
