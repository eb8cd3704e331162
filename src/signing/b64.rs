//! Base64 as itsdangerous and Starlette write and read it.
//!
//! Encoding is ordinary (url-safe without padding, or standard with padding).
//! Decoding reproduces CPython's non-strict `binascii.a2b_base64`, which is what
//! `base64.urlsafe_b64decode` / `base64.b64decode` call: characters outside the
//! alphabet are skipped, a pad sequence after two or three data characters ends
//! the input, and the bits of a non-canonical last character are dropped.

use super::error::{Result, SigningError};
use crate::b64::{self, Alphabet};

/// Url-safe base64 without `=` padding (itsdangerous `base64_encode`).
pub fn urlsafe_encode(data: &[u8]) -> String {
    b64::encode(data, Alphabet::UrlSafe, false)
}

/// Standard base64 with padding (`base64.b64encode`).
pub fn std_encode(data: &[u8]) -> String {
    b64::encode(data, Alphabet::Std, true)
}

const INVALID: u8 = 0xff;

const fn table() -> [u8; 256] {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
}

static STD_TABLE: [u8; 256] = table();

/// itsdangerous `base64_decode`: pad to a multiple of 4, map `-_` to `+/`, then
/// decode non-strictly. Non-ASCII input must already have been dropped by the
/// caller (itsdangerous encodes `str` with `errors="ignore"`).
pub fn lenient_urlsafe_decode(data: &[u8]) -> Result<Vec<u8>> {
    // Canonical input (what every encoder writes): the strict decoder, whose
    // result the lenient one would equal. Anything it refuses (padding, junk,
    // non-canonical last character) takes the lenient path below.
    if let Some(out) = b64::decode(data, Alphabet::UrlSafe) {
        return Ok(out);
    }
    lenient_urlsafe_slow(data)
}

fn lenient_urlsafe_slow(data: &[u8]) -> Result<Vec<u8>> {
    let pad = (4 - data.len() % 4) % 4;
    let mut translated = Vec::with_capacity(data.len() + pad);
    for &c in data {
        translated.push(match c {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        });
    }
    translated.extend(std::iter::repeat_n(b'=', pad));
    a2b_base64(&translated)
}

/// `base64.b64decode(data)` (non-strict, standard alphabet, no padding added).
pub fn lenient_std_decode(data: &[u8]) -> Result<Vec<u8>> {
    // Canonical padded input: strict decoding gives what a2b_base64 would.
    if let Some(out) = b64::decode_padded(data, Alphabet::Std) {
        return Ok(out);
    }
    a2b_base64(data)
}

/// CPython's non-strict `binascii.a2b_base64`.
pub fn a2b_base64(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    let mut quad_pos = 0u8;
    let mut left: u8 = 0;
    let mut pads = 0usize;
    for &c in data {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos as usize + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let v = STD_TABLE[c as usize];
        if v == INVALID {
            continue;
        }
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err(SigningError::Base64(format!(
            "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
            out.len() / 3 * 4 + 1
        ))),
        _ => Err(SigningError::Base64("Incorrect padding".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_leniency() {
        assert_eq!(urlsafe_encode(b"\xff\xfe"), "__4");
        assert_eq!(lenient_urlsafe_decode(b"__4").unwrap(), b"\xff\xfe");
        // padding, `+/` and junk are accepted
        assert_eq!(lenient_urlsafe_decode(b"//4=").unwrap(), b"\xff\xfe");
        assert_eq!(lenient_urlsafe_decode(b"_!_4=").unwrap(), b"\xff\xfe");
        assert!(lenient_urlsafe_decode(b"_!_4").is_err());
        // a non-canonical last character decodes to the same bytes
        assert_eq!(lenient_urlsafe_decode(b"__5").unwrap(), b"\xff\xfe");
        // one data character too many
        assert!(lenient_urlsafe_decode(b"a").is_err());
        assert_eq!(lenient_urlsafe_decode(b"").unwrap(), b"");
        // data after a complete pad sequence is ignored
        assert_eq!(a2b_base64(b"YQ==YWJj").unwrap(), b"a");
        assert_eq!(std_encode(b"a"), "YQ==");
        assert_eq!(
            lenient_std_decode(b"YQ=").unwrap_err().to_string(),
            "Incorrect padding"
        );
    }

    /// The strict fast paths agree with the lenient decoders on every input,
    /// canonical or not (random strings over the alphabet plus pad and junk).
    #[test]
    fn fast_paths_match_lenient_decoding() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=!.";
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for round in 0..200_000 {
            let len = (next() % 24) as usize;
            // half the rounds: canonical encodings of random bytes
            let data: Vec<u8> = if round % 2 == 0 {
                let raw: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                if round % 4 == 0 {
                    urlsafe_encode(&raw).into_bytes()
                } else {
                    std_encode(&raw).into_bytes()
                }
            } else {
                let n = alphabet.len() as u64;
                (0..len).map(|_| alphabet[(next() % n) as usize]).collect()
            };
            let fast = lenient_urlsafe_decode(&data).map_err(|e| e.to_string());
            let slow = lenient_urlsafe_slow(&data).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(&data));
            let fast = lenient_std_decode(&data).map_err(|e| e.to_string());
            let slow = a2b_base64(&data).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(&data));
        }
    }
}
