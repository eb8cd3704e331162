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
use super::lz77::{Match, MIN_MATCH};
use super::trees::{self, Builder, Code, Used, BL_CODES, D_CODES, L_CODES};

const END_OF_BLOCK: usize = 256;
/// The order code-length code lengths are sent in (RFC 1951 3.2.7).
pub(crate) const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
const REP_PREV: usize = 16; // copy the previous length 3..6 times
const REP_ZERO_SHORT: usize = 17; // 3..10 zeros
const REP_ZERO_LONG: usize = 18; // 11..138 zeros

/// Length code (0..=28, symbol - 257) for `len - 3` (0..=255).
pub(crate) const fn length_code(lc: u16) -> usize {
    let lc = lc as usize;
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
const fn length_base(code: usize) -> u16 {
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
pub(crate) const fn dist_code(d: u16) -> usize {
    let d = d as usize;
    if d < 4 {
        return d;
    }
    let top = usize::BITS as usize - 1 - d.leading_zeros() as usize; // >= 2
    2 * top + ((d >> (top - 1)) & 1)
}

const fn dist_base(code: usize) -> u16 {
    if code < 4 {
        return code as u16;
    }
    let top = code / 2;
    ((2 + (code & 1)) << (top - 1)) as u16
}

/// `length_code` of every `len - 3`, as a table (one load per match).
const LEN_CODE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = length_code(i as u16) as u8;
        i += 1;
    }
    t
};
pub(crate) const LEN_BASE: [u16; 29] = {
    let mut t = [0u16; 29];
    let mut i = 0;
    while i < 29 {
        t[i] = length_base(i);
        i += 1;
    }
    t
};
/// `dist_code` as a table: entries 0..256 for `dist - 1` below 256, then one
/// per 128 distances (codes from 16 on span at least 256 distances, aligned
/// to 128).
const DIST_CODE: [u8; 512] = {
    let mut t = [0u8; 512];
    let mut i = 0;
    while i < 256 {
        t[i] = dist_code(i as u16) as u8;
        t[256 + i] = dist_code((i << 7) as u16) as u8;
        i += 1;
    }
    t
};
pub(crate) const DIST_BASE: [u16; 30] = {
    let mut t = [0u16; 30];
    let mut i = 0;
    while i < 30 {
        t[i] = dist_base(i);
        i += 1;
    }
    t
};

#[inline]
fn dist_code_fast(d: u16) -> usize {
    let d = usize::from(d);
    let i = if d < 256 { d } else { 256 + ((d >> 7) & 255) };
    usize::from(DIST_CODE[i & 511])
}

/// Code-length symbols of the header, each `symbol | extra_value << 8`: at
/// most one per code length sent.
const MAX_RUNS: usize = L_CODES + D_CODES;
/// Table sizes rounded up to powers of two (see `scan_runs`).
const RUN_SLOTS: usize = MAX_RUNS.next_power_of_two();
const BL_SLOTS: usize = BL_CODES.next_power_of_two();

/// The symbol counts of one parse, gathered while it runs (`lz77::parse`
/// calls `literal` and `matched` for each symbol it emits), so that choosing
/// the block needs no second pass over the symbols.
pub(crate) struct Tally {
    lit_freq: [u32; L_CODES],
    dist_freq: [u32; D_CODES],
    lit_used: Used,
    dist_used: Used,
    /// Input bytes the matches cover.
    covered: u32,
    /// Extra bits of every match: the same in either coded block.
    extra: u32,
    /// The fixed code's bits for the matches' length and distance codes.
    fixed_match: u32,
}

impl Tally {
    pub(crate) fn new() -> Self {
        Tally {
            lit_freq: [0; L_CODES],
            dist_freq: [0; D_CODES],
            lit_used: Used::default(),
            dist_used: Used::default(),
            covered: 0,
            extra: 0,
            fixed_match: 0,
        }
    }

