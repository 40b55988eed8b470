//! A parsed note: sections, sentences, level mentions and concept mentions with their ConText
//! categories. Parsing never fails and never panics: odd input yields fewer mentions.

use crate::bytes::{positions, sentence_punctuation_mask};
use crate::concept::Concept;
use crate::level::{self, LevelRef, Region};
use crate::lexicon::{ContextCategory, ContextRule, Direction, Hit, Lexicon, SectionKind};
use crate::phrase::{self, Phrases};
use crate::text::{Normalized, Span};

/// ConText categories that apply to a mention, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Context(u8);

impl Context {
    pub const NEGATED: Context = Context(1);
    pub const HYPOTHETICAL: Context = Context(2);
    pub const HISTORICAL: Context = Context(4);
    pub const REMOVED: Context = Context(8);
    pub const ABORTED: Context = Context(16);
    pub const OTHER_SURGEON: Context = Context(32);

    fn of(c: ContextCategory) -> Context {
        match c {
            ContextCategory::Negated => Context::NEGATED,
            ContextCategory::Hypothetical => Context::HYPOTHETICAL,
            ContextCategory::Historical => Context::HISTORICAL,
            ContextCategory::Removed => Context::REMOVED,
            ContextCategory::Aborted => Context::ABORTED,
            ContextCategory::OtherSurgeon => Context::OTHER_SURGEON,
            ContextCategory::Terminate | ContextCategory::Pseudo => Context(0),
        }
    }

    pub fn has(self, c: Context) -> bool {
        self.0 & c.0 != 0
    }

    /// Nothing says the mention was not done in this operation by this surgeon.
    pub fn is_affirmed(self) -> bool {
        self.0
            & (Context::NEGATED.0
                | Context::HYPOTHETICAL.0
                | Context::HISTORICAL.0
                | Context::ABORTED.0
                | Context::OTHER_SURGEON.0)
            == 0
    }

    /// Names of the categories set, for reports.
    pub fn names(self) -> Vec<&'static str> {
        [
            (Context::NEGATED, "negated"),
            (Context::HYPOTHETICAL, "hypothetical"),
            (Context::HISTORICAL, "historical"),
            (Context::REMOVED, "removed"),
            (Context::ABORTED, "aborted"),
            (Context::OTHER_SURGEON, "other_surgeon"),
        ]
        .into_iter()
        .filter(|(c, _)| self.has(*c))
        .map(|(_, n)| n)
        .collect()
    }
}

impl std::ops::BitOr for Context {
    type Output = Context;
    fn bitor(self, rhs: Context) -> Context {
        Context(self.0 | rhs.0)
    }
}

/// A section of the note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// The header as written, in the original text.
    pub header: Option<Span>,
    /// Normalized offsets of the content.
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// A sentence (or list item) of a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub section: usize,
}

/// A level mention inside a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelHit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub level: LevelRef,
    pub sentence: usize,
}

/// A concept mention inside a sentence, with its context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConceptHit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub concept: Concept,
    pub sentence: usize,
    pub context: Context,
}

/// A parsed note.
pub struct Document<'a> {
    pub(crate) norm: Normalized<'a>,
    pub sections: Vec<Section>,
    pub sentences: Vec<Sentence>,
    pub levels: Vec<LevelHit>,
    pub concepts: Vec<ConceptHit>,
    /// The region most of the note's levels are in.
    pub region: Option<Region>,
    /// Names written like vertebrae that the standard numbering does not have (`L9`, `T13`).
    pub(crate) nonexistent_levels: Vec<(usize, usize)>,
    /// The [`phrase`] phrases each sentence contains.
    phrases: Vec<Phrases>,
    /// Chunk separators ([`phrase::SEPARATORS`]) as (start, end), in order of their starts.
    pub(crate) separators: Vec<(usize, usize)>,
}

const ABBREVIATIONS: &[&[u8]] = &[
    b"dr", b"mr", b"mrs", b"ms", b"vs", b"approx", b"e.g", b"i.e", b"fig", b"st", b"inc", b"no", b"nos", b"pt", b"ca",
];

