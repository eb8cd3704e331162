//! Canonical Huffman decoding sized for short streams.
//!
//! Codes of up to [`FAST_BITS`] bits decode with one lookup in a 256-entry
//! table indexed by the next bits as they come (first bit lowest). Longer codes
//! decode by comparison: read the next 15 bits most-significant-bit first and
//! the code's length is the number of lengths whose left-justified upper bound
//! does not exceed them. zlib fills a 512-entry table (and more for long codes)
//! for every dynamic block, which is most of its time on a token-sized stream;
//! here the table is half that and long codes need none.

/// The most symbols any deflate code has (288 literal/length codes).
pub const MAX_SYMBOLS: usize = 288;
const MAX_LEN: usize = 15;
const FAST_BITS: u32 = 8;
/// Codes up to this long fill their lookup table by stride (see `fill_by_stride`).
const STRIDE_BITS: usize = 6;

/// What kind of incomplete code zlib accepts: a code-length code must be
/// complete; a literal/length or distance code may also be empty or a single
/// one-bit code (whose unused bit pattern is then an invalid code).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CodeLengths,
    Symbols,
}

/// A symbol with a nonzero code length, as `symbol << 4 | length`. A code is
/// built from its used symbols only, in symbol order: a literal/length code of
/// a short stream uses few of its 286 symbols, so scanning all the lengths
/// would be most of the work.
pub type Used = u16;

/// `symbol` (< 4096) with code length `length` (1..=15).
#[inline]
pub fn used(symbol: usize, length: u8) -> Used {
    (symbol as u16) << 4 | u16::from(length)
}

/// The used symbols of a table of lengths (0: unused), in symbol order.
pub fn used_of(lengths: &[u8], into: &mut [Used]) -> Option<usize> {
    let mut n = 0;
    for (symbol, &l) in lengths.iter().enumerate() {
        if l != 0 {
            *into.get_mut(n)? = used(symbol, l); // symbol < MAX_SYMBOLS
            n += 1;
        }
    }
    Some(n)
}

pub struct Code {
    /// By the next FAST_BITS bits: `symbol << 4 | length` for codes that
    /// short, 0 where a longer code (or no code) starts. Only the first
    /// `fast_mask + 1` entries are this code's.
    fast: [u16; 1 << FAST_BITS],
    /// The table is grown only to the longest code (at most FAST_BITS bits):
    /// the code-length and distance codes of a short stream are a few bits
    /// long, and filling 256 entries for them was wasted work.
    fast_mask: u16,
    /// Whether some code is longer than FAST_BITS. Only then are `limit` and
    /// `offset` built; otherwise a miss in `fast` is no code.
    long: bool,
    /// `limit[l]`: the first left-justified 15-bit value past the codes of
    /// length `l` (non-decreasing in `l`); `limit[0]` is 0, which every value
    /// passes, so the number of limits <= v is v's code length.
    limit: [u16; MAX_LEN + 1],
    /// `offset[l]`: where codes of length `l` start in `symbols`, minus the
    /// first such code's value.
    offset: [i32; MAX_LEN + 1],
    /// Symbols ordered by (length, symbol): canonical code order.
    symbols: [u16; MAX_SYMBOLS],
}

impl Code {
    /// A code with no symbols, to be [`build`](Self::build) in place (a code
    /// is over a kilobyte: building in place saves copying it around).
    pub fn empty() -> Code {
        Code {
            fast: [0; 1 << FAST_BITS],
            fast_mask: 0,
            long: false,
            limit: [0; MAX_LEN + 1],
            offset: [0; MAX_LEN + 1],
            symbols: [0; MAX_SYMBOLS],
        }
    }

