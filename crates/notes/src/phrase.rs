//! The phrases the findings look for inside a sentence ("gutter", "was repeated", "for screw
//! placement", …). The phrases of every sentence are found in one Aho-Corasick pass when a note is
//! parsed (by the vocabulary automaton, [`crate::Lexicon::scan`]), so asking whether a sentence holds a phrase is a bit test, not a text search.
//!
//! A phrase matches as a plain substring of the sentence's normalized text (no word boundaries).
//! Write a set with [`phrases!`]; a phrase missing from [`PHRASES`] is a compile error.

use crate::document::Sentence;
use crate::lexicon::Hit;

/// What cuts a sentence into chunks when levels are bound to concepts ("screws at L4, L5 and
/// S1"; see `findings::bind`), found by the same pass as the phrases.
pub(crate) const SEPARATORS: &[&str] =
    &[", ", "; ", " and ", " as well as ", " along with ", " with ", " plus ", " followed by ", " then "];

/// Every phrase a sentence can be asked about, lower case.
pub(crate) const PHRASES: &[&str] = &[
    // Work not done at a level.
    "abandon",
    "aborted",
    "not completed",
    "could not be completed",
    "not disturbed",
    "not operated",
    "not touched",
    "left alone",
    "no disc work",
    "not fused",
    "not addressed",
    "not treated",
    "not entered",
    "was not performed",
    "were not performed",
    "deferred",
    "not instrumented",
    "was not done",
    "were not done",
    "not included",
    // Work repeated at another level.
    "the same",
    "same manner",
    "same fashion",
    "similar fashion",
    "similarly",
    "likewise",
    "was repeated",
    "were repeated",
    "identical fashion",
    "as above",
    // Bone removed to reach the disc space.
    "to access",
    "access to the disc",
    "access the disc",
    "to gain access",
    "in preparation",
    "to prepare",
    "for the interbody",
    "for interbody",
    "to expose the disc",
    "exposure of the disc",
    "to allow",
    "for placement of",
    "for the tlif",
    "for the plif",
    "for cage",
    "to enter the disc",
    "working corridor",
    "to reach the disc",
    "in order to access",
    "to palpate",
    "palpation of",
    "medial wall of the pedicle",
    "to identify the pedicle",
    "to expose the pedicle",
    "for screw placement",
    "for the screw",
    // Anchors placed.
    "placed",
    "inserted",
    "placement",
    "insertion",
    "seated",
    "advanced",
    "driven",
    "cannulated",
    "tapped",
    "were put",
    "was put",
    "instrumented",
    "fixated",
    "secured",
    // Hardware examined.
    "stress",
    "exposed",
    "inspected",
    "checked",
    "loosen",
    "tight",
    "well fixed",
    "well-fixed",
    "halo around",
    "lucency",
    // Levels not moving the focus.
    "preserv",
    "intact",
    "spared",
    "protected",
    "not violated",
    "untouched",
    // Sides.
    "bilateral",
    "bilaterally",
    "both sides",
    "on both sides",
    "left and right",
    "right and left",
    // Surgeon roles.
    "performed",
    "provided",
    "exposure",
    "approach",
    "retract",
    "assisted",
    "mobiliz",
    "closure",
    "resident",
    // Graft into the disc space.
    "impacted",
    "tamped",
    "tapped into",
    "packed into",
    "countersunk",
    "positioned",
    // Plates.
    "integrat",
    "zero-profile",
    "zero profile",
    "of the cage",
    "stand-alone",
    "applied",
    "spanning",
    "affixed",
    "fixed",
    "contoured",
    "spans",
    "extending",
    "occipital",
    "end plate",
    "endplate",
    "end-plate",
    "cartilaginous",
    // Iliac crest harvest and landmarks.
    "harvest",
    "graft",
    "obtained",
    "procured",
    "taken from",
    "cancellous bone",
    "corticocancellous",
    "curette",
    "gouge",
    "osteotome",
    "prepped",
    "draped",
    "bump",
    "table",
    "starting point",
    "entry point",
    "padded",
    "retractor",
    "landmark",
    "array",
    "reference",
    "pin",
    "navigation",
    // Single words of the rules.
    "gutter",
    "lamina",
    "decompress",
    "osteophyte",
    "posterior longitudinal ligament",
    "pll",
    "minute",
    "hour",
    " from ",
    "solid",
    "pseudarthrosis",
    "nonunion",
    "motion",
    "healed",
    "gill",
    "stenosis",
    "failed",
    "despite",
    "nonoperative",
    "conservative",
    "each level",
    "both levels",
    "each interspace",
    "both interspaces",
    "every level",
    "all levels",
    "foramin",
    "undercut",
    "lateral recess",
    "root",
    "dislocat",
    "same incision",
    "same skin incision",
    "same midline incision",
    "anterior corpectomy",
    "anterior vertebrectomy",
    "anterolateral corpectomy",
    "corpectomy",
    "defect",
    "plate",
    "pedicle",
    "connected",
    "iliac",
    "pelvis",
    "s2",
    "structural",
    "spacer",
    // A graft that is morselized whatever else the note calls it.
    "packed",
    "filled",
    "chips",
    "morsel",
    "cancellous",
    "crushed",
    "removal",
    "fusion",
    // A lesion in the spinal canal drained or taken out.
    "evacuat",
    "drained",
    "drainage of",
    "debrid",
    "excis",
    "resect",
    "removed",
    // An infected wound, and how deep.
    "infect",
    "abscess",
    "purulen",
    "pus ",
    "subfascial",
    "beneath the fascia",
    "below the fascia",
    "deep to the fascia",
    "under the fascia",
    "fascia was opened",
    "fascia was incised",
    "deep wound",
    "deep infection",
    "deep abscess",
    "deep surgical site",
    "suprafascial",
    "above the fascia",
    "superficial",
    "fascia was intact",
    // An odontoid fracture fixed from the front.
    "os odontoideum",
    "non-union",
    "anterior",
    "reduc",
    // The approach to a thoracic disc from behind.
    "transpedicular",
    // A lumbar disc reached from outside the foramen or through the facet.
    "far lateral",
    "far-lateral",
    "extraforaminal",
    "extra-foraminal",
    "transfacet",
];

