//! Huffman code lengths built the way zlib builds them (its `build_tree`,
//! `gen_bitlen` and `gen_codes`). DEFLATE allows many optimal codes for the
//! same frequencies; zlib's is fixed by these choices, all reproduced here:
//! - a binary min-heap of the used symbols in increasing symbol order, ties
//!   between equal frequencies broken by the smaller subtree depth (then the
//!   node already higher in the heap stays);
//! - fewer than two used symbols: symbols 0 or 1 are added with frequency 1
//!   (symbol 0 unless the only one is 0 or 1) so the code has two codes;
//! - merged nodes get fresh numbers from `elems` upward and the merge order
//!   decides the order the lengths are assigned and later repaired;
//! - lengths over the limit (15, or 7 for the code-length code) are cut, and
//!   the Kraft sum is repaired by moving leaves down from the deepest level
//!   that has one below the limit, then lengths are handed back by level to
//!   the leaves in merge order;
//! - codes are canonical (RFC 1951 3.2.2), sent bit-reversed.
//!
//! The bit count zlib charges a dynamic block (`opt_len`) is accumulated
//! here too, including its small quirk of charging an added dummy symbol -1
//! bit. Extra bits and the fixed code's cost do not depend on the tree; the
//! caller adds them from its symbol counts.

pub(crate) const L_CODES: usize = 286;
pub(crate) const D_CODES: usize = 30;
pub(crate) const BL_CODES: usize = 19;
const HEAP_CAP: usize = 2 * L_CODES + 1;

/// Extra bits per length code (symbols 257..=285).
pub(crate) const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Extra bits per distance code.
pub(crate) const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Extra bits of the code-length code's repeat symbols 16, 17, 18.
pub(crate) const BL_EXTRA: [u8; 19] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];

/// The fixed code's lengths (RFC 1951 3.2.6) for the literal/length alphabet.
pub(crate) const fn fixed_lit_len(sym: usize) -> u8 {
    match sym {
        0..=143 => 8,
        144..=255 => 9,
        256..=279 => 7,
        _ => 8,
    }
}

/// The per-alphabet facts `build` needs.
pub(crate) struct Alphabet {
    pub(crate) elems: usize,
    pub(crate) max_bits: u8,
}

pub(crate) const LIT_LEN: Alphabet = Alphabet {
    elems: L_CODES,
    max_bits: 15,
};
pub(crate) const DIST: Alphabet = Alphabet {
    elems: D_CODES,
    max_bits: 15,
};
pub(crate) const BIT_LEN: Alphabet = Alphabet {
    elems: BL_CODES,
    max_bits: 7,
};

/// A built code: lengths and (bit-reversed) codes per symbol, and the largest
/// symbol with a nonzero length, as the block header needs them. `build`
/// fills the lengths; the codes are only made (`make_codes`) for a block that
/// is written, so deciding "not kept" skips them.
pub(crate) struct Code {
    pub(crate) len: [u8; L_CODES],
    pub(crate) code: [u16; L_CODES],
    pub(crate) max_code: usize,
    /// The symbols with a nonzero length.
    used: Used,
    /// How many symbols have each length (index 0 unused).
    level_count: [u16; 16],
}

impl Code {
    pub(crate) const fn empty() -> Self {
        Code {
            len: [0; L_CODES],
            code: [0; L_CODES],
            max_code: 0,
            used: Used([0; 8]),
            level_count: [0; 16],
        }
    }

    /// The symbols with a nonzero length.
    pub(crate) fn used(&self) -> &Used {
        &self.used
    }

    /// Canonical codes (see `canonical_codes`), visiting only the used
    /// symbols; `build` already counted the codes of each length.
    pub(crate) fn make_codes(&mut self) {
        let mut next = [0u16; 16];
        let mut code = 0u16;
        // The first code of each length follows the codes one bit shorter.
        for (slot, &shorter) in next.iter_mut().skip(1).zip(&self.level_count) {
            code = (code + shorter) << 1;
            *slot = code;
        }
        let (len, codes) = (&self.len, &mut self.code);
        self.used.for_each(|n| {
            let l = usize::from(len[n]) & 15;
            codes[n] = reverse(next[l], l);
            next[l] = next[l].wrapping_add(1);
        });
    }
}

