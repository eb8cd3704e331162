//! One final DEFLATE block for the parsed symbols, of the type zlib would
//! choose (its `_tr_flush_block`): build the dynamic codes, charge the bits
//! of a dynamic and of a fixed-code block, and
//! - store the input when `stored_len + 4` bytes is no more than the cheaper
//!   coded block in bytes (so a tie goes to the stored block),
//! - else use the fixed code when it takes no more bytes than the dynamic
//!   one (a tie in bytes goes to the fixed code),
//! - else send the dynamic codes.
//!
//! Costs are compared in whole bytes, `(bits + 3 + 7) / 8`, as zlib does, so
//! blocks a few bits apart can tie.

use super::bits::BitWriter;
use super::lz77::Symbol;
use super::trees::{self, Builder, Code, Cost, Used, BL_CODES, D_CODES, L_CODES};

const END_OF_BLOCK: usize = 256;
/// The order code-length code lengths are sent in (RFC 1951 3.2.7).
const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
const REP_PREV: usize = 16; // copy the previous length 3..6 times
const REP_ZERO_SHORT: usize = 17; // 3..10 zeros
const REP_ZERO_LONG: usize = 18; // 11..138 zeros
/// Past the last symbol, a length that equals none, so a run always ends there.
const GUARD: u8 = 0xff;

/// Length code (0..=28, symbol - 257) for `len - 3` (0..=255).
pub(crate) fn length_code(lc: u16) -> usize {
    let lc = usize::from(lc);
    if lc < 8 {
        return lc;
    }
    if lc == 255 {
        return 28; // 258 has its own code, cheaper than 284 + 5 extra bits
    }
    // Four codes per doubling of the length range from 8 on.
    let top = usize::BITS as usize - 1 - lc.leading_zeros() as usize; // floor(log2(lc)), >= 3
    4 * (top - 1) + ((lc >> (top - 2)) & 3)
}

/// Base of `length_code`'s range (as `len - 3`).
fn length_base(code: usize) -> u16 {
    if code < 8 {
        return code as u16;
    }
    if code == 28 {
        return 255;
    }
    let top = code / 4 + 1;
    ((4 + (code & 3)) << (top - 2)) as u16
}

/// Distance code (0..=29) for `dist - 1`.
pub(crate) fn dist_code(d: u16) -> usize {
    let d = usize::from(d);
    if d < 4 {
        return d;
    }
    let top = usize::BITS as usize - 1 - d.leading_zeros() as usize; // >= 2
    2 * top + ((d >> (top - 1)) & 1)
}

fn dist_base(code: usize) -> u16 {
    if code < 4 {
        return code as u16;
    }
    let top = code / 2;
    ((2 + (code & 1)) << (top - 1)) as u16
}

/// Per-call scratch: symbol counts and the three codes.
pub(crate) struct Coder {
    lit_freq: [u32; L_CODES],
    dist_freq: [u32; D_CODES],
    bl_freq: [u32; BL_CODES],
    builder: Builder,
    lit: Code,
    dist: Code,
    bl: Code,
    /// The code-length symbols (symbol, extra bits value) for the header, as
    /// `plan` counted them, replayed by `emit`.
    runs: Vec<(u8, u8)>,
}

/// What zlib decided for the block, and what it costs in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Stored,
    Fixed,
    Dynamic,
}

pub(crate) struct Plan {
    pub(crate) kind: Kind,
    /// Bytes of the block, from its header to the stream's final byte boundary.
    pub(crate) bytes: usize,
    bl_last: usize,
}

impl Coder {
    pub(crate) fn new() -> Self {
        Coder {
            lit_freq: [0; L_CODES],
            dist_freq: [0; D_CODES],
            bl_freq: [0; BL_CODES],
            builder: Builder::new(),
            lit: Code::empty(),
            dist: Code::empty(),
            bl: Code::empty(),
            runs: Vec::with_capacity(L_CODES + D_CODES),
        }
    }