    pub(crate) fn reset(&mut self) {
        self.lit_freq.fill(0);
        self.dist_freq.fill(0);
        self.lit_used = Used::default();
        self.dist_used = Used::default();
        self.covered = 0;
        self.extra = 0;
        self.fixed_match = 0;
    }

    #[inline]
    pub(crate) fn literal(&mut self, c: u8) {
        let c = usize::from(c);
        self.lit_freq[c] += 1;
        self.lit_used.insert(c);
    }

    /// A match of `value` = length - 3 at distance `dist` (>= 1).
    #[inline]
    pub(crate) fn matched(&mut self, value: u16, dist: u16) {
        let lc = usize::from(LEN_CODE[usize::from(value) & 0xff]);
        let dc = dist_code_fast(dist.wrapping_sub(1));
        let l = 257 + lc;
        self.lit_freq[l] += 1;
        self.lit_used.insert(l);
        self.dist_freq[dc] += 1;
        self.dist_used.insert(dc);
        self.covered += u32::from(value) + MIN_MATCH as u32;
        self.extra += u32::from(trees::LENGTH_EXTRA[lc] + trees::DIST_EXTRA[dc]);
        self.fixed_match += u32::from(trees::fixed_lit_len(l)) + 5;
    }
}

/// Per-call scratch: the three codes.
pub(crate) struct Coder {
    builder: Builder,
    lit: Code,
    dist: Code,
    bl: Code,
    /// The code-length symbols for the header, as `plan` counted them,
    /// replayed by `emit`.
    runs: [u16; RUN_SLOTS],
    run_count: usize,
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
            builder: Builder::new(),
            lit: Code::empty(),
            dist: Code::empty(),
            bl: Code::empty(),
            runs: [0; RUN_SLOTS],
            run_count: 0,
        }
    }

    /// Build the codes for a parse of `stored_len` input bytes counted in
    /// `tally` and choose the block type.
    pub(crate) fn plan(&mut self, tally: &mut Tally, stored_len: usize) -> Plan {
        tally.lit_freq[END_OF_BLOCK] = 1;
        tally.lit_used.insert(END_OF_BLOCK);
        // The fixed code: 8 bits per literal, 9 from 144 on (bitmap words 2
        // and 3 hold 128..=255).
        let literals = (stored_len as u64).saturating_sub(u64::from(tally.covered));
        let mut fixed = (8 * literals) as i64;
        let high = Used([
            0,
            0,
            tally.lit_used.0[2] & !0xffff,
            tally.lit_used.0[3],
            0,
            0,
            0,
            0,
        ]);
        high.for_each(|c| fixed += i64::from(tally.lit_freq[c]));
        let extra = i64::from(tally.extra);
        fixed +=
            i64::from(tally.fixed_match) + extra + i64::from(trees::fixed_lit_len(END_OF_BLOCK));

        let mut dynamic = extra;
        dynamic += self.builder.build(
            &trees::LIT_LEN,
            &tally.lit_freq,
            &tally.lit_used,
            &mut self.lit,
        );
        dynamic += self.builder.build(
            &trees::DIST,
            &tally.dist_freq,
            &tally.dist_used,
            &mut self.dist,
        );
        // The code-length code is built from how the two codes' lengths will
        // be run-length coded.
        let (lit_max, dist_max) = (self.lit.max_code, self.dist.max_code);
        let mut bl_slots = [0u32; BL_SLOTS];
        self.run_count = 0;
        for (lens, used) in [
            (&self.lit.len[..=lit_max], self.lit.used()),
            (&self.dist.len[..=dist_max], self.dist.used()),
        ] {
            scan_runs(
                lens,
                used,
                &mut self.runs,
                &mut self.run_count,
                &mut bl_slots,
            );
        }
        let bl_freq = &bl_slots[..BL_CODES];
        let bl_used = Used::of(bl_freq);
        dynamic += (REP_PREV..BL_CODES)
            .map(|sym| i64::from(bl_freq[sym]) * i64::from(trees::BL_EXTRA[sym]))
            .sum::<i64>();
        dynamic += self
            .builder
            .build(&trees::BIT_LEN, bl_freq, &bl_used, &mut self.bl);
        // Trailing code-length code lengths of zero are not sent (at least 4 are).
        let bl_last = (3..BL_CODES)
            .rev()
            .find(|&i| self.bl.len[BL_ORDER[i]] != 0)
            .unwrap_or(3);
        // HLIT, HDIST, HCLEN and the 3-bit code-length code lengths.
        dynamic += 3 * (bl_last as i64 + 1) + 5 + 5 + 4;

        let bytes = |bits: i64| ((bits + 3 + 7) >> 3) as usize;
        let (dyn_bytes, fixed_bytes) = (bytes(dynamic), bytes(fixed));
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
    pub(crate) fn emit(&mut self, plan: &Plan, matches: &[Match], data: &[u8], out: &mut Vec<u8>) {
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
                write_symbols(w, matches, data, &FIXED_LIT, &FIXED_DIST).align();
            }
            Kind::Dynamic => {
                let (lit_max, dist_max) = (self.lit.max_code, self.dist.max_code);
                // BFINAL + BTYPE, HLIT, HDIST, HCLEN: 17 bits.
                w.put(
                    0b101
                        | ((lit_max + 1 - 257) as u32) << 3
                        | (dist_max as u32) << 8
                        | ((plan.bl_last + 1 - 4) as u32) << 13,
                    17,
                );
                for &sym in &BL_ORDER[..=plan.bl_last] {
                    w.put(u32::from(self.bl.len[sym]), 3);
                }
                for &run in &self.runs[..self.run_count] {
                    let sym = usize::from(run & 0xff);
                    let len = u32::from(self.bl.len[sym]);
                    let bits = u32::from(self.bl.code[sym]) | u32::from(run >> 8) << len;
                    let extra = trees::BL_EXTRA.get(sym).copied().unwrap_or(0);
                    w.put(bits, len + u32::from(extra));
                }
                write_symbols(w, matches, data, &self.lit, &self.dist).align();
            }
        }
    }
}

