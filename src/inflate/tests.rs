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

/// A hand-made zlib stream, for codes zlib's compressor would not choose:
/// codes up to 15 bits, incomplete one-bit codes, a code built after a
/// longer one. It keeps the plain text it encodes for the checksum.
struct Writer {
    out: Vec<u8>,
    acc: u64,
    n: u32,
    plain: Vec<u8>,
}

impl Writer {
    fn new() -> Self {
        Writer {
            out: vec![0x78, 0x01],
            acc: 0,
            n: 0,
            plain: Vec::new(),
        }
    }

    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Symbol `s` of the canonical code with these lengths, first bit first.
    fn code(&mut self, lengths: &[u8], s: usize) {
        let l = usize::from(lengths[s]);
        let mut count = [0u32; 16];
        for &x in lengths {
            count[usize::from(x)] += 1;
        }
        count[0] = 0;
        let mut first = 0;
        for len in 1..=l {
            first = (first + count[len - 1]) << 1;
        }
        let code = first
            + lengths[..s]
                .iter()
                .filter(|&&x| usize::from(x) == l)
                .count() as u32;
        self.put(u32::from(crate::deflate::reverse(code as u16, l)), l as u32);
    }

    /// A dynamic block's header. Its code-length code gives each of the
    /// lengths 0..=15 four bits (a complete code) and does not repeat.
    fn dynamic(&mut self, last: bool, lit: &[u8], dist: &[u8]) {
        self.put(u32::from(last), 1);
        self.put(2, 2);
        self.put((lit.len() - 257) as u32, 5);
        self.put((dist.len() - 1) as u32, 5);
        self.put(19 - 4, 4);
        for &s in &BL_ORDER {
            self.put(if s < 16 { 4 } else { 0 }, 3);
        }
        for &l in lit.iter().chain(dist) {
            self.code(&[4; 16], usize::from(l));
        }
    }

    fn literal(&mut self, lit: &[u8], byte: u8) {
        self.code(lit, usize::from(byte));
        self.plain.push(byte);
    }

