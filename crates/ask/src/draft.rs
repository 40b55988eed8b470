//! An answer being written: parts in reading order, each with the citations behind it, cut to
//! at most eight sentences when finished.

use crate::cite::{Citation, CitationKind};
use crate::text::{CodeMentions, sentence_count};
use crate::{Answer, AnswerKind, Confidence};

/// The most sentences an answer has.
pub(crate) const MAX_SENTENCES: usize = 8;

/// How much a part matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rank {
    /// The answer itself: always kept.
    Lead,
    /// A figure or row from the data: kept when there is room, and kept beside an FAQ answer.
    Fact,
    /// Supporting words: kept when there is room.
    Extra,
}

#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub text: String,
    pub cites: Vec<Citation>,
    pub rank: Rank,
}

#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub kind: AnswerKind,
    pub parts: Vec<Part>,
    /// Citations of the whole answer (code pages of the codes discussed…).
    pub cites: Vec<Citation>,
    pub confidence: Confidence,
}

impl Draft {
    pub(crate) fn new(kind: AnswerKind, confidence: Confidence) -> Draft {
        Draft { kind, parts: Vec::new(), cites: Vec::new(), confidence }
    }

    /// A "not in the data" answer.
    pub(crate) fn not_in_data(text: impl Into<String>, confidence: Confidence) -> Draft {
        let mut d = Draft::new(AnswerKind::NotInData, confidence);
        d.lead(text, Vec::new());
        d
    }

    pub(crate) fn push(&mut self, rank: Rank, text: impl Into<String>, cites: Vec<Citation>) {
        let text = text.into();
        if text.trim().is_empty() || self.parts.iter().any(|p| p.text == text) {
            return;
        }
        self.parts.push(Part { text, cites, rank });
    }

    pub(crate) fn lead(&mut self, text: impl Into<String>, cites: Vec<Citation>) {
        self.push(Rank::Lead, text, cites);
    }

    pub(crate) fn fact(&mut self, text: impl Into<String>, cites: Vec<Citation>) {
        self.push(Rank::Fact, text, cites);
    }

    pub(crate) fn extra(&mut self, text: impl Into<String>, cites: Vec<Citation>) {
        self.push(Rank::Extra, text, cites);
    }

    pub(crate) fn cite(&mut self, c: Citation) {
        self.cites.push(c);
    }

    /// Whether the draft already says something.
    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Keeps the lead parts, then the others in reading order while they fit in eight sentences;
    /// keeps the citations of the kept parts, and of the whole answer those whose codes the text
    /// names.
    pub(crate) fn finish(self) -> Answer {
        let mut keep = vec![false; self.parts.len()];
        let mut used = 0;
        for (i, p) in self.parts.iter().enumerate() {
            if p.rank == Rank::Lead {
                let n = sentence_count(&p.text);
                if used == 0 || used + n <= MAX_SENTENCES {
                    keep[i] = true;
                    used += n;
                }
            }
        }
        for rank in [Rank::Fact, Rank::Extra] {
            for (i, p) in self.parts.iter().enumerate() {
                if p.rank == rank {
                    let n = sentence_count(&p.text);
                    if used + n <= MAX_SENTENCES {
                        keep[i] = true;
                        used += n;
                    }
                }
            }
        }
        let kept: Vec<&Part> = self.parts.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| p).collect();
        let mut text = kept.iter().map(|p| p.text.trim()).collect::<Vec<_>>().join(" ");
        if sentence_count(&text) > MAX_SENTENCES {
            text = crate::text::first_sentences(&text, MAX_SENTENCES);
        }
        let named = CodeMentions::of(&text);
        let mut citations: Vec<Citation> = Vec::new();
        let whole = self.cites.into_iter().filter(|c| cited_codes_named(c, &named));
        for c in kept.iter().flat_map(|p| p.cites.iter().cloned()).chain(whole) {
            if !citations.iter().any(|x| x.kind == c.kind && x.id == c.id) {
                citations.push(c);
            }
        }
        Answer { kind: self.kind, text, citations, confidence: self.confidence }
    }
}

/// Whether every code a code-keyed citation points at is named in the text (other citations
/// always pass).
fn cited_codes_named(c: &Citation, named: &CodeMentions) -> bool {
    match c.kind {
        CitationKind::CodePage | CitationKind::RvuRow | CitationKind::MueRow | CitationKind::AocRow => {
            c.id.parse().is_ok_and(|code| named.contains(code))
        }
        CitationKind::PtpRow => c.id.split('/').all(|x| x.parse().is_ok_and(|code| named.contains(code))),
        _ => true,
    }
}
