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

/// What kind of incomplete code zlib accepts: a code-length code must be
/// complete; a literal/length or distance code may also be empty or a single
/// one-bit code (whose unused bit pattern is then an invalid code).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CodeLengths,
    Symbols,
}

/// The groups of eight lengths that are not all zero, with the index of
/// their first symbol: a literal/length code uses few of its 286 symbols, and
/// the unused ones come in long zero runs.
fn nonzero_groups(lengths: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let words = lengths.chunks_exact(8);
    let tail = words.remainder();
    words
        .enumerate()
        .filter(|(_, w)| <[u8; 8]>::try_from(*w).map_or(true, |w| u64::from_ne_bytes(w) != 0))
        .map(|(n, w)| (n * 8, w))
        .chain(std::iter::once((lengths.len() - tail.len(), tail)))
}

pub struct Code {
    /// By the next FAST_BITS bits: `symbol << 4 | length` for codes that
    /// short, 0 where a longer code (or no code) starts.
    fast: [u16; 1 << FAST_BITS],
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
            limit: [0; MAX_LEN + 1],
            offset: [0; MAX_LEN + 1],
            symbols: [0; MAX_SYMBOLS],
        }
    }

    /// Make this the code with these lengths (0: unused symbol); None where
    /// zlib reports an invalid code set: over-subscribed, or incomplete beyond
    /// what `kind` allows.
    pub fn build(&mut self, lengths: &[u8], kind: Kind) -> Option<()> {
        if lengths.len() > MAX_SYMBOLS {
            return None;
        }
        let mut count = [0u16; MAX_LEN + 1];
        for (_, group) in nonzero_groups(lengths) {
            for &l in group {
                *count.get_mut(usize::from(l))? += 1;
            }
        }
        count[0] = 0;
        // Kraft: `left` is the number of unused codes at each length.
        let mut left: i32 = 1;
        let mut longest = 0;
        for (l, &n) in count.iter().enumerate().skip(1) {
            left = (left << 1) - i32::from(n);
            if left < 0 {
                return None; // over-subscribed
            }
            if n > 0 {
                longest = l;
            }
        }
        if left > 0 && (kind == Kind::CodeLengths || longest > 1) {
            return None; // incomplete
        }
        let code = self;
        // Per length: where its symbols start in `symbols`, and its first code.
        let mut slot = [0u16; MAX_LEN + 2];
        let mut first_code = [0u32; MAX_LEN + 1];
        let mut next: u32 = 0;
        for l in 1..=MAX_LEN {
            slot[l + 1] = slot[l] + count[l];
            first_code[l] = next;
            code.offset[l] = i32::from(slot[l]) - next as i32;
            next += u32::from(count[l]);
            // <= 1 << 15: Kraft's inequality held above.
            code.limit[l] = (next << (MAX_LEN - l)) as u16;
            next <<= 1;
        }
        let starts = slot;
        for (base, group) in nonzero_groups(lengths) {
            for (i, &l) in group.iter().enumerate() {
                if l != 0 {
                    let at = &mut slot[usize::from(l)];
                    *code.symbols.get_mut(usize::from(*at))? = (base + i) as u16; // < MAX_SYMBOLS
                    *at += 1;
                }
            }
        }
        // The lookup table, grown one bit at a time: doubling it copies every
        // shorter code into the new half (the new bit does not matter to
        // them), then each code of the new length takes its single slot, at
        // its bits reversed (the stream sends codes first bit first).
        code.fast[0] = 0;
        for l in 1..=FAST_BITS as usize {
            let half = 1 << (l - 1);
            code.fast.copy_within(..half, half);
            let group = code
                .symbols
                .get(usize::from(starts[l])..usize::from(starts[l + 1]))?;
            for (i, &symbol) in group.iter().enumerate() {
                let value = first_code[l] + i as u32; // < 2^l
                let at = usize::from(crate::deflate::reverse(value as u16, l));
                *code.fast.get_mut(at)? = symbol << 4 | l as u16;
            }
        }
        Some(())
    }

    /// Decode from `bits`, the next 15 (or more) bits of the stream in stream
    /// order (first bit lowest). Returns the symbol and its code length, or
    /// None for a bit pattern that is no code (incomplete codes only).
    #[inline]
    pub fn decode(&self, bits: u64) -> Option<(u16, u32)> {
        let hit = self.fast[(bits & ((1 << FAST_BITS) - 1)) as usize];
        if hit != 0 {
            return Some((hit >> 4, u32::from(hit & 15)));
        }
        self.decode_long(bits)
    }

    #[cold]
    fn decode_long(&self, bits: u64) -> Option<(u16, u32)> {
        let v = (bits as u16).reverse_bits() >> 1;
        // Branch-free; 16 means v is past every code (an incomplete code's hole).
        let len: u32 = self.limit.iter().map(|&b| u32::from(b <= v)).sum();
        let l = len as usize;
        let index = self.offset.get(l)? + i32::from(v >> (MAX_LEN - l));
        let symbol = *self.symbols.get(usize::try_from(index).ok()?)?;
        Some((symbol, len))
    }
}
