//! Canonical base64, standard and url-safe, as every token format here writes
//! it (JWT segments, itsdangerous and Django payloads and signatures, Starlette
//! cookies). Table-driven loops: on token-sized input the `base64` crate's
//! generic engine costs about twice as much.
//!
//! Decoding here is strict — only what an encoder writes. The lenient decoders
//! the peers use on input (`binascii.a2b_base64`) live with the formats that
//! need them and try this first.

/// Which 64 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `+` and `/` (RFC 4648 §4).
    Std,
    /// `-` and `_` (RFC 4648 §5).
    UrlSafe,
}

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Each byte's value in `alphabet`; 0xff for bytes outside it.
const fn decode_table(alphabet: &[u8; 64]) -> [u8; 256] {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
}

static STD_DECODE: [u8; 256] = decode_table(STD);
static URL_SAFE_DECODE: [u8; 256] = decode_table(URL_SAFE);

/// The two symbols of every 12-bit value: one lookup per half of a 3-byte group
/// (8 KiB per alphabet, hot in L1 while tokens are being written).
const fn pair_table(alphabet: &[u8; 64]) -> [[u8; 2]; 4096] {
    let mut t = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = [alphabet[i >> 6], alphabet[i & 63]];
        i += 1;
    }
    t
}

static STD_PAIRS: [[u8; 2]; 4096] = pair_table(STD);
static URL_SAFE_PAIRS: [[u8; 2]; 4096] = pair_table(URL_SAFE);

impl Alphabet {
    fn chars(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Std => STD,
            Alphabet::UrlSafe => URL_SAFE,
        }
    }

    fn pairs(self) -> &'static [[u8; 2]; 4096] {
        match self {
            Alphabet::Std => &STD_PAIRS,
            Alphabet::UrlSafe => &URL_SAFE_PAIRS,
        }
    }

    fn values(self) -> &'static [u8; 256] {
        match self {
            Alphabet::Std => &STD_DECODE,
            Alphabet::UrlSafe => &URL_SAFE_DECODE,
        }
    }
}

/// Append the base64 of `data` to `out`, with `=` padding or without.
pub fn encode_into(data: &[u8], alphabet: Alphabet, pad: bool, out: &mut Vec<u8>) {
    let chars = alphabet.chars();
    let pairs = alphabet.pairs();
    let sym = |n: u32, shift: u32| chars[((n >> shift) & 63) as usize];
    let whole = data.len() / 3 * 3;
    let rest = &data[whole..];
    let start = out.len();
    out.resize(start + whole / 3 * 4, 0);
    let dst = &mut out[start..];
    // Six bytes (eight symbols) per step from one big-endian 8-byte load while
    // eight bytes remain to be read: byte at a time, each group of three took
    // two dozen instructions.
    let mut done = 0;
    while let (Some(word), Some(o)) = (data.get(done..done + 8), dst.get_mut(done / 3 * 4..)) {
        let (Ok(word), Some(o)) = (<[u8; 8]>::try_from(word), o.get_mut(..8)) else {
            break; // ok: unreachable, both slices are 8 long
        };
        let n = u64::from_be_bytes(word);
        let p = |shift: u32| pairs[((n >> shift) & 0xfff) as usize];
        let (a, b, c, d) = (p(52), p(40), p(28), p(16));
        o.copy_from_slice(&[a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]]);
        done += 6;
    }
    for (c, o) in data[done..whole]
        .chunks_exact(3)
        .zip(dst[done / 3 * 4..].chunks_exact_mut(4))
    {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        let (hi, lo) = (pairs[(n >> 12) as usize], pairs[(n & 0xfff) as usize]);
        o.copy_from_slice(&[hi[0], hi[1], lo[0], lo[1]]);
    }
    match *rest {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend_from_slice(&[sym(n, 18), sym(n, 12)]);
            if pad {
                out.extend_from_slice(b"==");
            }
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.extend_from_slice(&[sym(n, 18), sym(n, 12), sym(n, 6)]);
            if pad {
                out.push(b'=');
            }
        }
        _ => {}
    }
}

/// The base64 of `data` as a `String`.
pub fn encode(data: &[u8], alphabet: Alphabet, pad: bool) -> String {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    encode_into(data, alphabet, pad, &mut out);
    // Every byte pushed is from the ASCII alphabet or `=`.
    String::from_utf8(out).unwrap_or_default()
}

/// The decoded length of unpadded base64 of this length; None when no input of
/// that length is valid (a remainder of one symbol).
pub fn decoded_len(seg: &[u8]) -> Option<usize> {
    match seg.len() % 4 {
        1 => None,
        0 => Some(seg.len() / 4 * 3),
        r => Some(seg.len() / 4 * 3 + r - 1),
    }
}

