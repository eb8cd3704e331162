//! Filling Argon2's memory (RFC 9106 §3.4): lanes of four segments each; all
//! lanes' segments of one slice are independent, so they run in parallel and
//! meet at the slice boundary.

use super::blamka::Backend;
use super::block::Block;
use super::{Variant, ARGON2_V13};
use rayon::prelude::*;

/// Addresses per generated address block (one per word).
const ADDRESSES_PER_BLOCK: usize = 128;
const SLICES: usize = 4;

/// The shape of the memory and the parameters the index functions read.
#[derive(Clone, Copy)]
pub struct Geometry {
    pub variant: Variant,
    pub version: u32,
    pub passes: u32,
    pub lanes: usize,
    pub segment_len: usize,
}

impl Geometry {
    pub fn lane_len(&self) -> usize {
        self.segment_len * SLICES
    }

    pub fn block_count(&self) -> usize {
        self.lane_len() * self.lanes
    }
}

/// The memory shared by the lanes of one slice.
///
/// Each lane writes only its own segment of the current slice and reads only
/// blocks of finished slices or earlier blocks of its own segment (RFC 9106
/// §3.4.1.2 excludes the other lanes' current segments from the reference
/// set), so no block is written by one thread while another touches it.
struct Shared {
    blocks: *mut Block,
    len: usize,
}

// SAFETY: see the struct comment: concurrent lanes touch disjoint blocks for
// writing and only finished blocks for reading.
unsafe impl Sync for Shared {}

impl Shared {
    /// # Safety
    /// `i < len`, and no lane is writing block `i` during this slice.
    #[inline(always)]
    unsafe fn get(&self, i: usize) -> &Block {
        debug_assert!(i < self.len);
        &*self.blocks.add(i)
    }

    /// # Safety
    /// `i < len`, and block `i` is in the caller's own segment.
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    unsafe fn get_mut(&self, i: usize) -> &mut Block {
        debug_assert!(i < self.len);
        &mut *self.blocks.add(i)
    }
}

/// Runs every pass over `memory`, whose first two blocks of each lane are
/// already seeded. `memory.len()` must equal `geometry.block_count()`.
pub fn fill(memory: &mut [Block], geometry: &Geometry, backend: Backend) {
    if memory.len() != geometry.block_count() || geometry.segment_len < 2 {
        return; // the caller sizes memory from the same geometry
    }
    let shared = Shared {
        blocks: memory.as_mut_ptr(),
        len: memory.len(),
    };
    for pass in 0..geometry.passes {
        for slice in 0..SLICES {
            if geometry.lanes == 1 {
                // SAFETY: one lane, one thread; indices come from the geometry.
                unsafe { fill_segment(&shared, geometry, backend, pass, 0, slice) };
            } else {
                (0..geometry.lanes).into_par_iter().for_each(|lane| {
                    // SAFETY: each lane writes only its own segment (see `Shared`).
                    unsafe { fill_segment(&shared, geometry, backend, pass, lane, slice) };
                    // Whichever worker ran this lane wipes behind it: a few µs
                    // per segment, and no barrier across the pool.
                    wipe_stack();
                });
            }
        }
    }
    if geometry.lanes == 1 {
        wipe_stack();
    }
}

/// G and the segment loop keep password-derived state (up to 2 KiB per
/// block) in stack frames that outlive them. Overwrite the stack below the
/// caller, on every thread that ran a segment. Best effort: it
/// covers the depth the fill's own frames reach, not whatever a compiler
/// keeps in registers.
#[inline(never)]
fn wipe_stack() {
    let mut area = [0u64; 4096];
    zeroize::Zeroize::zeroize(&mut area[..]);
    std::hint::black_box(&area);
}

/// Whether this segment's reference indices come from address blocks
/// (data-independent) rather than from the previous block.
fn data_independent(variant: Variant, pass: u32, slice: usize) -> bool {
    match variant {
        Variant::D => false,
        Variant::I => true,
        Variant::Id => pass == 0 && slice < SLICES / 2,
    }
}

