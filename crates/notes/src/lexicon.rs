//! The data the text layer runs on: concept vocabulary, ConText rules and section headers, read
//! from `data/knowledge/*.toml`, validated, and compiled once: the vocabulary into an Aho-Corasick
//! automaton laid out for the walk (`walk_table`), the section headers into a trie (`header_trie`).

use std::sync::LazyLock;

use aho_corasick::dfa::DFA;
use aho_corasick::{MatchKind, StartKind};
use serde::Deserialize;

use crate::concept::Concept;
use crate::header_trie::HeaderTrie;
use crate::phrase;
use crate::walk_table::{self, WalkTable};

/// The kind of a note section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Text before the first header.
    Preamble,
    Diagnosis,
    Procedures,
    Indications,
    Narrative,
    Findings,
    Implants,
    Anesthesia,
    BloodLoss,
    Complications,
    Drains,
    Specimens,
    Team,
    Monitoring,
    Disposition,
    Other,
}

impl SectionKind {
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Diagnosis => "diagnosis",
            SectionKind::Procedures => "procedures",
            SectionKind::Indications => "indications",
            SectionKind::Narrative => "narrative",
            SectionKind::Findings => "findings",
            SectionKind::Implants => "implants",
            SectionKind::Anesthesia => "anesthesia",
            SectionKind::BloodLoss => "blood_loss",
            SectionKind::Complications => "complications",
            SectionKind::Drains => "drains",
            SectionKind::Specimens => "specimens",
            SectionKind::Team => "team",
            SectionKind::Monitoring => "monitoring",
            SectionKind::Disposition => "disposition",
            SectionKind::Other => "other",
        }
    }
}

/// What a ConText trigger does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextCategory {
    Negated,
    Hypothetical,
    Historical,
    Removed,
    Aborted,
    OtherSurgeon,
    Terminate,
    Pseudo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Forward,
    Backward,
    Bidirectional,
    Terminate,
    Pseudo,
}

/// An example sentence a ConText rule must classify correctly (run by the tests).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExample {
    pub text: String,
    pub target: String,
    pub expect: bool,
}