/// Decode unpadded base64 into the front of `out` (e.g. a stack buffer for a
/// signature), returning the decoded length. Strict, as an encoder writes it:
/// no padding, no other characters, and the unused low bits of a final partial
/// group zero. None on anything else, or when `out` is too short.
pub fn decode_to(seg: &[u8], alphabet: Alphabet, out: &mut [u8]) -> Option<usize> {
    let n = decoded_len(seg)?;
    let out = out.get_mut(..n)?;
    let values = alphabet.values();
    let v = |c: u8| values[c as usize];
    let (body, tail) = out.split_at_mut(seg.len() / 4 * 3);
    let mut bad = 0u8;
    // Whole 32-symbol blocks with AVX2 where the CPU has it (a 342-symbol RSA
    // signature is ten of them); the rest, or a block with a byte outside the
    // alphabet, continues below.
    #[cfg(target_arch = "x86_64")]
    let (seg, body) = {
        let done = if seg.len() >= 32 && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above).
            unsafe { avx2::decode_blocks(seg, alphabet, body) }
        } else {
            0
        };
        (&seg[done..], &mut body[done / 4 * 3..])
    };
    // Eight symbols (48 bits) per step while they last: one big-endian word
    // built from the table values, its low six bytes stored.
    let wide = seg.len() / 8;
    let (body8, body) = body.split_at_mut(wide * 6);
    let (seg8, seg4) = seg.split_at(wide * 8);
    let mut bad8 = 0u64;
    for (c, o) in seg8.chunks_exact(8).zip(body8.chunks_exact_mut(6)) {
        let mut n = 0u64;
        for &sym in c {
            let x = u64::from(v(sym));
            bad8 |= x;
            n = (n << 6) | x;
        }
        o.copy_from_slice(&n.to_be_bytes()[2..]);
    }
    if bad8 & 0x80 != 0 {
        return None;
    }
    let chunks = seg4.chunks_exact(4);
    let rest = chunks.remainder();
    for (c, o) in chunks.zip(body.chunks_exact_mut(3)) {
        let (a, b, x, d) = (v(c[0]), v(c[1]), v(c[2]), v(c[3]));
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
            let (a, b) = (v(*a), v(*b));
            if (a | b) & 0x80 != 0 || b & 0x0f != 0 {
                return None;
            }
            *o0 = (a << 2) | (b >> 4);
        }
        ([a, b, x], [o0, o1]) => {
            let (a, b, x) = (v(*a), v(*b), v(*x));
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

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! 32 symbols per step: classify each byte by range compares (no lookup
    //! tables to get wrong per alphabet), add its offset to get the 6-bit value,
    //! and pack four values into three bytes with two multiply-adds and a shuffle.

    use super::Alphabet;
    use std::arch::x86_64::*;

    /// Decode whole 32-symbol blocks of `seg` into `out` (24 bytes each) and
    /// return how many symbols were done: a multiple of 32, stopping before the
    /// first block with a byte outside `alphabet` (the caller's scalar code then
    /// rejects it) or when `out` has no room for another block.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn decode_blocks(seg: &[u8], alphabet: Alphabet, out: &mut [u8]) -> usize {
        // The two specials and what to add to each to get 62 and 63.
        let (c62, c63) = match alphabet {
            Alphabet::Std => (b'+', b'/'),
            Alphabet::UrlSafe => (b'-', b'_'),
        };
        let set = |b: i32| _mm256_set1_epi8(b as i8);
        let within = |x: __m256i, lo: u8, hi: u8| {
            // Signed compares: bytes >= 0x80 are negative, so never in range.
            _mm256_and_si256(
                _mm256_cmpgt_epi8(x, set(i32::from(lo) - 1)),
                _mm256_cmpgt_epi8(set(i32::from(hi) + 1), x),
            )
        };
        // Output byte order within each 128-bit lane: three big-endian bytes
        // per 32-bit word, the last four bytes unused.
        let order = _mm256_setr_epi8(
            2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4, 10, 9, 8, 14,
            13, 12, -1, -1, -1, -1,
        );
        let mut done = 0;
        while let (Some(block), Some(dst)) = (
            seg.get(done..done + 32),
            out.get_mut(done / 4 * 3..done / 4 * 3 + 24),
        ) {
            // SAFETY: `block` is 32 readable bytes; the load is unaligned.
            let x = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
            let upper = within(x, b'A', b'Z');
            let lower = within(x, b'a', b'z');
            let digit = within(x, b'0', b'9');
            let is62 = _mm256_cmpeq_epi8(x, set(i32::from(c62)));
            let is63 = _mm256_cmpeq_epi8(x, set(i32::from(c63)));
            let valid = _mm256_or_si256(
                _mm256_or_si256(upper, lower),
                _mm256_or_si256(digit, _mm256_or_si256(is62, is63)),
            );
            if _mm256_movemask_epi8(valid) != -1 {
                break;
            }
            let offset = _mm256_or_si256(
                _mm256_or_si256(
                    _mm256_and_si256(upper, set(-65)),
                    _mm256_and_si256(lower, set(-71)),
                ),
                _mm256_or_si256(
                    _mm256_and_si256(digit, set(4)),
                    _mm256_or_si256(
                        _mm256_and_si256(is62, set(62 - i32::from(c62))),
                        _mm256_and_si256(is63, set(63 - i32::from(c63))),
                    ),
                ),
            );
            let values = _mm256_add_epi8(x, offset);
            // Pairs of 6-bit values into 12 bits, then pairs of those into 24.
            let pairs = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x0140_0140));
            let words = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x0001_1000));
            let packed = _mm256_shuffle_epi8(words, order);
            let mut buf = [0u8; 32];
            // SAFETY: `buf` is 32 writable bytes; the store is unaligned.
            unsafe { _mm256_storeu_si256(buf.as_mut_ptr().cast(), packed) };
            dst[..12].copy_from_slice(&buf[..12]);
            dst[12..].copy_from_slice(&buf[16..28]);
            done += 32;
        }
        done
    }
}

