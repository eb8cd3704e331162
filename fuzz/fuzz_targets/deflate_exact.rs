//! Our deflate (src/deflate/) against real zlib (libz-sys, a fresh stream as
//! CPython's `zlib.compress` uses): equal bytes for every input up to the
//! bound, and the same "kept or not" answer as itsdangerous/Django's rule.
//! The first byte picks how the rest is used: as is, or tiled up to a length
//! the next two bytes choose (so inputs reach the bound although libFuzzer's
//! inputs are at most 4 KiB here), with or without a few bytes flipped.
#![no_main]
use ferroauth::deflate::{compress, compress_if_shorter, MAX_EXACT_LEN};
use flate2::{Compress, Compression, FlushCompress, Status};
use libfuzzer_sys::fuzz_target;

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = Compress::new(Compression::new(6), true);
    let mut out = Vec::with_capacity(data.len() + data.len() / 8 + 64);
    let status = z.compress_vec(data, &mut out, FlushCompress::Finish);
    assert!(matches!(status, Ok(Status::StreamEnd)), "{status:?}");
    out
}

fuzz_target!(|raw: &[u8]| {
    let Some((&mode, rest)) = raw.split_first() else {
        return;
    };
    let input: Vec<u8> = match mode % 3 {
        0 => rest.to_vec(),
        _ if rest.len() < 3 => return,
        m => {
            let want = usize::from(u16::from_le_bytes([rest[0], rest[1]])) % (MAX_EXACT_LEN + 1);
            let unit = &rest[2..];
            let mut v: Vec<u8> = unit.iter().copied().cycle().take(want).collect();
            if m == 2 && !v.is_empty() {
                // flip bytes at positions taken from the unit itself
                for (i, &b) in unit.iter().enumerate().take(8) {
                    let at = (usize::from(b) * 131 + i * 977) % v.len();
                    v[at] ^= b | 1;
                }
            }
            v
        }
    };
    let want = zlib(&input);
    let got = compress(&input);
    if input.len() > MAX_EXACT_LEN {
        assert!(got.is_none());
        return;
    }
    assert_eq!(got.as_deref(), Some(&want[..]), "{} bytes", input.len());
    let limit = input.len().saturating_sub(1);
    let kept = (want.len() < limit).then(|| want.clone());
    assert_eq!(compress_if_shorter(&input, limit), Some(kept));
});
