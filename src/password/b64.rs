//! The base64 flavours stored password hashes are written in.

use base64::alphabet::{Alphabet, BCRYPT, STANDARD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

const LENIENT_NO_PAD: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(true);

/// PHC strings: standard alphabet, no padding (argon2, `$scrypt$`).
pub const PHC: GeneralPurpose = GeneralPurpose::new(&STANDARD, LENIENT_NO_PAD);

/// Django's PBKDF2 and scrypt hashes: standard alphabet with padding.
pub const STANDARD_PADDED: GeneralPurpose = base64::engine::general_purpose::STANDARD;

// ok: a constant 64-character alphabet with no duplicates; checked by the test below.
const AB64_ALPHABET: Alphabet =
    match Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./") {
        Ok(a) => a,
        Err(_) => STANDARD,
    };

/// passlib's "adapted base64": standard with `.` for `+`, no padding.
pub const AB64: GeneralPurpose = GeneralPurpose::new(&AB64_ALPHABET, LENIENT_NO_PAD);

/// bcrypt's own alphabet, no padding.
pub const BCRYPT64: GeneralPurpose = GeneralPurpose::new(&BCRYPT, LENIENT_NO_PAD);

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Decode lowercase hex, as `bytes.hex()` writes it. Anything else is `None`.
pub fn unhex_lower(text: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

pub fn encode(engine: &GeneralPurpose, bytes: &[u8]) -> String {
    engine.encode(bytes)
}

pub fn decode(engine: &GeneralPurpose, text: &str) -> Option<Vec<u8>> {
    engine.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ab64_is_standard_with_dot() {
        let bytes = [0xfbu8, 0xff, 0xbf];
        assert_eq!(encode(&PHC, &bytes), "+/+/");
        assert_eq!(encode(&AB64, &bytes), "././");
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(unhex_lower("00abff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(unhex_lower("00ABFF"), None);
        assert_eq!(unhex_lower("0"), None);
    }
}
