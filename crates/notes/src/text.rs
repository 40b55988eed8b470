//! The note as the analyzer reads it: lower-cased, white space folded, with a map back to the
//! original bytes so every evidence span points into the text the user gave.

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
    /// `map[i]` is the original offset of `text[i]`; one extra entry for the end.
    map: Vec<u32>,
    /// Positions in `text` of folded runs that held line breaks, with how many.
    pub breaks: Vec<(usize, u8)>,
}

/// ASCII white space, and the first byte of a no-break space (U+00A0 is C2 A0 in UTF-8).
static MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_whitespace() || b == 0xC2;
        b += 1;
    }
    t
};

impl<'a> Normalized<'a> {
    pub(crate) fn new(original: &'a str) -> Normalized<'a> {
        let bytes = original.as_bytes();
        let mut text = Vec::with_capacity(bytes.len());
        let mut map = Vec::with_capacity(bytes.len() + 1);
        let mut breaks = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let nbsp = b == 0xC2 && bytes.get(i + 1) == Some(&0xA0);
            if b.is_ascii_whitespace() || nbsp {
                let start = i;
                let mut newlines = 0u8;
                while i < bytes.len() {
                    let c = bytes[i];
                    if c == b'\n' {
                        newlines = newlines.saturating_add(1);
                        i += 1;
                    } else if c.is_ascii_whitespace() {
                        i += 1;
                    } else if c == 0xC2 && bytes.get(i + 1) == Some(&0xA0) {
                        i += 2;
                    } else {
                        break;
                    }
                }
                // Leading space is dropped; other runs become one space at `text.len()`.
                if !text.is_empty() {
                    if newlines > 0 {
                        breaks.push((text.len(), newlines));
                    }
                    text.push(b' ');
                    map.push(start as u32);
                }
                continue;
            }
            // A run of bytes that are not white space, copied lower-cased in one go.
            let mut run = i + 1;
            while run < bytes.len() && !MAY_BE_SPACE[bytes[run] as usize] {
                run += 1;
            }
            text.extend(bytes[i..run].iter().map(u8::to_ascii_lowercase));
            map.extend(i as u32..run as u32);
            i = run;
        }
        map.push(bytes.len() as u32);
        Normalized { original, text, map, breaks }
    }

    /// The original span of a normalized range.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let s = self.map[start.min(self.text.len())] as usize;
        // The end maps past the last byte of the range.
        let e = if end == 0 { s } else { self.map[end.min(self.text.len()) - 1] as usize + 1 };
        let mut e = e.max(s).min(self.original.len());
        while !self.original.is_char_boundary(e) {
            e += 1;
        }
        Span::new(s, e)
    }

    /// The original byte at a normalized position (for case checks).
    pub(crate) fn original_byte(&self, pos: usize) -> u8 {
        self.original.as_bytes().get(self.map[pos] as usize).copied().unwrap_or(b' ')
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

    #[test]
    fn keeps_utf8_boundaries() {
        let n = Normalized::new("L4–5 café\u{a0}x");
        assert_eq!(std::str::from_utf8(&n.text).unwrap(), "l4–5 café x");
        let sp = n.span(0, n.text.len());
        assert!(n.original.is_char_boundary(sp.end));
    }
}
