//! Citations: what an answer rests on, by kind and id, with a line of detail.

use interspace_coding::Rule;
use interspace_knowledge::{CodeEntry, EditInfo, Faq, Source, Term};
use interspace_refdata::{AddOnEdit, Dataset, Hcpcs, Locality, Mue, PtpEdit, RvuRow, TableKind};
use serde::{Deserialize, Serialize};

/// What a citation points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    /// A code page of the knowledge base (`id` is the code).
    CodePage,
    /// A glossary entry (`id` is its slug).
    Term,
    /// One FAQ entry of a code page (`id` is `CODE/faq/N`, N from 1).
    Faq,
    /// An edit of the claim scrubber's catalogue (`id` is e.g. `SPN001`).
    Edit,
    /// An NCCI procedure-to-procedure row (`id` is `COLUMN1/COLUMN2`).
    PtpRow,
    /// An NCCI medically unlikely edit row (`id` is the code).
    MueRow,
    /// An NCCI add-on code edit (`id` is the add-on code).
    AocRow,
    /// A row of the PFS relative value file (`id` is the code).
    RvuRow,
    /// A payment locality's GPCIs (`id` is `MAC-LOC`).
    GpciRow,
    /// An entry of the bibliography (`id` is e.g. `S11`).
    Source,
    /// A coding rule of the analyzer (`id` is e.g. `ARTH002`).
    Rule,
}

/// One thing an answer rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub kind: CitationKind,
    pub id: String,
    /// A line saying what the cited item holds.
    pub detail: String,
}

impl Citation {
    pub(crate) fn new(kind: CitationKind, id: impl Into<String>, detail: impl Into<String>) -> Citation {
        Citation { kind, id: id.into(), detail: detail.into() }
    }

    pub(crate) fn code_page(e: &CodeEntry) -> Citation {
        Citation::new(CitationKind::CodePage, e.code.as_str(), e.name.clone())
    }

    pub(crate) fn faq(code: Hcpcs, n: usize, f: &Faq) -> Citation {
        Citation::new(CitationKind::Faq, faq_id(code, n), f.question.clone())
    }

    pub(crate) fn term(t: &Term) -> Citation {
        let title = t.expansion.as_ref().map_or_else(|| t.term.clone(), |e| format!("{} ({e})", t.term));
        Citation::new(CitationKind::Term, t.slug.clone(), title)
    }

    pub(crate) fn edit(e: &EditInfo) -> Citation {
        Citation::new(CitationKind::Edit, e.id.clone(), format!("{}: {}", e.name, e.summary))
    }

    pub(crate) fn source(s: &Source) -> Citation {
        Citation::new(CitationKind::Source, s.id.clone(), s.title.clone())
    }

    pub(crate) fn rule(r: &Rule) -> Citation {
        Citation::new(CitationKind::Rule, r.id, format!("{}: {}", r.name, r.guideline))
    }

    pub(crate) fn ptp(d: &Dataset, e: &PtpEdit) -> Citation {
        Citation::new(
            CitationKind::PtpRow,
            format!("{}/{}", e.column1, e.column2),
            format!(
                "{}, line {}: column one {}, column two {}, modifier indicator {}{}{}",
                version(d, TableKind::NcciPtp),
                e.line,
                e.column1,
                e.column2,
                e.modifier.code(),
                e.deleted.map(|x| format!(", deleted {x}")).unwrap_or_default(),
                if e.rationale.is_empty() { String::new() } else { format!(" ({})", e.rationale) }
            ),
        )
    }

    pub(crate) fn mue(d: &Dataset, m: &Mue) -> Citation {
        Citation::new(
            CitationKind::MueRow,
            m.hcpcs.as_str(),
            format!(
                "{}, line {}: {} unit(s), adjudication indicator {} ({})",
                version(d, TableKind::NcciMue),
                m.line,
                m.units,
                m.adjudication.code(),
                m.rationale
            ),
        )
    }

    pub(crate) fn aoc(d: &Dataset, a: &AddOnEdit) -> Citation {
        let primaries = a.primaries.iter().map(Hcpcs::to_string).collect::<Vec<_>>().join(", ");
        Citation::new(
            CitationKind::AocRow,
            a.add_on.as_str(),
            format!(
                "{}: edit type {}, primaries {}",
                version(d, TableKind::NcciAoc),
                a.kind.code(),
                if primaries.is_empty() { "set by the contractor".to_string() } else { primaries }
            ),
        )
    }

    pub(crate) fn rvu(d: &Dataset, row: &RvuRow) -> Citation {
        Citation::new(
            CitationKind::RvuRow,
            row.hcpcs.as_str(),
            format!(
                "{}: status {}, work {}, facility total {}, non-facility total {}, global {}",
                version(d, TableKind::PfsRvu),
                row.status,
                row.work,
                row.total_facility,
                row.total_nonfacility,
                row.global
            ),
        )
    }

    pub(crate) fn gpci(d: &Dataset, l: &Locality) -> Citation {
        Citation::new(
            CitationKind::GpciRow,
            l.id.to_string(),
            format!(
                "{}: {} ({}), work {}, PE {}, MP {}",
                version(d, TableKind::Gpci),
                l.name,
                l.state,
                l.work,
                l.pe,
                l.mp
            ),
        )
    }
}

/// The id of a code page's `n`th FAQ (0-based `n`): `22586/faq/1` for the first.
pub fn faq_id(code: Hcpcs, n: usize) -> String {
    format!("{code}/faq/{}", n + 1)
}

/// A table's version as the manifest names it.
pub(crate) fn version(d: &Dataset, kind: TableKind) -> String {
    d.table(kind).map_or_else(|| kind.name().to_string(), |t| t.version.clone())
}
