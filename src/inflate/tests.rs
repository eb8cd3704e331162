//! The inflater against zlib (flate2 over libz): whatever it answers must be
//! exactly what zlib inflates, for valid streams of every block type and for
//! corrupted, truncated and padded ones.

use super::*;
use crate::test_rng::xorshift;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

fn zlib_compress(data: &[u8], level: u32) -> Vec<u8> {
    let mut c = Compress::new(Compression::new(level), true);
    let mut out = Vec::with_capacity(data.len() * 2 + 64);
    let status = c
        .compress_vec(data, &mut out, FlushCompress::Finish)
        .unwrap();
    assert_eq!(status, Status::StreamEnd);
    out
}

/// zlib's own answer, as `signing::zlib::decompress` reads it: the output of
/// a stream that ends, and how many input bytes the stream used.
fn zlib_inflate(stream: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut d = Decompress::new(true);
    let mut out = Vec::with_capacity(1 << 20);
    match d.decompress_vec(stream, &mut out, FlushDecompress::Finish) {
        Ok(Status::StreamEnd) => Some((out, d.total_in() as usize)),
        _ => None,
    }
}

/// The property: an answer from us is zlib's answer for the whole input.
fn check(stream: &[u8], limit: usize) {
    if let Some(ours) = inflate(stream, limit) {
        let (theirs, used) =
            zlib_inflate(stream).unwrap_or_else(|| panic!("zlib refuses {stream:?}"));
        assert_eq!(ours, theirs, "{stream:?}");
        assert_eq!(used, stream.len(), "trailing bytes accepted: {stream:?}");
        assert!(ours.len() <= limit);
    }
}

fn sample(next: &mut impl FnMut() -> u64) -> Vec<u8> {
    let len = match next() % 4 {
        0 => (next() % 16) as usize,
        1 => (next() % 300) as usize,
        2 => (next() % 1500) as usize,
        _ => (next() % 3000) as usize,
    };
    let alphabet: &[u8] = match next() % 4 {
        0 => b"ab",
        1 => b"{\"user_id\":42,\"csrf\":\"51c0ae4e\",\"roles\":[\"a\",\"b\"]}",
        2 => b"abcdefghijklmnopqrstuvwxyz0123456789",
        _ => &[],
    };
    (0..len)
        .map(|_| match alphabet {
            [] => next() as u8,
            a => a[(next() % a.len() as u64) as usize],
        })
        .collect()
}

#[test]
fn every_level_round_trips() {
    let mut next = xorshift(0x1f1a7e);
    let mut answered = 0;
    for i in 0..3000 {
        let data = sample(&mut next);
        let stream = zlib_compress(&data, (i % 10) as u32);
        if stream.len() > MAX_INPUT {
            assert_eq!(inflate(&stream, usize::MAX), None);
            continue;
        }
        assert_eq!(
            inflate(&stream, usize::MAX).as_deref(),
            Some(&data[..]),
            "level {}",
            i % 10
        );
        answered += 1;
    }
    assert!(answered > 2500);
}

#[test]
fn the_limit_is_exact() {
    let data = b"{\"a\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}".repeat(3);
    for level in [0, 1, 6, 9] {
        let stream = zlib_compress(&data, level);
        assert_eq!(inflate(&stream, data.len()).as_deref(), Some(&data[..]));
        assert_eq!(inflate(&stream, data.len() - 1), None);
    }
}

#[test]
fn corrupted_streams_are_zlibs_or_refused() {
    let mut next = xorshift(0xbad5eed);
    for i in 0..4000 {
        let data = sample(&mut next);
        let mut stream = zlib_compress(&data, (i % 10) as u32);
        if stream.is_empty() || stream.len() > MAX_INPUT {
            continue;
        }
        match next() % 5 {
            0 => {
                let at = (next() % stream.len() as u64) as usize;
                stream[at] ^= 1 << (next() % 8);
            }
            1 => {
                let at = (next() % stream.len() as u64) as usize;
                stream[at] = next() as u8;
            }
            2 => stream.truncate((next() % stream.len() as u64) as usize),
            3 => stream.push(next() as u8),
            _ => {
                let at = (next() % stream.len() as u64) as usize;
                stream.remove(at);
            }
        }
        let limit = if next() % 4 == 0 {
            (next() % 400) as usize
        } else {
            usize::MAX
        };
        check(&stream, limit);
    }
}

#[test]
fn random_bytes_after_a_valid_header() {
    let mut next = xorshift(0x7a11);
    for _ in 0..20000 {
        let len = (next() % 64) as usize;
        let mut stream = vec![0x78, 0x9c];
        stream.extend((0..len).map(|_| next() as u8));
        check(&stream, 1 << 16);
    }
}

#[test]
fn hand_made_edge_streams() {
    // Empty stored block; an empty fixed block; a distance reaching before
    // the start; a preset-dictionary flag; a bad header check; a non-final
    // block followed by a final one.
    let cases: [&[u8]; 6] = [
        &[
            0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
        ],
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        &[0x78, 0x9c, 0x63, 0x00, 0x82, 0x00, 0x00, 0x00, 0x00, 0x00],
        &[0x78, 0xbb, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00],
        &[0x78, 0x9d, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        &[
            0x78, 0x01, 0x00, 0x01, 0x00, 0xfe, 0xff, 0x61, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00,
            0x62, 0x00, 0x62,
        ],
    ];
    for stream in cases {
        check(stream, 1 << 16);
    }
    assert_eq!(inflate(cases[0], 10).as_deref(), Some(&b""[..]));
    assert_eq!(inflate(cases[1], 10).as_deref(), Some(&b""[..]));
    assert_eq!(inflate(cases[2], 10), None);
    assert_eq!(inflate(cases[3], 10), None);
    assert_eq!(inflate(cases[4], 10), None);
    assert_eq!(inflate(cases[5], 10).as_deref(), Some(&b"a"[..]));
}
