//! Inflate for token-sized zlib streams: the compressed session payloads of
//! itsdangerous, Flask and Django, a few hundred bytes each.
//!
//! zlib spends most of its time on such a stream building lookup tables (a
//! 512-entry literal/length table for every dynamic block). This inflater
//! decodes canonical Huffman codes without tables ([`huffman`]), so its setup
//! is proportional to the code, not to a table size.
//!
//! It only ever answers for streams it is sure about: a well-formed zlib
//! stream that zlib would inflate to the very same bytes, whose output fits
//! `limit`, with nothing after its checksum. Everything else — every error,
//! a preset dictionary, trailing bytes, output over the limit — is `None`, and
//! the caller runs zlib, so errors and their messages stay zlib's.

mod huffman;
#[cfg(test)]
mod tests;

use crate::deflate::{BL_ORDER, DIST_BASE, DIST_EXTRA, LENGTH_EXTRA, LEN_BASE};
use huffman::{used, used_of, Code, Kind};

/// Streams longer than this go to zlib, whose tables pay off on long inputs.
pub const MAX_INPUT: usize = 4096;

/// The inflated bytes of the zlib stream `data`, or None (see the module doc).
pub fn inflate(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    if data.len() > MAX_INPUT {
        return None;
    }
    let (&cmf, &flg) = (data.first()?, data.get(1)?);
    // Deflate, window <= 32 KiB, header check, no preset dictionary.
    if cmf & 0x0f != 8 || cmf >> 4 > 7 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
        return None;
    }
    if flg & 0x20 != 0 {
        return None;
    }
    // Deflate expands at most 1032:1 (a 258-byte match in two one-bit codes),
    // so no valid stream exceeds this; it also bounds decoding past the end.
    let limit = limit.min(data.len() * 1032 + 258);
    let mut bits = Bits::new(&data[2..]);
    let buf = zeroed((data.len() * 3).min(limit));
    let mut out = Out { buf, len: 0, limit };
    CODES
        .try_with(|codes| {
            let mut codes = codes.try_borrow_mut().ok()?; // not re-entrant: never busy
            let (lit, dist) = &mut *codes;
            blocks(&mut bits, &mut out, lit, dist)
        })
        .ok()??;
    bits.align();
    let check = (bits.take(32)? as u32).swap_bytes(); // Adler-32 is big-endian
    let Out { mut buf, len, .. } = out;
    buf.truncate(len);
    (bits.at_end() && check == crate::deflate::adler32(&buf)).then_some(buf)
}

/// The output so far, `buf[..len]`. The rest of `buf` is zeroed room, grown
/// on demand but never past `limit`: the symbol loop writes into a slice
/// by index, so one bounds check covers both the room and the limit, and
/// the slice's pointer and length stay in registers (a `Vec::push` reloads
/// and stores the vector's length around every byte).
struct Out {
    buf: Vec<u8>,
    len: usize,
    limit: usize,
}

/// `len` zero bytes. Not `vec![0; len]`: that is calloc, which in glibc
/// skips the small-block cache that malloc uses (~150 instructions more on
/// a token).
#[allow(clippy::slow_vector_initialization)]
fn zeroed(len: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(len);
    buf.resize(len, 0);
    buf
}

/// `buf` grown to hold at least `need` bytes (at least doubling, to bound
/// the copies), or None past `limit`.
#[cold]
fn grow(buf: &mut Vec<u8>, need: usize, limit: usize) -> Option<&mut [u8]> {
    if need > limit {
        return None;
    }
    buf.resize(need.max(buf.len() * 2).min(limit), 0);
    Some(buf)
}

thread_local! {
    // The two codes of a dynamic block: over a kilobyte each, so they are
    // kept per thread rather than zeroed on every call.
    static CODES: std::cell::RefCell<(Code, Code)> =
        std::cell::RefCell::new((Code::empty(), Code::empty()));
}

fn blocks(bits: &mut Bits, out: &mut Out, lit: &mut Code, dist: &mut Code) -> Option<()> {
    loop {
        let last = bits.take(1)? == 1;
        match bits.take(2)? {
            0 => stored(bits, out)?,
            1 => {
                let (lit, dist) = FIXED.get_or_init(fixed_codes).as_ref()?;
                codes(bits, out, lit, dist)?
            }
            2 => {
                dynamic_codes(bits, lit, dist)?;
                codes(bits, out, lit, dist)?
            }
            _ => return None,
        }
        if last {
            return Some(());
        }
    }
}