/// [`decode_to`], appending to `out`.
pub fn decode_into(seg: &[u8], alphabet: Alphabet, out: &mut Vec<u8>) -> Option<()> {
    let n = decoded_len(seg)?;
    let start = out.len();
    out.resize(start + n, 0);
    decode_to(seg, alphabet, &mut out[start..]).map(|_| ())
}

/// [`decode_to`] a new vector.
pub fn decode(seg: &[u8], alphabet: Alphabet) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decode_into(seg, alphabet, &mut out).map(|()| out)
}

/// Decode base64 with canonical `=` padding (length a multiple of 4, padding
/// only as the encoder writes it), strictly otherwise.
pub fn decode_padded(seg: &[u8], alphabet: Alphabet) -> Option<Vec<u8>> {
    if seg.len() % 4 != 0 {
        return None;
    }
    let body = seg
        .strip_suffix(b"==")
        .or_else(|| seg.strip_suffix(b"="))
        .unwrap_or(seg);
    decode(body, alphabet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;

    #[test]
    fn rfc4648_vectors() {
        for (raw, padded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(raw.as_bytes(), Alphabet::Std, true), padded);
            assert_eq!(
                encode(raw.as_bytes(), Alphabet::UrlSafe, false),
                padded.trim_end_matches('=')
            );
            assert_eq!(
                decode_padded(padded.as_bytes(), Alphabet::Std).unwrap(),
                raw.as_bytes()
            );
        }
        assert_eq!(encode(&[0xfb, 0xff], Alphabet::UrlSafe, false), "-_8");
        assert_eq!(encode(&[0xfb, 0xff], Alphabet::Std, true), "+/8=");
    }

    #[test]
    fn encoders_agree_with_the_base64_crate() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 151 + 7) as u8).collect();
        for n in 0..data.len() {
            assert_eq!(
                encode(&data[..n], Alphabet::Std, true),
                STANDARD.encode(&data[..n])
            );
            assert_eq!(
                encode(&data[..n], Alphabet::UrlSafe, false),
                URL_SAFE_NO_PAD.encode(&data[..n])
            );
        }
    }

    #[test]
    fn appending_encoder_agrees_with_the_base64_crate() {
        // The token writer appends the payload, timestamp and signature to a
        // buffer already holding text: the eight-symbol steps must index from
        // where the buffer's new part starts, at every length and alignment.
        let mut next = crate::test_rng::xorshift(0xb64);
        let data: Vec<u8> = (0..200).map(|_| next() as u8).collect();
        for n in 0..data.len() {
            for prefix in [&b""[..], b"x", b"abcde."] {
                let mut out = prefix.to_vec();
                encode_into(&data[..n], Alphabet::UrlSafe, false, &mut out);
                let mut want = prefix.to_vec();
                want.extend_from_slice(URL_SAFE_NO_PAD.encode(&data[..n]).as_bytes());
                assert_eq!(out, want, "len {n}");
                let mut out = prefix.to_vec();
                encode_into(&data[..n], Alphabet::Std, true, &mut out);
                let mut want = prefix.to_vec();
                want.extend_from_slice(STANDARD.encode(&data[..n]).as_bytes());
                assert_eq!(out, want, "len {n}");
            }
        }
    }

    /// Every string of length 0..=6 over a small set of characters that mixes
    /// both alphabets' specials, padding, junk and values with non-zero trailing
    /// bits: ours accept exactly what the base64 crate's strict engines accept,
    /// with the same output.
    #[test]
    fn strict_decoders_agree_with_the_base64_crate() {
        fn walk(seg: &mut Vec<u8>, depth: usize) {
            assert_eq!(
                decode(seg, Alphabet::UrlSafe),
                URL_SAFE_NO_PAD.decode(&seg).ok(),
                "{seg:?}"
            );
            assert_eq!(
                decode_padded(seg, Alphabet::Std),
                STANDARD.decode(&seg).ok(),
                "{seg:?}"
            );
            if depth < 6 {
                for &c in b"AQgw-_/+=." {
                    seg.push(c);
                    walk(seg, depth + 1);
                    seg.pop();
                }
            }
        }
        walk(&mut Vec::new(), 0);
    }

    /// Long enough for the eight-symbol steps: every length up to 80 symbols
    /// round-trips, and one bad symbol anywhere (in a wide step, a four-symbol
    /// step or the tail) is rejected.
    #[test]
    fn wide_steps_decode_and_reject_like_the_base64_crate() {
        let data: Vec<u8> = (0..60u32).map(|i| (i * 97 + 13) as u8).collect();
        for n in 0..data.len() {
            let seg = URL_SAFE_NO_PAD.encode(&data[..n]).into_bytes();
            assert_eq!(decode(&seg, Alphabet::UrlSafe).as_deref(), Some(&data[..n]));
            let std = STANDARD.encode(&data[..n]).into_bytes();
            assert_eq!(
                decode_padded(&std, Alphabet::Std).as_deref(),
                Some(&data[..n])
            );
            let mut mixed = std.clone();
            mixed.retain(|&c| c != b'=');
            if mixed.iter().any(|&c| c == b'+' || c == b'/') {
                assert_eq!(decode(&mixed, Alphabet::UrlSafe), None);
            }
            for at in 0..seg.len() {
                for bad in [b'=', b'+', b'.', 0xff] {
                    let mut broken = seg.clone();
                    broken[at] = bad;
                    assert_eq!(decode(&broken, Alphabet::UrlSafe), None, "{n} {at} {bad}");
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_blocks_stop_at_the_first_bad_block() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let data: Vec<u8> = (0..=255u8).collect();
        let seg = URL_SAFE_NO_PAD.encode(&data).into_bytes(); // 342 symbols
        let mut out = [0u8; 256];
        // SAFETY: AVX2 is available (checked above).
        let done = unsafe { avx2::decode_blocks(&seg, Alphabet::UrlSafe, &mut out) };
        assert_eq!(done, 320);
        assert_eq!(&out[..240], &data[..240]);
        let mut broken = seg.clone();
        broken[100] = b'+';
        // SAFETY: as above.
        let done = unsafe { avx2::decode_blocks(&broken, Alphabet::UrlSafe, &mut out) };
        assert_eq!(done, 96);
        // SAFETY: as above; an output too short for a block stops it.
        let done = unsafe { avx2::decode_blocks(&seg, Alphabet::UrlSafe, &mut out[..23]) };
        assert_eq!(done, 0);
    }

    #[test]
    fn slice_decoding_and_length_rules() {
        let mut buf = [0u8; 8];
        assert_eq!(decode_to(b"Zm9vYg", Alphabet::UrlSafe, &mut buf), Some(4));
        assert_eq!(&buf[..4], b"foob");
        assert_eq!(decode_to(b"Zm9vYg", Alphabet::UrlSafe, &mut buf[..3]), None);
        assert_eq!(decode_to(b"Zm9vY", Alphabet::UrlSafe, &mut buf), None);
        assert_eq!(decode_to(b"Zm9vYh", Alphabet::UrlSafe, &mut buf), None);
        let mut out = b"x.".to_vec();
        encode_into(b"foob", Alphabet::UrlSafe, false, &mut out);
        assert_eq!(out, b"x.Zm9vYg");
        decode_into(b"YQ", Alphabet::UrlSafe, &mut out).unwrap();
        assert_eq!(out, b"x.Zm9vYga");
    }
}
