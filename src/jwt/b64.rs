//! Unpadded base64url, as PyJWT writes it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The two symbols of every 12-bit value: one lookup per half of a 3-byte group
/// (8 KiB, hot in L1 while tokens are being written).
static PAIRS: [[u8; 2]; 4096] = {
    let mut t = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = [ALPHABET[i >> 6], ALPHABET[i & 63]];
        i += 1;
    }
    t
};

/// Append the unpadded base64url form of `data` to `out`.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let sym = |n: u32, shift: u32| ALPHABET[((n >> shift) & 63) as usize];
    let chunks = data.chunks_exact(3);
    let rest = chunks.remainder();
    let start = out.len();
    out.resize(start + data.len() / 3 * 4, 0);
    for (c, o) in chunks.zip(out[start..].chunks_exact_mut(4)) {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        let (hi, lo) = (PAIRS[(n >> 12) as usize], PAIRS[(n & 0xfff) as usize]);
        o.copy_from_slice(&[hi[0], hi[1], lo[0], lo[1]]);
    }
    match *rest {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend_from_slice(&[sym(n, 18), sym(n, 12)]);
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.extend_from_slice(&[sym(n, 18), sym(n, 12), sym(n, 6)]);
        }
        _ => {}
    }
}

/// base64url alphabet value of each byte; 0xff for bytes outside the alphabet.
const DECODE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The decoded length of an unpadded base64url segment; None when no segment of
/// that length is valid (a remainder of one symbol).
pub fn decoded_len(seg: &[u8]) -> Option<usize> {
    match seg.len() % 4 {
        1 => None,
        0 => Some(seg.len() / 4 * 3),
        r => Some(seg.len() / 4 * 3 + r - 1),
    }
}

/// Decode unpadded base64url into `out`, as strictly as the `base64` crate's
/// `URL_SAFE_NO_PAD` engine: no padding, no other characters, and the unused low
/// bits of a final partial group must be zero (the canonical encoding). None on
/// anything else. A table-driven loop: the generic engine is about twice as slow
/// on token-sized input.
pub fn decode_strict(seg: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let n = decoded_len(seg)?;
    let start = out.len();
    out.resize(start + n, 0);
    decode_strict_to(seg, &mut out[start..]).map(|_| ())
}

/// [`decode_strict`] into the front of `out` (e.g. a stack buffer for a
/// signature), returning the decoded length; None also when `out` is too short.
pub fn decode_strict_to(seg: &[u8], out: &mut [u8]) -> Option<usize> {
    let n = decoded_len(seg)?;
    let out = out.get_mut(..n)?;
    let chunks = seg.chunks_exact(4);
    let rest = chunks.remainder();
    let (body, tail) = out.split_at_mut(seg.len() / 4 * 3);
    let mut bad = 0u8;
    for (c, o) in chunks.zip(body.chunks_exact_mut(3)) {
        let (a, b, x, d) = (
            DECODE[c[0] as usize],
            DECODE[c[1] as usize],
            DECODE[c[2] as usize],
            DECODE[c[3] as usize],
        );
        bad |= a | b | x | d;
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(x) << 6) | u32::from(d);
        o[0] = (n >> 16) as u8;
        o[1] = (n >> 8) as u8;
        o[2] = n as u8;
    }
    if bad & 0x80 != 0 {
        return None;
    }
    match (rest, tail) {
        ([], []) => {}
        ([a, b], [o0]) => {
            let (a, b) = (DECODE[*a as usize], DECODE[*b as usize]);
            if (a | b) & 0x80 != 0 || b & 0x0f != 0 {
                return None;
            }
            *o0 = (a << 2) | (b >> 4);
        }
        ([a, b, x], [o0, o1]) => {
            let (a, b, x) = (
                DECODE[*a as usize],
                DECODE[*b as usize],
                DECODE[*x as usize],
            );
            if (a | b | x) & 0x80 != 0 || x & 0x03 != 0 {
                return None;
            }
            *o0 = (a << 2) | (b >> 4);
            *o1 = (b << 4) | (x >> 2);
        }
        _ => return None, // ok: decoded_len sized `tail` for `rest`
    }
    Some(n)
}

/// The unpadded base64url form of `data`.
pub fn encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_without_padding() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg");
        assert_eq!(encode(b"fo"), "Zm8");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        let mut out = b"x.".to_vec();
        encode_into(b"foob", &mut out);
        assert_eq!(out, b"x.Zm9vYg");
        // The table encoder against the base64 crate, every length 0..300.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 151 + 7) as u8).collect();
        for n in 0..data.len() {
            let mut ours = Vec::new();
            encode_into(&data[..n], &mut ours);
            assert_eq!(ours, URL_SAFE_NO_PAD.encode(&data[..n]).into_bytes());
        }
    }

    #[test]
    fn strict_decoder_agrees_with_the_base64_crate() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        // Every string of length 0..=6 over a small alphabet that includes
        // invalid characters, padding, and values with non-zero trailing bits.
        let chars = b"AQgw-_/+=.";
        let mut seg = Vec::new();
        fn walk(seg: &mut Vec<u8>, chars: &[u8], depth: usize) {
            let mut ours = Vec::new();
            let got = decode_strict(seg, &mut ours).map(|()| ours);
            assert_eq!(got, URL_SAFE_NO_PAD.decode(&seg).ok(), "{seg:?}");
            if depth < 6 {
                for &c in chars {
                    seg.push(c);
                    walk(seg, chars, depth + 1);
                    seg.pop();
                }
            }
        }
        walk(&mut seg, chars, 0);
        // The slice form agrees, and refuses a buffer that is too short.
        let mut buf = [0u8; 8];
        assert_eq!(decode_strict_to(b"Zm9vYg", &mut buf), Some(4));
        assert_eq!(&buf[..4], b"foob");
        assert_eq!(decode_strict_to(b"Zm9vYg", &mut buf[..3]), None);
        assert_eq!(decode_strict_to(b"Zm9vY", &mut buf), None);
        assert_eq!(decode_strict_to(b"Zm9vYh", &mut buf), None);
        let text = encode(b"any carnal pleasure, and then some");
        let mut out = Vec::new();
        decode_strict(text.as_bytes(), &mut out).unwrap();
        assert_eq!(out, b"any carnal pleasure, and then some");
    }
}
