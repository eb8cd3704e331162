//! itsdangerous timestamps: big-endian u64 with leading zero bytes stripped.

use super::error::{Result, SigningError};

/// The big-endian bytes of `n` and where its stripped form starts, without
/// allocating.
pub fn be_bytes(n: u64) -> ([u8; 8], usize) {
    (n.to_be_bytes(), (n.leading_zeros() / 8) as usize)
}

/// Fails for more than 8 bytes, as `struct.unpack(">Q", ...)` does.
pub fn bytes_to_int(b: &[u8]) -> Result<u64> {
    if b.len() > 8 {
        return Err(SigningError::Malformed("Malformed timestamp".into()));
    }
    Ok(b.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_and_restore() {
        let stripped = |n| {
            let (b, first) = be_bytes(n);
            b[first..].to_vec()
        };
        assert_eq!(stripped(0), b"");
        assert_eq!(stripped(1700000000), b"\x65\x53\xf1\x00");
        assert_eq!(stripped(u64::MAX), [0xff; 8]);
        assert_eq!(bytes_to_int(b"\x65\x53\xf1\x00").unwrap(), 1700000000);
        assert_eq!(bytes_to_int(b"").unwrap(), 0);
        assert!(bytes_to_int(&[1; 9]).is_err());
    }
}