/// # Safety
/// `shared` holds `geometry.block_count()` blocks, and no other thread works
/// on lane `lane` of this slice.
unsafe fn fill_segment(
    shared: &Shared,
    geometry: &Geometry,
    backend: Backend,
    pass: u32,
    lane: usize,
    slice: usize,
) {
    let lane_len = geometry.lane_len();
    let segment_len = geometry.segment_len;
    let independent = data_independent(geometry.variant, pass, slice);
    let xor = geometry.version == ARGON2_V13 && pass > 0;

    // The address generator's input block Z (RFC 9106 §3.4.1.2) and its output.
    let mut input = Block::ZERO;
    let mut addresses = Block::ZERO;
    if independent {
        input.0[0] = u64::from(pass);
        input.0[1] = lane as u64;
        input.0[2] = slice as u64;
        input.0[3] = geometry.block_count() as u64;
        input.0[4] = u64::from(geometry.passes);
        input.0[5] = geometry.variant as u64;
    }

    // The first two blocks of every lane were seeded from H0.
    let first = if pass == 0 && slice == 0 { 2 } else { 0 };
    if independent && first != 0 {
        next_addresses(backend, &mut input, &mut addresses);
    }

    let lane_start = lane * lane_len;
    let segment_start = lane_start + slice * segment_len;
    // The block before a lane's first one is its last (from the previous pass).
    let mut prev = if segment_start + first == lane_start {
        lane_start + lane_len - 1
    } else {
        segment_start + first - 1
    };

    for index in first..segment_len {
        let cur = segment_start + index;
        let rand = if independent {
            if index % ADDRESSES_PER_BLOCK == 0 {
                next_addresses(backend, &mut input, &mut addresses);
            }
            addresses.0[index % ADDRESSES_PER_BLOCK]
        } else {
            shared.get(prev).0[0]
        };
        let ref_index = reference_index(geometry, pass, lane, slice, index, rand);

        let x = shared.get(prev);
        let y = shared.get(ref_index);
        let dst = shared.get_mut(cur);
        let next = index + 1;
        let next_ref = |first_word: u64| {
            if next == segment_len || (independent && next % ADDRESSES_PER_BLOCK == 0) {
                return None; // not known yet
            }
            let rand = if independent {
                addresses.0[next % ADDRESSES_PER_BLOCK]
            } else {
                first_word
            };
            let i = reference_index(geometry, pass, lane, slice, next, rand);
            Some(shared.blocks.wrapping_add(i).cast_const())
        };
        backend.compress_then_prefetch(x, y, dst, xor, next_ref);

        prev = cur;
    }
}

/// The block that block `index` of this segment references (RFC 9106 §3.4.1.1-2).
#[inline(always)]
fn reference_index(
    geometry: &Geometry,
    pass: u32,
    lane: usize,
    slice: usize,
    index: usize,
    rand: u64,
) -> usize {
    let j1 = rand & 0xFFFF_FFFF;
    let j2 = rand >> 32;
    let lane_len = geometry.lane_len();
    let segment_len = geometry.segment_len;

    let ref_lane = if pass == 0 && slice == 0 {
        lane
    } else {
        (j2 % geometry.lanes as u64) as usize
    };
    let same_lane = ref_lane == lane;

    // How many blocks the reference may land on: everything finished in
    // reach, minus the block just computed (it is already an input).
    let finished = if pass == 0 {
        slice * segment_len
    } else {
        lane_len - segment_len
    };
    let area = if same_lane {
        finished + index - 1
    } else {
        finished - usize::from(index == 0)
    } as u64;

    // Map j1 non-uniformly onto the area, favouring recent blocks.
    let x = (j1 * j1) >> 32;
    let y = (area * x) >> 32;
    let relative = area - 1 - y;

    let start = if pass == 0 || slice == SLICES - 1 {
        0
    } else {
        (slice + 1) * segment_len
    };
    ref_lane * lane_len + (start + relative as usize) % lane_len
}

/// Z's counter goes up by one, and the next 128 addresses are G(0, G(0, Z)).
fn next_addresses(backend: Backend, input: &mut Block, addresses: &mut Block) {
    input.0[6] += 1;
    let mut once = Block::ZERO;
    backend.compress(&Block::ZERO, input, &mut once, false);
    backend.compress(&Block::ZERO, &once, addresses, false);
}
