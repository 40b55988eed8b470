//! `interspace eval`: the analyzer scored against gold codes.
//!
//! Codes are compared as multisets of code × unit (22853x2 counts two): micro precision, recall
//! and F1 over all notes, modifiers ignored for F1 and scored separately (the share of codes
//! found in both whose modifier sets agree). A note is an exact match when its code × unit
//! multiset equals the gold's. Invented codes are proposed codes absent from the RVU file.

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::Result;
use interspace_engine::{Engine, Options};
use serde::Serialize;

use crate::args::EvalArgs;
use crate::output::{json, text};
use crate::{Outcome, UserError};

/// A code token split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    code: String,
    modifiers: Vec<String>,
    units: u32,
}

fn parse_token(t: &str) -> Option<Token> {
    let (body, units) = match t.rsplit_once(['x', 'X']) {
        Some((b, u)) if !u.is_empty() && u.bytes().all(|c| c.is_ascii_digit()) => (b, u.parse().ok()?),
        _ => (t, 1),
    };
    if units == 0 {
        return None;
    }
    let mut parts = body.split('-');
    let code = parts.next()?.trim().to_ascii_uppercase();
    // Five characters of a shape some code set uses (not `ABCDE`).
    interspace_refdata::Hcpcs::parse(&code).ok()?.kind()?;
    let mut modifiers: Vec<String> = parts.map(|m| m.trim().to_ascii_uppercase()).filter(|m| !m.is_empty()).collect();
    modifiers.sort();
    Some(Token { code, modifiers, units })
}

fn multiset(tokens: &[Token]) -> BTreeMap<String, u32> {
    let mut m = BTreeMap::new();
    for t in tokens {
        *m.entry(t.code.clone()).or_default() += t.units;
    }
    m
}

#[derive(Serialize)]
struct NoteScore {
    note_id: String,
    gold: Vec<String>,
    predicted: Vec<String>,
    true_positives: u32,
    false_positives: u32,
    false_negatives: u32,
    precision: f64,
    recall: f64,
    f1: f64,
    exact: bool,
    /// Gold code units the analyzer missed, e.g. "22853x1".
    missing: Vec<String>,
    /// Proposed code units not in the gold.
    extra: Vec<String>,
    /// Codes in both whose modifiers differ: "22558: gold 62, proposed none".
    modifier_mismatches: Vec<String>,
}

#[derive(Serialize)]
struct EvalResult {
    notes: Vec<NoteScore>,
    notes_scored: usize,
    micro_precision: f64,
    micro_recall: f64,
    micro_f1: f64,
    exact_match: f64,
    modifier_accuracy: f64,
    invented_codes: usize,
    /// Notes found without a gold row (reported, not scored).
    notes_without_gold: Vec<String>,
    /// Gold rows without a note file.
    gold_without_notes: Vec<String>,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 1.0 } else { f64::from(a) / f64::from(b) }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

/// A gold file is a line per note; anything this large is not one.
const MAX_GOLD_BYTES: u64 = 16 * 1024 * 1024;