/// LSB-first bit reader over a byte slice. Reads past the end see zero bits
/// and are caught by `take` (and by `at_end` for the checksum).
#[derive(Clone, Copy)]
struct Bits<'a> {
    data: &'a [u8],
    /// Next byte to load into `buf`.
    pos: usize,
    buf: u64,
    /// Valid bits in `buf`.
    n: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bits {
            data,
            pos: 0,
            buf: 0,
            n: 0,
        }
    }

    /// At least 56 bits in `buf`, zeros past the end of the data.
    #[inline]
    fn refill(&mut self) {
        if let Some(word) = self.data.get(self.pos..self.pos + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.buf |= u64::from_le_bytes(w) << self.n;
            self.pos += ((63 - self.n) / 8) as usize;
            self.n |= 56;
        } else {
            while self.n <= 56 {
                let byte = self.data.get(self.pos).copied().unwrap_or(0);
                self.buf |= u64::from(byte) << self.n;
                self.pos += 1;
                self.n += 8;
            }
        }
    }

    /// Bits consumed so far are all inside the data.
    #[inline]
    fn in_bounds(&self) -> bool {
        self.pos * 8 - self.n as usize <= self.data.len() * 8
    }

    /// The next `count` (<= 32) bits; None once the data is exhausted.
    #[inline]
    fn take(&mut self, count: u32) -> Option<u64> {
        if self.n < count {
            self.refill();
        }
        let v = self.buf & ((1u64 << count) - 1);
        self.consume(count);
        self.in_bounds().then_some(v)
    }

    #[inline]
    fn peek(&mut self) -> u64 {
        if self.n < 32 {
            self.refill();
        }
        self.buf
    }

    #[inline]
    fn consume(&mut self, count: u32) {
        self.buf >>= count;
        self.n -= count;
    }

    fn align(&mut self) {
        let drop = self.n % 8;
        self.consume(drop);
    }

    /// Every byte was consumed, and no more.
    fn at_end(&self) -> bool {
        self.n % 8 == 0 && self.pos * 8 - self.n as usize == self.data.len() * 8
    }

    /// The next symbol. Not checked against the end of the data (a read past
    /// it sees zeros): callers check `in_bounds` at the end of what they read,
    /// and the output cap bounds how long zeros can keep decoding.
    #[inline]
    fn decode(&mut self, code: &Code) -> Option<u16> {
        let (symbol, len) = code.decode(self.peek())?;
        self.consume(len);
        Some(symbol)
    }
}

fn stored(bits: &mut Bits, out: &mut Out) -> Option<()> {
    bits.align();
    let len = bits.take(16)? as usize;
    let nlen = bits.take(16)? as usize;
    if len != !nlen & 0xffff {
        return None;
    }
    let end = out.len + len;
    if end > out.buf.len() {
        grow(&mut out.buf, end, out.limit)?;
    }
    for byte in out.buf.get_mut(out.len..end)? {
        *byte = bits.take(8)? as u8;
    }
    out.len = end;
    Some(())
}

/// One block's symbols, up to end-of-block.
fn codes(bits: &mut Bits, out: &mut Out, lit: &Code, dist: &Code) -> Option<()> {
    // The reader is copied into a local for the loop: through `bits` its
    // buffer and count were stored back to memory after every symbol (the
    // output's growth is a call that may unwind, so the stores could not be
    // sunk out of the loop); a local lives in registers. On an error the
    // caller's reader is left behind, as the whole inflate then gives up.
    let mut local = *bits;
    out.len = codes_from(&mut local, out, lit, dist)?;
    *bits = local;
    Some(())
}

/// The output's new length at end-of-block.
#[inline(always)]
fn codes_from(bits: &mut Bits, out: &mut Out, lit: &Code, dist: &Code) -> Option<usize> {
    let (mut n, limit) = (out.len, out.limit);
    let mut buf = out.buf.as_mut_slice();
    loop {
        let symbol = bits.decode(lit)?;
        if symbol < 256 {
            match buf.get_mut(n) {
                Some(byte) => *byte = symbol as u8,
                None => {
                    buf = grow(&mut out.buf, n + 1, limit)?;
                    *buf.get_mut(n)? = symbol as u8;
                }
            }
            n += 1;
            continue;
        }
        if symbol == 256 {
            return bits.in_bounds().then_some(n);
        }
        // Symbols 286-287 and distance codes 30-31 fall off these tables: invalid.
        let lc = usize::from(symbol - 257);
        let (base, extra) = (*LEN_BASE.get(lc)?, *LENGTH_EXTRA.get(lc)?);
        let len = usize::from(base) + 3 + bits.take(u32::from(extra))? as usize;
        let dc = usize::from(bits.decode(dist)?);
        let (base, extra) = (*DIST_BASE.get(dc)?, *DIST_EXTRA.get(dc)?);
        let distance = usize::from(base) + 1 + bits.take(u32::from(extra))? as usize;
        if distance > n {
            return None; // too far back (there is no window before the stream)
        }
        let end = n + len;
        if end > buf.len() {
            buf = grow(&mut out.buf, end, limit)?;
        }
        let from = n - distance;
        if distance >= len {
            buf.copy_within(from..from + len, n);
        } else {
            for i in n..end {
                *buf.get_mut(i)? = buf[i - distance]; // ok: i - distance < i
            }
        }
        n = end;
    }
}