/// The symbols in order: the input's bytes as literals, except where a
/// match covers them.
///
/// Takes and returns the writer by value so that its bit buffer stays in
/// registers for the whole loop (behind a reference it is reloaded and
/// stored around every byte spill).
fn write_symbols<'a>(
    mut w: BitWriter<'a>,
    matches: &[Match],
    data: &[u8],
    lit: &Code,
    dist: &Code,
) -> BitWriter<'a> {
    // By value in and out, like the writer itself (see above): a closure
    // borrowing it would store the bit buffer back after every literal.
    #[inline(always)]
    fn literals<'w>(mut w: BitWriter<'w>, bytes: &[u8], lit: &Code) -> BitWriter<'w> {
        for &c in bytes {
            let c = usize::from(c);
            w.put(u32::from(lit.code[c]), u32::from(lit.len[c]));
        }
        w
    }
    let mut at = 0usize;
    for m in matches {
        let start = usize::from(m.start);
        w = literals(w, data.get(at..start).unwrap_or_default(), lit);
        at = start + usize::from(m.value) + MIN_MATCH;
        // Each code with its extra bits in one write (at most 15 + 13 bits).
        let v = usize::from(m.value) & 0xff;
        let lc = usize::from(LEN_CODE[v]);
        let (code, len) = (lit.code[257 + lc], lit.len[257 + lc]);
        let extra = u32::from(m.value.wrapping_sub(LEN_BASE[lc]));
        w.put(
            u32::from(code) | extra << len,
            u32::from(len) + u32::from(trees::LENGTH_EXTRA[lc]),
        );
        let d = m.dist.wrapping_sub(1);
        let dc = dist_code_fast(d);
        let (code, len) = (dist.code[dc], dist.len[dc]);
        let extra = u32::from(d.wrapping_sub(DIST_BASE[dc]));
        w.put(
            u32::from(code) | extra << len,
            u32::from(len) + u32::from(trees::DIST_EXTRA[dc]),
        );
    }
    w = literals(w, data.get(at..).unwrap_or_default(), lit);
    w.put(
        u32::from(lit.code[END_OF_BLOCK]),
        u32::from(lit.len[END_OF_BLOCK]),
    );
    w
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
/// appends each code-length symbol (`symbol | extra_value << 8`) to
/// `runs[*count..]` and counts it in `bl_freq`.
///
/// zlib walks the lengths one by one with a small state machine; its pieces
/// depend only on each maximal run of one length, so they are cut here a run
/// at a time (`push_run`). The runs are found from the code's used symbols
/// (`used`: exactly those with a nonzero length), so a code of a short input
/// costs a step per used symbol, not per alphabet entry: the zero runs are
/// the gaps between them.
fn scan_runs(
    lens: &[u8],
    used: &Used,
    runs: &mut [u16; RUN_SLOTS],
    count: &mut usize,
    bl_freq: &mut [u32; BL_SLOTS],
) {
    // Indices are masked to the power-of-two table sizes (never changing
    // one in use: at most MAX_RUNS entries, symbols below BL_CODES), so the
    // hot path has no bounds checks.
    let mut at = *count;
    let mut push = |sym: usize, extra: usize| {
        bl_freq[sym & (BL_SLOTS - 1)] += 1;
        runs[at & (RUN_SLOTS - 1)] = (sym | extra << 8) as u16;
        at += 1;
    };
    // The run of nonzero lengths being extended: its length and size; and
    // the first symbol no run covers yet.
    let (mut run_len, mut run_size, mut next) = (0u8, 0usize, 0usize);
    used.for_each(|n| {
        let Some(&len) = lens.get(n) else {
            return; // ok: unreachable, a used symbol is at most the code's max_code
        };
        if n == next && len == run_len {
            run_size += 1;
        } else {
            push_run(&mut push, run_len, run_size);
            push_run(&mut push, 0, n - next);
            (run_len, run_size) = (len, 1);
        }
        next = n + 1;
    });
    push_run(&mut push, run_len, run_size);
    // Zeros after the last used symbol (none when `lens` ends at max_code).
    push_run(&mut push, 0, lens.len().saturating_sub(next));
    *count = at;
}

