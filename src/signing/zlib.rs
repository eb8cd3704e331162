//! zlib as CPython's `zlib.compress` (level 6 = Z_DEFAULT_COMPRESSION, 15-bit
//! window, memLevel 8) and `zlib.decompress`. Deflate of up to
//! `deflate::MAX_EXACT_LEN` bytes is our own byte-identical copy of zlib's
//! (`crate::deflate`, no per-call stream setup); longer inputs and inflate use
//! the real madler zlib.

use std::cell::RefCell;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use super::error::{Result, SigningError};

thread_local! {
    // deflateInit allocates ~256 KiB; a reset stream produces the same bytes.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(6), true));
}

/// Inputs shorter than this never compress to fewer than `len - 1` bytes, the
/// rule itsdangerous and Django use to keep a compressed payload, so they skip
/// zlib (resetting the stream and building the Huffman trees cost microseconds
/// even for a few bytes).
///
/// Why 12: a zlib stream is a 2-byte header, the deflate data and a 4-byte
/// Adler-32. For a non-empty input the deflate data is at least 3 bytes: a stored
/// block needs a byte of block header plus 4 length bytes; a fixed-Huffman block
/// needs 3 header bits, the first input byte as a literal (at least 8 bits, since
/// a match can only copy earlier bytes) and the 7-bit end-of-block code; a dynamic
/// block adds a header of more than 29 bits to that. With a second byte there is
/// at least one more symbol (a literal, >= 8 bits, or a length and distance, >= 12
/// bits), so 3 + 8 + 8 + 7 = 26 bits: 4 bytes. So `len(c) >= 10` for every input
/// of 2 or more bytes (and >= 8 for 0 or 1 bytes), and `len(c) < len - 1` needs
/// `len >= 12`. It is one byte from tight: zlib (level 6) writes a literal, a
/// literal and a match for a run of equal bytes, so thirteen equal bytes are the
/// shortest input it shrinks enough (to 11). Checked against real zlib in the
/// Rust and Python tests.
pub const MIN_COMPRESSIBLE_LEN: usize = 12;

/// `zlib.compress(data)` when that is shorter than `data.len() - 1` (the rule
/// both itsdangerous and Django apply), else None.
pub fn compress_if_smaller(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < MIN_COMPRESSIBLE_LEN {
        return None;
    }
    // Our deflate knows the exact length before writing a bit, so a payload
    // that would not be kept costs only the parse and the tree building.
    if let Some(kept) = crate::deflate::compress_if_shorter(data, data.len() - 1) {
        return kept;
    }
    let compressed = compress_zlib(data);
    (compressed.len() + 1 < data.len()).then_some(compressed)
}

/// `zlib.compress(data)`: byte for byte what CPython returns.
pub fn compress(data: &[u8]) -> Vec<u8> {
    crate::deflate::compress(data).unwrap_or_else(|| compress_zlib(data))
}

/// The same through real zlib (past our deflate's bound, and as its oracle).
pub fn compress_zlib(data: &[u8]) -> Vec<u8> {
    DEFLATE.with(|cell| {
        let Ok(mut z) = cell.try_borrow_mut() else {
            return compress_fresh(data); // ok: re-entrancy cannot happen, but stay correct
        };
        z.reset();
        let mut out = Vec::with_capacity(data.len() + data.len() / 1000 + 64);
        match z.compress_vec(data, &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => out,
            _ => compress_fresh(data),
        }
    })
}

fn compress_fresh(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::with_capacity(data.len() / 2 + 16), Compression::new(6));
    if enc.write_all(data).is_err() {
        return Vec::new(); // ok: unreachable, Vec writes are infallible
    }
    enc.finish().unwrap_or_default()
}

thread_local! {
    static INFLATE: RefCell<Decompress> = RefCell::new(Decompress::new(true));
}

/// Inflate a complete zlib stream, refusing output larger than `limit` bytes.
/// Like `zlib.decompress`, a stream that ends early is an error and bytes after
/// the end of the stream are ignored.
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>> {
    // Token-sized streams: the table-free inflater, which answers only when
    // its answer is zlib's; zlib itself for the rest and for every error.
    if let Some(out) = crate::inflate::inflate(data, limit) {
        return Ok(out);
    }
    INFLATE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut z) => {
            z.reset(true);
            inflate_with(&mut z, data, limit)
        }
        Err(_) => inflate_with(&mut Decompress::new(true), data, limit), // ok: not re-entrant
    })
}

