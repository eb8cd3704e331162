//! zlib as CPython's `zlib.compress` (level 6 = Z_DEFAULT_COMPRESSION, 15-bit
//! window, memLevel 8) and `zlib.decompress`, on the real madler zlib.

use std::cell::RefCell;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use super::error::{Result, SigningError};

thread_local! {
    // deflateInit allocates ~256 KiB; a reset stream produces the same bytes.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(6), true));
}

pub fn compress(data: &[u8]) -> Vec<u8> {
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
}
