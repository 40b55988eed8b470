//! Scans for bytes of a class, 64 bytes at a time: each block becomes a bit mask, and the
//! positions are its set bits. The text layer's loops over a note's bytes use these instead of
//! testing each byte in a branch, which mispredicts at every word boundary.
//!
//! The two classes read over a whole note, word bytes and the punctuation that may end a
//! sentence, are tested eight bytes at a time in a `u64` (SWAR: each byte's answer lands in its
//! high bit, and a multiplication gathers the eight bits). Byte tables ([`byte_set!`]) serve the
//! tests of single bytes.

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

/// Bit `j` is set where `block[j]` is an ASCII letter or digit (`block` holds at most 64 bytes).
pub(crate) fn word_mask(block: &[u8]) -> u64 {
    swar_mask(block, |x| {
        let y = x & LOW7;
        (in_range(y, b'0', b'9') | in_range(y | splat(0x20), b'a', b'z')) & !x
    })
}

/// Bit `j` is set where `block[j]` is `.`, `?`, `!`, `;` or `,` (`block` holds at most 64 bytes).
pub(crate) fn sentence_punctuation_mask(block: &[u8]) -> u64 {
    swar_mask(block, |x| {
        let y = x & LOW7;
        (equal(y, b'.') | equal(y, b'?') | equal(y, b'!') | equal(y, b';') | equal(y, b',')) & !x
    })
}

const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each byte of `y` (bytes below 0x80) that is at least `lo` (at least 1): the
/// sum stays within the byte.
fn at_least(y: u64, lo: u8) -> u64 {
    (y + splat(0x80 - lo)) & HIGH
}

/// The high bit of each byte of `y` (bytes below 0x80) in `lo..=hi`.
fn in_range(y: u64, lo: u8, hi: u8) -> u64 {
    at_least(y, lo) & !at_least(y, hi + 1)
}

/// The high bit of each byte of `y` (bytes below 0x80) equal to `c` (below 0x80): a byte of the
/// difference plus 0x7f reaches the high bit unless it is zero.
fn equal(y: u64, c: u8) -> u64 {
    !((y ^ splat(c)) + LOW7) & HIGH
}

/// The mask of a block whose eight-byte words `class` maps to the high bit of each byte in the
/// class (its answer for a byte of 0x80 or more must be clear or set as the class says; the
/// callers clear it with `& !x`). The tail of a block under eight bytes is read byte by byte.
fn swar_mask(block: &[u8], class: impl Fn(u64) -> u64) -> u64 {
    let (words, tail) = block.as_chunks::<8>();
    let mut m = 0u64;
    for (k, w) in words.iter().enumerate() {
        m |= gather(class(u64::from_le_bytes(*w))) << (8 * k);
    }
    if !tail.is_empty() {
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        let bits = gather(class(u64::from_le_bytes(last))) & ((1 << tail.len()) - 1);
        m |= bits << (8 * words.len());
    }
    m
}

/// The high bits of a word's eight bytes as eight bits, byte `i` to bit `i`: after the shift each
/// flag sits at bit `8i`, and the multiplier's terms move it to bit `56 + i`, with no two terms
/// meeting there.
fn gather(high: u64) -> u64 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
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

/// The positions in `s` of the bytes a block mask (such as [`word_mask`]) finds, in order.
pub(crate) fn positions(s: &[u8], block_mask: fn(&[u8]) -> u64) -> Positions<'_, fn(&[u8]) -> u64> {
    Positions::new(s, 0, block_mask)
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

    proptest! {
        #[test]
        fn positions_are_the_bytes_in_the_class(s in proptest::collection::vec(prop_oneof![Just(b' '), any::<u8>()], 0..300)) {
            let want: Vec<usize> = s.iter().enumerate().filter(|(_, b)| b.is_ascii_alphanumeric()).map(|(i, _)| i).collect();
            prop_assert_eq!(positions(&s, word_mask).collect::<Vec<_>>(), want);
        }

        /// The eight-bytes-at-a-time masks agree with their byte-by-byte definitions on blocks
        /// of every length up to 64, over all byte values (the high ones included).
        #[test]
        fn swar_masks_are_their_classes(
            block in proptest::collection::vec(
                prop_oneof![any::<u8>(), proptest::sample::select(b"azAZ09./?!;,:@[`{ \x7f\x80\xff".to_vec())],
                0..=64,
            )
        ) {
            let by_byte = |holds: fn(u8) -> bool| {
                block.iter().enumerate().fold(0u64, |m, (j, &b)| m | u64::from(holds(b)) << j)
            };
            prop_assert_eq!(word_mask(&block), by_byte(|b| b.is_ascii_alphanumeric()));
            prop_assert_eq!(
                sentence_punctuation_mask(&block),
                by_byte(|b| matches!(b, b'.' | b'?' | b'!' | b';' | b','))
            );
        }
    }

    #[test]
    fn swar_masks_on_every_byte_value() {
        for b in 0..=255u8 {
            for at in [0, 7, 8, 63] {
                let mut block = [b'x'; 64];
                block[at] = b;
                let word = word_mask(&block) >> at & 1 == 1;
                assert_eq!(word, b.is_ascii_alphanumeric(), "word byte {b:#04x} at {at}");
                let punct = sentence_punctuation_mask(&block) >> at & 1 == 1;
                assert_eq!(punct, matches!(b, b'.' | b'?' | b'!' | b';' | b','), "punctuation {b:#04x} at {at}");
            }
        }
    }
}