const WORDS: usize = PHRASES.len().div_ceil(64);

/// A set of phrases (bits indexed like [`PHRASES`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Phrases([u64; WORDS]);

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Phrases {
    /// The set of the given phrases. Panics on a phrase not in [`PHRASES`]: use it in a constant
    /// (as [`phrases!`] does) so that is a compile error.
    pub(crate) const fn of(phrases: &[&str]) -> Phrases {
        let mut bits = [0u64; WORDS];
        let mut p = 0;
        while p < phrases.len() {
            let mut i = 0;
            while i < PHRASES.len() && !same(PHRASES[i], phrases[p]) {
                i += 1;
            }
            assert!(i < PHRASES.len(), "not a known phrase: add it to phrase::PHRASES");
            bits[i / 64] |= 1 << (i % 64);
            p += 1;
        }
        Phrases(bits)
    }

    /// Whether the two sets share a phrase.
    pub(crate) fn intersects(self, other: Phrases) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
}

/// A constant [`Phrases`] of literal phrases, checked at compile time.
macro_rules! phrases {
    ($($phrase:literal),+ $(,)?) => {
        const { $crate::phrase::Phrases::of(&[$($phrase),+]) }
    };
}
pub(crate) use phrases;

/// The phrases of each sentence, from the phrase matches of [`Lexicon::scan`]: every phrase that
/// lies inside the sentence's range.
///
/// [`Lexicon::scan`]: crate::Lexicon::scan
pub(crate) fn of_sentences(matches: &[Hit], sentences: &[Sentence]) -> Vec<Phrases> {
    let mut out = vec![Phrases::default(); sentences.len()];
    for m in matches {
        let s = sentences.partition_point(|s| s.end <= m.start);
        if let Some(sentence) = sentences.get(s)
            && sentence.start <= m.start
            && m.end <= sentence.end
        {
            out[s].insert(m.pattern);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_distinct_and_lower_case() {
        for (i, p) in PHRASES.iter().enumerate() {
            assert!(!p.is_empty() && !p.bytes().any(|b| b.is_ascii_uppercase()), "`{p}`");
            assert!(!PHRASES[..i].contains(p), "`{p}` is listed twice");
        }
    }

    #[test]
    fn sets_intersect_on_a_shared_phrase() {
        let a = phrases!("gutter", "fusion");
        assert!(a.intersects(phrases!("fusion")));
        assert!(!a.intersects(phrases!("lamina", "pll")));
    }
}
