/*!
The text layer of the operative-note analyzer.

# Brief overview

[`Document::parse`] turns a note into sections (PREOPERATIVE DIAGNOSIS, PROCEDURES PERFORMED,
DESCRIPTION OF PROCEDURE, …), sentences, vertebral [`LevelRef`]s from the level grammar, and
[`Concept`] mentions found by an Aho-Corasick matcher over the vocabulary in
`data/knowledge/vocabulary.toml`, each marked by the ConText rules of
`data/knowledge/context_rules.toml` (negated, hypothetical, historical, removed, aborted, other
surgeon). [`findings`] then builds the procedure model — fusions per interspace, decompressions,
constructs, devices, grafts, adjuncts — with the evidence spans that support each fact.

Nothing here does I/O, and nothing fails: any input, however odd, gives a (possibly empty) result,
and every span lies inside the input on character boundaries.
*/

mod bytes;
mod concept;
mod document;
pub mod findings;
mod header_trie;
mod level;
mod lexicon;
mod phrase;
mod text;
mod walk_table;

pub use concept::Concept;
pub use document::{ConceptHit, Context, Document, LevelHit, Section, Sentence};
pub use level::{Interspace, LevelMention, LevelRef, Region, Vertebra, scan as scan_levels};
pub use lexicon::{
    ContextCategory, ContextRule, Direction, Hit, Lexicon, LexiconError, Matches, RuleExample, SectionKind,
};
pub use text::Span;