fn read_gold(path: &std::path::Path) -> Result<BTreeMap<String, Vec<Token>>> {
    let size = std::fs::metadata(path)
        .map_err(|e| UserError::new(format!("cannot read gold file `{}`: {e}", path.display())))?
        .len();
    if size > MAX_GOLD_BYTES {
        return Err(UserError::new(format!(
            "gold file `{}` is {size} bytes; gold files are limited to {MAX_GOLD_BYTES} bytes",
            path.display()
        ))
        .hint("a gold file has one line per note: note_id,cpt_codes")
        .into());
    }
    let bytes =
        std::fs::read(path).map_err(|e| UserError::new(format!("cannot read gold file `{}`: {e}", path.display())))?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
    // The line a record starts on: the csv crate counts only `\n` and, after `\r\n`, gives the line
    // before; this counts `\n`, `\r\n` and a lone `\r` up to the record's first byte.
    let (mut at, mut line_no) = (0usize, 1u64);
    let mut line_of = |position: Option<&csv::Position>| -> u64 {
        let mut b = position.map_or(at, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX)).min(bytes.len());
        while b < bytes.len() && matches!(bytes[b], b'\r' | b'\n') {
            b += 1;
        }
        while at < b {
            match bytes[at] {
                b'\n' => line_no += 1,
                b'\r' if bytes.get(at + 1) != Some(&b'\n') => line_no += 1,
                _ => {}
            }
            at += 1;
        }
        line_no
    };
    let headers = reader
        .headers()
        .map_err(|e| UserError::new(format!("`{}`: cannot read the header row: {e}", path.display())))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id), Some(codes)) = (col("note_id"), col("cpt_codes")) else {
        return Err(UserError::new(format!(
            "`{}`: the header must have columns note_id and cpt_codes (found: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        ))
        .into());
    };
    let mut gold = BTreeMap::new();
    let mut first_line = BTreeMap::new();
    for rec in reader.records() {
        let rec =
            rec.map_err(|e| UserError::new(format!("`{}` line {}: {e}", path.display(), line_of(e.position()))))?;
        let line = line_of(rec.position());
        let note = rec.get(id).unwrap_or("").trim().to_string();
        if note.is_empty() {
            continue;
        }
        let Some(cell) = rec.get(codes) else {
            return Err(UserError::new(format!(
                "`{}` line {line}: the row has {} field(s) and no cpt_codes column",
                path.display(),
                rec.len()
            ))
            .hint("write note_id,cpt_codes on every line; leave cpt_codes empty (note_id,) for a note with no code")
            .into());
        };
        if let Some(first) = first_line.insert(note.clone(), line) {
            return Err(UserError::new(format!(
                "`{}` line {line}: note `{note}` already has a gold row on line {first}",
                path.display()
            ))
            .hint("give each note one row, with all its codes space-separated")
            .into());
        }
        let mut tokens = Vec::new();
        for t in cell.split_whitespace() {
            let tok = parse_token(t).ok_or_else(|| {
                UserError::new(format!("`{}` line {line}: `{t}` is not CODE[-MOD…][xUNITS]", path.display()))
                    .hint("a code is five characters (22633, 0202T, G0453); units are 1 to 999, e.g. 22853x2")
            })?;
            tokens.push(tok);
        }
        gold.insert(note, tokens);
    }
    if gold.is_empty() {
        return Err(UserError::new(format!("gold file `{}` has no rows: nothing to score against", path.display()))
            .hint("add one row per note: note_id,cpt_codes")
            .into());
    }
    Ok(gold)
}

pub(crate) fn run(engine: impl FnOnce() -> Result<Engine>, args: &EvalArgs) -> Result<Outcome> {
    let gold = read_gold(&args.gold)?;
    let files = crate::commands::analyze::note_files(std::slice::from_ref(&args.notes))?;
    let engine = &engine()?;
    let data = engine.data().year(engine.data().default_year()).cloned();
    let mut notes = Vec::new();
    let (mut tp, mut fp, mut fnn) = (0u32, 0u32, 0u32);
    let (mut mod_ok, mut mod_total) = (0u32, 0u32);
    let mut exact = 0usize;
    let mut invented = 0usize;
    let mut without_gold = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let progress = crate::output::progress(files.len() as u64, "evaluating");
    for f in &files {
        progress.inc(1);
        let id = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let Some(g) = gold.get(&id) else {
            without_gold.push(id);
            continue;
        };
        seen.insert(id.clone());
        let note = crate::commands::analyze::read_note(f)?;
        let report = engine.analyze(&note, &Options::default()).map_err(|e| UserError::new(e.to_string()))?;
        let predicted: Vec<Token> = report.tokens().iter().filter_map(|t| parse_token(t)).collect();
        if let Some(d) = &data {
            invented += predicted.iter().filter(|t| t.code.parse().ok().and_then(|c| d.pfs.get(c)).is_none()).count();
        }
        let (gm, pm) = (multiset(g), multiset(&predicted));
        let (mut ntp, mut nfp, mut nfn) = (0, 0, 0);
        let mut missing = Vec::new();
        let mut extra = Vec::new();
        for (code, gu) in &gm {
            let pu = pm.get(code).copied().unwrap_or(0);
            ntp += gu.min(&pu);
            if *gu > pu {
                nfn += gu - pu;
                missing.push(format!("{code}x{}", gu - pu));
            }
        }
        for (code, pu) in &pm {
            let gu = gm.get(code).copied().unwrap_or(0);
            if *pu > gu {
                nfp += pu - gu;
                extra.push(format!("{code}x{}", pu - gu));
            }
        }
        let mut mismatches = Vec::new();
        for gt in g {
            if let Some(pt) = predicted.iter().find(|p| p.code == gt.code) {
                mod_total += 1;
                if pt.modifiers == gt.modifiers {
                    mod_ok += 1;
                } else {
                    let show = |m: &[String]| if m.is_empty() { "none".to_string() } else { m.join(" ") };
                    mismatches.push(format!(
                        "{}: gold {}, proposed {}",
                        gt.code,
                        show(&gt.modifiers),
                        show(&pt.modifiers)
                    ));
                }
            }
        }
        tp += ntp;
        fp += nfp;
        fnn += nfn;
        let is_exact = gm == pm;
        exact += usize::from(is_exact);
        let (p, r) = (ratio(ntp, ntp + nfp), ratio(ntp, ntp + nfn));
        notes.push(NoteScore {
            note_id: id,
            gold: g.iter().map(token_text).collect(),
            predicted: report.tokens(),
            true_positives: ntp,
            false_positives: nfp,
            false_negatives: nfn,
            precision: p,
            recall: r,
            f1: f1(p, r),
            exact: is_exact,
            missing,
            extra,
            modifier_mismatches: mismatches,
        });
    }
    progress.finish_and_clear();
    if notes.is_empty() {
        return Err(UserError::new(format!(
            "no note of `{}` has a row in `{}`: nothing was scored",
            args.notes.display(),
            args.gold.display()
        ))
        .hint("a row's note_id is the note's file name without its extension, e.g. cervical-001 for cervical-001.txt")
        .into());
    }
    let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fnn));
    let scored = notes.len();
    let result = EvalResult {
        notes_scored: scored,
        micro_precision: p,
        micro_recall: r,
        micro_f1: f1(p, r),
        exact_match: if scored == 0 { 0.0 } else { exact as f64 / scored as f64 },
        modifier_accuracy: ratio(mod_ok, mod_total),
        invented_codes: invented,
        notes_without_gold: without_gold,
        gold_without_notes: gold.keys().filter(|k| !seen.contains(*k)).cloned().collect(),
        notes,
    };
    if args.json {
        json(&result)?;
    } else {
        let mut o = String::new();
        for n in result.notes.iter().filter(|n| !n.exact || !n.modifier_mismatches.is_empty()) {
            let _ = writeln!(o, "{}  F1 {:.3}", n.note_id, n.f1);
            if !n.missing.is_empty() {
                let _ = writeln!(o, "  missing  {}", n.missing.join(" "));
            }
            if !n.extra.is_empty() {
                let _ = writeln!(o, "  extra    {}", n.extra.join(" "));
            }
            for m in &n.modifier_mismatches {
                let _ = writeln!(o, "  modifier {m}");
            }
        }
        for id in &result.notes_without_gold {
            let _ = writeln!(o, "{id}  (no gold row: not scored)");
        }
        for id in &result.gold_without_notes {
            let _ = writeln!(o, "{id}  (gold row without a note file)");
        }
        let _ = writeln!(
            o,
            "\n{} notes · micro precision {:.4} · recall {:.4} · F1 {:.4} · exact match {:.1}% · modifier accuracy {:.1}% · invented codes {}",
            result.notes_scored,
            result.micro_precision,
            result.micro_recall,
            result.micro_f1,
            result.exact_match * 100.0,
            result.modifier_accuracy * 100.0,
            result.invented_codes
        );
        text(&o)?;
    }
    Ok(Outcome::Ok)
}

fn token_text(t: &Token) -> String {
    let mut s = t.code.clone();
    for m in &t.modifiers {
        s.push('-');
        s.push_str(m);
    }
    if t.units != 1 {
        s.push_str(&format!("x{}", t.units));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(parse_token("22853x2"), Some(Token { code: "22853".into(), modifiers: vec![], units: 2 }));
        assert_eq!(parse_token("63030-XS-50").unwrap().modifiers, vec!["50".to_string(), "XS".to_string()]);
        assert_eq!(parse_token("bad"), None);
        assert_eq!(parse_token("22853x0"), None);
        assert_eq!(parse_token("ABCDE"), None);
        assert_eq!(parse_token("0202t").unwrap().code, "0202T");
    }
}
