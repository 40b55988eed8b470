/*!
The claim scrubber: why a spine claim would be denied or underpaid, before it is sent.

# Brief overview

[`scrub`] runs every [`Edit`] of [`EDITS`] over a [`Claim`] and prices what survives. Each edit
lives in its own file under `edits/`, named by the stable id of the edit catalogue
(`data/knowledge/edits.toml`: PTP001, MUE002, SPN005, …), and cites what it implements: an NCCI
row, an RVU indicator, a CPT guideline, a CMS manual section. The catalogue supplies each hit's
severity, the fix and the sources; the edit supplies the specific message and what it denies.

The result is a [`Scrub`]: the [`Hit`]s, most severe first, and the claim priced after the edits
(denied lines at zero, excess units cut), with the data versions used.
*/

mod check;
mod edits;

use interspace_claim::Claim;
use interspace_knowledge::{Knowledge, Severity};
use interspace_pricing::{PriceError, PriceRequest, PricedClaim, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, RefData, TableKind};
use serde::Serialize;

pub use check::Check;
pub use edits::{EDITS, Edit};

/// What an edit does to the claim's payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Informs only.
    None,
    /// The line is denied.
    DenyLine { line: usize },
    /// Units of the line beyond `allowed_units` are denied.
    DenyUnits { line: usize, allowed_units: u32 },
}

/// One edit firing on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The catalogue id, e.g. `PTP002`.
    pub edit: &'static str,
    pub severity: Severity,
    /// 0-based indexes of the claim lines involved.
    pub lines: Vec<usize>,
    /// The code or diagnosis the edit is about (the denied column-two code, the add-on, …).
    pub subject: String,
    /// What is wrong on this claim, in a coder's words.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Source ids of the catalogue and the data rows used (`ncci_ptp.csv line 812`).
    pub sources: Vec<String>,
    pub effect: Effect,
}

/// An edit's finding before the catalogue fills in severity, fix and sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub lines: Vec<usize>,
    pub subject: String,
    pub message: String,
    /// Data rows and documents cited besides the catalogue's sources.
    pub cites: Vec<String>,
    pub effect: Effect,
}

/// How a line fares after the edits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineOutcome {
    pub line: usize,
    pub token: String,
    /// Units paid after the edits.
    pub paid_units: u32,
    /// Ids of the edits that touch this line.
    pub edits: Vec<&'static str>,
}

/// The scrubbed claim.
#[derive(Debug)]
pub struct Scrub {
    pub claim_id: String,
    pub year: i16,
    pub hits: Vec<Hit>,
    pub lines: Vec<LineOutcome>,
    /// The payment after the edits; `None` when no line is left to price.
    pub priced: Option<PricedClaim>,
    /// Caveats of the data used (PTP quarter, inherited tables).
    pub caveats: Vec<String>,
}

impl Scrub {
    /// Whether an error-severity edit fired (the CLI's exit code 1).
    pub fn has_errors(&self) -> bool {
        self.hits.iter().any(|h| h.severity == Severity::Error)
    }
}

/// Why a claim could not be scrubbed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScrubError {
    UnknownYear { claim: String, year: i16, years: Vec<i16> },
    Price(String),
}

impl std::fmt::Display for ScrubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScrubError::UnknownYear { claim, year, years } => write!(
                f,
                "claim {claim}: no CMS data for dates of service in {year}; loaded years: {} (import the year with `interspace data import --year {year}`)",
                years.iter().map(i16::to_string).collect::<Vec<_>>().join(", ")
            ),
            ScrubError::Price(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ScrubError {}

/// Runs every edit over the claim and prices the result under the Medicare physician fee schedule.
pub fn scrub(claim: &Claim, data: &RefData, knowledge: &Knowledge, apm: ApmStatus) -> Result<Scrub, ScrubError> {
    let year = claim.lines.iter().map(|l| l.date_of_service.year()).min().unwrap_or_else(|| data.default_year());
    let dataset = data.year(year).ok_or_else(|| ScrubError::UnknownYear {
        claim: claim.id.clone(),
        year,
        years: data.years().collect(),
    })?;
    let check = Check::new(claim, dataset, knowledge);
    let mut hits = Vec::new();
    for edit in EDITS {
        let Some(info) = knowledge.edit(edit.id) else { continue };
        for f in (edit.run)(&check) {
            let mut sources = info.sources.clone();
            sources.extend(f.cites);
            hits.push(Hit {
                edit: edit.id,
                severity: info.severity,
                lines: f.lines,
                subject: f.subject,
                message: f.message,
                fix: info.fix.clone(),
                sources,
                effect: f.effect,
            });
        }
    }
    hits.sort_by_key(|h| (severity_rank(h.severity), h.lines.first().copied().unwrap_or(usize::MAX)));

    let mut paid: Vec<u32> = claim.lines.iter().map(|l| l.units).collect();
    for h in &hits {
        match h.effect {
            Effect::None => {}
            Effect::DenyLine { line } => paid[line] = 0,
            Effect::DenyUnits { line, allowed_units } => paid[line] = paid[line].min(allowed_units),
        }
    }
    let lines: Vec<LineOutcome> = claim
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineOutcome {
            line: i,
            token: l.token(),
            paid_units: paid[i],
            edits: hits.iter().filter(|h| h.lines.contains(&i)).map(|h| h.edit).collect(),
        })
        .collect();
    let request = PriceRequest {
        lines: claim
            .lines
            .iter()
            .zip(&paid)
            .filter(|(_, u)| **u > 0)
            .map(|(l, u)| ServiceLine { code: l.code, modifiers: l.modifiers.clone(), units: *u })
            .collect(),
        locality: claim.locality.clone(),
        setting: match claim.place_of_service.as_deref() {
            Some("11") => Setting::NonFacility,
            _ => Setting::Facility,
        },
        apm,
    };
    let priced = if request.lines.is_empty() {
        None
    } else {
        Some(interspace_pricing::price(dataset, &request).map_err(|e| match e {
            PriceError::UnknownLocality { id, suggestions } => ScrubError::Price(format!(
                "claim {}: unknown locality `{id}`{}",
                claim.id,
                if suggestions.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", suggestions.join(", "))
                }
            )),
        })?)
    };
    let mut caveats = dataset.caveats_for(&[
        TableKind::PfsRvu,
        TableKind::ConversionFactors,
        TableKind::Gpci,
        TableKind::NcciPtp,
        TableKind::NcciMue,
        TableKind::NcciAoc,
        TableKind::Icd10cm,
    ]);
    for l in &claim.lines {
        if dataset.pfs.get(l.code).is_none() && !interspace_refdata::import::is_spine_code(l.code) {
            caveats.push(format!(
                "{} is outside the spine-family extract of the fee schedule: its price and payment indicators are not checked (import the full RVU file with `interspace data import --pfs FILE --all-codes`)",
                l.code
            ));
        }
    }
    caveats.dedup();
    Ok(Scrub { claim_id: claim.id.clone(), year, hits, lines, priced, caveats })
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}