    /// A match of length code `lc` (symbol 257 + lc) and distance code `dc`,
    /// both with zero extra bits: the shortest length and distance of each.
    fn copy(&mut self, lit: &[u8], dist: &[u8], lc: usize, dc: usize) {
        self.code(lit, 257 + lc);
        self.put(0, u32::from(LENGTH_EXTRA[lc]));
        self.code(dist, dc);
        self.put(0, u32::from(DIST_EXTRA[dc]));
        let (len, distance) = (
            usize::from(LEN_BASE[lc]) + 3,
            usize::from(DIST_BASE[dc]) + 1,
        );
        for _ in 0..len {
            let byte = self.plain[self.plain.len() - distance];
            self.plain.push(byte);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n % 8 != 0 {
            self.put(0, 8 - self.n % 8);
        }
        let check = crate::deflate::adler32(&self.plain);
        self.out.extend(check.to_be_bytes());
        self.out
    }
}

/// Lengths for `symbols` making a complete code of at most `max` bits, split
/// at random from the one-symbol code (`symbols.len()` in 2..=2^max).
fn random_code(next: &mut impl FnMut() -> u64, size: usize, symbols: &[usize], max: u8) -> Vec<u8> {
    let mut leaves = vec![0u8];
    while leaves.len() < symbols.len() {
        let i = (next() % leaves.len() as u64) as usize;
        if leaves[i] < max {
            leaves[i] += 1;
            leaves.push(leaves[i]);
        }
    }
    let mut lengths = vec![0; size];
    for (&s, &l) in symbols.iter().zip(&leaves) {
        lengths[s] = l;
    }
    lengths
}

#[test]
fn a_short_code_after_a_long_one() {
    // Block one has codes of up to 15 bits (decoded by comparison); block
    // two's are one bit long, the other one-bit pattern being no code. The
    // bits after that hole read, in block one's codes, as a symbol that
    // would make a valid stream: were those tables still consulted, the
    // inflater would answer where zlib reports an invalid code.
    let mut lit1 = vec![0u8; 258];
    (lit1[256], lit1[257]) = (1, 2); // codes 0 and 10
    for (i, l) in (3..=15).chain([15]).enumerate() {
        lit1[usize::from(b'b') + i] = l; // b: 110, ...
    }
    let dist1: Vec<u8> = [15, 15].into_iter().chain((1..=14).rev()).collect();
    // 15: code 0; 14 (distance 6145 + 6 bits): 10, ...
    for hole in [None, Some("lit"), Some("dist")] {
        let mut w = Writer::new();
        w.dynamic(false, &lit1, &dist1);
        for &b in b"bcno" {
            w.literal(&lit1, b);
        }
        w.copy(&lit1, &dist1, 0, 0);
        w.copy(&lit1, &dist1, 0, 1);
        w.code(&lit1, 256);
        let mut lit2 = vec![0u8; 258];
        if hole == Some("lit") {
            lit2[256] = 1;
            w.dynamic(true, &lit2, &[1]);
            w.put(0b011, 3); // 110 first bit first: b in block one's code
            w.plain.push(b'b');
        } else {
            (lit2[usize::from(b'x')], lit2[256], lit2[257]) = (1, 2, 2);
            w.dynamic(true, &lit2, &[1]);
            for _ in 0..6200 {
                w.literal(&lit2, b'x');
            }
            if hole == Some("dist") {
                w.code(&lit2, 257);
                w.put(0b01, 2); // 10: distance code 14 in block one's code
                w.put(0, 6);
                w.plain.extend_from_slice(b"xxx");
            } else {
                w.copy(&lit2, &[1], 0, 0);
            }
        }
        w.code(&lit2, 256);
        let stream = w.finish();
        assert!(stream.len() <= MAX_INPUT);
        check(&stream, 1 << 16);
        assert_eq!(
            inflate(&stream, 1 << 16).is_some(),
            hole.is_none(),
            "{hole:?}"
        );
    }
}

#[test]
fn random_codes_of_every_length() {
    let mut next = xorshift(0xc0de5);
    for i in 0..3000 {
        let max = 1 + (i % 15) as u8;
        let most = 1usize << max;
        let mut symbols: Vec<usize> = (0..286).filter(|_| next() % 3 == 0).collect();
        symbols.retain(|&s| s != 256);
        symbols.truncate(most.saturating_sub(1).max(1));
        symbols.push(256);
        symbols.sort_unstable();
        let nlit = (symbols.last().unwrap() + 1).max(257);
        let mut lit = random_code(&mut next, nlit, &symbols, max);
        let dist_symbols: Vec<usize> = (0..30).filter(|_| next() % 2 == 0).take(most).collect();
        let mut dist = if dist_symbols.len() < 2 {
            vec![1]
        } else {
            random_code(
                &mut next,
                dist_symbols.last().unwrap() + 1,
                &dist_symbols,
                max,
            )
        };
        // A quarter of the codes made invalid (or not) by one changed length.
        let altered = next() % 4 == 0;
        if altered {
            let code = if next() % 2 == 0 { &mut lit } else { &mut dist };
            let at = (next() % code.len() as u64) as usize;
            code[at] = (next() % 16) as u8;
        }
        let mut w = Writer::new();
        w.dynamic(true, &lit, &dist);
        let literals: Vec<u8> = (0..256).filter(|&s| lit[s] != 0).map(|s| s as u8).collect();
        let lengths: Vec<usize> = (257..nlit).filter(|&s| lit[s] != 0).collect();
        let distances: Vec<usize> = (0..dist.len()).filter(|&s| dist[s] != 0).collect();
        if !literals.is_empty() {
            for _ in 0..next() % 200 {
                let take_copy = next() % 4 == 0 && !lengths.is_empty() && !distances.is_empty();
                let dc = distances
                    [(next() % distances.len().max(1) as u64) as usize % distances.len().max(1)];
                if take_copy && usize::from(DIST_BASE[dc]) < w.plain.len() {
                    let lc = lengths[(next() % lengths.len() as u64) as usize] - 257;
                    if lc < 29 {
                        w.copy(&lit, &dist, lc, dc);
                        continue;
                    }
                }
                let b = literals[(next() % literals.len() as u64) as usize];
                w.literal(&lit, b);
            }
        }
        if lit[256] != 0 {
            w.code(&lit, 256);
        }
        let plain = w.plain.clone();
        let stream = w.finish();
        check(&stream, 1 << 16);
        if !altered && stream.len() <= MAX_INPUT {
            assert_eq!(
                inflate(&stream, 1 << 16).as_deref(),
                Some(&plain[..]),
                "{i}"
            );
        }
    }
}
