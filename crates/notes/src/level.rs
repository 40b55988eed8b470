//! Vertebral levels: the grammar of how surgeons write them.
//!
//! A hand-written scanner over the lower-cased bytes finds vertebrae (`L4`, `C5`, `S1`,
//! `occiput`, `sacrum`), ranges (`L4-L5`, `L4-5`, `L4/5`, `L4–5`, `L4 to S1`, `C3 through C7`),
//! lists (`C5-6 and C6-7`), bare interspaces inside a known region (`at the 4-5 level`, `5-1`)
//! and counts (`three levels`, `two-level`). It is faster than a regex set and knows which
//! vertebrae exist, so `L9-L12` is not a level.

use std::fmt;

use crate::bytes::{ByteSet, Positions, byte_set, word_mask};

/// One vertebra, from the occiput (0) down the column: C1–C7 (1–7), T1–T12 (8–19),
/// L1–L5 (20–24), S1–S5 (25–29), coccyx (30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vertebra(u8);

/// The spinal region a vertebra belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    Occiput,
    Cervical,
    Thoracic,
    Lumbar,
    Sacral,
    Coccyx,
}

impl Vertebra {
    pub const OCCIPUT: Vertebra = Vertebra(0);
    pub const S1: Vertebra = Vertebra(25);
    pub const COCCYX: Vertebra = Vertebra(30);

    /// A vertebra from its region letter and number (`('l', 4)` is L4).
    pub fn new(region: u8, n: u8) -> Option<Vertebra> {
        let idx = match region.to_ascii_lowercase() {
            b'c' if (1..=7).contains(&n) => n,
            b't' if (1..=12).contains(&n) => 7 + n,
            b'l' if (1..=5).contains(&n) => 19 + n,
            b's' if (1..=5).contains(&n) => 24 + n,
            _ => return None,
        };
        Some(Vertebra(idx))
    }

    pub fn index(self) -> u8 {
        self.0
    }

    pub fn from_index(i: u8) -> Option<Vertebra> {
        (i <= 30).then_some(Vertebra(i))
    }

    pub fn region(self) -> Region {
        match self.0 {
            0 => Region::Occiput,
            1..=7 => Region::Cervical,
            8..=19 => Region::Thoracic,
            20..=24 => Region::Lumbar,
            25..=29 => Region::Sacral,
            _ => Region::Coccyx,
        }
    }

    /// The vertebra below, if any.
    pub fn next(self) -> Option<Vertebra> {
        Vertebra::from_index(self.0 + 1)
    }
}

impl fmt::Display for Vertebra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(VERTEBRA_NAMES[usize::from(self.0)])
    }
}

/// Each vertebra's name by its index, as reports write it: `occiput`, `C1`…`C7`, `T1`…`T12`,
/// `L1`…`L5`, `S1`…`S5`, `coccyx`.
static VERTEBRA_NAMES: [&str; 31] = [
    "occiput", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10",
    "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5", "coccyx",
];

/// The disc space (or joint) between a vertebra and the one below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interspace(Vertebra);

impl Interspace {
    /// The interspace below `upper`, when there is one.
    pub fn below(upper: Vertebra) -> Option<Interspace> {
        upper.next().map(|_| Interspace(upper))
    }

    pub fn upper(self) -> Vertebra {
        self.0
    }

    pub fn lower(self) -> Vertebra {
        Vertebra(self.0.0 + 1)
    }

    /// The region an interspace is coded in: that of its upper vertebra (C7-T1 is cervical,
    /// T12-L1 thoracic, L5-S1 lumbar).
    pub fn region(self) -> Region {
        self.0.region()
    }
}

impl fmt::Display for Interspace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.upper(), self.lower())
    }
}

/// What a level mention denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LevelRef {
    /// One vertebra (`L4`, `the sacrum`).
    Vertebra(Vertebra),
    /// From one vertebra to another, both included (`L4-5`, `L3 to S1`).
    Span(Vertebra, Vertebra),
    /// The pelvis or ilium (iliac fixation).
    Pelvis,
    /// A number of levels without naming them (`two-level`, `three levels`).
    Count(u8),
}

impl LevelRef {
    /// The vertebrae a mention covers, top to bottom.
    pub fn vertebrae(self) -> impl Iterator<Item = Vertebra> {
        let (top, bottom) = match self {
            LevelRef::Vertebra(v) => (v.0, v.0),
            LevelRef::Span(a, b) => (a.0, b.0),
            LevelRef::Pelvis | LevelRef::Count(_) => (1, 0),
        };
        (top..=bottom).map(Vertebra)
    }

