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
//! The bit counts zlib uses to choose the block type (`opt_len`,
//! `static_len`) are accumulated here too, including its small quirk of
//! charging an added dummy symbol -1 bit.

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
    pub(crate) extra: &'static [u8],
    pub(crate) extra_base: usize,
    /// Length of each symbol in the fixed code, when the alphabet has one.
    pub(crate) fixed: Option<fn(usize) -> u8>,
}

pub(crate) const LIT_LEN: Alphabet = Alphabet {
    elems: L_CODES,
    max_bits: 15,
    extra: &LENGTH_EXTRA,
    extra_base: 257,
    fixed: Some(fixed_lit_len),
};
pub(crate) const DIST: Alphabet = Alphabet {
    elems: D_CODES,
    max_bits: 15,
    extra: &DIST_EXTRA,
    extra_base: 0,
    fixed: Some(|_| 5),
};
pub(crate) const BIT_LEN: Alphabet = Alphabet {
    elems: BL_CODES,
    max_bits: 7,
    extra: &BL_EXTRA,
    extra_base: 0,
    fixed: None,
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
}

impl Code {
    pub(crate) const fn empty() -> Self {
        Code {
            len: [0; L_CODES],
            code: [0; L_CODES],
            max_code: 0,
            used: Used([0; 5]),
        }
    }

    /// Canonical codes (see `canonical_codes`), visiting only the used symbols.
    pub(crate) fn make_codes(&mut self) {
        let mut next = [0u16; 16];
        for n in self.used.iter() {
            next[usize::from(self.len[n])] += 1;
        }
        let mut code = 0u16;
        let mut below = 0u16; // codes of the previous length
        for slot in next.iter_mut().skip(1) {
            code = (code + below) << 1;
            below = *slot;
            *slot = code;
        }
        for n in self.used.iter() {
            let l = usize::from(self.len[n]);
            self.code[n] = next[l].reverse_bits() >> (16 - l);
            next[l] += 1;
        }
    }
}

/// A set of symbols (< 320) as a bitmap, iterated in increasing order.
#[derive(Clone, Copy, Default)]
pub(crate) struct Used([u64; 5]);

impl Used {
    #[inline]
    pub(crate) fn insert(&mut self, n: usize) {
        self.0[n / 64] |= 1 << (n % 64);
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

    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        })
    }
}

/// Scratch space for one tree build (nodes are leaves then merged nodes).
pub(crate) struct Builder {
    freq: [u32; HEAP_CAP],
    depth: [u8; HEAP_CAP],
    parent: [u16; HEAP_CAP],
    node_len: [u8; HEAP_CAP],
    /// Heap slots 1..=size: `(freq << 8 | depth) << 16 | node`. The part
    /// above the node number is zlib's order (frequency, then depth) as one
    /// integer; comparisons shift the node number out so it never breaks a tie.
    heap: [u64; HEAP_CAP + 1],
    /// Nodes in the order they leave the heap; the root last.
    merged: [u16; HEAP_CAP],
}