/// The code-length symbols for a maximal run of `size` lengths `len` (none
/// for an empty run):
/// - zeros: pieces of at most 138; a piece of 3..=10 is symbol 17, of
///   11..=138 symbol 18, a shorter one is sent zero by zero;
/// - a nonzero length (always different from the run before): a first piece
///   of at most 7 is the length itself then symbol 16 for the 3..=6 repeats,
///   or, under 4, the lengths one by one; further pieces of at most 6 are
///   symbol 16 alone, or, under 3, the lengths one by one.
#[inline]
fn push_run(push: &mut impl FnMut(usize, usize), len: u8, size: usize) {
    let mut left = size;
    if len == 0 {
        while left > 0 {
            let piece = left.min(138);
            match piece {
                0..=2 => (0..piece).for_each(|_| push(0, 0)),
                3..=10 => push(REP_ZERO_SHORT, piece - 3),
                _ => push(REP_ZERO_LONG, piece - 11),
            }
            left -= piece;
        }
        return;
    }
    if left == 0 {
        return;
    }
    let sym = usize::from(len);
    let piece = left.min(7);
    if piece < 4 {
        (0..piece).for_each(|_| push(sym, 0));
    } else {
        push(sym, 0);
        push(REP_PREV, piece - 4);
    }
    left -= piece;
    while left > 0 {
        let piece = left.min(6);
        if piece < 3 {
            (0..piece).for_each(|_| push(sym, 0));
        } else {
            push(REP_PREV, piece - 3);
        }
        left -= piece;
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