impl<'a> Document<'a> {
    /// Parses a note with the given vocabulary.
    pub fn parse(text: &'a str, lexicon: &Lexicon) -> Document<'a> {
        let norm = Normalized::new(text);
        let sections = split_sections(&norm, lexicon);
        // Sized for the corpus's one sentence per 60 bytes or so, so it rarely grows.
        let mut sentences = Vec::with_capacity(text.len() / 32);
        for (i, s) in sections.iter().enumerate() {
            split_sentences(&norm, s.start, s.end, i, &mut sentences);
        }
        let matches = lexicon.scan(&norm.text);
        let found = matches.concepts;
        // The region comes from a scan without one, which stands unless the text has bare
        // interspaces ("the 4-5 level") to read in the region.
        let mut scan = level::scan_all(&norm.text, None);
        let region = dominant_region(&scan.mentions, &found);
        scan.read_bare_in(&norm.text, region);
        let mentions = scan.mentions;
        let mut cursor = SentenceCursor::new(&sentences);
        let levels: Vec<LevelHit> = mentions
            .into_iter()
            .filter_map(|m| {
                let sentence = cursor.sentence_of(m.start)?;
                Some(LevelHit { start: m.start, end: m.end, level: m.level, sentence })
            })
            .collect();
        let mut cursor = SentenceCursor::new(&sentences);
        let mut concepts: Vec<ConceptHit> = found
            .into_iter()
            .filter_map(|(h, c)| {
                let sentence = cursor.sentence_of(h.start)?;
                Some(ConceptHit { start: h.start, end: h.end, concept: c, sentence, context: Context::default() })
            })
            .collect();
        let own = |(h, rule): &(Hit, &ContextRule)| {
            rule.category == ContextCategory::OtherSurgeon && by_own_surgeon(&norm, &sections, h)
        };
        let kept: Option<Vec<(Hit, &ContextRule)>> =
            matches.triggers.iter().any(own).then(|| matches.triggers.iter().filter(|t| !own(t)).copied().collect());
        apply_context(&norm.text, kept.as_deref().unwrap_or(&matches.triggers), &sentences, &mut concepts);
        let phrases = phrase::of_sentences(&matches.phrases, &sentences);
        Document {
            norm,
            sections,
            sentences,
            levels,
            concepts,
            region,
            nonexistent_levels: scan.nonexistent,
            phrases,
            separators: matches.separators,
        }
    }

    /// The original text.
    pub fn text(&self) -> &'a str {
        self.norm.original
    }

    /// Original span of a normalized range.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        self.norm.span(start, end)
    }

    pub fn concept_span(&self, c: &ConceptHit) -> Span {
        self.span(c.start, c.end)
    }

    pub fn level_span(&self, l: &LevelHit) -> Span {
        self.span(l.start, l.end)
    }

    /// The names written like vertebrae that do not exist in standard numbering (upper-cased, as
    /// `L9`), with their spans.
    pub fn nonexistent_levels(&self) -> impl Iterator<Item = (String, Span)> + '_ {
        self.nonexistent_levels
            .iter()
            .map(|&(a, b)| (String::from_utf8_lossy(&self.norm.text[a..b]).to_uppercase(), self.span(a, b)))
    }

    pub fn sentence_span(&self, i: usize) -> Span {
        let s = self.sentences[i];
        self.span(s.start, s.end)
    }

    /// The section kind of a sentence.
    pub fn section_of(&self, sentence: usize) -> SectionKind {
        self.sections[self.sentences[sentence].section].kind
    }

    /// The normalized text of a sentence (lower case).
    pub(crate) fn sentence_text(&self, i: usize) -> &[u8] {
        let s = self.sentences[i];
        &self.norm.text[s.start..s.end]
    }

    /// Whether a sentence's normalized text contains any of the phrases.
    pub(crate) fn sentence_has(&self, i: usize, phrases: Phrases) -> bool {
        self.phrases[i].intersects(phrases)
    }
}

