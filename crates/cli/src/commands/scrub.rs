//! `interspace scrub`: the edits a claim would hit, and its payment after them.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use interspace_claim::Claim;
use interspace_edits::{Effect, Hit, Scrub};
use interspace_knowledge::Severity;
use interspace_refdata::ApmStatus;
use serde::Serialize;

use crate::args::ScrubArgs;
use crate::output::{item, json, money, text, wrap};
use crate::{Outcome, UserError};

/// Claim files above this size are refused (an 837P batch of thousands of claims fits).
const MAX_CLAIM_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Reads every claim of a file, telling the format from the content: an ISA envelope is X12 837P,
/// a FHIR `Claim` or `Bundle` is FHIR R4, any other JSON is Interspace's claim schema.
pub(crate) fn read_claims(path: &Path) -> Result<Vec<Claim>> {
    let size =
        std::fs::metadata(path).map_err(|e| UserError::new(format!("cannot read `{}`: {e}", path.display())))?.len();
    if size > MAX_CLAIM_FILE_BYTES {
        return Err(UserError::new(format!(
            "`{}` is {size} bytes; claim files are limited to {MAX_CLAIM_FILE_BYTES} bytes",
            path.display()
        ))
        .hint("split the file into smaller batches")
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| UserError::new(format!("cannot read `{}`: {e}", path.display())))?;
    let formats = "claims are read as UTF-8: X12 837P, FHIR JSON or the JSON claim schema";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(UserError::new(format!("`{}` is UTF-16 text; claim files must be UTF-8", path.display()))
            .hint(formats)
            .into());
    }
    if let Some(order) = interspace_formats::note::utf16_without_bom(&bytes) {
        return Err(UserError::new(format!(
            "`{}` is UTF-16 ({order}) without a byte-order mark; claim files must be UTF-8",
            path.display()
        ))
        .hint(formats)
        .into());
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(UserError::new(format!(
            "`{}` is binary (a NUL byte at offset {at}), not a claim file",
            path.display()
        ))
        .hint(formats)
        .into());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        UserError::new(format!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .hint(formats)
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(UserError::new(format!("`{}` is empty: there is no claim to scrub", path.display()))
            .hint(formats)
            .into());
    }
    let (format, result) = if interspace_formats::x12::looks_like_x12(text) {
        ("X12 837P", interspace_formats::x12::read_837p(text))
    } else if interspace_formats::fhir::looks_like_fhir_claim(text) {
        ("FHIR Claim", interspace_formats::fhir::read_claims(text))
    } else {
        ("JSON claim", interspace_claim::from_json(text))
    };
    result.map_err(|errors| {
        // The first problem on the error line, with its place; any others below it.
        let first = errors.0.first().map(ToString::to_string).unwrap_or_default();
        let mut message = format!("`{}` ({format}) {first}", path.display());
        if errors.0.len() > 1 {
            let _ = write!(message, "\n  and {} more problem(s):", errors.0.len() - 1);
            for e in &errors.0[1..] {
                let _ = write!(message, "\n  {e}");
            }
        }
        let mut e = UserError::new(message);
        if format == "JSON claim" {
            e = e.hint("the JSON claim schema is described in docs/claim-schema.md");
        }
        e.into()
    })
}

#[derive(Serialize)]
struct ScrubJson<'a> {
    claim_id: &'a str,
    year: i16,
    errors: usize,
    warnings: usize,
    hits: &'a [Hit],
    lines: &'a [interspace_edits::LineOutcome],
    priced: Option<super::price::ClaimJson<'a>>,
    caveats: &'a [String],
}

fn to_json(s: &Scrub) -> ScrubJson<'_> {
    ScrubJson {
        claim_id: &s.claim_id,
        year: s.year,
        errors: s.hits.iter().filter(|h| h.severity == Severity::Error).count(),
        warnings: s.hits.iter().filter(|h| h.severity == Severity::Warning).count(),
        hits: &s.hits,
        lines: &s.lines,
        priced: s.priced.as_ref().map(super::price::to_json),
        caveats: &s.caveats,
    }
}

pub(crate) fn run(engine: impl FnOnce() -> Result<interspace_engine::Engine>, args: &ScrubArgs) -> Result<Outcome> {
    // Every file is read (and refused if it cannot be) before the reference data is loaded.
    let files = args.claims.iter().map(|p| read_claims(p)).collect::<Result<Vec<_>>>()?;
    let engine = engine()?;
    let mut scrubs = Vec::new();
    for claims in files {
        for mut claim in claims {
            if let Some(date) = args.date {
                for l in &mut claim.lines {
                    l.date_of_service = date;
                }
            }
            let apm = if args.apm { ApmStatus::Qualifying } else { ApmStatus::NonQualifying };
            let s = interspace_edits::scrub(&claim, engine.data(), engine.knowledge(), apm)
                .map_err(|e| UserError::new(e.to_string()))?;
            scrubs.push(s);
        }
    }
    let failed = scrubs.iter().any(Scrub::has_errors);
    if args.json {
        let all: Vec<ScrubJson<'_>> = scrubs.iter().map(to_json).collect();
        json(&all)?;
    } else {
        let mut o = String::new();
        for s in &scrubs {
            render(&mut o, s);
        }
        text(&o)?;
    }
    Ok(if failed { Outcome::Findings } else { Outcome::Ok })
}

fn render(o: &mut String, s: &Scrub) {
    let errors = s.hits.iter().filter(|h| h.severity == Severity::Error).count();
    let warnings = s.hits.iter().filter(|h| h.severity == Severity::Warning).count();
    let _ = writeln!(o, "claim {} — {} · {errors} error(s), {warnings} warning(s)\n", s.claim_id, s.year);
    for h in &s.hits {
        let label = match h.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let effect = match h.effect {
            Effect::None => String::new(),
            Effect::DenyLine { line } => format!(" · line {} denied", line + 1),
            Effect::DenyUnits { line, allowed_units } => format!(" · line {} cut to {allowed_units} unit(s)", line + 1),
        };
        let _ = writeln!(o, "  {label}[{}] {}{effect}", h.edit, h.subject);
        o.push_str(&wrap(&h.message, 4, 100));
        o.push_str(&wrap(&format!("fix: {}", h.fix), 4, 100));
        o.push_str(&wrap(&format!("source: {}", h.sources.join("; ")), 4, 100));
    }
    if s.hits.is_empty() {
        let _ = writeln!(o, "  no edits fired");
    }
    let _ = writeln!(o);
    match &s.priced {
        Some(p) => o.push_str(&super::price::render(p)),
        None => {
            let _ = writeln!(o, "  every line is denied: nothing to price");
        }
    }
    let denied: Vec<String> = s
        .lines
        .iter()
        .filter(|l| l.paid_units == 0)
        .map(|l| {
            let by: Vec<&str> = s
                .hits
                .iter()
                .filter(|h| matches!(h.effect, Effect::DenyLine { line } | Effect::DenyUnits { line, .. } if line == l.line))
                .map(|h| h.edit)
                .collect();
            format!("{} (line {}) denied by {}: {}", l.token, l.line + 1, by.join(", "), money(rust_decimal::Decimal::ZERO))
        })
        .collect();
    for d in denied {
        o.push_str(&item(&d, 2, 96));
    }
    for c in &s.caveats {
        if !o.contains(c.as_str()) {
            o.push_str(&item(c, 2, 96));
        }
    }
    let _ = writeln!(o);
}
