//! The match finder: zlib's level-6 lazy parser (its `deflate_slow`), so that
//! every literal and (length, distance) pair is the one zlib emits.
//!
//! What zlib's output depends on, and this module therefore reproduces:
//! - Candidates come from hash chains. A position's hash is
//!   `((b0 << 10) ^ (b1 << 5) ^ b2) & 0x7fff` of its first three bytes (a
//!   15-bit hash shifted by 5 per byte, memLevel 8). A chain lists the
//!   positions inserted with that hash, newest first. Every position with at
//!   least three bytes left is inserted, in order, including the ones a match
//!   covers.
//! - Position 0 is never a candidate: zlib uses 0 as its "empty chain" value.
//! - At most 128 candidates are tried (32 once the previous match is at least
//!   `GOOD` long); the first candidate longer than the best so far wins, and
//!   the search stops at a match of `NICE` (or of the bytes left, if fewer).
//! - Near the end the search stops at the first candidate that reaches the
//!   end of the input (zlib cuts `NICE` to the bytes left), so what lies past
//!   the input never decides a match. zlib still compares past the end (into
//!   a zeroed part of its window) before cutting the length; the window here
//!   is padded the same way, only so those reads stay in bounds.
//! - Lazy evaluation: a match is emitted only when the next position does not
//!   find a longer one; no search is made once the previous match reaches
//!   `LAZY`; a 3-byte match farther than `TOO_FAR` counts as no match.
//!
//! Inputs are at most `super::MAX_EXACT_LEN` bytes, so the window never slides
//! and every distance is within zlib's MAX_DIST (32506): those rules of zlib's
//! never fire here and are not modelled.

use super::block::Tally;
use super::MAX_EXACT_LEN;

pub(crate) const MIN_MATCH: usize = 3;
pub(crate) const MAX_MATCH: usize = 258;
/// zlib's configuration table, level 6.
const GOOD: usize = 8;
const LAZY: usize = 16;
const NICE: usize = 128;
const MAX_CHAIN: u32 = 128;
const TOO_FAR: usize = 4096;

const HASH_BITS: u32 = 15;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: u32 = (HASH_SIZE as u32) - 1;
const HASH_SHIFT: u32 = 5;
/// Chain links by position: every position of an input (< MAX_EXACT_LEN + 1)
/// in a power-of-two table, so a masked index needs no bounds check.
const PREV_SIZE: usize = (MAX_EXACT_LEN + 1).next_power_of_two();

/// One match of the parse: `value` = length - 3 at distance `dist` (>= 1),
/// covering the input from `start`. Literals are not stored: they are the
/// bytes no match covers, in input order, just as zlib's symbol buffer
/// interleaves them, so the writer reads them from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) start: u16,
    pub(crate) value: u16,
    pub(crate) dist: u16,
}

/// The chain heads and links, kept between calls.
///
/// zlib clears its 32768-entry head table on every reset; here each entry is
/// tagged with the call's generation instead, so an entry written by an
/// earlier call reads as empty and a call costs nothing per table entry. The
/// links (`prev`) are indexed by position and only ever read for positions
/// inserted during the same call, so they need no clearing at all.
pub(crate) struct Chains {
    head: Box<[u32; HASH_SIZE]>,
    prev: Box<[u16; PREV_SIZE]>,
    generation: u32,
}

impl Chains {
    pub(crate) fn new() -> Self {
        Chains {
            head: Box::new([0; HASH_SIZE]),
            prev: Box::new([0; PREV_SIZE]),
            generation: 0,
        }
    }

    fn next_generation(&mut self) {
        // The tag lives in the high 16 bits; positions (< 2^16) in the low.
        self.generation = (self.generation + 1) & 0xffff;
        if self.generation == 0 {
            // Wrapped: old tags could now look current. Clear once per 65535 calls.
            self.head.fill(0);
            self.generation = 1;
        }
    }

    /// Link `pos` in front of the chain for `hash`; return the old head (0 = empty).
    #[inline]
    fn insert(&mut self, hash: u32, pos: usize) -> usize {
        let slot = &mut self.head[(hash & HASH_MASK) as usize];
        let old = if *slot >> 16 == self.generation {
            (*slot & 0xffff) as usize
        } else {
            0
        };
        *slot = self.generation << 16 | pos as u32;
        self.prev[pos & (PREV_SIZE - 1)] = old as u16;
        old
    }
}

#[inline]
fn roll(hash: u32, byte: u8) -> u32 {
    ((hash << HASH_SHIFT) ^ u32::from(byte)) & HASH_MASK
}

/// Length of the common prefix of `window[a..]` and `window[b..]` (a < b),
/// at most MAX_MATCH, given that their first three bytes are equal.
#[inline]
fn match_len(window: &[u8], a: usize, b: usize) -> usize {
    let (x, y) = (&window[a + MIN_MATCH..], &window[b + MIN_MATCH..]);
    let limit = MAX_MATCH - MIN_MATCH;
    let mut n = 0;
    // Eight bytes at a time: the window is padded so `b + MAX_MATCH` is in bounds.
    while n < limit {
        let (Some(p), Some(q)) = (x.get(n..n + 8), y.get(n..n + 8)) else {
            break;
        };
        let diff = u64::from_le_bytes(p.try_into().unwrap_or([0; 8]))
            ^ u64::from_le_bytes(q.try_into().unwrap_or([0; 8]));
        if diff != 0 {
            n += (diff.trailing_zeros() / 8) as usize;
            return MIN_MATCH + n.min(limit);
        }
        n += 8;
    }
    while n < limit && x.get(n).is_some() && x.get(n) == y.get(n) {
        n += 1;
    }
    MIN_MATCH + n.min(limit)
}