    /// Count the symbols, build the codes and choose the block type.
    pub(crate) fn plan(&mut self, symbols: &[Symbol], stored_len: usize) -> Plan {
        self.lit_freq.fill(0);
        self.dist_freq.fill(0);
        let (mut lit_used, mut dist_used) = (Used::default(), Used::default());
        for s in symbols {
            if s.dist == 0 {
                self.lit_freq[usize::from(s.value)] += 1;
                lit_used.insert(usize::from(s.value));
            } else {
                let (l, d) = (257 + length_code(s.value), dist_code(s.dist - 1));
                self.lit_freq[l] += 1;
                lit_used.insert(l);
                self.dist_freq[d] += 1;
                dist_used.insert(d);
            }
        }
        self.lit_freq[END_OF_BLOCK] = 1;
        lit_used.insert(END_OF_BLOCK);

        let mut cost = Cost::default();
        for (freqs, used, code, alpha) in [
            (
                &self.lit_freq[..],
                &lit_used,
                &mut self.lit,
                &trees::LIT_LEN,
            ),
            (
                &self.dist_freq[..],
                &dist_used,
                &mut self.dist,
                &trees::DIST,
            ),
        ] {
            let c = self.builder.build(alpha, freqs, used, code);
            cost.dynamic += c.dynamic;
            cost.fixed += c.fixed;
        }
        // The code-length code is built from how the two codes' lengths will
        // be run-length coded.
        let (lit_max, dist_max) = (self.lit.max_code, self.dist.max_code);
        let mut bl_freq = [0u32; BL_CODES];
        let runs = &mut self.runs;
        runs.clear();
        let mut record = |sym: usize, extra: u32| {
            bl_freq[sym] += 1;
            runs.push((sym as u8, extra as u8));
        };
        for_each_run(&self.lit.len[..=lit_max], &mut record);
        for_each_run(&self.dist.len[..=dist_max], &mut record);
        self.bl_freq = bl_freq;
        let bl_used = Used::of(&self.bl_freq);
        cost.dynamic += self
            .builder
            .build(&trees::BIT_LEN, &self.bl_freq, &bl_used, &mut self.bl)
            .dynamic;
        // Trailing code-length code lengths of zero are not sent (at least 4 are).
        let bl_last = (3..BL_CODES)
            .rev()
            .find(|&i| self.bl.len[BL_ORDER[i]] != 0)
            .unwrap_or(3);
        // HLIT, HDIST, HCLEN and the 3-bit code-length code lengths.
        cost.dynamic += 3 * (bl_last as i64 + 1) + 5 + 5 + 4;

        let bytes = |bits: i64| ((bits + 3 + 7) >> 3) as usize;
        let (dyn_bytes, fixed_bytes) = (bytes(cost.dynamic), bytes(cost.fixed));
        let coded = dyn_bytes.min(fixed_bytes);
        let (kind, bytes) = if stored_len + 4 <= coded {
            (Kind::Stored, stored_len + 5)
        } else if fixed_bytes <= dyn_bytes {
            (Kind::Fixed, fixed_bytes)
        } else {
            (Kind::Dynamic, dyn_bytes)
        };
        Plan {
            kind,
            bytes,
            bl_last,
        }
    }

    /// Write the planned block (final, so its header's first bit is 1).
    pub(crate) fn emit(&mut self, plan: &Plan, symbols: &[Symbol], data: &[u8], out: &mut Vec<u8>) {
        if plan.kind == Kind::Dynamic {
            self.lit.make_codes();
            self.dist.make_codes();
            self.bl.make_codes();
        }
        let mut w = BitWriter::new(out);
        match plan.kind {
            Kind::Stored => {
                w.put(1, 3);
                w.align();
                let n = data.len() as u16;
                out.extend_from_slice(&n.to_le_bytes());
                out.extend_from_slice(&(!n).to_le_bytes());
                out.extend_from_slice(data);
            }
            Kind::Fixed => {
                w.put(0b011, 3);
                write_symbols(&mut w, symbols, &FIXED_LIT, &FIXED_DIST);
                w.align();
            }
            Kind::Dynamic => {
                w.put(0b101, 3);
                let (lit_max, dist_max) = (self.lit.max_code, self.dist.max_code);
                w.put((lit_max + 1 - 257) as u32, 5);
                w.put(dist_max as u32, 5);
                w.put((plan.bl_last + 1 - 4) as u32, 4);
                for &sym in &BL_ORDER[..=plan.bl_last] {
                    w.put(u32::from(self.bl.len[sym]), 3);
                }
                for &(sym, extra) in &self.runs {
                    let (sym, extra) = (usize::from(sym), u32::from(extra));
                    w.put(u32::from(self.bl.code[sym]), u32::from(self.bl.len[sym]));
                    match sym {
                        REP_PREV => w.put(extra, 2),
                        REP_ZERO_SHORT => w.put(extra, 3),
                        REP_ZERO_LONG => w.put(extra, 7),
                        _ => {}
                    }
                }
                write_symbols(&mut w, symbols, &self.lit, &self.dist);
                w.align();
            }
        }
    }
}

