//! The scribe check: what a draft note needs before the surgeon signs it, for the codes it
//! supports. Missing documentation elements come from the same definitions as the code pages and
//! the analyzer's gaps (`documentation_elements.toml`); this module adds the contradictions a
//! reader would trip on.

use interspace_notes::Document;
use interspace_notes::findings::Findings;
use serde::Serialize;

use crate::report::{Evidence, GapView, Report};

/// The result of checking a draft note.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NoteCheck {
    /// The codes the note supports as written (`CODE[-MOD…][xUNITS]`).
    pub codes: Vec<String>,
    /// Documentation elements of those codes the note does not satisfy, with a sentence to add.
    pub missing: Vec<GapView>,
    /// Statements that contradict each other.
    pub conflicts: Vec<Conflict>,
    /// Nothing missing and nothing contradictory.
    pub ready_to_sign: bool,
}

/// Two statements of the note that cannot both be true.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Conflict {
    pub what: String,
    pub evidence: Vec<Evidence>,
    pub suggestion: String,
}

pub(crate) fn check(doc: &Document<'_>, f: &Findings, report: Report) -> NoteCheck {
    let mut conflicts = Vec::new();
    let quote = |spans: &[interspace_notes::Span]| -> Vec<Evidence> {
        let text = doc.text();
        spans
            .iter()
            .filter(|s| {
                s.start < s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
            })
            .map(|s| Evidence { start: s.start, end: s.end, text: text[s.start..s.end].to_string() })
            .collect()
    };
    if let Some(negated) = &f.instrumentation_negated
        && let Some(placed) = f.constructs.iter().find(|c| !c.inferred)
    {
        let mut ev = quote(negated);
        ev.extend(quote(&placed.evidence));
        conflicts.push(Conflict {
            what: "The note says no instrumentation was used, and also describes instrumentation being placed.".into(),
            evidence: ev,
            suggestion: "Keep one statement: either remove \"no instrumentation\" or correct the description of the screws and rods.".into(),
        });
    }
    let ready_to_sign = report.gaps.is_empty() && conflicts.is_empty();
    NoteCheck { codes: report.tokens(), missing: report.gaps, conflicts, ready_to_sign }
}