/// The low `len` bits of `code` in reverse order (1 <= len <= 15), by byte
/// table: x86-64 has no bit-reverse instruction, and `reverse_bits` on a
/// u16 is a long shift-and-mask sequence. (Deflate sends Huffman codes first
/// bit first; the inflater indexes its table the same way.)
#[inline]
pub(crate) fn reverse(code: u16, len: usize) -> u16 {
    let r =
        u16::from(REV8[usize::from(code & 0xff)]) << 8 | u16::from(REV8[usize::from(code >> 8)]);
    r >> ((16 - len) & 15)
}

const REV8: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).reverse_bits();
        i += 1;
    }
    t
};

/// A set of symbols (< 512; alphabets stop at 286) as a bitmap, iterated in
/// increasing order. Eight words, so a word index is a mask (`& 7`), not a
/// remainder: inserting is on the per-symbol path of the parse.
#[derive(Clone, Copy, Default)]
pub(crate) struct Used(pub(crate) [u64; 8]);

impl Used {
    #[inline]
    pub(crate) fn insert(&mut self, n: usize) {
        self.0[(n >> 6) & 7] |= 1 << (n & 63);
    }

    pub(crate) fn of(freqs: &[u32]) -> Self {
        let mut u = Used::default();
        for (n, &f) in freqs.iter().enumerate() {
            if f != 0 {
                u.insert(n);
            }
        }
        u
    }