/// One ConText rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    pub id: String,
    pub category: ContextCategory,
    pub direction: Direction,
    pub max_scope: usize,
    pub phrases: Vec<String>,
    /// For terminate rules: the categories whose scope they end (all when empty).
    #[serde(default)]
    pub only_for: Vec<ContextCategory>,
    pub source: String,
    #[serde(default)]
    pub examples: Vec<RuleExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    concept: Vec<ConceptEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptEntry {
    id: String,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    rule: Vec<ContextRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionsFile {
    section: Vec<SectionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    kind: SectionKind,
    phrases: Vec<String>,
}

/// A phrase match in the normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// The compiled vocabulary.
pub struct Lexicon {
    /// The concept phrases, then the ConText trigger phrases, then the sentence phrases of
    /// [`phrase`](crate::phrase): one automaton, so a note is read once for all three.
    vocabulary: WalkTable,
    concept_of: Vec<Concept>,
    trigger_of: Vec<usize>,
    pub(crate) rules: Vec<ContextRule>,
    /// The section header phrases.
    sections: HeaderTrie,
}

/// Why the vocabulary files are unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LexiconError {}

const VOCABULARY: &str = include_str!("../../../data/knowledge/vocabulary.toml");
const CONTEXT: &str = include_str!("../../../data/knowledge/context_rules.toml");
const SECTIONS: &str = include_str!("../../../data/knowledge/sections.toml");

static EMBEDDED: LazyLock<Lexicon> = LazyLock::new(|| {
    // The embedded files are checked by the test suite, so this cannot fail in a released binary.
    Lexicon::from_toml(VOCABULARY, CONTEXT, SECTIONS).unwrap_or_else(|e| panic!("embedded vocabulary: {e}"))
});

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn clean(file: &str, what: &str, p: &str) -> Result<String, LexiconError> {
    let lower = p.trim().to_ascii_lowercase();
    let folded = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() || folded != p {
        return Err(LexiconError(format!(
            "{file}: {what}: phrase `{p}` must be lower case with single spaces (write `{folded}`)"
        )));
    }
    Ok(folded)
}

impl Lexicon {
    /// The vocabulary compiled into the binary.
    pub fn embedded() -> &'static Lexicon {
        &EMBEDDED
    }

    /// Parses and validates the three vocabulary files.
    pub fn from_toml(vocabulary: &str, context: &str, sections: &str) -> Result<Lexicon, LexiconError> {
        let v: VocabularyFile = toml::from_str(vocabulary)
            .map_err(|e| LexiconError(format!("vocabulary.toml: {}", e.to_string().trim())))?;
        let c: ContextFile = toml::from_str(context)
            .map_err(|e| LexiconError(format!("context_rules.toml: {}", e.to_string().trim())))?;
        let s: SectionsFile =
            toml::from_str(sections).map_err(|e| LexiconError(format!("sections.toml: {}", e.to_string().trim())))?;

        let mut phrases = Vec::new();
        let mut concept_of = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut listed = std::collections::HashSet::new();
        for entry in &v.concept {
            let concept = Concept::from_id(&entry.id)
                .ok_or_else(|| LexiconError(format!("vocabulary.toml: unknown concept id `{}`", entry.id)))?;
            if !listed.insert(concept) {
                return Err(LexiconError(format!("vocabulary.toml: concept `{}` is listed twice", entry.id)));
            }
            for p in &entry.phrases {
                let p = clean("vocabulary.toml", &entry.id, p)?;
                if let Some(other) = seen.insert(p.clone(), entry.id.clone()) {
                    return Err(LexiconError(format!(
                        "vocabulary.toml: phrase `{p}` is listed under `{other}` and `{}`",
                        entry.id
                    )));
                }
                phrases.push(p);
                concept_of.push(concept);
            }
        }
        if let Some(missing) = Concept::ALL.iter().find(|c| !listed.contains(c)) {
            return Err(LexiconError(format!("vocabulary.toml: concept `{}` has no entry", missing.id())));
        }

        let mut trigger_phrases = Vec::new();
        let mut trigger_of = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for (i, r) in c.rule.iter().enumerate() {
            if !ids.insert(r.id.clone()) {
                return Err(LexiconError(format!("context_rules.toml: rule id `{}` is used twice", r.id)));
            }
            let directional =
                matches!(r.direction, Direction::Forward | Direction::Backward | Direction::Bidirectional);
            let special = matches!(r.category, ContextCategory::Terminate | ContextCategory::Pseudo);
            if directional == special
                || (r.category == ContextCategory::Terminate) != (r.direction == Direction::Terminate)
            {
                return Err(LexiconError(format!(
                    "context_rules.toml: rule `{}` has category and direction that do not fit",
                    r.id
                )));
            }
            for ex in &r.examples {
                if Concept::from_id(&ex.target).is_none() {
                    return Err(LexiconError(format!(
                        "context_rules.toml: rule `{}` example targets unknown concept `{}`",
                        r.id, ex.target
                    )));
                }
            }
            for p in &r.phrases {
                trigger_phrases.push(clean("context_rules.toml", &r.id, p)?);
                trigger_of.push(i);
            }
        }

        let mut section_phrases = Vec::new();
        for e in &s.section {
            for p in &e.phrases {
                section_phrases.push((clean("sections.toml", e.kind.name(), p)?, e.kind));
            }
        }
        let sections = HeaderTrie::new(section_phrases.iter().map(|(p, kind)| (p.as_str(), *kind)));
        let vocabulary: Vec<&str> =
            phrases.iter().chain(&trigger_phrases).map(String::as_str).chain(phrase::PHRASES.iter().copied()).collect();
        let vocabulary: Vec<&str> = vocabulary.into_iter().chain(phrase::SEPARATORS.iter().copied()).collect();
        // The vocabulary is a DFA, laid out again for the walk in `scan` (see there).
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&vocabulary)
            .map_err(|e| LexiconError(format!("cannot compile the vocabulary: {e}")))?;
        let vocabulary = WalkTable::new(&dfa, &vocabulary)
            .map_err(|e| LexiconError(format!("cannot compile the vocabulary: {}", e.0)))?;
        Ok(Lexicon { vocabulary, concept_of, trigger_of, rules: c.rule, sections })
    }

    /// Every concept, ConText trigger, sentence phrase and chunk separator in lower-cased text, in
    /// one pass.
    pub fn scan(&self, text: &[u8]) -> Matches<'_> {
        let concepts_end = self.concept_of.len();
        let triggers_end = concepts_end + self.trigger_of.len();
        let separators_start = triggers_end + phrase::PHRASES.len();
        let table = &self.vocabulary;
        let found = self.walk(text);
        let room = found.len() / 2;
        let (mut concepts, mut triggers, mut phrases, mut separators) =
            (Vec::with_capacity(room), Vec::with_capacity(room), Vec::with_capacity(room), Vec::with_capacity(room));
        let patterns = found.into_iter().flat_map(|(end, s)| table.patterns(s).iter().map(move |&p| (end, p)));
        for (end, pattern) in patterns {
            let (start, pattern) = (end - table.pattern_len(pattern), pattern as usize);
            if pattern >= separators_start {
                separators.push((start, end));
                continue;
            }
            if pattern >= triggers_end {
                phrases.push(Hit { start, end, pattern: pattern - triggers_end });
                continue;
            }
            let on_word_boundaries =
                (start == 0 || !is_word(text[start - 1])) && (end == text.len() || !is_word(text[end]));
            if !on_word_boundaries {
                continue;
            }
            if pattern < concepts_end {
                concepts.push(Hit { start, end, pattern });
            } else {
                triggers.push(Hit { start, end, pattern: pattern - concepts_end });
            }
        }
        separators.sort_by_key(|&(start, _)| start);
        // Into vectors of their own element size: a collect in place would reallocate.
        let mut kept_concepts = Vec::with_capacity(concepts.len());
        kept_concepts.extend(longest_first(concepts).map(|h| (h, self.concept_of[h.pattern])));
        let mut kept_triggers = Vec::with_capacity(triggers.len());
        kept_triggers.extend(longest_first(triggers).map(|h| (h, &self.rules[self.trigger_of[h.pattern]])));
        Matches { concepts: kept_concepts, triggers: kept_triggers, phrases, separators }
    }

    /// Where the vocabulary matches in `text`, as (end, match state) in order of their ends: each
    /// state's patterns are the matches ending there.
    ///
    /// The automaton's table ([`WalkTable`]) is walked directly rather than through an
    /// overlapping iterator (a call and a saved state per match), and as [`WALKS`] walks in step,
    /// one per slice of the text: each transition waits on a table read, and independent chains
    /// of reads overlap in the processor. A walk after the first starts a longest pattern early
    /// and reports only matches ending in its own slice, so each match is found exactly once.
    fn walk(&self, text: &[u8]) -> Vec<(usize, walk_table::State)> {
        let table = &self.vocabulary;
        let slice = text.len().div_ceil(WALKS).max(1);
        let lead = table.max_pattern_len().saturating_sub(1);
        // Walk `w` reads `from[w]..to[w]` and reports the matches ending after `own[w]`.
        let own: [usize; WALKS] = std::array::from_fn(|w| (w * slice).min(text.len()));
        let from: [usize; WALKS] = std::array::from_fn(|w| own[w].saturating_sub(lead));
        let to: [usize; WALKS] = std::array::from_fn(|w| ((w + 1) * slice).min(text.len()));
        // About one match per 17 bytes in the corpus: room for twice that, so a walk rarely grows.
        let mut found: [Vec<(usize, walk_table::State)>; WALKS] =
            std::array::from_fn(|w| Vec::with_capacity((to[w] - from[w]) / 8));
        let mut state = [table.start(); WALKS];
        // All walks in step for as long as the shortest lasts, a block of `BLOCK` bytes at a
        // time: each walk keeps its block's states and a bit per step that says whether it is a
        // match state, with no branch on the answer (about one step in fourteen is a match, too
        // often for the processor to guess and too seldom to learn), and the matches are read
        // off the bits after the block. Their bytes are read through zipped slices (no test of
        // their ends, no bounds checks).
        let together = (0..WALKS).map(|w| to[w] - from[w]).min().unwrap_or(0);
        let mut base = 0;
        let mut states = [[0 as walk_table::State; BLOCK]; WALKS];
        while base < together {
            let n = (together - base).min(BLOCK);
            let heads: [&[u8]; WALKS] = std::array::from_fn(|w| &text[from[w] + base..from[w] + base + n]);
            let mut matches = [0u64; WALKS];
            let [h0, h1, h2, h3, h4, h5, h6, h7] = heads;
            for (k, (((((((&b0, &b1), &b2), &b3), &b4), &b5), &b6), &b7)) in
                h0.iter().zip(h1).zip(h2).zip(h3).zip(h4).zip(h5).zip(h6).zip(h7).enumerate()
            {
                for (w, b) in [b0, b1, b2, b3, b4, b5, b6, b7].into_iter().enumerate() {
                    let s = table.next(state[w], b);
                    state[w] = s;
                    states[w][k % BLOCK] = s;
                    matches[w] |= u64::from(table.is_match(s)) << (k % BLOCK);
                }
            }
            for w in 0..WALKS {
                let mut bits = matches[w];
                while bits != 0 {
                    let k = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let j = from[w] + base + k;
                    if j >= own[w] {
                        found[w].push((j + 1, states[w][k]));
                    }
                }
            }
            base += n;
        }
        // Then the longer walks to their ends, a step at a time.
        let mut step = |w: usize, j: usize, byte: u8| {
            state[w] = table.next(state[w], byte);
            if table.is_match(state[w]) && j >= own[w] {
                found[w].push((j + 1, state[w]));
            }
        };
        let steps = (0..WALKS).map(|w| to[w] - from[w]).max().unwrap_or(0);
        for k in together..steps {
            for w in (0..WALKS).filter(|&w| from[w] + k < to[w]) {
                step(w, from[w] + k, text[from[w] + k]);
            }
        }
        let [mut all, rest @ ..] = found;
        for mut f in rest {
            all.append(&mut f);
        }
        all
    }

    /// A section header phrase starting exactly at `at`: the longest, if a word ends with it.
    pub(crate) fn section_at(&self, text: &[u8], at: usize) -> Option<(usize, SectionKind)> {
        let (len, kind) = self.sections.longest_prefix(text.get(at..)?)?;
        let end = at + len;
        if end < text.len() && is_word(text[end]) {
            return None;
        }
        Some((end, kind))
    }

    /// The ConText rules, for documentation and tests.
    pub fn rules(&self) -> &[ContextRule] {
        &self.rules
    }
}

