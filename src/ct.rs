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

    #[test]
    fn equal_and_unequal() {
        assert!(eq(b"", b""));
        assert!(eq(b"abc", b"abc"));
        assert!(!eq(b"abc", b"abd"));
        assert!(!eq(b"abc", b"ab"));
        assert!(!eq(b"", b"a"));
    }
}