static FIXED: std::sync::OnceLock<Option<(Code, Code)>> = std::sync::OnceLock::new();

/// The fixed codes of a type-1 block (RFC 1951 3.2.6). Literal/length
/// symbols 286-287 and distances 30-31 have codes but are invalid; the
/// length and distance tables in `codes` refuse them.
fn fixed_codes() -> Option<(Code, Code)> {
    let mut lengths = [0u8; 288];
    lengths[..144].fill(8);
    lengths[144..256].fill(9);
    lengths[256..280].fill(7);
    lengths[280..].fill(8);
    let mut list = [0; 288];
    let (mut lit, mut dist) = (Code::empty(), Code::empty());
    let n = used_of(&lengths, &mut list)?;
    lit.build(&list[..n], Kind::Symbols)?;
    let n = used_of(&[5; 32], &mut list)?;
    dist.build(&list[..n], Kind::Symbols)?;
    Some((lit, dist))
}

/// A dynamic block's header, read into the literal/length and distance codes.
fn dynamic_codes(bits: &mut Bits, lit: &mut Code, dist: &mut Code) -> Option<()> {
    // A local reader, for the reason given in `codes`.
    let mut local = *bits;
    dynamic_codes_from(&mut local, lit, dist)?;
    *bits = local;
    Some(())
}

#[inline(always)]
fn dynamic_codes_from(bits: &mut Bits, lit: &mut Code, dist: &mut Code) -> Option<()> {
    let nlit = bits.take(5)? as usize + 257;
    let ndist = bits.take(5)? as usize + 1;
    let ncode = bits.take(4)? as usize + 4;
    if nlit > 286 || ndist > 30 {
        return None;
    }
    let mut cl_lengths = [0u8; 19];
    for &at in &BL_ORDER[..ncode] {
        cl_lengths[at] = bits.take(3)? as u8;
    }
    let mut list = [0; 286 + 30];
    let n = used_of(&cl_lengths, &mut list)?;
    // The literal/length code is built only after the lengths are read, so
    // its space holds the code-length code until then.
    let cl = &mut *lit;
    cl.build(&list[..n], Kind::CodeLengths)?;
    // The lengths of both codes, as one sequence (a repeat may cross from one
    // to the other); only the used symbols are kept, in symbol order.
    let total = nlit + ndist;
    let (mut i, mut n, mut previous) = (0, 0, None);
    while i < total {
        let symbol = bits.decode(cl)?;
        if symbol < 16 {
            // One length, most of a header's symbols: stored whether or not
            // it is zero, and kept by advancing `n` only if not (n <= i <
            // total: in bounds), which spares a branch on the zeros.
            *list.get_mut(n)? = used(i, symbol as u8);
            n += usize::from(symbol != 0);
            previous = Some(symbol as u8);
            i += 1;
            continue;
        }
        let (value, repeat) = match symbol {
            16 => (previous?, 3 + bits.take(2)? as usize),
            17 => (0, 3 + bits.take(3)? as usize),
            _ => (0, 11 + bits.take(7)? as usize),
        };
        if i + repeat > total {
            return None; // invalid bit length repeat
        }
        if value != 0 {
            for s in i..i + repeat {
                *list.get_mut(n)? = used(s, value); // s < 316
                n += 1;
            }
        }
        previous = Some(value);
        i += repeat;
    }
    let lit_used = list[..n].partition_point(|&u| usize::from(u >> 4) < nlit);
    let (lit_part, dist_part) = list[..n].split_at_mut(lit_used);
    if lit_part.binary_search_by_key(&256, |&u| u >> 4).is_err() || !bits.in_bounds() {
        return None; // no end-of-block code, or the header ran past the data
    }
    for u in dist_part.iter_mut() {
        *u -= (nlit as u16) << 4; // nlit <= its symbol < 316
    }
    lit.build(lit_part, Kind::Symbols)?;
    dist.build(dist_part, Kind::Symbols)
}
