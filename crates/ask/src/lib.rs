/*!
The coding assistant: answers spine-coding questions offline, from the knowledge base, the coding
rules and the CMS data, with citations.

# Brief overview

[`Assistant::ask`] reads a question and answers it in one of three ways, in this order:

1. **A structured answer** when the question has a shape the data can compute: comparing two
   codes, whether codes may be billed together (NCCI PTP rows, code-page denials and the edit
   catalogue), a Medicare price (national or a locality, through `interspace_pricing`), which
   code a technique takes (the glossary's words mapped to a code family by
   `data/techniques.toml`, companions read from the code pages), a modifier on a code (the RVU
   indicators), or a code's facts (global period, MUE, RVUs, validity). Figures are computed
   from the loaded tables when the question is asked; none is typed anywhere.
2. **Retrieval** (BM25 over FAQ entries, code-page summaries, glossary terms and the edit
   catalogue) when no shape fits and a passage clears the threshold. A question that is one of a
   code page's FAQ questions, or a close rewording, is always answered with that FAQ.
3. **An honest "not in the data"** otherwise: questions outside spine procedure coding, rates
   the loaded data does not hold (ASC, OPPS, other payers, years not loaded), unknown codes.

An [`Answer`] is plain text of one to eight sentences, the [`Citation`]s it rests on, its
[`AnswerKind`] and a [`Confidence`]. It serializes with serde for `/api/v1/ask`.

```
use std::sync::Arc;
use interspace_ask::{AnswerKind, Assistant};
use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;
use interspace_reference::Reference;

let reference = Reference::new(
    Arc::new(RefData::load_embedded().unwrap()),
    Arc::new(Knowledge::load_embedded().unwrap()),
);
let assistant = Assistant::new(&reference).unwrap();
let answer = assistant.ask("Is an XLIF coded 22558 or 22533?");
assert!(answer.text.contains("22558"));
assert_eq!(assistant.ask("What is the weather in Boston?").kind, AnswerKind::NotInData);
```
*/

mod bundling;
mod cite;
mod compare;
mod draft;
mod facts;
mod index;
mod modifier;
mod price;
mod question;
mod retrieve;
mod techniques;
mod text;

use interspace_knowledge::Knowledge;
use interspace_refdata::{Dataset, Hcpcs};
use interspace_reference::Reference;
use serde::{Deserialize, Serialize};

pub use cite::{Citation, CitationKind, faq_id};

use draft::Draft;
use index::Index;
use question::Question;
use techniques::Techniques;

/// The shape of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// Two codes side by side.
    Compare,
    /// Whether codes may be billed together.
    Bundling,
    /// A Medicare payment amount.
    Price,
    /// Which code(s) a procedure takes.
    WhichCode,
    /// What a modifier requires and whether it applies to a code.
    Modifier,
    /// Facts of one code: global period, MUE, RVUs, validity.
    CodeFacts,
    /// A passage of the knowledge base found by search.
    Retrieved,
    /// The knowledge base and data do not answer the question.
    NotInData,
}

/// How far the answer can be relied on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// An answer to one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub kind: AnswerKind,
    /// Plain text, one to eight sentences.
    pub text: String,
    pub citations: Vec<Citation>,
    pub confidence: Confidence,
}

impl Answer {
    /// Whether the answer cites an item of a kind with an id.
    pub fn cites(&self, kind: CitationKind, id: &str) -> bool {
        self.citations.iter().any(|c| c.kind == kind && c.id == id)
    }
}

/// Why an assistant cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("crates/ask/data/techniques.toml: {0}")]
    Techniques(String),
    #[error("no year of data is loaded")]
    NoData,
}

/// Answers coding questions from a [`Reference`] (knowledge base and CMS data), read-only.
pub struct Assistant {
    reference: Reference,
    index: Index,
    techniques: Techniques,
    modifier_codes: Vec<String>,
}

/// What every answering step reads.
pub(crate) struct Ctx<'a> {
    pub r: &'a Reference,
    pub k: &'a Knowledge,
    /// The default year's tables (edits, MUEs, RVUs unless the question names a year).
    pub d: &'a Dataset,
    pub q: &'a Question,
    pub index: &'a Index,
    pub techniques: &'a Techniques,
}

impl Ctx<'_> {
    /// The dataset for figures: the year the question names, or the default year.
    pub(crate) fn figures(&self) -> Result<&Dataset, Draft> {
        match self.q.year {
            None => Ok(self.d),
            Some(y) => self.r.data.year(y).map(|d| &**d).ok_or_else(|| {
                let years: Vec<String> = self.r.data.years().map(|y| y.to_string()).collect();
                Draft::not_in_data(
                    format!(
                        "There is no {y} data loaded, so the figures you ask about are not in the data: the loaded years are {}. \
                         Import that year's CMS files with `interspace data import --year {y} …` to answer it.",
                        text::list(&years)
                    ),
                    Confidence::High,
                )
            }),
        }
    }

    /// Whether a code is known to the knowledge base or the fee schedule.
    pub(crate) fn known(&self, code: Hcpcs) -> bool {
        self.k.code(code).is_some() || self.d.pfs.get(code).is_some() || self.k.deleted(code).is_some()
    }
}

