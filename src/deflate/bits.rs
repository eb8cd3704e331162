//! An LSB-first bit writer, the order DEFLATE packs every field in (RFC 1951
//! 3.1.1): Huffman codes are therefore stored bit-reversed (see `trees`).

pub(crate) struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    used: u32,
}

impl<'a> BitWriter<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        BitWriter {
            out,
            acc: 0,
            used: 0,
        }
    }

    /// Append the low `n` bits of `value` (n <= 16, every DEFLATE field fits).
    #[inline]
    pub(crate) fn put(&mut self, value: u32, n: u32) {
        self.acc |= u64::from(value) << self.used;
        self.used += n;
        // Spill whole bytes once the accumulator is half full: 32 spare bits
        // always leave room for the next 16-bit field.
        if self.used >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.used -= 32;
        }
    }

    /// Pad with zero bits to a byte boundary (the end of the stream, or the
    /// start of a stored block's length fields).
    pub(crate) fn align(&mut self) {
        while self.used > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.used = self.used.saturating_sub(8);
        }
        self.acc = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_lsb_first() {
        let mut out = Vec::new();
        let mut w = BitWriter::new(&mut out);
        w.put(0b1, 1);
        w.put(0b10, 2);
        w.put(0x1ff, 9);
        w.align();
        // bits, first written first: 1, 0,1, 1x9 -> 0b1111_1101, 0b0000_1111
        assert_eq!(out, [0xfd, 0x0f]);
    }
}