/// The region most level mentions (found without a region) are in, else the one the techniques
/// name.
fn dominant_region(levels: &[level::LevelMention], concepts: &[(Hit, Concept)]) -> Option<Region> {
    let mut counts = [0usize; 6];
    for m in levels {
        for v in m.level.vertebrae() {
            counts[v.region() as usize] += 1;
        }
    }
    let best = (0..6).max_by_key(|i| counts[*i]).filter(|i| counts[*i] > 0);
    match best {
        Some(i) => {
            [Region::Occiput, Region::Cervical, Region::Thoracic, Region::Lumbar, Region::Sacral, Region::Coccyx]
                .get(i)
                .copied()
                .map(|r| if r == Region::Sacral { Region::Lumbar } else { r })
        }
        None => {
            // No explicit level: the technique names the region.
            if concepts.iter().any(|(_, c)| matches!(c, Concept::Acdf)) {
                Some(Region::Cervical)
            } else if concepts.iter().any(|(_, c)| {
                matches!(
                    c,
                    Concept::Tlif
                        | Concept::Plif
                        | Concept::Alif
                        | Concept::LateralInterbody
                        | Concept::ObliqueInterbody
                        | Concept::Microdiscectomy
                )
            }) {
                Some(Region::Lumbar)
            } else {
                None
            }
        }
    }
}

fn split_sections(norm: &Normalized<'_>, lexicon: &Lexicon) -> Vec<Section> {
    let t = &norm.text;
    let mut headers: Vec<(usize, usize, usize, SectionKind)> = Vec::new(); // header start, header end, content start, kind
    let breaks = &norm.breaks;
    // `pos` only moves forward, and so does `next`, the first line break at or after it.
    let (mut pos, mut next) = (0, 0);
    while pos < t.len() {
        while breaks.get(next).is_some_and(|&(p, _)| p < pos) {
            next += 1;
        }
        let line_start = pos == 0 || (next > 0 && breaks[next - 1].0 + 1 == pos && breaks[next - 1].1 > 0);
        if line_start && let Some((end, kind)) = lexicon.section_at(t, pos) {
            // After the phrase: a colon or dash, or the end of the line for an all-capitals header.
            let mut j = end;
            while t.get(j) == Some(&b' ') && norm.newlines_before(j + 1) == 0 {
                j += 1;
            }
            // "HISTORY/INDICATIONS:", "Findings and complications:": more header words, then a colon.
            if matches!(t.get(j), Some(b'/' | b'&')) || t[j..].starts_with(b"and ") {
                let mut k = j;
                while k < t.len()
                    && k < j + 40
                    && (t[k].is_ascii_alphabetic() || matches!(t[k], b' ' | b'/' | b'&' | b'(' | b')'))
                    && (k == j || norm.newlines_before(k) == 0)
                {
                    k += 1;
                }
                if t.get(k) == Some(&b':') {
                    j = k;
                }
            }
            let colon = matches!(t.get(j), Some(b':' | b'-'))
                || t[j..].starts_with("—".as_bytes())
                || t[j..].starts_with("–".as_bytes());
            let line_end = j >= t.len()
                || norm.newlines_before(end + 1) > 0
                || (t.get(end) == Some(&b' ') && norm.newlines_before(end + 1) > 0);
            let capitals = (pos..end).all(|k| {
                let o = norm.original_byte(k);
                !o.is_ascii_lowercase()
            });
            if colon || (line_end && capitals) {
                let mut content = if colon { j + if t[j] == b':' || t[j] == b'-' { 1 } else { 3 } } else { end };
                while t.get(content) == Some(&b' ') {
                    content += 1;
                }
                headers.push((pos, end, content.min(t.len()), kind));
                pos = content.max(pos + 1);
                continue;
            }
        }
        // Next line start.
        match breaks.get(next) {
            Some((p, _)) => pos = (*p + 1).max(pos + 1),
            None => break,
        }
    }
    let mut sections = Vec::new();
    let first = headers.first().map_or(t.len(), |h| h.0);
    if first > 0 {
        sections.push(Section { kind: SectionKind::Preamble, header: None, start: 0, end: first });
    }
    for (i, &(hs, he, cs, kind)) in headers.iter().enumerate() {
        let end = headers.get(i + 1).map_or(t.len(), |h| h.0);
        let start = cs.min(end);
        // A field such as "Diagnosis:" or "EBL:" ends at the paragraph break; prose that follows
        // without a header of its own is the narrative.
        let split = if field_kind(kind) {
            paragraph_break(norm, start, end)
                .or_else(|| one_line_field(kind).then(|| prose_line(norm, start, end)).flatten())
        } else if kind == SectionKind::Procedures {
            paragraph_break(norm, start, end).filter(|&b| is_prose(norm, b, end))
        } else {
            None
        };
        // "Procedure:" over the story of the operation ("The patient was brought to the
        // operating room …") is the narrative, not a procedure list.
        let kind = if kind == SectionKind::Procedures && split.is_none() && reads_as_narrative(&norm.text[start..end]) {
            SectionKind::Narrative
        } else {
            kind
        };
        match split {
            Some(b) => {
                sections.push(Section { kind, header: Some(norm.span(hs, he)), start, end: b });
                sections.push(Section { kind: SectionKind::Narrative, header: None, start: b + 1, end });
            }
            None => sections.push(Section { kind, header: Some(norm.span(hs, he)), start, end }),
        }
    }
    sections
}

