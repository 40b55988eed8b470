//! `interspace analyze`: code operative notes.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use interspace_engine::{Engine, Options, Report};

use crate::args::{AnalyzeArgs, FormatArg};
use crate::output::{item, json, money, text, wrap};
use crate::{Outcome, UserError};

/// Note files named on the command line, folders expanded (sorted, notes only).
pub(crate) fn note_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| UserError::new(format!("cannot read folder `{}`: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && matches!(f.extension().and_then(|x| x.to_str()), Some("txt" | "json" | "hl7" | "note"))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(
                    UserError::new(format!("folder `{}` holds no notes (.txt, .json, .hl7)", p.display())).into()
                );
            }
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(UserError::new(format!("`{}` does not exist", p.display()))
                .hint("give note files or folders of notes")
                .into());
        }
    }
    Ok(out)
}

/// Reads a note file: plain text, FHIR DocumentReference or HL7v2 MDM, told from the content.
pub(crate) fn read_note(path: &Path) -> Result<String> {
    let cannot = |e: std::io::Error| UserError::new(format!("cannot read `{}`: {e}", path.display()));
    // Refuse an oversized file before reading it into memory.
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    let limit = interspace_formats::note::MAX_NOTE_BYTES;
    if size > limit as u64 {
        return Err(UserError::new(format!(
            "`{}` is {size} bytes; notes are limited to {limit} bytes",
            path.display()
        ))
        .hint("an operative note is a few kilobytes: check that this is the note file")
        .into());
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    interspace_formats::note::read(&bytes)
        .map(|n| n.text)
        .map_err(|e| UserError::new(format!("`{}` {}", path.display(), e.message)).into())
}

pub(crate) fn options(args: &AnalyzeArgs) -> Result<Options> {
    let locality = match &args.pricing.locality {
        None => None,
        Some(l) => Some(l.parse().map_err(|e: String| UserError::new(e).hint("e.g. 10112-00 (Alabama)"))?),
    };
    Ok(Options { year: args.pricing.year, locality, nonfacility: args.nonfacility, apm: args.pricing.apm })
}

pub(crate) fn run(engine: impl FnOnce() -> Result<Engine>, args: &AnalyzeArgs) -> Result<Outcome> {
    let files = note_files(&args.inputs)?;
    let opts = options(args)?;
    let format = if args.json { FormatArg::Json } else { args.format };
    let notes = files.iter().map(|f| read_note(f)).collect::<Result<Vec<_>>>()?;
    let engine = engine()?;
    let mut reports = Vec::with_capacity(files.len());
    let progress = crate::output::progress(files.len() as u64, "analyzing");
    for (f, note) in files.iter().zip(notes) {
        let report = engine.analyze(&note, &opts).map_err(|e| UserError::new(e.to_string()))?;
        reports.push((f.clone(), note, report));
        progress.inc(1);
    }
    progress.finish_and_clear();
    match format {
        FormatArg::Json => {
            #[derive(serde::Serialize)]
            struct Entry<'a> {
                file: String,
                #[serde(flatten)]
                report: &'a Report,
            }
            let entries: Vec<Entry<'_>> =
                reports.iter().map(|(f, _, r)| Entry { file: f.display().to_string(), report: r }).collect();
            if entries.len() == 1 { json(&entries[0])? } else { json(&entries)? }
        }
        FormatArg::Fhir => {
            let bundles: Vec<serde_json::Value> = reports.iter().map(|(f, _, r)| claim_bundle(f, r)).collect();
            if bundles.len() == 1 { json(&bundles[0])? } else { json(&bundles)? }
        }
        FormatArg::Text => {
            let mut o = String::new();
            for (f, _, r) in &reports {
                o.push_str(&render(&f.display().to_string(), r));
                o.push('\n');
            }
            text(&o)?;
        }
    }
    Ok(Outcome::Ok)
}

/// The report as a coder reads it.
pub(crate) fn render(name: &str, r: &Report) -> String {
    let mut o = String::new();
    let place = r.price.locality.clone().unwrap_or_else(|| "national".into());
    let _ = writeln!(o, "{name} — {} · {place} · {}", r.year, r.price.setting);
    let _ = writeln!(o, "\nCPT lines");
    if r.lines.is_empty() {
        let _ = writeln!(o, "  (none: the note describes no codable spine procedure)");
    }
    for (l, p) in r.lines.iter().zip(&r.price.lines) {
        let _ = writeln!(
            o,
            "  {:<14} {:>12}  {} [{} {}]",
            l.token,
            money(p.allowed),
            l.name.as_deref().unwrap_or(""),
            l.rule,
            l.confidence
        );
        o.push_str(&wrap(&l.rationale, 18, 100));
        let quotes: Vec<String> = l
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("“{}”", e.text.split_whitespace().collect::<Vec<_>>().join(" ")))
            .collect();
        if !quotes.is_empty() {
            o.push_str(&wrap(&quotes.join(" · "), 18, 100));
        }
        if let Some(n) = &p.not_paid {
            o.push_str(&wrap(&format!("not paid: {n}"), 18, 100));
        }
    }
    let _ = writeln!(
        o,
        "  {:<14} {:>12}  Medicare physician fee schedule, CF {}",
        "total",
        money(r.price.total),
        r.price.conversion_factor
    );
    if !r.pcs.is_empty() {
        let _ = writeln!(o, "\nICD-10-PCS (inpatient)");
        for p in &r.pcs {
            let _ = writeln!(o, "  {}  {}{}", p.code, p.title, if p.verify { "  [verify]" } else { "" });
            o.push_str(&wrap(&p.rationale, 11, 100));
            if !p.drg_families.is_empty() {
                o.push_str(&wrap(&format!("MS-DRG families: {}", p.drg_families.join("; ")), 11, 100));
            }
        }
    }
    if r.gaps.is_empty() {
        let _ = writeln!(o, "\nDocumentation gaps: none — every documentation element of the proposed codes is met");
    } else {
        let _ = writeln!(o, "\nDocumentation gaps");
        for g in &r.gaps {
            let codes = if g.codes.is_empty() { String::new() } else { format!(" [{}]", g.codes.join(" ")) };
            o.push_str(&item(&format!("{}{codes}", g.label), 2, 100));
            o.push_str(&wrap(&format!("add: {}", g.template), 4, 100));
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(o, "\nCoder notes");
        for n in &r.notes {
            o.push_str(&item(&format!("{} ({})", n.message, n.rule), 2, 100));
        }
    }
    o
}

/// The proposal as a FHIR R4 Claim bundle.
fn claim_bundle(file: &Path, r: &Report) -> serde_json::Value {
    let id = file.file_stem().and_then(|s| s.to_str()).unwrap_or("note").to_string();
    let out = interspace_formats::fhir::ClaimOut {
        id,
        created: format!("{}-01-01", r.year),
        lines: r
            .lines
            .iter()
            .zip(&r.price.lines)
            .map(|(l, p)| interspace_formats::fhir::LineOut {
                code: l.code.clone(),
                modifiers: l.modifiers.clone(),
                units: l.units,
                amount: Some(p.allowed.to_string()),
            })
            .collect(),
        diagnoses: Vec::new(),
        pcs: r.pcs.iter().map(|p| p.code.clone()).collect(),
        total: Some(r.price.total.to_string()),
    };
    interspace_formats::fhir::claim_bundle(&out)
}
