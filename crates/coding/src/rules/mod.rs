//! The coding rules, in the order they run. Each rule is a function with a stable id, a name
//! that says what it codes, the guideline it implements and its sources (ids in
//! `data/knowledge/sources.toml`). `interspace rules` prints this table; tests check the sources
//! exist and run each rule's examples.

mod adjuncts;
mod arthrodesis;
mod decompression;
mod devices;
mod grafts;
mod instrumentation;
mod modifiers;
mod pairing;
mod procedures;

use interspace_notes::findings::{Findings, FusionKind};
use interspace_notes::{Interspace, Region, Span};
use interspace_refdata::Hcpcs;

use crate::{Confidence, Input, Output};

/// One coding rule.
pub struct Rule {
    /// Stable id, used in reports and `interspace explain`.
    pub id: &'static str,
    /// What the rule codes, in a few words.
    pub name: &'static str,
    /// The guideline it implements.
    pub guideline: &'static str,
    /// Source ids (see `data/knowledge/sources.toml`).
    pub sources: &'static [&'static str],
    pub apply: fn(&Input<'_>, &mut Output),
}

/// Every rule, in the order it runs: arthrodesis first (other rules look at its lines), then
/// bone work, devices, grafts, adjuncts, bundling and modifiers.
pub const RULES: &[Rule] = &[
    arthrodesis::CRANIOCERVICAL,
    arthrodesis::DEFORMITY,
    arthrodesis::PRESACRAL,
    arthrodesis::POSTERIOR,
    arthrodesis::ANTERIOR,
    arthrodesis::LATERAL_EXTRACAVITARY,
    procedures::CORPECTOMY,
    decompression::LAMINECTOMY,
    decompression::LAMINOTOMY,
    decompression::INTRASPINAL_LESION,
    decompression::ANTERIOR_DISCECTOMY,
    decompression::LAMINOPLASTY,
    procedures::ARTHROPLASTY,
    procedures::INTERLAMINAR_DEVICE,
    procedures::AUGMENTATION,
    procedures::SACROILIAC,
    procedures::FRACTURE,
    procedures::ODONTOID,
    instrumentation::POSTERIOR,
    instrumentation::ANTERIOR,
    instrumentation::PELVIC,
    instrumentation::REMOVAL,
    devices::INTERBODY,
    devices::CORPECTOMY_DEVICE,
    grafts::GRAFTS,
    procedures::EXPLORATION,
    procedures::OSTEOTOMY,
    procedures::TETHERING,
    procedures::DEEP_WOUND_DRAINAGE,
    procedures::STIMULATOR_ELECTRODE,
    adjuncts::NAVIGATION,
    adjuncts::MICROSCOPE,
    arthrodesis::PRESACRAL_BUNDLE,
    modifiers::CO_SURGERY,
    modifiers::RETURN_TO_OR,
    procedures::DURAL_REPAIR,
    pairing::ADD_ON_PRIMARY,
];

/// The rule with an id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

pub(crate) fn is_lumbar(i: Interspace) -> bool {
    // L1-L2 … L5-S1.
    i.region() == Region::Lumbar
}

pub(crate) fn posterior_interbody(f: &Findings, i: Interspace) -> bool {
    f.fusions.iter().any(|x| x.interspace == i && matches!(x.kind, FusionKind::Interbody(a) if a.is_posterior()))
}

pub(crate) fn anterior_interbody(f: &Findings) -> Vec<Interspace> {
    let mut v: Vec<Interspace> = f
        .fusions
        .iter()
        .filter(|x| matches!(x.kind, FusionKind::Interbody(a) if a.is_anterior()))
        .map(|x| x.interspace)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// In a hybrid construct the fusion's lines at other interspaces than the artificial disc's are
/// distinct services: where NCCI pairs one with the arthroplasty code, the pair's column-two code
/// takes XS.
pub(crate) fn distinct_from_arthroplasty(input: &Input<'_>, out: &mut Output, evidence: &[Span]) {
    let arthroplasty: Vec<Hcpcs> = out.lines.iter().filter(|l| l.rule == "PROC002").map(|l| l.code).collect();
    let others: Vec<Hcpcs> =
        out.lines.iter().filter(|l| l.rule.starts_with("ARTH") || l.rule == "INST002").map(|l| l.code).collect();
    let mut marked = Vec::new();
    for &a in &arthroplasty {
        for &o in &others {
            let column_two = if input.data.ptp.active(a, o).is_some() {
                o
            } else if input.data.ptp.active(o, a).is_some() {
                a
            } else {
                continue;
            };
            if !marked.contains(&column_two) {
                marked.push(column_two);
            }
        }
    }
    let new: Vec<Hcpcs> = marked
        .into_iter()
        .filter(|c| out.lines.iter().any(|l| l.code == *c && !l.modifiers.iter().any(|m| m.as_str() == "XS")))
        .collect();
    for c in &new {
        out.add_modifier(c.as_str(), "XS");
    }
    if !new.is_empty() {
        let names: Vec<&str> = new.iter().map(|c| c.as_str()).collect();
        out.note("PROC002", format!("hybrid construct: NCCI pairs {} with the arthroplasty, so XS marks the fusion levels as other interspaces than the artificial disc's", names.join(", ")), evidence);
    }
}

/// The decompression lines NCCI pairs under `code`, a procedure whose own decompression is part of
/// it (an osteotomy, a laminoplasty): XS on them when the note decompresses `beyond` the
/// procedure's `unit`s ("segments", "levels"), left out otherwise, with a note either way.
pub(crate) fn decompression_within(
    input: &Input<'_>,
    out: &mut Output,
    (rule, code, owner): (&'static str, &str, &str),
    unit: &str,
    beyond: bool,
    evidence: &[Span],
) {
    let Ok(over) = code.parse::<Hcpcs>() else { return };
    let bundled: Vec<String> = out
        .lines
        .iter()
        .filter(|l| l.rule.starts_with("DCMP") && l.rule != rule && input.data.ptp.active(over, l.code).is_some())
        .map(|l| l.code.to_string())
        .collect();
    if bundled.is_empty() {
        return;
    }
    let codes = bundled.join(", ");
    if beyond {
        for c in &bundled {
            out.add_modifier(c, "XS");
        }
        out.note(rule, format!("NCCI pairs {codes} under {code}: XS for the {unit} decompressed beyond the {owner}'s; the decompression at the {owner}'s own {unit} is part of it, so check that the units count only the others"), evidence);
    } else {
        for c in &bundled {
            out.remove(c);
        }
        out.note(rule, format!("the decompression at the {owner}'s {unit} ({codes}) is part of {code} (NCCI pairs it under the {owner}) and is not proposed"), evidence);
    }
}

/// A primary code for the first of `items` (`first` says what it is) and its add-on with a unit
/// for each of the rest (`rest` names them, before their list), both on the same evidence.
pub(crate) fn primary_and_add_on<T: std::fmt::Display>(
    out: &mut Output,
    (primary, add_on): (&str, &str),
    items: &[T],
    rule: &'static str,
    first: String,
    rest: &str,
    evidence: &[Span],
) {
    out.line(primary, 1, rule, first, evidence, Confidence::High);
    if items.len() > 1 {
        out.line(
            add_on,
            items.len() as u32 - 1,
            rule,
            format!("{rest} {}", list(&items[1..])),
            evidence,
            Confidence::High,
        );
    }
}

/// "L4-L5 and L5-S1".
pub(crate) fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let v: Vec<String> = items.iter().map(ToString::to_string).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}