    /// The interspaces a mention covers, top to bottom.
    pub fn interspaces(self) -> impl Iterator<Item = Interspace> {
        let (top, bottom) = if let LevelRef::Span(a, b) = self { (a.0, b.0) } else { (0, 0) };
        (top..bottom).map(|i| Interspace(Vertebra(i)))
    }
}

impl fmt::Display for LevelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LevelRef::Vertebra(v) => write!(f, "{v}"),
            LevelRef::Span(a, b) => write!(f, "{a}-{b}"),
            LevelRef::Pelvis => f.write_str("pelvis"),
            LevelRef::Count(n) => write!(f, "{n} levels"),
        }
    }
}

/// A level found in the text, with its byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelMention {
    pub start: usize,
    pub end: usize,
    pub level: LevelRef,
}

fn is_word(b: u8) -> bool {
    WORD_BYTES[b as usize]
}

/// Word bytes: ASCII letters and digits (a block at a time: [`word_mask`]).
static WORD_BYTES: ByteSet = byte_set!(|b| b.is_ascii_alphanumeric());

fn boundary_before(s: &[u8], i: usize) -> bool {
    i == 0 || !is_word(s[i - 1])
}

fn boundary_after(s: &[u8], i: usize) -> bool {
    i >= s.len() || !is_word(s[i])
}

