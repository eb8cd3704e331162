//! The digits of Python's `float.__repr__`: the shortest decimal that reads
//! back to the same double and, when two such decimals of that length exist,
//! the one nearer the double's exact value, ties going to the even last digit
//! (David Gay's `dtoa` mode 0, which CPython uses).
//!
//! Rust's `{:e}` also prints a shortest round-tripping decimal, but on such a
//! tie it may pick the other one: `562949953421312.25` (exactly representable)
//! is `562949953421312.2` in Python and `562949953421312.3` from `{:e}`. The
//! signing and JWT writers must match `json.dumps` byte for byte, so the last
//! digit is re-decided here against the exact decimal expansion.

/// `(negative, digits, exponent)` with `value = ±0.d1d2… × 10^(exponent + 1)`,
/// i.e. `d1.d2… × 10^exponent`, for a finite `v`.
pub fn repr_parts(v: f64) -> (bool, Vec<u8>, i32) {
    let (negative, mut digits, exp) = split(&format!("{v:e}"));
    let n = digits.len();
    // The value to 24 more digits decides every case but a (near) tie, which
    // needs the exact expansion (at most 767 significant digits): rare, slower.
    let approx = split(&format!("{:.*e}", n + 23, v.abs()));
    let looks_tied = approx.2 == exp
        && approx.1.len() > n
        && approx.1[n] == b'5'
        && approx.1[n + 1..].iter().all(|&d| d == b'0');
    let (_, exact, exact_exp) = if looks_tied {
        split(&format!("{:.800e}", v.abs()))
    } else {
        approx
    };
    if exact_exp != exp || exact.len() <= n {
        return (negative, digits, exp);
    }
    let (head, rest) = exact.split_at(n);
    if rest.iter().all(|&d| d == b'0') {
        return (negative, digits, exp); // the shortest digits are exact
    }
    // The two n-digit candidates around the exact value: `head` and `head + 1`.
    let Some(up) = increment(head) else {
        return (negative, digits, exp); // a carry makes it shorter: `{:e}` had that
    };
    let half = rest[0] == b'5' && rest[1..].iter().all(|&d| d == b'0');
    let nearer_up = rest[0] > b'5' || (rest[0] == b'5' && !half);
    let preferred = if half {
        if head[n - 1] % 2 == 0 {
            head.to_vec()
        } else {
            up
        }
    } else if nearer_up {
        up
    } else {
        head.to_vec()
    };
    if preferred != digits && reads_back(&preferred, exp, v.abs()) {
        digits = preferred;
    }
    (negative, digits, exp)
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

/// `digits + 1` in the last place, or `None` when that carries out of the last digit.
fn increment(digits: &[u8]) -> Option<Vec<u8>> {
    let mut out = digits.to_vec();
    let last = out.last_mut()?;
    if *last == b'9' {
        return None;
    }
    *last += 1;
    Some(out)
}

fn reads_back(digits: &[u8], exp: i32, v: f64) -> bool {
    let text = format!("0.{}e{}", String::from_utf8_lossy(digits), exp + 1);
    text.parse::<f64>() == Ok(v)
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
}