/// Whether a section body tells the operation rather than listing it: several sentences, the
/// first of them in the past tense of the narrative ("was", "were").
fn reads_as_narrative(body: &[u8]) -> bool {
    let first_end = body.iter().position(|&b| b == b'.').unwrap_or(body.len());
    let first = &body[..first_end];
    let past =
        [&b" was "[..], b" were ", b" brought ", b" taken "].iter().any(|w| first.windows(w.len()).any(|x| x == *w));
    // Four sentence ends are enough: the count stops there.
    past && body.windows(2).filter(|w| w[0] == b'.' && w[1].is_ascii_whitespace()).take(4).count() == 4
}

/// Sections that hold a short field rather than a narrative.
fn field_kind(k: SectionKind) -> bool {
    matches!(
        k,
        SectionKind::Diagnosis
            | SectionKind::Indications
            | SectionKind::Anesthesia
            | SectionKind::BloodLoss
            | SectionKind::Complications
            | SectionKind::Drains
            | SectionKind::Specimens
            | SectionKind::Team
            | SectionKind::Monitoring
            | SectionKind::Disposition
            | SectionKind::Other
            | SectionKind::Implants
    )
}

/// Fields of a line or a short list ("Surgeon:", "EBL:", "Drains:"): the operation's story may
/// follow them on the next line with no blank line and no header of its own.
fn one_line_field(k: SectionKind) -> bool {
    field_kind(k) && !matches!(k, SectionKind::Diagnosis | SectionKind::Indications)
}

/// The first line break inside `start..end`, among a field's first few lines, followed by a line
/// that reads as prose (see [`is_prose`]).
fn prose_line(norm: &Normalized<'_>, start: usize, end: usize) -> Option<usize> {
    let after = norm.breaks.partition_point(|(p, _)| *p <= start);
    let breaks = &norm.breaks[after..];
    breaks.iter().enumerate().take(8).take_while(|(_, (p, _))| *p + 1 < end).find_map(|(i, &(p, _))| {
        let first = p + 1;
        let line_end = breaks.get(i + 1).map_or(end, |b| b.0).min(end);
        let list = is_list_marker(&norm.text, first) || norm.text.get(first).is_some_and(u8::is_ascii_digit);
        (!list && line_end.saturating_sub(first) >= 80).then_some(p)
    })
}

/// The first blank line (two or more line breaks) inside `start..end` with text after it.
fn paragraph_break(norm: &Normalized<'_>, start: usize, end: usize) -> Option<usize> {
    let after = norm.breaks.partition_point(|(p, _)| *p <= start);
    norm.breaks[after..].iter().take_while(|(p, _)| *p + 1 < end).find(|(_, n)| *n >= 2).map(|(p, _)| *p)
}