/// Reads 1–2 digits at `i`; returns the number and the end.
fn digits(s: &[u8], i: usize) -> Option<(u8, usize)> {
    let d0 = *s.get(i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    let mut n = d0 - b'0';
    let mut j = i + 1;
    if let Some(&d1) = s.get(j)
        && d1.is_ascii_digit()
    {
        n = n * 10 + (d1 - b'0');
        j += 1;
        if s.get(j).is_some_and(u8::is_ascii_digit) {
            return None;
        }
    }
    Some((n, j))
}

/// Vertebrae written as words.
const VERTEBRA_WORDS: &[(&[u8], Vertebra)] = &[
    (b"occiput", Vertebra::OCCIPUT),
    (b"occipital", Vertebra::OCCIPUT),
    (b"sacrum", Vertebra::S1),
    (b"sacral", Vertebra::S1),
    (b"coccyx", Vertebra::COCCYX),
];

/// The pelvis as a fixation level: `ilium`, `iliac`, `pelvis`, `pelvic`.
const PELVIS_WORDS: &[&[u8]] = &[b"ilium", b"iliac", b"pelvi"];

/// A vertebra written as letter + number at `i` (`l4`, `c 5`, `t12`), or a word (`occiput`,
/// `sacrum`, `coccyx`). Returns it and the end of the match.
fn vertebra_at(s: &[u8], i: usize) -> Option<(Vertebra, usize)> {
    if !boundary_before(s, i) {
        return None;
    }
    let r = *s.get(i)?;
    if !matches!(r, b'o' | b's' | b'c' | b't' | b'l') {
        return None;
    }
    for &(word, v) in VERTEBRA_WORDS.iter().filter(|(w, _)| w[0] == r) {
        if s[i..].starts_with(word) && boundary_after(s, i + word.len()) {
            return Some((v, i + word.len()));
        }
    }
    if r == b'o' {
        return None;
    }
    let mut j = i + 1;
    // `C 5`, `T 10`, `L 4` with a space; never `s 3` (as in "patient's 3 weeks").
    if r != b's' && s.get(j) == Some(&b' ') && s.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    let (n, end) = digits(s, j)?;
    // MRI sequences: "T1-weighted", "T2 signal", "T2 hyperintensity" are not vertebrae.
    if r == b't' && n <= 2 {
        let rest = s[end..].trim_ascii_start();
        let rest = rest.strip_prefix(b"-").unwrap_or(rest).trim_ascii_start();
        if rest.starts_with(b"weighted")
            || rest.starts_with(b"signal")
            || rest.starts_with(b"hyper")
            || rest.starts_with(b"hypo")
            || rest.starts_with(b"stir")
            || rest.starts_with(b"image")
        {
            return None;
        }
    }
    if !boundary_after(s, end) && !s.get(end).is_some_and(|b| matches!(b, b'-' | b'/')) {
        // `L4a` or `c5x` are not levels; `L4-5` continues below.
        if s.get(end).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
    }
    Some((Vertebra::new(r, n)?, end))
}

/// Separators between the two ends of a range written with a symbol.
fn dash_at(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    let len = match s.get(j..) {
        Some([b'-', ..]) | Some([b'/', ..]) => 1,
        Some([0xE2, 0x80, 0x93, ..]) | Some([0xE2, 0x80, 0x94, ..]) => 3, // en dash, em dash
        _ => return None,
    };
    j += len;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    Some(j)
}

/// Words between the two ends of a range written out (`to`, `through`, `thru`).
fn through_at(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    for w in [&b"through"[..], b"thru", b"to"] {
        if s[j..].starts_with(w) && boundary_after(s, j + w.len()) {
            let mut k = j + w.len();
            while s.get(k) == Some(&b' ') {
                k += 1;
            }
            return Some(k);
        }
    }
    None
}

/// The second end of a range: a full vertebra (`L5`, `S1`) or a bare number in the first end's
/// region (`L4-5`), or `1` after L5 meaning S1 (`L5-1`).
fn range_end(s: &[u8], i: usize, from: Vertebra) -> Option<(Vertebra, usize)> {
    if let Some((v, end)) = vertebra_at(s, i) {
        return Some((v, end));
    }
    let (n, end) = digits(s, i)?;
    if !boundary_after(s, end) {
        return None;
    }
    let region = match from.region() {
        Region::Cervical => b'c',
        Region::Thoracic => b't',
        Region::Lumbar => b'l',
        Region::Sacral => b's',
        _ => return None,
    };
    // `C7-1` means C7-T1, `T12-1` T12-L1, `L5-1` L5-S1.
    let wrap =
        |r: u8, last: u8| if from == Vertebra::new(region, last)? && n == 1 { Vertebra::new(r, 1) } else { None };
    let v = Vertebra::new(region, n).filter(|v| *v > from).or_else(|| match region {
        b'c' => wrap(b't', 7),
        b't' => wrap(b'l', 12),
        b'l' => wrap(b's', 5),
        _ => None,
    })?;
    Some((v, end))
}

const COUNT_WORDS: &[(&[u8], u8)] = &[
    (b"one", 1),
    (b"single", 1),
    (b"two", 2),
    (b"three", 3),
    (b"four", 4),
    (b"five", 5),
    (b"six", 6),
    (b"seven", 7),
    (b"eight", 8),
    (b"nine", 9),
    (b"ten", 10),
];

/// `two-level`, `three levels`, `2 level`, `3-level` at `i`.
fn count_at(s: &[u8], i: usize) -> Option<(u8, usize)> {
    // Not the end of a bare interspace (`4-5 level`).
    if !matches!(s.get(i), Some(b'0'..=b'9' | b'o' | b's' | b't' | b'f' | b'e' | b'n'))
        || !boundary_before(s, i)
        || (i >= 2 && matches!(s[i - 1], b'-' | b'/') && s[i - 2].is_ascii_digit())
    {
        return None;
    }
    let (n, mut j) = COUNT_WORDS
        .iter()
        .find(|(w, _)| s[i..].starts_with(w) && boundary_after(s, i + w.len()))
        .map(|(w, n)| (*n, i + w.len()))
        .or_else(|| digits(s, i).filter(|(n, _)| (1..=20).contains(n)))?;
    if matches!(s.get(j), Some(b'-' | b' ')) {
        j += 1;
    } else {
        return None;
    }
    if s[j..].starts_with(b"level") {
        let mut end = j + 5;
        if s.get(end) == Some(&b's') {
            end += 1;
        }
        if boundary_after(s, end) {
            return Some((n, end));
        }
    }
    None
}

/// Finds every level mention in lower-cased text. `region` is the region the note is about when
/// one is clear (lumbar for a TLIF note), used for bare interspaces like "the 4-5 level".
pub fn scan(s: &[u8], region: Option<Region>) -> Vec<LevelMention> {
    scan_all(s, region).mentions
}

/// What one pass of the level grammar finds.
pub(crate) struct LevelScan {
    pub mentions: Vec<LevelMention>,
    /// Where the text first has a place to read a bare interspace in a region, and how many
    /// mentions come before it; `None` when it has none, so the mentions are the same for every
    /// region.
    first_bare: Option<(usize, usize)>,
    /// Spans of names written like a vertebra that the standard numbering does not have (`L9`,
    /// `T13`, `C10`; `L6` too, which only transitional anatomy has). They are not mentions; the
    /// analyzer reports them so that "L9-L12" is a documentation gap rather than a silent "nothing
    /// to code". ICD-10-CM codes such as `T84.226A` are not levels.
    pub nonexistent: Vec<(usize, usize)>,
}

impl LevelScan {
    /// Reads the bare interspaces of `s` (the text scanned, without a region) in `region`, so
    /// that the mentions are those [`scan`] finds with it. The region changes nothing before the
    /// first bare interspace, so only the rest of `s` is scanned again.
    pub(crate) fn read_bare_in(&mut self, s: &[u8], region: Option<Region>) {
        if let (Some((at, before)), Some(_)) = (self.first_bare, region) {
            self.mentions.truncate(before);
            scan_from(s, region, at, mention_starts(s, at), &mut self.mentions, &mut Vec::new());
            self.first_bare = None;
        }
    }
}

/// [`scan`], noting bare interspaces and names of vertebrae that do not exist.
pub(crate) fn scan_all(s: &[u8], region: Option<Region>) -> LevelScan {
    let mut mentions = Vec::with_capacity(s.len() / 64);
    let mut nonexistent = Vec::new();
    let first_bare = scan_from(s, region, 0, mention_starts(s, 0), &mut mentions, &mut nonexistent);
    LevelScan { mentions, first_bare, nonexistent }
}

/// The grammar from the word start `from` on, in the state a scan from the start has there:
/// appends the mentions and nonexistent names found and returns where a bare interspace is
/// first read (with the number of mentions before it). It tries the word starts of `starts`
/// from `from` on ([`mention_starts`]; a test passes every word start).
fn scan_from(
    s: &[u8],
    region: Option<Region>,
    from: usize,
    starts: impl Iterator<Item = usize>,
    out: &mut Vec<LevelMention>,
    nonexistent: &mut Vec<(usize, usize)>,
) -> Option<(usize, usize)> {
    let mut first_bare = None;
    let mut i = from;
    // Every mention starts at a word start (each branch below needs `boundary_before`) whose
    // first two bytes can begin one, so the scan visits only those, skipping any inside a
    // mention found. A mention never holds a nonexistent name (its ends are real vertebrae), so
    // checking the word starts visited finds them all.
    for start in starts {
        if start < i {
            continue;
        }
        i = start;
        let b = s[i];
        if matches!(b, b'c' | b't' | b'l')
            && let Some(end) = nonexistent_at(s, i)
        {
            nonexistent.push((i, end));
        }
        if matches!(b, b'c' | b't' | b'l' | b's' | b'o')
            && let Some((from, end)) = vertebra_at(s, i)
        {
            let range = dash_at(s, end).or_else(|| through_at(s, end)).and_then(|j| range_end(s, j, from));
            match range {
                Some((to, end2)) if to > from => {
                    // "from C3-4 to C6-7": a run of interspaces, first to last.
                    let run = (to.index() == from.index() + 1).then(|| through_at(s, end2)).flatten().and_then(|j| {
                        let (a, e) = vertebra_at(s, j)?;
                        let (b, e2) = dash_at(s, e).and_then(|k| range_end(s, k, a))?;
                        (a >= from && b.index() == a.index() + 1).then_some((b, e2))
                    });
                    let (to, end2) = run.unwrap_or((to, end2));
                    out.push(LevelMention { start: i, end: end2, level: LevelRef::Span(from, to) });
                    i = end2;
                }
                _ => {
                    // "between L4 and L5" names the disc space, not two vertebrae.
                    let between = s[..i]
                        .ends_with(b"between ")
                        .then(|| s[end..].starts_with(b" and ").then_some(end + 5))
                        .flatten()
                        .and_then(|j| vertebra_at(s, j))
                        .filter(|(to, _)| to.index() == from.index() + 1);
                    if let Some((to, end2)) = between {
                        out.push(LevelMention { start: i, end: end2, level: LevelRef::Span(from, to) });
                        i = end2;
                    } else {
                        out.push(LevelMention { start: i, end, level: LevelRef::Vertebra(from) });
                        i = end;
                    }
                }
            }
            continue;
        }
        if PELVIS_WORDS.iter().any(|w| s[i..].starts_with(w)) && boundary_before(s, i) {
            let mut end = i;
            while end < s.len() && is_word(s[end]) {
                end += 1;
            }
            // The iliac crest is a graft donor site, not a fixation level.
            if !s[end..].starts_with(b" crest") {
                out.push(LevelMention { start: i, end, level: LevelRef::Pelvis });
            }
            i = end;
            continue;
        }
        if let Some((n, end)) = count_at(s, i) {
            out.push(LevelMention { start: i, end, level: LevelRef::Count(n) });
            i = end;
            continue;
        }
        // A bare interspace (`4-5`, `5-1`, `c5-6` handled above) inside a known region.
        if b.is_ascii_digit()
            && boundary_before(s, i)
            && let Some((n, end)) = digits(s, i)
            && let Some(j) = dash_at(s, end).filter(|&j| s.get(end) != Some(&b'/') || j == end + 1)
            && bare_context(s, i)
        {
            first_bare.get_or_insert((i, out.len()));
            let letter = match region {
                Some(Region::Cervical) => b'c',
                Some(Region::Thoracic) => b't',
                Some(Region::Lumbar) => b'l',
                _ => 0,
            };
            if let Some(from) = Vertebra::new(letter, n)
                && let Some((to, end2)) = range_end(s, j, from)
                && to.index() == from.index() + 1
                && !followed_by_unit(s, end2)
            {
                out.push(LevelMention { start: i, end: end2, level: LevelRef::Span(from, to) });
                i = end2;
                continue;
            }
        }
    }
    first_bare
}

/// The word starts (a word byte after a non-word byte) of a block of up to 64 bytes as bits,
/// given whether the byte before the block is a word byte; `in_word` becomes whether the block's
/// 64th byte is one.
fn word_start_bits(block: &[u8], in_word: &mut bool) -> u64 {
    let word = word_mask(block);
    let after_word = (word << 1) | u64::from(*in_word);
    *in_word = word >> 63 == 1;
    word & !after_word
}

/// The word starts from `from` on at which a level mention or a nonexistent name can begin.
/// Each block's word starts are put to the two-byte test ([`MENTION_PAIRS`]) without a branch
/// on its answer, which is unpredictable; the few that pass are put to the three-letter test.
fn mention_starts(s: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    let mut block = from / 64 * 64;
    let mut in_word = block > 0 && is_word(s[block - 1]);
    Positions::new(s, block, move |bytes| {
        let (mut starts, mut pass) = (word_start_bits(bytes, &mut in_word), 0);
        while starts != 0 {
            let j = starts.trailing_zeros();
            starts &= starts - 1;
            pass |= u64::from(pair_may_begin(s, block + j as usize)) << j;
        }
        block += 64;
        pass
    })
    .filter(move |&i| i >= from && third_may_begin(s, i))
}

/// Whether a level mention or a nonexistent name can begin at `i`, by its first two bytes (see
/// [`MENTION_PAIRS`]); the last byte of the text is always let through.
fn pair_may_begin(s: &[u8], i: usize) -> bool {
    s.get(i + 1).is_none_or(|&b1| MENTION_PAIRS[s[i] as usize][b1 as usize / 64] >> (b1 % 64) & 1 == 1)
}

/// Whether a word start that passed [`pair_may_begin`] can begin a mention by its first three
/// bytes: two letters begin only a vertebra, pelvis or count word, and the third turns away the
/// many common words that share two ("the", "pedicle", "second", "only").
fn third_may_begin(s: &[u8], i: usize) -> bool {
    !(s[i].is_ascii_alphabetic() && s.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
        || s.get(i..i + 3).is_some_and(|p| WORD_PREFIXES.iter().any(|w| w == p))
}

/// How many words the grammar reads: vertebrae, the pelvis and counts.
const WORDS: usize = VERTEBRA_WORDS.len() + PELVIS_WORDS.len() + COUNT_WORDS.len();

/// The first three letters of every word the grammar reads.
static WORD_PREFIXES: [[u8; 3]; WORDS] = {
    let mut t = [[0u8; 3]; WORDS];
    let mut k = 0;
    while k < t.len() {
        let w = if k < VERTEBRA_WORDS.len() {
            VERTEBRA_WORDS[k].0
        } else if k < VERTEBRA_WORDS.len() + PELVIS_WORDS.len() {
            PELVIS_WORDS[k - VERTEBRA_WORDS.len()]
        } else {
            COUNT_WORDS[k - VERTEBRA_WORDS.len() - PELVIS_WORDS.len()].0
        };
        t[k] = [w[0], w[1], w[2]];
        k += 1;
    }
    t
};

/// The first two bytes of everything the grammar reads, as a bit set per first byte: a number
/// (counts, bare interspaces), a vertebra letter before a digit or a space (`l4`, `c 5`, `t13`),
/// or the start of a vertebra word, a pelvis word or a count word. The scan skips word starts
/// whose two bytes are not here, before trying each branch of the grammar in turn.
static MENTION_PAIRS: [[u64; 4]; 256] = {
    const fn set(t: &mut [[u64; 4]; 256], b0: u8, b1: u8) {
        t[b0 as usize][b1 as usize / 64] |= 1 << (b1 % 64);
    }
    let mut t = [[0u64; 4]; 256];
    let mut b1 = 0;
    while b1 < 256 {
        let y = b1 as u8;
        let mut d = b'0';
        while d <= b'9' {
            set(&mut t, d, y);
            d += 1;
        }
        if y.is_ascii_digit() || y == b' ' {
            set(&mut t, b'c', y);
            set(&mut t, b't', y);
            set(&mut t, b'l', y);
            set(&mut t, b's', y);
        }
        b1 += 1;
    }
    let mut k = 0;
    while k < VERTEBRA_WORDS.len() {
        set(&mut t, VERTEBRA_WORDS[k].0[0], VERTEBRA_WORDS[k].0[1]);
        k += 1;
    }
    k = 0;
    while k < PELVIS_WORDS.len() {
        set(&mut t, PELVIS_WORDS[k][0], PELVIS_WORDS[k][1]);
        k += 1;
    }
    k = 0;
    while k < COUNT_WORDS.len() {
        set(&mut t, COUNT_WORDS[k].0[0], COUNT_WORDS[k].0[1]);
        k += 1;
    }
    t
};

/// A name written like a vertebra the standard numbering does not have, at the word start `i`
/// (see [`LevelScan::nonexistent`]); returns its end.
fn nonexistent_at(s: &[u8], i: usize) -> Option<usize> {
    let r = s[i];
    let (n, end) = digits(s, i + 1)?;
    let beyond = match r {
        b'c' => n >= 9,
        b't' => n >= 13,
        _ => n >= 6,
    };
    let icd_code = s.get(end) == Some(&b'.') && s.get(end + 1).is_some_and(u8::is_ascii_digit);
    (beyond && !icd_code && (boundary_after(s, end) || matches!(s.get(end), Some(b'-' | b'/')))).then_some(end)
}

/// A measurement or count follows (`2-3 mm`, `4-5 days`): the numbers are not a level.
fn followed_by_unit(s: &[u8], end: usize) -> bool {
    let rest = s[end..].trim_ascii_start();
    [
        "mm", "cm", "cc", "ml", "mg", "kg", "g ", "%", "x ", "times", "day", "week", "month", "year", "hour", "minute",
        "min", "fr", "french", "inch", "mcg", "units", "lb", "lbs", "pounds", "degree", "°",
    ]
    .iter()
    .any(|u| rest.starts_with(u.as_bytes()))
}

/// A bare `4-5` is a level only after words that introduce one (`at`, `the`, `and`, `level`,
/// `interspace`, `disc`) — never in `4-5 cm` or a date.
fn bare_context(s: &[u8], i: usize) -> bool {
    let before = &s[..i];
    let trimmed = before.trim_ascii_end();
    ["at the", "the", "at", "and", "level", "levels", "interspace", "disc", "space", ","].iter().any(|w| {
        trimmed.ends_with(w.as_bytes())
            && (trimmed.len() == w.len() || !is_word(trimmed[trimmed.len() - w.len() - 1]) || *w == ",")
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn between_two_vertebrae_and_runs_of_interspaces_are_one_span() {
        let levels = |t: &str| scan(t.as_bytes(), None).into_iter().map(|m| m.level.to_string()).collect::<Vec<_>>();
        assert_eq!(levels("the flavum between l4 and l5 was removed"), ["L4-L5"]);
        assert_eq!(levels("between l4 and s1"), ["L4", "S1"]);
        assert_eq!(levels("the facets from c3-4 to c6-7 were decorticated"), ["C3-C7"]);
        assert_eq!(levels("c3-4 to c6"), ["C3-C4", "C6"]);
    }
    use super::*;
    use proptest::prelude::*;

    fn levels(text: &str, region: Option<Region>) -> Vec<String> {
        scan(text.to_ascii_lowercase().as_bytes(), region).iter().map(|m| m.level.to_string()).collect()
    }

    #[test]
    fn vertebrae_and_ranges() {
        assert_eq!(levels("L4-L5", None), ["L4-L5"]);
        assert_eq!(levels("L4-5 and L5/S1", None), ["L4-L5", "L5-S1"]);
        assert_eq!(levels("L4 to S1", None), ["L4-S1"]);
        assert_eq!(levels("from C3 through C7", None), ["C3-C7"]);
        assert_eq!(levels("C5-6 and C6-7", None), ["C5-C6", "C6-C7"]);
        assert_eq!(levels("L5-1 disc", None), ["L5-S1"]);
        assert_eq!(levels("C7-T1", None), ["C7-T1"]);
        assert_eq!(levels("T12–L1", None), ["T12-L1"]);
        assert_eq!(levels("occiput to C2", None), ["occiput-C2"]);
        assert_eq!(levels("screws at L3, L4 and L5", None), ["L3", "L4", "L5"]);
        assert_eq!(levels("t 10 to the pelvis", None), ["T10", "pelvis"]);
        assert_eq!(levels("L4 - L5", None), ["L4-L5"]);
    }

    #[test]
    fn bare_interspaces_need_a_region_and_a_cue() {
        assert_eq!(levels("at the 4-5 level", Some(Region::Lumbar)), ["L4-L5"]);
        assert_eq!(levels("at the 4-5 level", None), Vec::<String>::new());
        assert_eq!(levels("a 4-5 cm incision", Some(Region::Lumbar)), Vec::<String>::new());
        assert_eq!(levels("at 5-6 and 6-7", Some(Region::Cervical)), ["C5-C6", "C6-C7"]);
        assert_eq!(levels("the 5-1 disc", Some(Region::Lumbar)), ["L5-S1"]);
        assert_eq!(levels("the drill and 2-3 mm Kerrisons", Some(Region::Lumbar)), Vec::<String>::new());
    }

    #[test]
    fn counts_and_impossible_levels() {
        assert_eq!(levels("a two-level ACDF", None), ["2 levels"]);
        assert_eq!(levels("three levels", None), ["3 levels"]);
        assert_eq!(levels("L9-L12, C8, T13", None), Vec::<String>::new());
        assert_eq!(levels("L5-L4", None), ["L5", "L4"], "inverted ranges are two vertebrae");
        assert_eq!(levels("tls brace, sleep", None), Vec::<String>::new());
        assert_eq!(levels("L4a", None), Vec::<String>::new());
        assert_eq!(levels("T2-weighted images; T1 signal", None), Vec::<String>::new());
        assert_eq!(levels("the patient's 3 weeks", None), Vec::<String>::new());
    }

    #[test]
    fn nonexistent_vertebrae_are_found() {
        fn found(t: &str) -> Vec<&str> {
            scan_all(t.as_bytes(), None).nonexistent.iter().map(|&(a, b)| &t[a..b]).collect()
        }
        assert_eq!(found("l9-l12, c10, t13 and l6/s1"), ["l9", "l12", "c10", "t13", "l6"]);
        assert_eq!(found("c1-c7, t1-t12, l1-l5, s1, c8 radiculopathy"), Vec::<&str>::new());
        assert_eq!(found("dx t84.226a, t81.42xa; cl9 l10x"), Vec::<&str>::new());
    }

    #[test]
    fn interspaces_and_vertebrae() {
        let m = scan(b"l3-l5", None);
        let LevelRef::Span(a, b) = m[0].level else { panic!() };
        assert_eq!(LevelRef::Span(a, b).interspaces().map(|i| i.to_string()).collect::<Vec<_>>(), ["L3-L4", "L4-L5"]);
        assert_eq!(LevelRef::Span(a, b).vertebrae().count(), 3);
        assert_eq!(Interspace::below(Vertebra::new(b'c', 7).unwrap()).unwrap().region(), Region::Cervical);
    }

    #[test]
    fn vertebra_names_are_region_letter_and_number() {
        for (letter, count) in [(b'c', 7), (b't', 12), (b'l', 5), (b's', 5)] {
            for n in 1..=count {
                let name = format!("{}{n}", char::from(letter.to_ascii_uppercase()));
                assert_eq!(Vertebra::new(letter, n).unwrap().to_string(), name);
            }
        }
        assert_eq!(Vertebra::OCCIPUT.to_string(), "occiput");
        assert_eq!(Vertebra::COCCYX.to_string(), "coccyx");
    }

    /// Every word start, found a block at a time as [`mention_starts`] does.
    fn word_starts(s: &[u8]) -> impl Iterator<Item = usize> + '_ {
        let mut in_word = false;
        Positions::new(s, 0, move |bytes| word_start_bits(bytes, &mut in_word))
    }

    fn spelled(v: Vertebra) -> String {
        v.to_string()
    }

    /// Text of up to 40 of `words`, each followed by one of `seps`: dense in what the grammar
    /// reads.
    fn text_of(words: &'static [&'static str], seps: &'static [&'static str]) -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(proptest::sample::select(words), 0..40),
            proptest::collection::vec(proptest::sample::select(seps), 40),
        )
            .prop_map(|(w, s)| w.iter().zip(&s).flat_map(|(w, s)| [*w, *s]).collect())
    }

    proptest! {
        /// `L4-L5`, `L4-5`, `L4/5`, `L4–5`, `L4 to L5` all denote the same interspace.
        #[test]
        fn notations_agree(upper in 1u8..29) {
            let a = Vertebra(upper);
            let b = Vertebra(upper + 1);
            let (sa, sb) = (spelled(a), spelled(b));
            let short = if a.region() == b.region() { sb[1..].to_string() } else { sb.clone() };
            for text in [format!("{sa}-{sb}"), format!("{sa}-{short}"), format!("{sa}/{short}"), format!("{sa}–{short}"), format!("{sa} to {sb}")] {
                let m = scan(text.to_ascii_lowercase().as_bytes(), None);
                prop_assert_eq!(m.len(), 1, "{}", text);
                prop_assert_eq!(m[0].level, LevelRef::Span(a, b), "{}", text);
            }
        }

        /// Reading the bare interspaces of a scan without a region gives what a scan in the
        /// region gives, on text dense in levels, counts and cues.
        #[test]
        fn bare_interspaces_read_later_match_a_scan_in_the_region(
            text in text_of(
                &[
                    "the", "at", "and", "level", "levels", "disc", "space", ",", "4-5", "5-1", "3-4", "4/5",
                    "l4-5", "c5-6", "t12-1", "l4", "s1", "two-level", "3 level", "to", "through", "between",
                    "x", "4", "-", "5", "12", "iliac", "mm", "cm", "occiput",
                ],
                &[" ", "", ", ", ". ", "-"],
            ),
            r in 0usize..7,
        ) {
            let region = [None, Some(Region::Cervical), Some(Region::Thoracic), Some(Region::Lumbar),
                Some(Region::Sacral), Some(Region::Occiput), Some(Region::Coccyx)][r];
            let mut later = scan_all(text.as_bytes(), None);
            later.read_bare_in(text.as_bytes(), region);
            prop_assert_eq!(later.mentions, scan(text.as_bytes(), region), "{}", text);
        }

        /// The candidate starts from any offset on are those of the definition, byte by byte,
        /// whichever block the offset falls in.
        #[test]
        fn mention_starts_from_any_offset(
            text in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b'-'), b'a'..=b'z', b'0'..=b'9', Just(b'l'), Just(b't')],
                0..300,
            ),
            // Often a block start, where a word may run on from the block before.
            from in prop_oneof![0usize..300, (0usize..5).prop_map(|k| k * 64)],
        ) {
            let from = from.min(text.len());
            let want: Vec<usize> = (from..text.len())
                .filter(|&i| is_word(text[i]) && (i == 0 || !is_word(text[i - 1])))
                .filter(|&i| pair_may_begin(&text, i) && third_may_begin(&text, i))
                .collect();
            prop_assert_eq!(mention_starts(&text, from).collect::<Vec<_>>(), want);
        }

        /// Skipping the word starts that cannot begin a mention loses nothing: the scan finds
        /// what it finds when it tries every word start.
        #[test]
        fn skipped_word_starts_begin_nothing(
            text in text_of(
                &[
                    "the", "three", "thru", "one", "only", "on", "two", "twelve", "ten", "tens", "six", "sixty",
                    "single", "sin", "seven", "second", "eight", "nine", "five", "four", "for", "first",
                    "occiput", "occipital", "occ", "sacrum", "sacral", "sac", "coccyx", "coc", "ilium", "iliac",
                    "ili", "pelvis", "pelvic", "pel", "pedicle", "level", "levels", "l4", "c5", "t12", "s1",
                    "l9", "t13", "c 5", "l", "s", "4-5", "5-1", "at", "and", "between", "x",
                ],
                &[" ", "", "-", ", ", "'", "/"],
            ),
            r in 0usize..4,
        ) {
            let region = [None, Some(Region::Cervical), Some(Region::Thoracic), Some(Region::Lumbar)][r];
            let s = text.as_bytes();
            let (mut all, mut all_nonexistent) = (Vec::new(), Vec::new());
            let all_bare = scan_from(s, region, 0, word_starts(s), &mut all, &mut all_nonexistent);
            let (mut some, mut some_nonexistent) = (Vec::new(), Vec::new());
            let some_bare = scan_from(s, region, 0, mention_starts(s, 0), &mut some, &mut some_nonexistent);
            prop_assert_eq!(some, all, "{}", text);
            prop_assert_eq!(some_nonexistent, all_nonexistent);
            prop_assert_eq!(some_bare, all_bare);
        }

        /// Scanning never panics and every span lies inside the text, in order.
        #[test]
        fn spans_in_bounds(text in "\\PC{0,200}") {
            let lower = text.to_ascii_lowercase();
            let m = scan(lower.as_bytes(), Some(Region::Lumbar));
            let mut last = 0;
            for x in m {
                prop_assert!(x.start < x.end && x.end <= lower.len() && x.start >= last);
                prop_assert!(lower.is_char_boundary(x.start) && lower.is_char_boundary(x.end));
                last = x.end;
            }
        }
    }
}
