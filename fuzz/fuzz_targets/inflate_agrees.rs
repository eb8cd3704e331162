//! The table-free inflater (src/inflate/) against real zlib: whenever it
//! answers, zlib inflates the very same bytes from the whole input; and for
//! an unaltered zlib stream within its size bound it must answer. The first
//! byte picks the use of the rest: a raw stream as is, or data compressed by
//! zlib at level `mode % 10`, then (odd modes) a few bytes flipped.
#![no_main]
use ferroauth::inflate::{inflate, MAX_INPUT};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use libfuzzer_sys::fuzz_target;

fn zlib_compress(data: &[u8], level: u32) -> Vec<u8> {
    let mut z = Compress::new(Compression::new(level), true);
    let mut out = Vec::with_capacity(data.len() * 2 + 64);
    let status = z.compress_vec(data, &mut out, FlushCompress::Finish);
    assert!(matches!(status, Ok(Status::StreamEnd)), "{status:?}");
    out
}

fn zlib_inflate(stream: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut d = Decompress::new(true);
    let mut out = Vec::with_capacity(8 << 20);
    match d.decompress_vec(stream, &mut out, FlushDecompress::Finish) {
        Ok(Status::StreamEnd) => Some((out, d.total_in() as usize)),
        _ => None,
    }
}

fuzz_target!(|raw: &[u8]| {
    let Some((&mode, rest)) = raw.split_first() else {
        return;
    };
    let (stream, pristine) = if mode < 20 {
        let mut s = zlib_compress(rest, u32::from(mode % 10));
        let flip = mode % 2 == 1 && !s.is_empty();
        if flip {
            for (i, &b) in rest.iter().enumerate().take(3) {
                let at = (usize::from(b) * 131 + i * 977) % s.len();
                s[at] ^= b | 1;
            }
        }
        (s, !flip || rest.is_empty())
    } else {
        (rest.to_vec(), false)
    };
    let limit = if mode >= 240 {
        usize::from(mode) * 4
    } else {
        16 << 20
    };
    match inflate(&stream, limit) {
        Some(ours) => {
            let (theirs, used) = zlib_inflate(&stream).expect("zlib refuses what we accept");
            assert_eq!(ours, theirs);
            assert_eq!(used, stream.len(), "trailing bytes accepted");
            assert!(ours.len() <= limit);
        }
        None if pristine && stream.len() <= MAX_INPUT && limit >= rest.len() => {
            panic!("a valid {}-byte stream was refused", stream.len())
        }
        None => {}
    }
});