/// Whether the paragraph after a break reads as prose: a long first line, not a list item.
fn is_prose(norm: &Normalized<'_>, at: usize, end: usize) -> bool {
    let first = at + 1;
    if is_list_marker(&norm.text, first) || norm.text.get(first).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let next = norm.breaks.partition_point(|(p, _)| *p <= first);
    let line_end = norm.breaks.get(next).map_or(end, |(p, _)| *p).min(end);
    line_end.saturating_sub(first) >= 80
}

fn is_list_marker(t: &[u8], i: usize) -> bool {
    // `1.` `2)` `a)` `-` `*` `•` followed by a space.
    let rest = &t[i..];
    if rest.starts_with("•".as_bytes()) {
        return true;
    }
    match rest {
        [b'-' | b'*', b' ', ..] => true,
        [d, b'.' | b')', b' ', ..] if d.is_ascii_digit() => true,
        [d1, d2, b'.' | b')', b' ', ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => true,
        [c, b')', b' ', ..] if c.is_ascii_lowercase() => true,
        _ => false,
    }
}

fn split_sentences(norm: &Normalized<'_>, start: usize, end: usize, section: usize, out: &mut Vec<Sentence>) {
    let t = &norm.text;
    let mut s = start;
    let push = |out: &mut Vec<Sentence>, a: usize, b: usize| {
        let mut a = a;
        while a < b && matches!(t[a], b' ' | b':' | b'-') {
            a += 1;
        }
        let mut b = b;
        while b > a && t[b - 1] == b' ' {
            b -= 1;
        }
        if b > a {
            out.push(Sentence { start: a, end: b, section });
        }
    };
    // A sentence ends at a space that held line breaks, at sentence punctuation, or at the space
    // after `.`, `,` or `;` before a list number. The folded spaces that held line breaks are
    // `norm.breaks`; the punctuation is found by a byte scan; the two are walked in order.
    let first = norm.breaks.partition_point(|(p, _)| *p < start);
    let mut breaks = norm.breaks[first..].iter().take_while(|(p, _)| *p < end).peekable();
    let at_break = |out: &mut Vec<Sentence>, s: &mut usize, i: usize, nl: u8| {
        let prev = if i > start { t[i - 1] } else { b' ' };
        if nl >= 2 || matches!(prev, b'.' | b':' | b';' | b'?' | b'!') || is_list_marker(t, i + 1) {
            push(out, *s, i);
            *s = i + 1;
        }
    };
    for i in positions(&t[start..end], sentence_punctuation_mask).map(|p| start + p) {
        while let Some(&(b, nl)) = breaks.next_if(|(b, _)| *b < i) {
            at_break(out, &mut s, b, nl);
        }
        let c = t[i];
        if matches!(c, b'.' | b'?' | b'!' | b';') && t.get(i + 1).is_none_or(|n| *n == b' ') {
            let next = i + 2;
            let next_ok = next >= end || {
                let o = norm.original_byte(next);
                o.is_ascii_uppercase()
                    || o.is_ascii_digit()
                    || !o.is_ascii()
                    || matches!(o, b'(' | b'"' | b'\'')
                    || c == b';'
            };
            let word_start = t[..i].iter().rposition(|b| *b == b' ').map_or(start, |p| p + 1).max(start);
            let word = &t[word_start..i];
            let list_number =
                word_start == s && !word.is_empty() && word.len() <= 2 && word.iter().all(u8::is_ascii_digit);
            let abbrev = c == b'.'
                && (ABBREVIATIONS.contains(&word) || (word.len() == 1 && word[0].is_ascii_alphabetic()) || list_number);
            if next_ok && !abbrev {
                push(out, s, i + 1);
                s = i + 1;
            }
        }
        // "… TLIF. 2. Pedicle screws …" on one line: the space after the punctuation, when it
        // held no line break, ends the sentence before a list number.
        let space = i + 1;
        if matches!(c, b'.' | b',' | b';')
            && space < end
            && t[space] == b' '
            && breaks.peek().is_none_or(|(b, _)| *b != space)
            && t.get(space + 1).is_some_and(u8::is_ascii_digit)
            && is_list_marker(t, space + 1)
        {
            push(out, s, space);
            s = space + 1;
        }
    }
    for &(b, nl) in breaks {
        at_break(out, &mut s, b, nl);
    }
    push(out, s, end);
}

/// The sentence of each of a run of positions given in order, found by moving forward through
/// the sentences rather than by a search per position.
struct SentenceCursor<'s> {
    sentences: &'s [Sentence],
    at: usize,
    last: usize,
}