fn write_symbols(w: &mut BitWriter<'_>, symbols: &[Symbol], lit: &Code, dist: &Code) {
    for s in symbols {
        if s.dist == 0 {
            let c = usize::from(s.value);
            w.put(u32::from(lit.code[c]), u32::from(lit.len[c]));
        } else {
            let lc = length_code(s.value);
            w.put(u32::from(lit.code[257 + lc]), u32::from(lit.len[257 + lc]));
            let extra = trees::LENGTH_EXTRA[lc];
            if extra != 0 {
                w.put(u32::from(s.value - length_base(lc)), u32::from(extra));
            }
            let d = s.dist - 1;
            let dc = dist_code(d);
            w.put(u32::from(dist.code[dc]), u32::from(dist.len[dc]));
            let extra = trees::DIST_EXTRA[dc];
            if extra != 0 {
                w.put(u32::from(d - dist_base(dc)), u32::from(extra));
            }
        }
    }
    w.put(
        u32::from(lit.code[END_OF_BLOCK]),
        u32::from(lit.len[END_OF_BLOCK]),
    );
}

/// The fixed literal/length and distance codes (RFC 1951 3.2.6), built at
/// compile time.
const FIXED_LIT: Code = {
    let mut lens = [0u8; 288];
    let mut n = 0;
    while n < 288 {
        lens[n] = trees::fixed_lit_len(n);
        n += 1;
    }
    // The code is canonical over all 288 symbols; 286 and 287 are never sent.
    let mut codes = [0u16; 288];
    trees::canonical_codes(&lens, &mut codes);
    let mut c = Code::empty();
    let mut n = 0;
    while n < L_CODES {
        c.len[n] = lens[n];
        c.code[n] = codes[n];
        n += 1;
    }
    c.max_code = L_CODES - 1;
    c
};
const FIXED_DIST: Code = {
    let lens = [5u8; D_CODES];
    let mut c = Code::empty();
    let mut codes = [0u16; D_CODES];
    trees::canonical_codes(&lens, &mut codes);
    let mut n = 0;
    while n < D_CODES {
        c.len[n] = 5;
        c.code[n] = codes[n];
        n += 1;
    }
    c.max_code = D_CODES - 1;
    c
};

/// zlib's run-length coding of a code's lengths (its `scan_tree`/`send_tree`):
/// calls `f(symbol, extra_bits_value)` for each code-length symbol in order.
///
/// A run of one length is cut into pieces of at most 138 (zeros) or 7 (a
/// nonzero length: its first occurrence is sent, then up to 6 repeats; right
/// after a run of the same length, only repeats). A piece too short for a
/// repeat code (under 3 zeros, or under 4 of a new nonzero length / 3 of a
/// continued one) is sent length by length.
fn for_each_run(lens: &[u8], f: &mut impl FnMut(usize, u32)) {
    let at = |i: usize| lens.get(i).copied().unwrap_or(GUARD);
    let mut prev: Option<u8> = None;
    let mut next = at(0);
    let (mut max_count, mut min_count) = if next == 0 { (138, 3) } else { (7, 4) };
    let mut count = 0u32;
    for n in 0..lens.len() {
        let cur = next;
        next = at(n + 1);
        count += 1;
        if count < max_count && cur == next {
            continue;
        }
        if count < min_count {
            for _ in 0..count {
                f(usize::from(cur), 0);
            }
        } else if cur != 0 {
            if Some(cur) != prev {
                f(usize::from(cur), 0);
                count -= 1;
            }
            f(REP_PREV, count - 3);
        } else if count <= 10 {
            f(REP_ZERO_SHORT, count - 3);
        } else {
            f(REP_ZERO_LONG, count - 11);
        }
        count = 0;
        prev = Some(cur);
        (max_count, min_count) = if next == 0 {
            (138, 3)
        } else if cur == next {
            (6, 3)
        } else {
            (7, 4)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_distance_codes_match_rfc1951_tables() {
        // RFC 1951 3.2.5: first length of codes 257..=285, first distance of 0..=29.
        let len_first = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
            115, 131, 163, 195, 227, 258,
        ];
        let dist_first = [
            1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
            1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
        ];
        for len in 3u16..=258 {
            let code = len_first.iter().rposition(|&b| b <= len).unwrap();
            assert_eq!(length_code(len - 3), code, "length {len}");
            assert_eq!(length_base(code), len_first[code] - 3);
            let span = 1u16 << trees::LENGTH_EXTRA[code];
            assert!(len - len_first[code] < span || code == 28);
        }
        for dist in 1u16..=32768 {
            let code = dist_first.iter().rposition(|&b| b <= dist).unwrap();
            assert_eq!(dist_code(dist - 1), code, "distance {dist}");
            assert_eq!(dist_base(code), dist_first[code] - 1);
        }
    }
}
