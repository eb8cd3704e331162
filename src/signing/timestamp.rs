//! itsdangerous timestamps: big-endian u64 with leading zero bytes stripped.

use super::error::{Result, SigningError};

pub fn int_to_bytes(n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let first = b.iter().position(|&x| x != 0).unwrap_or(8);
    b[first..].to_vec()
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
        assert_eq!(int_to_bytes(0), b"");
        assert_eq!(int_to_bytes(1700000000), b"\x65\x53\xf1\x00");
        assert_eq!(bytes_to_int(b"\x65\x53\xf1\x00").unwrap(), 1700000000);
        assert_eq!(bytes_to_int(b"").unwrap(), 0);
        assert!(bytes_to_int(&[1; 9]).is_err());
    }
}