/// How many walks of the vocabulary DFA run in step (see [`Lexicon::walk`], whose zip of their
/// slices is written for eight). Eight rather than four since the walk reads the 16-bit table:
/// +2% on machine I (PERFORMANCE.md).
const WALKS: usize = 8;

/// Steps of each walk between readings of their match bits (one `u64` of bits).
const BLOCK: usize = 64;

/// What one pass of the vocabulary automaton finds (see [`Lexicon::scan`]).
pub struct Matches<'l> {
    /// Concept mentions on word boundaries, longest first, not overlapping.
    pub concepts: Vec<(Hit, Concept)>,
    /// ConText trigger mentions on word boundaries, longest first, not overlapping, with their rule.
    pub triggers: Vec<(Hit, &'l ContextRule)>,
    /// Sentence phrases as plain substrings, overlapping; `pattern` indexes `phrase::PHRASES`.
    pub(crate) phrases: Vec<Hit>,
    /// Chunk separators ([`phrase::SEPARATORS`]) as plain substrings, as (start, end) in order of
    /// their starts.
    pub(crate) separators: Vec<(usize, usize)>,
}

/// The leftmost-longest non-overlapping subset of matches, given in order of their ends.
fn longest_first(mut all: Vec<Hit>) -> impl Iterator<Item = Hit> {
    // Into order of start, longest first. In order of ends, a hit is out of that order only
    // against the hits that lie inside it (no longer than the longest pattern), so an insertion
    // sort moves each hit a step or two, where a general sort costs a comparison tree.
    let key = |h: &Hit| (h.start, std::cmp::Reverse(h.end));
    for i in 1..all.len() {
        let h = all[i];
        let mut j = i;
        while j > 0 && key(&all[j - 1]) > key(&h) {
            all[j] = all[j - 1];
            j -= 1;
        }
        all[j] = h;
    }
    let mut last_end = None;
    all.into_iter().filter(move |h| {
        let keep = last_end.is_none_or(|end| h.start >= end);
        if keep {
            last_end = Some(h.end);
        }
        keep
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabulary_is_valid() {
        let l = Lexicon::embedded();
        assert!(!l.rules().is_empty());
        let hits = l.scan(b"bilateral pedicle screws and a peek cage at l4-5, tlif").concepts;
        let found: Vec<&str> = hits.iter().map(|(_, c)| c.id()).collect();
        assert_eq!(found, ["pedicle_screw", "cage", "tlif"]);
    }

    #[test]
    fn the_header_trie_is_a_few_kilobytes() {
        let bytes = Lexicon::embedded().sections.bytes();
        assert!(bytes < 16 << 10, "{bytes} bytes");
    }

    #[test]
    fn the_walk_table_fits_a_2_mib_cache() {
        let bytes = Lexicon::embedded().vocabulary.transition_bytes();
        assert!(bytes < 2 << 20, "{bytes} bytes");
    }

    /// The header trie turns no header away: every phrase is found alone, before a colon and
    /// before more text.
    #[test]
    fn every_section_phrase_starts_a_header() {
        #[derive(Deserialize)]
        struct Sections {
            section: Vec<Phrases>,
        }
        #[derive(Deserialize)]
        struct Phrases {
            phrases: Vec<String>,
        }
        let l = Lexicon::embedded();
        for phrase in toml::from_str::<Sections>(SECTIONS).unwrap().section.into_iter().flat_map(|s| s.phrases) {
            for text in [phrase.clone(), format!("{phrase}:"), format!("{phrase} - l4-5 fusion")] {
                let found = l.section_at(text.as_bytes(), 0);
                assert_eq!(found.map(|(end, _)| end), Some(phrase.len()), "`{text}`");
            }
        }
    }

    #[test]
    fn matches_respect_word_boundaries() {
        let l = Lexicon::embedded();
        let found: Vec<&str> = l.scan(b"the product was taped").concepts.iter().map(|(_, c)| c.id()).collect();
        assert!(found.is_empty(), "{found:?}");
    }

    proptest::proptest! {
        /// The walks in step find exactly the matches of one walk from the start, in order:
        /// none lost or doubled where their slices meet.
        #[test]
        fn walks_in_step_equal_one_walk(
            words in proptest::collection::vec(
                "(fusion|pedicle screws|no|not|tlif|placed|l4-5|the|and|replaced|bilateral|history of|[a-z]{1,6}|[ ,.])",
                0..120,
            )
        ) {
            let l = Lexicon::embedded();
            let text = words.join(" ").into_bytes();
            let table = &l.vocabulary;
            let mut state = table.start();
            let mut one = Vec::new();
            for (i, &b) in text.iter().enumerate() {
                state = table.next(state, b);
                if table.is_match(state) {
                    one.push((i + 1, state));
                }
            }
            proptest::prop_assert_eq!(l.walk(&text), one);
        }

        /// The section headers' trie finds what the crate's anchored leftmost-longest search
        /// finds.
        #[test]
        fn section_trie_equals_the_crates_search(
            words in proptest::collection::vec(
                "(procedure|procedures performed|pre|preop|dx|diagnosis|post-op dx|findings|[a-z(]{1,4}|[ :-])",
                0..12,
            ),
            at in 0usize..40,
        ) {
            #[derive(Deserialize)]
            struct Sections { section: Vec<Phrases> }
            #[derive(Deserialize)]
            struct Phrases { kind: SectionKind, phrases: Vec<String> }
            let (phrases, kinds): (Vec<String>, Vec<SectionKind>) = toml::from_str::<Sections>(SECTIONS)
                .unwrap()
                .section
                .into_iter()
                .flat_map(|s| s.phrases.into_iter().map(move |p| (p, s.kind)))
                .unzip();
            let search = aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(&phrases)
                .unwrap();
            let l = Lexicon::embedded();
            let text = words.concat().into_bytes();
            let at = at.min(text.len());
            let want = search
                .find(aho_corasick::Input::new(&text).span(at..text.len()).anchored(aho_corasick::Anchored::Yes))
                .filter(|m| m.end() == text.len() || !is_word(text[m.end()]))
                .map(|m| (m.end(), kinds[m.pattern().as_usize()]));
            proptest::prop_assert_eq!(l.section_at(&text, at), want);
        }

        /// The insertion sort of hits given in order of their ends gives what a stable sort by
        /// (start, longest first) gives, so the same hits are kept.
        #[test]
        fn longest_first_keeps_what_a_full_sort_keeps(
            mut spans in proptest::collection::vec((0usize..200, 1usize..30, 0usize..4), 0..150)
        ) {
            let mut hits: Vec<Hit> =
                spans.drain(..).map(|(start, len, pattern)| Hit { start, end: start + len, pattern }).collect();
            hits.sort_by_key(|h| h.end);
            let mut sorted = hits.clone();
            sorted.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            let mut last_end = None;
            sorted.retain(|h| {
                let keep = last_end.is_none_or(|end| h.start >= end);
                if keep {
                    last_end = Some(h.end);
                }
                keep
            });
            proptest::prop_assert_eq!(longest_first(hits).collect::<Vec<_>>(), sorted);
        }
    }

    #[test]
    fn rejects_bad_vocabulary() {
        let bad = |v: &str| Lexicon::from_toml(v, CONTEXT, SECTIONS).err().map(|e| e.0).unwrap_or_default();
        assert!(bad("[[concept]]\nid = \"nope\"\nphrases = [\"x\"]").contains("unknown concept id `nope`"));
        assert!(bad("[[concept]]\nid = \"fusion\"\nphrases = [\"Fusion\"]").contains("must be lower case"));
        let dup = VOCABULARY.replace("\"arthrodeses\",", "\"arthrodeses\", \"tlif\",");
        assert!(bad(&dup).contains("phrase `tlif` is listed under"));
    }
}