impl<'s> SentenceCursor<'s> {
    fn new(sentences: &'s [Sentence]) -> SentenceCursor<'s> {
        SentenceCursor { sentences, at: 0, last: 0 }
    }

    /// The first sentence that does not end at or before `pos` (the last sentence past the end
    /// of all), if `pos` is not before its start.
    fn sentence_of(&mut self, pos: usize) -> Option<usize> {
        debug_assert!(pos >= self.last, "positions out of order: {pos} after {}", self.last);
        self.last = pos;
        while self.at + 1 < self.sentences.len() && self.sentences[self.at].end <= pos {
            self.at += 1;
        }
        (self.sentences.get(self.at)?.start <= pos).then_some(self.at)
    }
}

/// Headers of the field that names the note's own surgeon (not "surgeons", which may list a
/// co-surgeon, nor an assistant's or access surgeon's).
const OWN_SURGEON_HEADERS: &[&str] =
    &["surgeon", "attending surgeon", "primary surgeon", "attending", "operating surgeon", "surgeon of record"];

/// Whether a "by Dr. X" trigger of another surgeon's work (CTX009) names the note's own surgeon,
/// the one its Surgeon field names: dictations say "the graft was placed by Dr. X" of the
/// dictating surgeon too. Without such a field the trigger stands (the conservative reading:
/// nothing is coded that another surgeon may have done).
fn by_own_surgeon(norm: &Normalized<'_>, sections: &[Section], h: &Hit) -> bool {
    let text = &norm.text;
    if !text[h.start..h.end].ends_with(b"dr") {
        return false;
    }
    let after = &text[h.end..];
    let after = after.strip_prefix(b".").unwrap_or(after);
    let after = after.strip_prefix(b" ").unwrap_or(after);
    let name = &after[..after.iter().take_while(|b| b.is_ascii_alphabetic() || matches!(b, b'\'' | b'-')).count()];
    if name.len() < 2 {
        return false;
    }
    let named_in = |s: &Section| {
        let field = &text[s.start..s.end];
        field.windows(name.len()).enumerate().any(|(i, w)| {
            w == name
                && (i == 0 || !field[i - 1].is_ascii_alphanumeric())
                && field.get(i + name.len()).is_none_or(|b| !b.is_ascii_alphanumeric())
        })
    };
    sections.iter().any(|s| {
        s.kind == SectionKind::Team
            && s.header.is_some_and(|h| {
                let header = norm.original[h.start..h.end].trim().trim_end_matches(':').trim_end();
                OWN_SURGEON_HEADERS.iter().any(|o| header.eq_ignore_ascii_case(o))
            })
            && named_in(s)
    })
}

fn apply_context(text: &[u8], triggers: &[(Hit, &ContextRule)], sentences: &[Sentence], concepts: &mut [ConceptHit]) {
    if triggers.is_empty() || sentences.is_empty() {
        return;
    }
    let words_between = |a: usize, b: usize| {
        if b > a { text[a..b].iter().filter(|c| **c == b' ').count().saturating_sub(1) } else { 0 }
    };
    // The triggers of each sentence, as a run of `triggers` (they are in note order).
    let mut by_sentence: Vec<std::ops::Range<usize>> = vec![0..0; sentences.len()];
    let mut cursor = SentenceCursor::new(sentences);
    for (i, (h, _)) in triggers.iter().enumerate() {
        if let Some(s) = cursor.sentence_of(h.start) {
            let run = &mut by_sentence[s];
            if run.start == run.end {
                run.start = i;
            }
            run.end = i + 1;
        }
    }
    for c in concepts.iter_mut() {
        let list = &triggers[by_sentence[c.sentence].clone()];
        let mut ctx = Context::default();
        for &(h, rule) in list {
            if matches!(rule.direction, Direction::Terminate | Direction::Pseudo) {
                continue;
            }
            // The trigger and the concept may not overlap (a concept phrase is not its own trigger).
            if h.start < c.end && c.start < h.end {
                continue;
            }
            let terminated = |a: usize, b: usize| {
                list.iter().any(|&(t2, r2)| {
                    r2.direction == Direction::Terminate
                        && (r2.only_for.is_empty() || r2.only_for.contains(&rule.category))
                        && t2.start >= a
                        && t2.end <= b
                })
            };
            let forward =
                h.end <= c.start && words_between(h.end, c.start) < rule.max_scope && !terminated(h.end, c.start);
            let backward =
                c.end <= h.start && words_between(c.end, h.start) < rule.max_scope && !terminated(c.end, h.start);
            let applies = match rule.direction {
                Direction::Forward => forward,
                Direction::Backward => backward,
                Direction::Bidirectional => forward || backward,
                Direction::Terminate | Direction::Pseudo => false,
            };
            if applies {
                ctx = ctx | Context::of(rule.category);
            }
        }
        c.context = ctx;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document<'_> {
        Document::parse(text, Lexicon::embedded())
    }

    /// The story told on the line after a one-line field, with no blank line and no header of
    /// its own, is the narrative; a short second line stays in the field.
    #[test]
    fn prose_after_a_one_line_field_is_the_narrative() {
        let kinds = |text: &str| {
            let d = doc(text);
            d.sections.iter().map(|s| s.kind.name()).collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(
                "PROCEDURE: L4-5 TLIF.\nSurgeon: Dr. Kaur\nThe patient was placed prone and the L4 and L5 pedicles were cannulated under fluoroscopy."
            ),
            ["procedures", "team", "narrative"]
        );
        assert_eq!(kinds("PROCEDURE: L4-5 TLIF.\nSurgeon: Dr. Kaur\nDr. Lee"), ["procedures", "team"]);
        assert_eq!(kinds("PROCEDURE: L4-5 TLIF.\nOp course: Prone. Midline."), ["procedures", "narrative"]);
    }

    /// "By Dr. X" is another surgeon's work unless X is the surgeon the note's Surgeon field
    /// names.
    #[test]
    fn work_by_the_notes_own_surgeon_is_not_another_surgeons() {
        let other_surgeon = |text: &str| {
            let d = doc(text);
            let graft = d.concepts.iter().find(|c| c.concept == Concept::Allograft).expect("allograft");
            graft.context.has(Context::OTHER_SURGEON)
        };
        let story = "The allograft was placed in the posterolateral gutters by Dr. Alvarez.";
        assert!(!other_surgeon(&format!("SURGEON: Maria Alvarez, MD\nDESCRIPTION: {story}")));
        assert!(!other_surgeon(&format!("Attending surgeon: Dr. Alvarez\nAssistant: Dr. Lee\nProcedure: {story}")));
        assert!(other_surgeon(&format!("Surgeon: Dr. Kaur\nCo-surgeon: Dr. Alvarez\nProcedure: {story}")));
        assert!(other_surgeon(&format!("Surgeons: Dr. Kaur, Dr. Alvarez\nProcedure: {story}")));
        assert!(other_surgeon(&format!("Surgeon: Dr. Alvarezian\nProcedure: {story}")));
        assert!(other_surgeon(story), "no Surgeon field: the conservative reading");
    }

    #[test]
    fn sections_with_and_without_colons() {
        let d = doc(
            "PREOPERATIVE DIAGNOSIS: L4-5 stenosis.\nPROCEDURES PERFORMED\n1. L4-5 TLIF.\n2. Pedicle screws L4-L5.\nDescription of procedure: The patient was placed prone.\nProcedure was explained to the patient.",
        );
        let kinds: Vec<&str> = d.sections.iter().map(|s| s.kind.name()).collect();
        assert_eq!(kinds, ["diagnosis", "procedures", "narrative"]);
        let items: Vec<&str> = d
            .sentences
            .iter()
            .filter(|s| d.sections[s.section].kind == SectionKind::Procedures)
            .map(|s| {
                let sp = d.span(s.start, s.end);
                &d.text()[sp.start..sp.end]
            })
            .collect();
        assert_eq!(items, ["1. L4-5 TLIF.", "2. Pedicle screws L4-L5."]);
    }

    #[test]
    fn sentences_split_on_punctuation_not_abbreviations() {
        let d = doc("Dr. Smith placed a 6.5 mm screw. Then the rod was placed. No cage was used; graft was packed.");
        assert_eq!(d.sentences.len(), 4);
    }

    #[test]
    fn context_categories() {
        let cases = [
            ("No instrumentation was placed.", Concept::Instrumentation, Context::NEGATED),
            ("He has a history of L5-S1 fusion.", Concept::Fusion, Context::HISTORICAL),
            ("She will return for an ALIF next week.", Concept::Alif, Context::HYPOTHETICAL),
            ("The L5-S1 TLIF was abandoned.", Concept::Tlif, Context::ABORTED),
            ("The rods and screws were removed.", Concept::Rod, Context::REMOVED),
        ];
        for (text, concept, ctx) in cases {
            let d = doc(text);
            let c =
                d.concepts.iter().find(|c| c.concept == concept).unwrap_or_else(|| panic!("{text}: no {concept:?}"));
            assert!(c.context.has(ctx), "{text}: {:?}", c.context.names());
        }
        let d = doc("There were no intraoperative complications and pedicle screws were placed at L4 and L5.");
        let c = d.concepts.iter().find(|c| c.concept == Concept::PedicleScrew).unwrap();
        assert!(c.context.is_affirmed(), "{:?}", c.context.names());
    }

    /// Every example sentence of every ConText rule is classified as the rule says.
    #[test]
    fn context_rule_examples() {
        let l = Lexicon::embedded();
        for r in l.rules() {
            for ex in &r.examples {
                let d = doc(&ex.text);
                let target = Concept::from_id(&ex.target).unwrap();
                let c = d
                    .concepts
                    .iter()
                    .find(|c| c.concept == target)
                    .unwrap_or_else(|| panic!("{}: `{}` has no {}", r.id, ex.text, ex.target));
                let any = !c.context.names().is_empty();
                assert_eq!(any, ex.expect, "{} `{}`: {} has {:?}", r.id, ex.text, ex.target, c.context.names());
            }
        }
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn joined_headers() {
        let d = Document::parse(
            "PROCEDURE: Posterior cervical fusion C5-C7.\n\nHISTORY/INDICATIONS: 54 y/o woman who underwent ACDF.\n",
            Lexicon::embedded(),
        );
        let kinds: Vec<&str> = d.sections.iter().map(|s| s.kind.name()).collect();
        assert_eq!(kinds, ["procedures", "indications"]);
    }

    proptest::proptest! {
        /// The cursor gives each position, in order, what a search of the sentences gives.
        #[test]
        fn sentence_cursor_agrees_with_a_search(
            gaps in proptest::collection::vec((0usize..5, 1usize..20), 0..20),
            mut positions in proptest::collection::vec(0usize..300, 0..60),
        ) {
            let mut sentences = Vec::new();
            let mut at = 0;
            for (gap, len) in gaps {
                sentences.push(Sentence { start: at + gap, end: at + gap + len, section: 0 });
                at += gap + len;
            }
            positions.sort();
            let mut cursor = SentenceCursor::new(&sentences);
            for pos in positions {
                let k = sentences.partition_point(|s| s.end <= pos).min(sentences.len().saturating_sub(1));
                let searched = sentences.get(k).filter(|s| s.start <= pos).map(|_| k);
                proptest::prop_assert_eq!(cursor.sentence_of(pos), searched, "at {}", pos);
            }
        }
    }
}
