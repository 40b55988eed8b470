//! The note as the analyzer reads it: lower-cased, white space folded, with a map back to the
//! original bytes so every evidence span points into the text the user gave.

use crate::bytes::{ByteSet, byte_set, positions};

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
    /// Positions in `text` of folded runs that held line breaks, with how many.
    pub breaks: Vec<(usize, u8)>,
}

/// ASCII white space, and the first byte of a no-break space (U+00A0 is C2 A0 in UTF-8).
static MAY_BE_SPACE: ByteSet = byte_set!(|b| b.is_ascii_whitespace() || b == 0xC2);

impl<'a> Normalized<'a> {
    pub(crate) fn new(original: &'a str) -> Normalized<'a> {
        let bytes = original.as_bytes();
        // Lower-case a copy in one pass, then fold white space in place: text between runs of
        // white space moves only after a run longer than one byte, a few times per paragraph.
        let mut text = bytes.to_vec();
        text.make_ascii_lowercase();
        let mut shifts = Vec::new();
        // Text byte `to` comes from original byte `from`.
        let mut at = |to: usize, from: usize| {
            if shifts.last().map_or(0, |&(_, shift)| shift) != from - to {
                shifts.push((to, from - to));
            }
        };
        let mut breaks = Vec::new();
        // Original bytes before `read` are done; normalized bytes before `write` are final.
        let (mut read, mut write) = (0, 0);
        for space in positions(bytes, &MAY_BE_SPACE) {
            let nbsp = bytes[space] == 0xC2 && bytes.get(space + 1) == Some(&0xA0);
            if space < read || !(bytes[space].is_ascii_whitespace() || nbsp) {
                continue;
            }
            if read < space {
                at(write, read);
                if write != read {
                    text.copy_within(read..space, write);
                }
                write += space - read;
            }
            read = space;
            let mut newlines = 0u8;
            while read < bytes.len() {
                let c = bytes[read];
                if c == b'\n' {
                    newlines = newlines.saturating_add(1);
                    read += 1;
                } else if c.is_ascii_whitespace() {
                    read += 1;
                } else if c == 0xC2 && bytes.get(read + 1) == Some(&0xA0) {
                    read += 2;
                } else {
                    break;
                }
            }
            // Leading space is dropped; other runs become one space.
            if write > 0 {
                if newlines > 0 {
                    breaks.push((write, newlines));
                }
                at(write, space);
                text[write] = b' ';
                write += 1;
            }
        }
        if read < bytes.len() {
            at(write, read);
            text.copy_within(read.., write);
            write += bytes.len() - read;
        }
        text.truncate(write);
        Normalized { original, text, shifts, breaks }
    }

    /// The original offset of the normalized byte at `pos`; the original's end from the text's
    /// end on.
    fn original_offset(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.original.len();
        }
        let k = self.shifts.partition_point(|&(p, _)| p <= pos);
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

    /// [`newlines_before`](Self::newlines_before) for a walk through the text: positions from
    /// `from` on, asked in increasing order, without a search each time.
    pub(crate) fn newlines_walk(&self, from: usize) -> NewlinesWalk<'_> {
        let next = self.breaks.partition_point(|(p, _)| *p < from.saturating_sub(1));
        NewlinesWalk { breaks: &self.breaks, next }
    }
}

/// See [`Normalized::newlines_walk`].
pub(crate) struct NewlinesWalk<'n> {
    breaks: &'n [(usize, u8)],
    next: usize,
}

impl NewlinesWalk<'_> {
    /// How many line breaks the folded space just before `pos` held; `pos` may not decrease
    /// between calls.
    pub(crate) fn before(&mut self, pos: usize) -> u8 {
        if pos == 0 {
            return 0;
        }
        while self.breaks.get(self.next).is_some_and(|(p, _)| *p < pos - 1) {
            self.next += 1;
        }
        match self.breaks.get(self.next) {
            Some(&(p, n)) if p == pos - 1 => n,
            _ => 0,
        }
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

    proptest::proptest! {
        /// Each normalized byte comes from an original byte, in order: the same byte lower-cased,
        /// or the start of the white space it folds.
        #[test]
        fn every_normalized_byte_maps_to_its_original(t in "([a-zA-Z0-9 .\\t\\r\\n\u{a0}é–¢§]){0,150}") {
            let n = Normalized::new(&t);
            let o = t.as_bytes();
            for (i, &b) in n.text.iter().enumerate() {
                let at = n.original_offset(i);
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
