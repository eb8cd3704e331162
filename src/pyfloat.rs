//! The digits of Python's `float.__repr__`: the shortest decimal that reads
//! back to the same double and, when two such decimals of that length exist,
//! the one nearer the double's exact value, ties going to the even last digit
//! (David Gay's `dtoa` mode 0, which CPython uses).
//!
//! Rust's `{:e}` also prints the shortest, nearest round-tripping decimal, but
//! on an exact tie it rounds the last digit up: `562949953421312.25` (exactly
//! representable) is `562949953421312.2` in Python and `562949953421312.3`
//! from `{:e}`. The signing and JWT writers must match `json.dumps` byte for
//! byte, so a tie is detected exactly (integer arithmetic on the double's
//! mantissa and exponent) and broken to the even digit.

/// `(negative, digits, exponent)` with `value = ±d1.d2… × 10^exponent`, for a finite `v`.
pub fn repr_parts(v: f64) -> (bool, Vec<u8>, i32) {
    let (negative, mut digits, exp) = split(&format!("{v:e}"));
    let n = digits.len();
    let last = digits[n - 1]; // ok: `{:e}` writes at least one digit
    if v == 0.0 || n > 17 {
        return (negative, digits, exp);
    }
    // A tie sits exactly halfway between two n-digit decimals: at `digits - 1`
    // followed by 5 (when `{:e}` rounded up to `digits`), or at `digits`
    // followed by 5. Either way Python keeps the even one of the pair.
    let k = exp - n as i32; // the tie point is an (n+1)-digit integer times 10^k
    let value = number(&digits);
    let mut even = digits.clone();
    if last % 2 == 1 && last > b'0' && is_exactly(value * 10 - 5, k, v.abs()) {
        even[n - 1] -= 1; // tie between digits - 1 (even) and digits (odd)
    } else if last % 2 == 1 && last < b'9' && is_exactly(value * 10 + 5, k, v.abs()) {
        even[n - 1] += 1; // tie between digits (odd) and digits + 1 (even)
    }
    // Below a power of two the gap to the next double halves: the even
    // candidate must still read back to `v`.
    if even != digits && reads_back(&even, exp, v.abs()) {
        digits = even;
    }
    (negative, digits, exp)
}

fn reads_back(digits: &[u8], exp: i32, v: f64) -> bool {
    let text = format!("0.{}e{}", String::from_utf8_lossy(digits), exp + 1);
    text.parse::<f64>() == Ok(v)
}

fn split(sci: &str) -> (bool, Vec<u8>, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0")); // ok: `{:e}` writes an exponent
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits = mantissa.bytes().filter(|b| *b != b'.').collect();
    (negative, digits, exp.parse().unwrap_or(0))
}

/// The decimal digits as an integer (at most 17 digits: fits a u64).
fn number(digits: &[u8]) -> u64 {
    digits
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'))
}

/// Is `t × 10^k` exactly the positive finite double `v`?
fn is_exactly(t: u64, k: i32, v: f64) -> bool {
    // v = m × 2^e with m odd; t = t_odd × 2^a.
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    if m == 0 || t == 0 {
        return false;
    }
    let shift = m.trailing_zeros();
    m >>= shift;
    e += shift as i32;
    let a = t.trailing_zeros() as i32;
    let t_odd = u128::from(t >> a);
    // 5^27 > 2^62: beyond that no 64-bit odd part can match.
    let pow5 = |j: i32| -> Option<u128> { (j <= 27).then(|| 5u128.pow(j as u32)) };
    if k >= 0 {
        // m × 2^e == t_odd × 5^k × 2^(a + k)
        pow5(k).is_some_and(|p| u128::from(m) == t_odd * p && e == a + k)
    } else {
        // m × 5^j × 2^(e + j) == t_odd × 2^a, j = -k
        let j = -k;
        pow5(j).is_some_and(|p| u128::from(m) * p == t_odd && e + j == a)
    }
}

#[cfg(test)]
mod tests {
    use super::repr_parts;

    fn repr(v: f64) -> String {
        let (neg, digits, exp) = repr_parts(v);
        format!(
            "{}{}e{exp}",
            if neg { "-" } else { "" },
            String::from_utf8(digits).unwrap()
        )
    }

    /// The rule spelled out against the exact decimal expansion (slow).
    fn reference(v: f64) -> String {
        let sci = format!("{v:e}");
        let (mant, exp) = sci.split_once('e').unwrap();
        let neg = mant.starts_with('-');
        let digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
        let n = digits.len();
        let exact = format!("{:.800e}", v.abs());
        let (emant, eexp) = exact.split_once('e').unwrap();
        let edigits: Vec<u8> = emant.bytes().filter(|b| b.is_ascii_digit()).collect();
        let mut out = digits.clone();
        if eexp == exp && edigits.len() > n {
            let (head, rest) = edigits.split_at(n);
            let half = rest[0] == b'5' && rest[1..].iter().all(|&d| d == b'0');
            if half {
                // Of head and head + 1, the even one.
                let mut up = head.to_vec();
                if *up.last().unwrap() != b'9' {
                    *up.last_mut().unwrap() += 1;
                    let even = if head[n - 1] % 2 == 0 {
                        head.to_vec()
                    } else {
                        up
                    };
                    let text = format!(
                        "0.{}e{}",
                        String::from_utf8_lossy(&even),
                        eexp.parse::<i32>().unwrap() + 1
                    );
                    if text.parse::<f64>() == Ok(v.abs()) {
                        out = even;
                    }
                }
            }
        }
        format!(
            "{}{}e{exp}",
            if neg { "-" } else { "" },
            String::from_utf8(out).unwrap()
        )
    }

    #[test]
    fn ties_go_to_the_even_digit_as_in_python() {
        // repr() values from CPython 3.11.
        assert_eq!(repr(562949953421312.2), "5629499534213122e14");
        assert_eq!(repr(-562949953421312.2), "-5629499534213122e14");
        assert_eq!(repr(0.1), "1e-1");
        assert_eq!(repr(1e23), "1e23");
        assert_eq!(repr(5e-324), "5e-324");
        assert_eq!(repr(f64::MAX), "17976931348623157e308");
        assert_eq!(repr(0.3), "3e-1");
        assert_eq!(repr(5e-324 * 3.0), "15e-323");
    }

    #[test]
    fn fast_tie_detection_matches_the_exact_expansion() {
        let mut next = crate::test_rng::xorshift(0x2545F4914F6CDD1D);
        let mut ties = 0;
        for i in 0..40_000 {
            let v = if i % 2 == 0 {
                f64::from_bits(next())
            } else {
                // Tie-prone: a 53-bit mantissa with a few fractional bits.
                let m = (next() >> 11) | (1 << 52);
                m as f64 * 2f64.powi((next() % 17) as i32 - 8)
            };
            if !v.is_finite() {
                continue;
            }
            let (fast, slow) = (repr(v), reference(v));
            ties += usize::from(fast != format!("{v:e}").replace('.', ""));
            assert_eq!(fast, slow, "{v:e}");
        }
        assert!(ties > 10, "the sample must contain ties ({ties})");
    }
}