fn inflate_with(z: &mut Decompress, data: &[u8], limit: usize) -> Result<Vec<u8>> {
    let err =
        |what: &str| SigningError::Decompress(format!("Error -3 while decompressing data: {what}"));
    let mut out = Vec::with_capacity((data.len() * 4).clamp(64, limit.max(64)));
    loop {
        let consumed = z.total_in() as usize;
        let input = data.get(consumed..).unwrap_or(&[]);
        if out.len() == out.capacity() {
            if out.len() > limit {
                return Err(SigningError::LimitExceeded(format!(
                    "decompressed payload is larger than {limit} bytes"
                )));
            }
            let grow = out.len().max(64).min(limit + 1 - out.len());
            out.reserve(grow);
        }
        let before_out = z.total_out();
        let status = z
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|e| err(&e.to_string()))?;
        match status {
            Status::StreamEnd => {
                if out.len() > limit {
                    return Err(SigningError::LimitExceeded(format!(
                        "decompressed payload is larger than {limit} bytes"
                    )));
                }
                // Bytes after the end of the stream are ignored, as by zlib.decompress.
                return Ok(out);
            }
            _ => {
                let progressed = z.total_in() as usize != consumed || z.total_out() != before_out;
                if !progressed && out.len() < out.capacity() {
                    // No progress with room to write: the input is truncated.
                    return Err(err("incomplete or truncated stream"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation() {
        let data = b"{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}";
        let c = compress(data);
        // zlib header for level 6 as CPython writes it
        assert_eq!(&c[..2], b"\x78\x9c");
        assert_eq!(decompress(&c, 1 << 20).unwrap(), data);
        assert!(decompress(&c[..c.len() - 3], 1 << 20).is_err());
        // trailing bytes after the stream are ignored, as zlib.decompress does
        let mut trailing = c.clone();
        trailing.extend_from_slice(b"junk");
        assert_eq!(decompress(&trailing, 1 << 20).unwrap(), data);
        assert!(decompress(b"nonsense", 1 << 20).is_err());
        assert!(decompress(&c, 10).is_err());
    }

    /// Every input shorter than MIN_COMPRESSIBLE_LEN, over alphabets that give
    /// zlib its best chances (one or two repeated bytes), plus pseudo-random ones,
    /// compresses to no fewer than `len - 1` bytes; and the bound is tight.
    #[test]
    fn skip_bound_holds_against_real_zlib() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1du64);
        for len in 0..MIN_COMPRESSIBLE_LEN {
            // all 2^len strings over {a, b}
            for bits in 0..(1u32 << len) {
                let data: Vec<u8> = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { b'b' } else { b'a' })
                    .collect();
                assert!(compress_zlib(&data).len() + 1 >= data.len(), "{data:?}");
                assert!(compress_if_smaller(&data).is_none());
            }
            for _ in 0..2000 {
                let data: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
                assert!(compress_zlib(&data).len() + 1 >= data.len(), "{data:?}");
            }
        }
        let thirteen = [b'a'; MIN_COMPRESSIBLE_LEN + 1];
        assert_eq!(compress_zlib(&thirteen).len(), 11);
        assert_eq!(
            compress_if_smaller(&thirteen),
            Some(compress_zlib(&thirteen))
        );
    }

    /// Both entry points give real zlib's bytes on either side of our
    /// deflate's bound (ours below it, zlib past it), kept or not.
    #[test]
    fn entry_points_equal_zlib_across_the_bound() {
        use crate::deflate::MAX_EXACT_LEN;
        let unit = b"{\"user\":\"alice\",\"n\":12}";
        let text: Vec<u8> = (0..3 * MAX_EXACT_LEN)
            .map(|i| unit[i % unit.len()] ^ (i / 97 % 3) as u8)
            .collect();
        let mut noise = Vec::with_capacity(text.len());
        let mut x = 0x1234_5678u32;
        for _ in 0..text.len() {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push((x >> 16) as u8);
        }
        for len in [
            12,
            96,
            1000,
            MAX_EXACT_LEN - 1,
            MAX_EXACT_LEN,
            MAX_EXACT_LEN + 1,
            MAX_EXACT_LEN + 2,
            2 * MAX_EXACT_LEN,
            3 * MAX_EXACT_LEN,
        ] {
            for data in [&text[..len], &noise[..len]] {
                let want = compress_zlib(data);
                assert_eq!(compress(data), want, "{len}");
                let kept = (want.len() + 1 < data.len()).then(|| want.clone());
                assert_eq!(compress_if_smaller(data), kept, "{len}");
            }
        }
    }
}