    /// Call `f` with each member, smallest first.
    #[inline]
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize)) {
        for (w, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                f(w * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
    }
}

/// Scratch space for one tree build (nodes are leaves then merged nodes).
pub(crate) struct Builder {
    parent: [u16; HEAP_SLOTS],
    node_len: [u8; HEAP_SLOTS],
    heap: Heap,
    /// Nodes in the order they leave the heap; the root last.
    merged: [u16; HEAP_SLOTS],
}

/// Heap slots (1..=size, and the sentinels past them up to 2 * size + 1,
/// at most HEAP_CAP since a heap holds at most L_CODES entries) and node
/// slots (< HEAP_CAP), rounded up to a power of two so an index masked with
/// `SLOT_MASK` needs no bounds check (the mask never changes an index that
/// is in use).
const HEAP_SLOTS: usize = 1024;
const SLOT_MASK: usize = HEAP_SLOTS - 1;
// The last sentinel of a full heap must be in range.
const _: () = assert!(HEAP_CAP < HEAP_SLOTS);

/// zlib's heap, slots 1..=size. An entry is `freq << 24 | depth << 16 |
/// node`. zlib orders by (frequency, then depth) and never by node, so two
/// entries compare with the node bits of the right-hand side set
/// (`precedes`): the node rides along in the same word (one load and one
/// store per level) without ever breaking a tie.
struct Heap {
    slots: [u64; HEAP_SLOTS],
}

const NODE_MASK: u64 = 0xffff;
const DEPTH_SHIFT: u32 = 16;
const FREQ_SHIFT: u32 = 24;

/// zlib's `smaller(a, b)`: a's (frequency, depth) is at most b's.
#[inline]
fn precedes(a: u64, b: u64) -> bool {
    a <= b | NODE_MASK
}

impl Heap {
    /// zlib's sift-down (`pqdownheap`) of `v` from slot `k`. Heap order:
    /// `precedes`; an equal pair counts as ordered, so on a tie between the
    /// children the right one is taken, and `v` stops above a child equal to
    /// it.
    ///
    /// No size is passed: every slot past the heap's end, up to twice its
    /// size plus one, holds `u64::MAX` (see `Builder::build`), which `v`
    /// precedes and which is never the chosen child of a real one. So the
    /// walk stops at the heap's bottom by the same comparison that stops it
    /// above a larger child, one test per level instead of two.
    #[inline]
    fn sift_down(&mut self, mut k: usize, v: u64) {
        let h = &mut self.slots;
        // `precedes(v, c)` is `v_key <= c`: clearing v's node bits compares
        // the same (frequency, depth) pairs, with the mask taken once here.
        let v_key = v & !NODE_MASK;
        loop {
            let j = (k * 2) & SLOT_MASK;
            // The right child when it is not larger, as a 0/1 step.
            let j = j + usize::from(precedes(h[(j + 1) & SLOT_MASK], h[j]));
            let child = h[j & SLOT_MASK];
            if v_key <= child {
                break;
            }
            h[k & SLOT_MASK] = child;
            k = j;
        }
        h[k & SLOT_MASK] = v;
    }
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            parent: [0; HEAP_SLOTS],
            node_len: [0; HEAP_SLOTS],
            heap: Heap {
                slots: [0; HEAP_SLOTS],
            },
            merged: [0; HEAP_SLOTS],
        }
    }

    /// Build the code for `freqs` (one count per symbol of `alpha`; `used`
    /// has bit n set exactly when `freqs[n] != 0`) into `out`, returning the
    /// code bits it charges (zlib's `opt_len` share, without extra bits).
    /// Work is per used symbol, not per alphabet entry.
    pub(crate) fn build(
        &mut self,
        alpha: &Alphabet,
        freqs: &[u32],
        used: &Used,
        out: &mut Code,
    ) -> i64 {
        let elems = alpha.elems;
        let mut cost = 0i64;
        let heap = &mut self.heap;
        let mut size = 0usize; // heap slots 1..=size
        let mut max_code: isize = -1;
        // The heap starts as the used symbols in increasing order (depth 0).
        used.for_each(|n| {
            size += 1;
            let f = freqs.get(n).copied().unwrap_or(0);
            heap.slots[size & SLOT_MASK] = u64::from(f) << FREQ_SHIFT | n as u64;
            max_code = n as isize;
        });
        out.used = *used;
        // A code needs two symbols. The dummy's 1 bit is charged -1 in
        // advance (zlib's accounting; it cancels when the dummy gets 1 bit).
        while size < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            size += 1;
            heap.slots[size & SLOT_MASK] = 1 << FREQ_SHIFT | node as u64;
            out.used.insert(node);
            cost -= 1;
        }
        let dummy_charge = cost;
        let max_code = max_code as usize;
        out.max_code = max_code;

        // The sentinels `sift_down` relies on (slots past the end up to
        // 2 * size + 1; each slot a pop frees is set again below).
        if let Some(past_end) = heap.slots.get_mut(size + 1..=2 * size + 1) {
            past_end.fill(u64::MAX);
        }
        for k in (1..=size / 2).rev() {
            let v = heap.slots[k & SLOT_MASK];
            heap.sift_down(k, v);
        }

        // Merge the two least frequent nodes until one is left.
        let mut next_node = elems as u64;
        let mut merged = 0usize;
        while size >= 2 {
            let a = heap.slots[1];
            let last = heap.slots[size & SLOT_MASK];
            heap.slots[size & SLOT_MASK] = u64::MAX;
            size -= 1;
            heap.sift_down(1, last);
            let b = heap.slots[1];
            let freq = (a >> FREQ_SHIFT) + (b >> FREQ_SHIFT);
            // Depths stay far below 256: a tree over at most 16384 + 2
            // counts is at most about 21 levels deep (Fibonacci bound).
            let depth = ((a >> DEPTH_SHIFT) & 0xff).max((b >> DEPTH_SHIFT) & 0xff) + 1;
            let (n, m) = ((a & NODE_MASK) as u16, (b & NODE_MASK) as u16);
            self.merged[merged & SLOT_MASK] = n;
            self.merged[(merged + 1) & SLOT_MASK] = m;
            merged += 2;
            self.parent[usize::from(n) & SLOT_MASK] = next_node as u16;
            self.parent[usize::from(m) & SLOT_MASK] = next_node as u16;
            // Each merge adds its weight once per leaf below it, so the sum
            // of the merged weights is the code's cost in bits (while no
            // length is cut; `assign_lengths` recounts when one is).
            cost += freq as i64;
            heap.sift_down(1, freq << FREQ_SHIFT | depth << DEPTH_SHIFT | next_node);
            next_node += 1;
        }
        self.merged[merged & SLOT_MASK] = (heap.slots[1] & NODE_MASK) as u16;
        merged += 1;

        // Depths from the root down: a merged node's parent was made after
        // it (numbers count up from `elems`, the root last), so walking the
        // numbers down meets every parent first. (Depths stay far below 256:
        // see the merge loop.)
        let root = next_node as usize - 1;
        let node_len = &mut self.node_len;
        node_len[root & SLOT_MASK] = 0;
        for n in (elems..root).rev() {
            let up = usize::from(self.parent[n & SLOT_MASK]) & SLOT_MASK;
            node_len[n & SLOT_MASK] = node_len[up] + 1;
        }
        // Every entry, not just up to max_code: the header reads the code
        // length code's lengths in BL_ORDER, past its max_code.
        out.len[..elems].fill(0);
        // A leaf is one below its parent. With no leaf past the limit
        // (nearly always; then no merged node is either) the depths are
        // the lengths, counted per length as they are handed out.
        let mut count = [0u16; 16];
        let mut deepest = 0u8;
        let (len, parent) = (&mut out.len, &self.parent);
        out.used.for_each(|n| {
            let l = node_len[usize::from(parent[n & SLOT_MASK]) & SLOT_MASK] + 1;
            len[n] = l;
            deepest = deepest.max(l);
            count[usize::from(l) & 15] += 1;
        });
        if deepest <= alpha.max_bits {
            out.level_count = count;
            return cost;
        }
        if let Some(recount) = self.assign_lengths(alpha, freqs, max_code, merged, out) {
            // Lengths were cut: charge what the dummy prepaid plus the new lengths.
            cost = dummy_charge + recount;
        }
        let (len, node_len) = (&mut out.len, &self.node_len);
        out.used.for_each(|n| len[n] = node_len[n & SLOT_MASK]);
        cost
    }

    /// Depths from the root down, cut at `max_bits` and repaired as zlib
    /// does; counts the leaves per length into `out.level_count`. When a
    /// length had to be cut, returns the code bits the final lengths charge
    /// (the merged weights no longer add up to them).
    fn assign_lengths(
        &mut self,
        alpha: &Alphabet,
        freqs: &[u32],
        max_code: usize,
        merged: usize,
        out: &mut Code,
    ) -> Option<i64> {
        let max_bits = alpha.max_bits;
        let mut count = [0u16; 16]; // leaves per length
        let mut overflow = 0i32;
        // `merged` ends with the root; a node leaves the heap after its
        // children, so walking it backwards meets every parent first.
        let node_len = &mut self.node_len;
        node_len[usize::from(self.merged[(merged - 1) & SLOT_MASK]) & SLOT_MASK] = 0;
        for i in (0..merged - 1).rev() {
            let n = usize::from(self.merged[i & SLOT_MASK]) & SLOT_MASK;
            let mut bits = node_len[usize::from(self.parent[n]) & SLOT_MASK] + 1;
            if bits > max_bits {
                bits = max_bits;
                overflow += 1;
            }
            node_len[n] = bits;
            // Merged nodes are numbered past every leaf.
            count[usize::from(bits) & 15] += u16::from(n <= max_code);
        }
        if overflow == 0 {
            out.level_count = count;
            return None;
        }
        // Each cut leaf broke the Kraft sum; move a leaf from the deepest
        // level with room one level down (making two leaves there) until it
        // holds again.
        let top = usize::from(max_bits);
        while overflow > 0 {
            let mut bits = top - 1;
            while count[bits] == 0 {
                bits -= 1;
            }
            count[bits] -= 1;
            count[bits + 1] += 2;
            count[top] -= 1;
            overflow -= 2;
        }
        // Hand the lengths back, longest first, to the leaves in merge order
        // (least frequent first).
        let mut leaves = (0..merged)
            .map(|i| usize::from(self.merged[i]))
            .filter(|&n| n <= max_code);
        for bits in (1..=top).rev() {
            for _ in 0..count[bits] {
                let Some(m) = leaves.next() else {
                    break; // ok: unreachable, the counts sum to the number of leaves
                };
                self.node_len[m] = bits as u8;
            }
        }
        out.level_count = count;
        // A dummy leaf has no count in `freqs`; zlib gave it frequency 1.
        let mut cost = 0i64;
        for i in 0..merged {
            let n = usize::from(self.merged[i]);
            if n <= max_code {
                let f = freqs.get(n).copied().filter(|&f| f != 0).unwrap_or(1);
                cost += i64::from(f) * i64::from(self.node_len[n]);
            }
        }
        Some(cost)
    }
}

/// Canonical codes from lengths (RFC 1951 3.2.2), bit-reversed for an
/// LSB-first writer.
pub(crate) const fn canonical_codes(lens: &[u8], codes: &mut [u16]) {
    // (A const fn, so the fixed code is computed at compile time.)
    let mut count = [0u16; 16];
    let mut i = 0;
    while i < lens.len() {
        count[lens[i] as usize] += 1;
        i += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    let mut bits = 1;
    while bits < 16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
        bits += 1;
    }
    let mut n = 0;
    while n < lens.len() {
        let l = lens[n] as usize;
        if l != 0 {
            codes[n] = next[l].reverse_bits() >> (16 - l);
            next[l] += 1;
        }
        n += 1;
    }
}