impl Assistant {
    /// Builds the assistant: the search index over the knowledge base and the technique table.
    pub fn new(reference: &Reference) -> Result<Assistant, SetupError> {
        if reference.data.year(reference.data.default_year()).is_none() {
            return Err(SetupError::NoData);
        }
        let techniques = Techniques::load(&reference.knowledge).map_err(SetupError::Techniques)?;
        Ok(Assistant {
            index: Index::build(&reference.knowledge),
            modifier_codes: reference.knowledge.modifiers().iter().map(|m| m.code.as_str().to_string()).collect(),
            reference: reference.clone(),
            techniques,
        })
    }

    /// The longest question answered, in bytes; longer text (a pasted operative note) belongs to
    /// the analyzer, not the assistant.
    pub const MAX_QUESTION_BYTES: usize = 2000;

    /// Answers a question.
    pub fn ask(&self, question: &str) -> Answer {
        if question.len() > Self::MAX_QUESTION_BYTES {
            return Draft::not_in_data(
                format!(
                    "The question is too long to answer (more than {} characters): ask one question, or run the operative note through the analyzer.",
                    Self::MAX_QUESTION_BYTES
                ),
                Confidence::High,
            )
            .finish();
        }
        let r = &self.reference;
        let Some(d) = r.data.year(r.data.default_year()) else {
            return Draft::not_in_data("No CMS data is loaded.", Confidence::High).finish();
        };
        let gpci = d.gpci.clone();
        let is_locality = |s: &str| s.parse().is_ok_and(|id| gpci.get(&id).is_some());
        let q = Question::parse(question, &self.modifier_codes, &is_locality);
        let ctx = Ctx { r, k: &r.knowledge, d, q: &q, index: &self.index, techniques: &self.techniques };
        if q.content.is_empty() {
            return Draft::not_in_data(
                "The knowledge base does not answer this: ask about a spine code, technique, modifier, edit or Medicare rate.",
                Confidence::High,
            )
            .finish();
        }
        let strong = self.index.strong_faq(&q);
        let structured = structured(&ctx);
        match (strong, structured) {
            (Some((code, n)), Some(s)) if s.kind != AnswerKind::NotInData => retrieve::with_faq(&ctx, code, n, s),
            (Some((code, n)), _) => retrieve::faq_answer(&ctx, code, n, AnswerKind::Retrieved).finish(),
            (None, Some(s)) => s.finish(),
            (None, None) => retrieve::fallback(&ctx).finish(),
        }
    }
}

/// The structured answer for the question's shape, if it has one.
fn structured(ctx: &Ctx<'_>) -> Option<Draft> {
    let q = ctx.q;
    // Codes the data has never heard of.
    let unknown: Vec<Hcpcs> = q.codes.iter().map(|c| c.code).filter(|c| !ctx.known(*c)).collect();
    if !unknown.is_empty() {
        return Some(facts::unknown_codes(ctx, &unknown));
    }
    let codes = q.code_list();
    let techniques = ctx.techniques.matched(q);
    let modifiers = modifier::named(ctx);
    let price = q.wants_price() || q.facility_rate().is_some();
    if codes.is_empty()
        && let Some(d) = price::payment_inputs(ctx)
    {
        return Some(d);
    }
    // What a technique is, its inpatient coding, or whether it is paid alongside something:
    // passages of the knowledge base answer those, not a code line-up.
    if codes.is_empty()
        && modifiers.is_empty()
        && (q.wants_definition() || q.asks_yes_no_billing() || q.has_any(&["pcs", "icd-10-pcs", "drg", "ms-drg"]))
    {
        return None;
    }
    let shape = match codes.len() {
        0 if !techniques.is_empty() && price => price::answer(ctx, &techniques.primaries(q)),
        0 if !techniques.is_empty() && facts::asks_documentation(q) => match techniques.primaries(q).first() {
            Some(c) => facts::answer(ctx, *c),
            None => techniques::answer(ctx, &techniques, &[]),
        },
        0 if !techniques.is_empty() && !modifiers.is_empty() => {
            modifier::answer(ctx, techniques.primaries(q).first().copied(), &modifiers)
        }
        0 if !techniques.is_empty() => techniques::answer(ctx, &techniques, &[]),
        0 if !modifiers.is_empty() => modifier::answer(ctx, None, &modifiers),
        0 => techniques::family_overview(ctx)?,
        _ if price => price::answer(ctx, &codes),
        _ if !techniques.is_empty() && !q.wants_compare() && (codes.len() == 1 || q.codes_as_alternatives()) => {
            techniques::answer(ctx, &techniques, &codes)
        }
        1 if !modifiers.is_empty() => modifier::answer(ctx, Some(codes[0]), &modifiers),
        1 => facts::answer(ctx, codes[0]),
        2 if q.wants_compare() || q.codes_as_alternatives() => compare::answer(ctx, codes[0], codes[1]),
        _ => bundling::answer(ctx, &codes),
    };
    Some(shape)
}
