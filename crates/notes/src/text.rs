//! The note as the analyzer reads it: lower-cased, white space folded, with a map back to the
//! original bytes so every evidence span points into the text the user gave.

use crate::bytes::{ByteSet, byte_set};

/// A byte range in the original note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// The normalized text of a note.
pub(crate) struct Normalized<'a> {
    pub original: &'a str,
    /// ASCII lower case; each run of white space is one space.
    pub text: Vec<u8>,
    /// Where `text` lies in the original: from normalized position `pos` on (to the next entry),
    /// `text[i]` is original byte `i + shift`. The shift grows only where white space was folded
    /// or dropped, so this holds a few entries per paragraph instead of one per byte.
    shifts: Vec<(usize, usize)>,
    /// For each 64-byte block of `text`, how many `shifts` entries begin at or before its first
    /// byte: where a look-up for a position in that block starts reading `shifts`.
    shifts_at_block: Vec<usize>,
    /// Positions in `text` of folded runs that held line breaks, with how many.
    pub breaks: Vec<(usize, u8)>,
}

/// The block size of [`Normalized::shifts_at_block`].
const BLOCK: usize = 64;

/// ASCII white space (a no-break space, C2 A0 in UTF-8, is white space too).
static SPACE: ByteSet = byte_set!(|b| b.is_ascii_whitespace());

/// Each byte as normalized: ASCII white space as a space, ASCII letters in lower case.
static FOLDED: [u8; 256] = {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_whitespace() { b' ' } else { b.to_ascii_lowercase() };
        i += 1;
    }
    t
};

impl<'a> Normalized<'a> {
    pub(crate) fn new(original: &'a str) -> Normalized<'a> {
        let bytes = original.as_bytes();
        let mut fold = Fold {
            text: vec![0; bytes.len()],
            shifts: Vec::new(),
            breaks: Vec::new(),
            write: 0,
            shift: 0,
            after_space: 1,
        };
        let mut read = 0;
        // Eight bytes at a time while they need no folding (the common case: words and single
        // spaces); byte by byte through the eight that do.
        while let Some(chunk) = bytes.get(read..read + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if fold.plain_chunk(x, read) {
                read += 8;
            } else {
                let end = read + 8;
                while read < end {
                    read += fold.byte(bytes, read);
                }
            }
        }
        while read < bytes.len() {
            read += fold.byte(bytes, read);
        }
        let Fold { mut text, shifts, breaks, write, .. } = fold;
        text.truncate(write);
        let mut k = 0;
        let shifts_at_block = (0..text.len().div_ceil(BLOCK))
            .map(|b| {
                while shifts.get(k).is_some_and(|&(p, _)| p <= b * BLOCK) {
                    k += 1;
                }
                k
            })
            .collect();
        Normalized { original, text, shifts, shifts_at_block, breaks }
    }

    /// The original offset of the normalized byte at `pos`; the original's end from the text's
    /// end on.
    fn original_offset(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.original.len();
        }
        // The entries before `pos`'s block, then the few inside it.
        let mut k = self.shifts_at_block[pos / BLOCK];
        while self.shifts.get(k).is_some_and(|&(p, _)| p <= pos) {
            k += 1;
        }
        pos + k.checked_sub(1).map_or(0, |k| self.shifts[k].1)
    }

    /// The original span of a normalized range.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let s = self.original_offset(start);
        // The end maps past the last byte of the range.
        let e = if end == 0 { s } else { self.original_offset(end.min(self.text.len()) - 1) + 1 };
        let mut e = e.max(s).min(self.original.len());
        while !self.original.is_char_boundary(e) {
            e += 1;
        }
        Span::new(s, e)
    }

    /// The original byte at a normalized position (for case checks).
    pub(crate) fn original_byte(&self, pos: usize) -> u8 {
        self.original.as_bytes().get(self.original_offset(pos)).copied().unwrap_or(b' ')
    }

    /// How many line breaks the folded space just before `pos` held (0 at the start of the text,
    /// which counts as a line start for callers).
    pub(crate) fn newlines_before(&self, pos: usize) -> u8 {
        if pos == 0 {
            return 0;
        }
        self.breaks.binary_search_by_key(&(pos - 1), |(p, _)| *p).map_or(0, |i| self.breaks[i].1)
    }
}