/// Bits charged by one build: with this tree, and with the fixed code.
#[derive(Default, Clone, Copy)]
pub(crate) struct Cost {
    pub(crate) dynamic: i64,
    pub(crate) fixed: i64,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            freq: [0; HEAP_CAP],
            depth: [0; HEAP_CAP],
            parent: [0; HEAP_CAP],
            node_len: [0; HEAP_CAP],
            heap: [0; HEAP_CAP + 1],
            merged: [0; HEAP_CAP],
        }
    }

    fn put(&mut self, slot: usize, node: usize) {
        let key = u64::from(self.freq[node]) << 8 | u64::from(self.depth[node]);
        self.heap[slot] = key << 16 | node as u64;
    }

    /// zlib's sift-down. Heap order: lower frequency first, then the shallower
    /// subtree; an equal pair counts as ordered (`<=`), so on a tie between
    /// the children the right one is taken, and the sifted node stops above
    /// a child equal to it.
    fn sift_down(&mut self, size: usize, mut k: usize) {
        let v = self.heap[k];
        // A missing right child must never be picked: give it the largest key.
        self.heap[size + 1] = u64::MAX;
        let mut j = k * 2;
        while j <= size {
            j += usize::from(self.heap[j + 1] >> 16 <= self.heap[j] >> 16);
            if v >> 16 <= self.heap[j] >> 16 {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j *= 2;
        }
        self.heap[k] = v;
    }

    fn node_at(&self, slot: usize) -> u16 {
        self.heap[slot] as u16
    }

    /// Build the code for `freqs` (one count per symbol of `alpha`; `used`
    /// has bit n set exactly when `freqs[n] != 0`) into `out`, returning the
    /// bits it charges. Work is per used symbol, not per alphabet entry.
    pub(crate) fn build(
        &mut self,
        alpha: &Alphabet,
        freqs: &[u32],
        used: &Used,
        out: &mut Code,
    ) -> Cost {
        let elems = alpha.elems;
        let mut cost = Cost::default();
        let mut size = 0usize; // heap[1..=size]
        let mut max_code: isize = -1;
        // The heap starts as the used symbols in increasing order.
        for n in used.iter() {
            self.freq[n] = freqs[n];
            size += 1;
            self.depth[n] = 0;
            self.put(size, n);
            max_code = n as isize;
        }
        // A code needs two symbols. The dummy's 1 bit is charged -1 in
        // advance (zlib's accounting; it cancels when the dummy gets 1 bit).
        let (mut dummies, mut dummy_count) = ([0usize; 2], 0);
        while size < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            size += 1;
            self.freq[node] = 1;
            dummies[dummy_count] = node;
            dummy_count += 1;
            self.depth[node] = 0;
            self.put(size, node);
            cost.dynamic -= 1;
            if let Some(fixed) = alpha.fixed {
                cost.fixed -= i64::from(fixed(node));
            }
        }
        let max_code = max_code as usize;
        out.max_code = max_code;

        for k in (1..=size / 2).rev() {
            self.sift_down(size, k);
        }

        // Merge the two least frequent nodes until one is left.
        let mut next_node = elems;
        let mut merged = 0usize;
        while size >= 2 {
            let n = self.node_at(1);
            self.heap[1] = self.heap[size];
            size -= 1;
            self.sift_down(size, 1);
            let m = self.node_at(1);
            self.merged[merged] = n;
            self.merged[merged + 1] = m;
            merged += 2;
            let (ni, mi) = (usize::from(n), usize::from(m));
            self.freq[next_node] = self.freq[ni] + self.freq[mi];
            self.depth[next_node] = self.depth[ni].max(self.depth[mi]) + 1;
            self.parent[ni] = next_node as u16;
            self.parent[mi] = next_node as u16;
            self.put(1, next_node);
            next_node += 1;
            self.sift_down(size, 1);
        }
        self.merged[merged] = self.node_at(1);
        merged += 1;

        self.assign_lengths(alpha, max_code, merged, &mut cost);
        // Every entry, not just up to max_code: the header reads the code
        // length code's lengths in BL_ORDER, past its max_code.
        out.len[..elems].fill(0);
        out.used = *used;
        for &d in &dummies[..dummy_count] {
            out.used.insert(d);
        }
        for n in out.used.iter() {
            out.len[n] = self.node_len[n];
        }
        cost
    }

    /// Depths from the root down, cut at `max_bits` and repaired as zlib does.
    fn assign_lengths(
        &mut self,
        alpha: &Alphabet,
        max_code: usize,
        merged: usize,
        cost: &mut Cost,
    ) {
        let max_bits = alpha.max_bits;
        let mut count = [0u32; 16]; // leaves per length
        let mut overflow = 0i32;
        // `merged` ends with the root; a node leaves the heap after its
        // children, so walking it backwards meets every parent first.
        self.node_len[usize::from(self.merged[merged - 1])] = 0;
        for i in (0..merged - 1).rev() {
            let n = usize::from(self.merged[i]);
            let mut bits = self.node_len[usize::from(self.parent[n])] + 1;
            if bits > max_bits {
                bits = max_bits;
                overflow += 1;
            }
            self.node_len[n] = bits;
            if n > max_code {
                continue; // merged node
            }
            count[usize::from(bits)] += 1;
            let extra = n
                .checked_sub(alpha.extra_base)
                .and_then(|i| alpha.extra.get(i))
                .map_or(0, |&e| i64::from(e));
            let f = i64::from(self.freq[n]);
            cost.dynamic += f * (i64::from(bits) + extra);
            if let Some(fixed) = alpha.fixed {
                cost.fixed += f * (i64::from(fixed(n)) + extra);
            }
        }
        if overflow > 0 {
            // Each cut leaf broke the Kraft sum; move a leaf from the deepest
            // level with room one level down (making two leaves there) until
            // it holds again.
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
            // Hand the lengths back, longest first, to the leaves in merge
            // order (least frequent first).
            let mut leaves = (0..merged)
                .map(|i| usize::from(self.merged[i]))
                .filter(|&n| n <= max_code);
            for bits in (1..=top).rev() {
                for _ in 0..count[bits] {
                    let Some(m) = leaves.next() else {
                        break; // ok: unreachable, the counts sum to the number of leaves
                    };
                    let old = self.node_len[m];
                    if usize::from(old) != bits {
                        cost.dynamic += (bits as i64 - i64::from(old)) * i64::from(self.freq[m]);
                        self.node_len[m] = bits as u8;
                    }
                }
            }
        }
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
