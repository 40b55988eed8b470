/*!
The coder: from [`Findings`] to a coding proposal.

# Brief overview

[`code`] runs every [`Rule`] of [`rules::RULES`] over a note's findings. Each rule implements
one coding guideline (22633 instead of 22612 + 22630 at one interspace; instrumentation counted in
vertebral segments; a structural allograft spacer is 20931, not 22853; …), has a stable id, cites
its sources in `data/knowledge/sources.toml`, and adds [`ProposedLine`]s with the evidence spans
and a rationale. Modifier rules then adjust those lines (62, 50, XS, 78, RT/LT).

[`pcs::build`] derives ICD-10-PCS codes from the same findings and table axes, with the MS-DRG
families they group to, and [`documentation::gaps`] reports the documentation elements of the
proposed codes' pages that the note does not satisfy.

Every proposed code is checked against the year's RVU file: a rule can never invent a code.
*/

pub mod documentation;
pub mod pcs;
pub mod rules;

use interspace_knowledge::Knowledge;
use interspace_notes::Span;
use interspace_notes::findings::Findings;
use interspace_refdata::{Dataset, Hcpcs, Modifier};

pub use rules::{RULES, Rule};

/// How sure the coder is of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// The note names the procedure and its levels plainly.
    High,
    /// Read from indirect wording or inferred (e.g. a plate span from the fused levels).
    Medium,
    /// A guess the coder should confirm.
    Low,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// One proposed CPT line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposedLine {
    pub code: Hcpcs,
    pub modifiers: Vec<Modifier>,
    pub units: u32,
    /// The id of the rule that proposed it.
    pub rule: &'static str,
    /// Why, in a coder's words (levels, counts).
    pub rationale: String,
    pub evidence: Vec<Span>,
    pub confidence: Confidence,
}

impl ProposedLine {
    /// The `CODE[-MOD…][xUNITS]` form.
    pub fn token(&self) -> String {
        let mut s = self.code.to_string();
        for m in &self.modifiers {
            s.push('-');
            s.push_str(m.as_str());
        }
        if self.units != 1 {
            s.push_str(&format!("x{}", self.units));
        }
        s
    }
}

/// A message about the coding that is not a line (a code deliberately not proposed, a conflict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodingNote {
    pub rule: &'static str,
    pub message: String,
    pub evidence: Vec<Span>,
}

/// Everything the coder proposes for one note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proposal {
    pub lines: Vec<ProposedLine>,
    pub pcs: Vec<pcs::PcsCode>,
    pub gaps: Vec<documentation::Gap>,
    pub notes: Vec<CodingNote>,
}

/// What the rules read.
pub struct Input<'a> {
    pub findings: &'a Findings,
    pub data: &'a Dataset,
    pub knowledge: &'a Knowledge,
}

/// What the rules write.
#[derive(Default)]
pub struct Output {
    pub lines: Vec<ProposedLine>,
    pub notes: Vec<CodingNote>,
}

impl Output {
    /// Proposes a line. Codes are written by rules as literals; an unparsable one is a bug caught
    /// by the rules' tests.
    pub fn line(
        &mut self,
        code: &str,
        units: u32,
        rule: &'static str,
        rationale: impl Into<String>,
        evidence: &[Span],
        confidence: Confidence,
    ) {
        let Ok(code) = code.parse::<Hcpcs>() else { return };
        if units == 0 {
            return;
        }
        let mut evidence = evidence.to_vec();
        evidence.sort();
        evidence.dedup();
        self.lines.push(ProposedLine {
            code,
            modifiers: Vec::new(),
            units,
            rule,
            rationale: rationale.into(),
            evidence,
            confidence,
        });
    }

    pub fn note(&mut self, rule: &'static str, message: impl Into<String>, evidence: &[Span]) {
        self.notes.push(CodingNote { rule, message: message.into(), evidence: evidence.to_vec() });
    }

    pub fn has(&self, code: &str) -> bool {
        self.lines.iter().any(|l| l.code.as_str() == code)
    }

    pub fn get_mut(&mut self, code: &str) -> Option<&mut ProposedLine> {
        self.lines.iter_mut().find(|l| l.code.as_str() == code)
    }

    /// Adds a modifier to a line once.
    pub fn add_modifier(&mut self, code: &str, m: &str) {
        if let (Some(l), Ok(m)) = (self.get_mut(code), Modifier::parse(m))
            && !l.modifiers.contains(&m)
        {
            l.modifiers.push(m);
        }
    }

    pub fn remove(&mut self, code: &str) {
        self.lines.retain(|l| l.code.as_str() != code);
    }
}

/// Codes one note's findings.
pub fn code(findings: &Findings, data: &Dataset, knowledge: &Knowledge) -> Proposal {
    let input = Input { findings, data, knowledge };
    let mut out = Output::default();
    for rule in RULES {
        (rule.apply)(&input, &mut out);
    }
    // Never propose a code the year's data does not know.
    let mut notes = std::mem::take(&mut out.notes);
    out.lines.retain(|l| {
        let known = data.pfs.get(l.code).is_some();
        if !known {
            notes.push(CodingNote {
                rule: l.rule,
                message: format!("{} is not in the {} RVU file and was not proposed", l.code, data.year),
                evidence: l.evidence.clone(),
            });
        }
        known
    });
    let pcs = pcs::build(findings, data);
    let gaps = documentation::gaps(findings, &out.lines, knowledge);
    Proposal { lines: out.lines, pcs, gaps, notes }
}
