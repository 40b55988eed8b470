//! Scans for bytes of a class, 64 bytes at a time: each block becomes a bit mask (one table
//! lookup per byte, no branch), and the positions are its set bits. The text layer's loops over
//! a note's bytes use these instead of testing each byte in a branch, which mispredicts at every
//! word boundary.

/// A set of bytes, as a table.
pub(crate) type ByteSet = [bool; 256];

/// The set of bytes `b` for which an expression holds, as a constant: `byte_set!(|b| b == b' ')`.
macro_rules! byte_set {
    (|$b:ident| $holds:expr) => {{
        let mut set = [false; 256];
        let mut i = 0;
        while i < 256 {
            let $b = i as u8;
            set[i] = $holds;
            i += 1;
        }
        set
    }};
}
pub(crate) use byte_set;

/// Bit `j` is set where `block[j]` is in `set` (`block` holds at most 64 bytes).
pub(crate) fn mask(block: &[u8], set: &ByteSet) -> u64 {
    let mut m = 0u64;
    for (j, &b) in block.iter().enumerate() {
        m |= u64::from(set[b as usize]) << j;
    }
    m
}

/// Positions in `s` from a block start on, in order, read as the set bits of a mask per 64-byte
/// block (the last block may be shorter): `block_mask` is called on each block in turn, so it
/// may carry state from one block to the next.
pub(crate) struct Positions<'s, F> {
    s: &'s [u8],
    block_mask: F,
    /// Offset of the next block to read.
    next: usize,
    /// Positions left in the last block read, as bits from its offset `next - 64`.
    bits: u64,
}

impl<'s, F: FnMut(&[u8]) -> u64> Positions<'s, F> {
    /// The positions from the block that starts at `at` (a multiple of 64) on.
    pub(crate) fn new(s: &'s [u8], at: usize, block_mask: F) -> Positions<'s, F> {
        debug_assert!(at.is_multiple_of(64), "blocks start at multiples of 64");
        Positions { s, block_mask, next: at, bits: 0 }
    }
}

/// The positions in `s` of the bytes in a set, in order.
pub(crate) fn positions<'s>(s: &'s [u8], set: &'static ByteSet) -> Positions<'s, impl FnMut(&[u8]) -> u64> {
    Positions::new(s, 0, move |block| mask(block, set))
}

impl<F: FnMut(&[u8]) -> u64> Iterator for Positions<'_, F> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            let rest = self.s.get(self.next..).filter(|r| !r.is_empty())?;
            self.bits = (self.block_mask)(&rest[..rest.len().min(64)]);
            self.next += 64;
        }
        let at = self.next - 64 + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    static SPACE: ByteSet = byte_set!(|b| b == b' ');

    proptest! {
        #[test]
        fn positions_are_the_bytes_in_the_set(s in proptest::collection::vec(prop_oneof![Just(b' '), any::<u8>()], 0..300)) {
            let want: Vec<usize> = s.iter().enumerate().filter(|(_, b)| **b == b' ').map(|(i, _)| i).collect();
            prop_assert_eq!(positions(&s, &SPACE).collect::<Vec<_>>(), want);
        }
    }
}