/// Parse `window[..len]` (the input, followed in `window` by at least
/// MAX_MATCH zero bytes): its matches into `out`, and every symbol, literal
/// or match, counted in `tally` (reset here).
pub(crate) fn parse(
    chains: &mut Chains,
    window: &[u8],
    len: usize,
    out: &mut Vec<Match>,
    tally: &mut Tally,
) {
    debug_assert!(len <= MAX_EXACT_LEN && window.len() >= len + MAX_MATCH);
    chains.next_generation();
    out.clear();
    tally.reset();
    if len == 0 {
        return;
    }
    // Each match covers at least three bytes, so `len / 3` slots are
    // enough. They are filled by index with a local count, through a plain
    // slice whose pointer and length stay in registers.
    out.resize(
        len / MIN_MATCH + 1,
        Match {
            start: 0,
            value: 0,
            dist: 0,
        },
    );
    let slots = out.as_mut_slice();
    let mut count = 0usize;
    // The rolling hash is primed with the first two bytes; inserting position p
    // rolls in byte p+2, so positions must be inserted in order.
    let mut hash = if len >= MIN_MATCH {
        roll(u32::from(window[0]), window[1])
    } else {
        0
    };
    let last_insertable = len.saturating_sub(MIN_MATCH); // valid only when len >= 3

    let mut pos = 0usize;
    let mut match_len_now = MIN_MATCH - 1;
    // zlib keeps the start of the last *improving* candidate across steps; the
    // too-far rule reads it even when the latest search found nothing better.
    let mut match_start = 0usize;
    let mut pending_literal = false;
    // No match taken here: the byte before becomes a literal if it was
    // pending, and this one is pending now.
    macro_rules! literal_step {
        () => {{
            if pending_literal {
                tally.literal(window[pos - 1]);
            }
            pending_literal = true;
            pos += 1;
        }};
    }

    // A chain head the literal run below already looked up (and inserted
    // `pos` for); 0 = none.
    let mut carried = 0usize;
    while pos < len {
        let ahead = len - pos;
        let head = if carried != 0 {
            std::mem::take(&mut carried)
        } else if ahead >= MIN_MATCH {
            hash = roll(hash, window[pos + 2]);
            let head = chains.insert(hash, pos);
            if head == 0 && match_len_now < MIN_MATCH {
                // No candidate and no match pending: the byte before is a
                // literal and this one is pending, exactly as the general
                // step below decides (most steps of a short token).
                literal_step!();
                // The same again while the next positions find no
                // candidate, the byte before now always pending: a tight
                // loop. A position that finds one is inserted already; its
                // head is carried to the general step.
                while pos <= last_insertable {
                    hash = roll(hash, window[pos + 2]);
                    carried = chains.insert(hash, pos);
                    if carried != 0 {
                        break;
                    }
                    tally.literal(window[pos - 1]);
                    pos += 1;
                }
                continue;
            }
            head
        } else {
            0
        };
        let prev_len = match_len_now;
        let prev_start = match_start;
        match_len_now = MIN_MATCH - 1;

        if head != 0 && prev_len < LAZY {
            let (found, start) = longest_match(chains, window, pos, head, prev_len, ahead);
            if let Some(s) = start {
                match_start = s;
            }
            match_len_now = found;
            if match_len_now == MIN_MATCH && pos - match_start > TOO_FAR {
                // A 3-byte match this far away costs more bits than three literals.
                match_len_now = MIN_MATCH - 1;
            }
        }

        if prev_len >= MIN_MATCH && match_len_now <= prev_len {
            // The match found one step back is at least as good: take it.
            let m = Match {
                start: (pos - 1) as u16,
                value: (prev_len - MIN_MATCH) as u16,
                dist: (pos - 1 - prev_start) as u16,
            };
            tally.matched(m.value, m.dist);
            if let Some(slot) = slots.get_mut(count) {
                *slot = m;
            }
            count += 1;
            let next = pos - 1 + prev_len;
            for p in pos + 1..next {
                if p <= last_insertable && len >= MIN_MATCH {
                    hash = roll(hash, window[p + 2]);
                    chains.insert(hash, p);
                }
            }
            pos = next;
            pending_literal = false;
            match_len_now = MIN_MATCH - 1;
        } else {
            literal_step!();
        }
    }
    if pending_literal {
        tally.literal(window[pos - 1]);
    }
    out.truncate(count);
}

/// Walk the chain from `head` for a match at `pos` longer than `best`.
/// Kept out of line: inlined, it crowds the registers of the per-byte loop,
/// which for token-sized inputs mostly finds no candidate at all.
/// Returns the length (cut to the `ahead` bytes left) and, when a candidate
/// improved on `best`, the start of the last one that did.
#[inline(never)]
fn longest_match(
    chains: &Chains,
    window: &[u8],
    pos: usize,
    head: usize,
    mut best: usize,
    ahead: usize,
) -> (usize, Option<usize>) {
    let mut budget = if best >= GOOD {
        MAX_CHAIN >> 2
    } else {
        MAX_CHAIN
    };
    let nice = NICE.min(ahead);
    let mut start = None;
    let mut cand = head;
    loop {
        // zlib compares the first two bytes and trusts the hash for the third:
        // with equal hashes and equal first two bytes the third must be equal.
        if window[cand] == window[pos] && window[cand + 1] == window[pos + 1] {
            let n = match_len(window, cand, pos);
            if n > best {
                best = n;
                start = Some(cand);
                if n >= nice {
                    break;
                }
            }
        }
        cand = usize::from(chains.prev[cand & (PREV_SIZE - 1)]);
        budget -= 1;
        if cand == 0 || budget == 0 {
            break;
        }
    }
    (best.min(ahead), start)
}
