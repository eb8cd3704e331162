//! zlib as CPython's `zlib.compress` (level 6 = Z_DEFAULT_COMPRESSION, 15-bit
//! window, memLevel 8) and `zlib.decompress`, on the real madler zlib.

use std::cell::RefCell;
use std::io::{Read, Write};

use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, FlushCompress, Status};

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

/// Inflate a complete zlib stream, refusing output larger than `limit` bytes.
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut dec = ZlibDecoder::new(data).take(limit as u64 + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| SigningError::Decompress(format!("Error -3 while decompressing data: {e}")))?;
    if out.len() > limit {
        return Err(SigningError::LimitExceeded(format!(
            "decompressed payload is larger than {limit} bytes"
        )));
    }
    // zlib.decompress rejects a stream that ends early or carries trailing bytes.
    let inner = dec.into_inner();
    if inner.total_in() as usize != data.len() {
        return Err(SigningError::Decompress(
            "Error -3 while decompressing data: trailing data".into(),
        ));
    }
    Ok(out)
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
        assert!(decompress(b"nonsense", 1 << 20).is_err());
        assert!(decompress(&c, 10).is_err());
    }
}