    /// Make this the code whose used symbols and lengths are `used` (in
    /// symbol order, lengths 1..=15, symbols < MAX_SYMBOLS); None where zlib
    /// reports an invalid code set: over-subscribed, or incomplete beyond what
    /// `kind` allows.
    pub fn build(&mut self, used: &[Used], kind: Kind) -> Option<()> {
        let mut count = [0u16; MAX_LEN + 1];
        let mut lengths = 0u32;
        for &u in used {
            let l = u & 15;
            count[usize::from(l)] += 1;
            lengths |= 1 << l;
        }
        count[0] = 0;
        // The per-length work stops at the longest code: a token's codes
        // are a few bits long, and the empty lengths above cost as much as
        // the used ones.
        let longest = (31 - (lengths | 1).leading_zeros()) as usize;
        // Per length: its first canonical code, and where its symbols start
        // in `symbols`.
        let mut next = [0u16; MAX_LEN + 1];
        let mut slot = [0u16; MAX_LEN + 2];
        let mut code: u32 = 0;
        for l in 1..=longest {
            code = (code + u32::from(count[l - 1])) << 1;
            next[l] = code as u16; // < 2^l unless over-subscribed (refused below)
            slot[l + 1] = slot[l] + count[l];
        }
        // Kraft: the codes end at 2^longest exactly for a complete code. The
        // end of each length's codes at least doubles at the next, so a
        // length over-subscribed on its own ends the code past 2^longest.
        let end = code + u32::from(count[longest]);
        if end > 1 << longest {
            return None; // over-subscribed
        }
        if end < 1 << longest && (kind == Kind::CodeLengths || longest > 1) {
            return None; // incomplete
        }
        let fast_bits = longest.min(FAST_BITS as usize);
        self.fast_mask = (1 << fast_bits) - 1;
        self.long = longest > fast_bits;
        if longest <= STRIDE_BITS {
            if end < 1 << longest {
                self.fast[..2].fill(0); // the hole of a one-bit code
            }
            self.fill_by_stride(used, next);
            return Some(());
        }
        // A counting sort by length keeps symbol order within a length.
        let starts = slot;
        for &u in used {
            let at = &mut slot[usize::from(u & 15)];
            *self.symbols.get_mut(usize::from(*at))? = u >> 4;
            *at += 1;
        }
        // The lookup table, grown one bit at a time: doubling it copies every
        // shorter code into the new half (the new bit does not matter to
        // them), then each code of the new length takes its single slot, at
        // its bits reversed (the stream sends codes first bit first).
        self.fast[0] = 0;
        for l in 1..=fast_bits {
            let half = 1 << (l - 1);
            self.fast.copy_within(..half, half);
            let group = self
                .symbols
                .get(usize::from(starts[l])..usize::from(starts[l + 1]))?;
            for (i, &symbol) in group.iter().enumerate() {
                let value = next[l] + i as u16; // < 2^l <= 256: `& 0xff` as in fill_by_stride
                let at = usize::from(crate::deflate::reverse(value & 0xff, l));
                *self.fast.get_mut(at)? = symbol << 4 | l as u16;
            }
        }
        if self.long {
            self.build_long(&count);
        }
        Some(())
    }

    /// The lookup table of a code of at most STRIDE_BITS bits, straight from
    /// `used` in symbol order: each code takes every slot whose low bits are
    /// its bits reversed (the stream sends codes first bit first; the bits
    /// above belong to what follows). Such a table is small enough that
    /// these stores cost less than sorting the symbols by length to double
    /// the table one length at a time.
    fn fill_by_stride(&mut self, used: &[Used], mut next: [u16; MAX_LEN + 1]) {
        let table = &mut self.fast[..usize::from(self.fast_mask) + 1];
        for &u in used {
            let l = usize::from(u & 15);
            // `& 0xff` changes nothing (the code is < 2^l <= 64) but tells the
            // compiler the high byte is 0: `reverse` then needs one table
            // lookup, not two.
            let mut at = usize::from(crate::deflate::reverse(next[l] & 0xff, l));
            next[l] += 1;
            while let Some(slot) = table.get_mut(at) {
                *slot = u; // `symbol << 4 | length`, the table's entry
                at += 1 << l;
            }
        }
    }

    /// The tables of the comparison decoder, for codes longer than FAST_BITS.
    fn build_long(&mut self, count: &[u16; MAX_LEN + 1]) {
        let (mut start, mut next) = (0i32, 0u32);
        for (l, &n) in count.iter().enumerate().skip(1) {
            self.offset[l] = start - next as i32;
            start += i32::from(n);
            next += u32::from(n);
            // <= 1 << 15: Kraft's inequality held.
            self.limit[l] = (next << (MAX_LEN - l)) as u16;
            next <<= 1;
        }
    }

    /// Decode from `bits`, the next 15 (or more) bits of the stream in stream
    /// order (first bit lowest). Returns the symbol and its code length, or
    /// None for a bit pattern that is no code (incomplete codes only).
    #[inline]
    pub fn decode(&self, bits: u64) -> Option<(u16, u32)> {
        let hit = self.fast[usize::from(bits as u16 & self.fast_mask & ((1 << FAST_BITS) - 1))];
        if hit != 0 {
            return Some((hit >> 4, u32::from(hit & 15)));
        }
        self.decode_long(bits)
    }

    #[cold]
    fn decode_long(&self, bits: u64) -> Option<(u16, u32)> {
        if !self.long {
            return None;
        }
        let v = (bits as u16).reverse_bits() >> 1;
        // Branch-free; 16 means v is past every code (an incomplete code's hole).
        let len: u32 = self.limit.iter().map(|&b| u32::from(b <= v)).sum();
        let l = len as usize;
        let index = self.offset.get(l)? + i32::from(v >> (MAX_LEN - l));
        let symbol = *self.symbols.get(usize::try_from(index).ok()?)?;
        Some((symbol, len))
    }
}
