//! One Argon2 memory block: 1 KiB, viewed as 128 little-endian u64 words.

use zeroize::Zeroize;

/// Words per block.
pub const WORDS: usize = 128;

/// 64-byte alignment keeps every 32-byte AVX2 load inside one cache line and
/// lets the arena hand out blocks without any per-block padding.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub struct Block(pub [u64; WORDS]);

impl Block {
    pub const SIZE: usize = WORDS * 8;
    pub const ZERO: Block = Block([0; WORDS]);

    /// Little-endian bytes into words (the block's wire form in RFC 9106).
    pub fn from_bytes(bytes: &[u8; Block::SIZE]) -> Block {
        let mut block = Block::ZERO;
        for (word, chunk) in block.0.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut le = [0u8; 8];
            le.copy_from_slice(chunk);
            *word = u64::from_le_bytes(le);
        }
        block
    }

    pub fn to_bytes(&self) -> [u8; Block::SIZE] {
        let mut bytes = [0u8; Block::SIZE];
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(self.0.iter()) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        bytes
    }

    pub fn xor_assign(&mut self, other: &Block) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a ^= b;
        }
    }
}

impl Zeroize for Block {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}