/// The normalizer's state while it reads a note: the text written so far, its shifts and
/// breaks (see [`Normalized`]), and whether the last byte read was white space.
struct Fold {
    text: Vec<u8>,
    shifts: Vec<(usize, usize)>,
    breaks: Vec<(usize, u8)>,
    /// Where the next byte goes in `text`.
    write: usize,
    /// The last shift pushed.
    shift: usize,
    /// 1 after white space; leading white space is dropped, as if it followed a space.
    after_space: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `x` that are zero, as their high bits (exact: no carry crosses bytes).
fn zero_bytes(x: u64) -> u64 {
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

impl Fold {
    /// Writes the eight bytes `x` (read at `read`) in one step and returns true, if none needs
    /// folding: all are ASCII from the space up, no two spaces are adjacent, and the first is
    /// not a space after white space. Otherwise writes nothing and returns false.
    fn plain_chunk(&mut self, x: u64, read: usize) -> bool {
        let spaces = zero_bytes(x ^ (ONES * u64::from(b' ')));
        // Bytes below 0x20 (line breaks, tabs, controls) or above 0x7F (UTF-8).
        let unusual = (x | !((x & !HIGH) + ONES * 0x60)) & HIGH;
        let doubled = spaces & ((spaces << 8) | (self.after_space as u64) << 7);
        if unusual | doubled != 0 {
            return false;
        }
        // ASCII only from here: `A`..=`Z` gain 0x20.
        let upper = (x + ONES * (0x80 - u64::from(b'A'))) & !(x + ONES * (0x80 - u64::from(b'Z') - 1)) & HIGH;
        let lower = x | (upper >> 2);
        self.text[self.write..self.write + 8].copy_from_slice(&lower.to_le_bytes());
        if read - self.write != self.shift {
            self.shift = read - self.write;
            self.shifts.push((self.write, self.shift));
        }
        self.write += 8;
        self.after_space = usize::from(spaces >> 63 == 1);
        true
    }

    /// Reads the byte (or no-break space) at `read`, without a branch on white space: it is
    /// written at `write` as [`FOLDED`], and `write` moves on unless it is white space after white
    /// space. Returns how many bytes it read.
    fn byte(&mut self, bytes: &[u8], read: usize) -> usize {
        let b = bytes[read];
        let (mut out, mut space, mut len) = (FOLDED[b as usize], usize::from(SPACE[b as usize]), 1);
        if b == 0xC2 && bytes.get(read + 1) == Some(&0xA0) {
            (out, space, len) = (b' ', 1, 2);
        }
        let keep = 1 - (space & self.after_space);
        self.text[self.write] = out;
        // `&`, not `&&`: a branch on `keep` would mispredict at every word boundary.
        if (keep == 1) & (read - self.write != self.shift) {
            self.shift = read - self.write;
            self.shifts.push((self.write, self.shift));
        }
        self.write += keep;
        self.after_space = space;
        // The folded space just written (at `write - 1`) holds this line break.
        if b == b'\n' && self.write > 0 {
            match self.breaks.last_mut() {
                Some((at, n)) if *at == self.write - 1 => *n = n.saturating_add(1),
                _ => self.breaks.push((self.write - 1, 1)),
            }
        }
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_space_and_maps_back() {
        let n = Normalized::new("  PLF\r\n\r\n  at  L4-5.\tDone");
        assert_eq!(std::str::from_utf8(&n.text).unwrap(), "plf at l4-5. done");
        let at = 4; // "at"
        let sp = n.span(at, at + 2);
        assert_eq!(&n.original[sp.start..sp.end], "at");
        assert_eq!(n.newlines_before(at), 2);
        assert_eq!(n.newlines_before(0), 0);
        let sp = n.span(0, n.text.len());
        assert_eq!(&n.original[sp.start..sp.end], "PLF\r\n\r\n  at  L4-5.\tDone");
    }

    /// Notes as the normalizer meets them: runs of printable ASCII (read eight bytes at a time)
    /// between single spaces, doubled spaces, line breaks, tabs, no-break spaces and UTF-8.
    const NOTE_LIKE: &str = "([ -~]{0,12}( |  |\\n|\\r\\n|\\t|\u{a0}| \\n |é|–|§)?){0,40}";

    /// The normalized text by its definition, one character at a time.
    fn folded(t: &str) -> (String, Vec<u8>) {
        let (mut out, mut breaks, mut run) = (String::new(), Vec::new(), None::<u8>);
        for c in t.chars() {
            if c.is_ascii_whitespace() || c == '\u{a0}' {
                run = Some(run.unwrap_or(0).saturating_add(u8::from(c == '\n')));
                continue;
            }
            if let Some(newlines) = run.take().filter(|_| !out.is_empty()) {
                out.push(' ');
                if newlines > 0 {
                    breaks.push(newlines);
                }
            }
            out.push(c.to_ascii_lowercase());
        }
        if let Some(newlines) = run.filter(|_| !out.is_empty()) {
            out.push(' ');
            if newlines > 0 {
                breaks.push(newlines);
            }
        }
        (out, breaks)
    }

    proptest::proptest! {
        /// The text is the note lower-cased with each run of white space as one space (none
        /// leading), and each run's line breaks are counted.
        #[test]
        fn text_is_the_note_lower_cased_with_white_space_folded(t in NOTE_LIKE) {
            let n = Normalized::new(&t);
            let (text, breaks) = folded(&t);
            proptest::prop_assert_eq!(std::str::from_utf8(&n.text).unwrap(), text);
            proptest::prop_assert_eq!(n.breaks.iter().map(|b| b.1).collect::<Vec<_>>(), breaks);
            for &(at, _) in &n.breaks {
                proptest::prop_assert_eq!(n.text[at], b' ');
            }
        }

        /// Each normalized byte comes from an original byte, in order: the same byte lower-cased,
        /// or the start of the white space it folds.
        #[test]
        fn every_normalized_byte_maps_to_its_original(t in NOTE_LIKE) {
            let n = Normalized::new(&t);
            let o = t.as_bytes();
            for (i, &b) in n.text.iter().enumerate() {
                let at = n.original_offset(i);
                // The block index finds the entry a search of all the shifts finds.
                let k = n.shifts.partition_point(|&(p, _)| p <= i);
                proptest::prop_assert_eq!(at, i + k.checked_sub(1).map_or(0, |k| n.shifts[k].1));
                if b == b' ' {
                    proptest::prop_assert!(o[at].is_ascii_whitespace() || o[at..].starts_with(&[0xC2, 0xA0]));
                } else {
                    proptest::prop_assert_eq!(o[at].to_ascii_lowercase(), b);
                }
                proptest::prop_assert!(i == 0 || n.original_offset(i - 1) < at);
            }
        }
    }

    #[test]
    fn keeps_utf8_boundaries() {
        let n = Normalized::new("L4–5 café\u{a0}x");
        assert_eq!(std::str::from_utf8(&n.text).unwrap(), "l4–5 café x");
        let sp = n.span(0, n.text.len());
        assert!(n.original.is_char_boundary(sp.end));
    }
}
