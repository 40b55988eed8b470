//! Spinal instrumentation: constructs counted in vertebral segments, pelvic fixation, removal.

use interspace_notes::Interspace;
use interspace_notes::findings::{ArthroplastyAction, Construct, ConstructSide};

use super::{Rule, distinct_from_arthroplasty};
use crate::{Confidence, Input};

fn construct<'a>(input: &Input<'a>, side: ConstructSide) -> Option<&'a Construct> {
    input.findings.constructs.iter().find(|c| c.side == side)
}

/// INST001 — Posterior instrumentation by vertebral segments: 22840 non-segmental, 22842 (3–6),
/// 22843 (7–12), 22844 (13+).
///
/// ## Guideline
/// Count vertebrae from the top to the bottom anchored vertebra, both included. A construct fixed
/// only at its ends — including pedicle screws across one interspace — is non-segmental (22840);
/// one also anchored to a vertebra in between is segmental (22842–22844). The sacrum counts as one
/// segment; iliac anchors are +22848, not segments.
pub(crate) const POSTERIOR: Rule = Rule {
    id: "INST001",
    name: "posterior-instrumentation-by-segments",
    guideline: "Posterior instrumentation is counted in vertebral segments spanned: 22840 when fixed only at its ends, 22842/22843/22844 for 3-6/7-12/13+ segments when segmental",
    sources: &["S18", "S2", "S19", "S52a"],
    apply: |input, out| {
        let Some(c) = construct(input, ConstructSide::Posterior) else { return };
        if input.findings.instrumentation_negated.is_some() && c.inferred {
            return;
        }
        let n = c.segments();
        let segmental = c.is_segmental();
        let code = match (segmental, n) {
            (false, _) | (_, 0..=2) => "22840",
            (true, 3..=6) => "22842",
            (true, 7..=12) => "22843",
            (true, _) => "22844",
        };
        let confidence = if c.inferred { Confidence::Medium } else { Confidence::High };
        let how = if code == "22840" { "non-segmental (fixed at its ends)" } else { "segmental" };
        let from = if c.from.index() == 0 { "the occiput".to_string() } else { c.from.to_string() };
        out.line(
            code,
            1,
            "INST001",
            format!("posterior instrumentation {from} to {}: {n} vertebral segments, {how}", c.to),
            &c.evidence,
            confidence,
        );
    },
};

/// INST002 — Anterior instrumentation by vertebral segments: 22845 (2–3), 22846 (4–7), 22847 (8+).
///
/// ## Guideline
/// An anterior plate (or rod and screws) is coded by vertebrae spanned. A cage's own integral
/// screws or plate are part of +22853 and add no anterior instrumentation code.
pub(crate) const ANTERIOR: Rule = Rule {
    id: "INST002",
    name: "anterior-instrumentation-by-segments",
    guideline: "Anterior plates are counted in vertebral segments spanned: 22845 (2-3), 22846 (4-7), 22847 (8+); integral cage fixation is not anterior instrumentation",
    sources: &["S2", "S22", "S20", "S23"],
    apply: |input, out| {
        let Some(c) = construct(input, ConstructSide::Anterior) else { return };
        // A plate across an artificial disc is not done; one on the fused levels of a hybrid
        // construct is coded with XS, as NCCI pairs it under the arthroplasty.
        let replaced: Vec<Interspace> = input
            .findings
            .arthroplasties
            .iter()
            .filter(|a| a.action == ArthroplastyAction::Insertion)
            .map(|a| a.interspace)
            .collect();
        if replaced.iter().any(|i| c.from <= i.upper() && i.lower() <= c.to) {
            return;
        }
        let n = c.segments();
        let code = match n {
            0..=3 => "22845",
            4..=7 => "22846",
            _ => "22847",
        };
        let confidence = if c.inferred { Confidence::Medium } else { Confidence::High };
        out.line(
            code,
            1,
            "INST002",
            format!("anterior plate {} to {}: {n} vertebral segments", c.from, c.to),
            &c.evidence,
            confidence,
        );
        distinct_from_arthroplasty(input, out, &c.evidence);
    },
};

/// INST003 — Pelvic fixation: +22848 for iliac or S2-alar-iliac anchors.
///
/// ## Guideline
/// Attaching the caudal end of a posterior construct to the pelvis other than the sacrum (iliac
/// screws, S2AI screws) is +22848, reported with 22840–22844 once.
pub(crate) const PELVIC: Rule = Rule {
    id: "INST003",
    name: "pelvic-fixation",
    guideline: "Iliac or S2-alar-iliac fixation at the caudal end of a posterior construct is +22848, once",
    sources: &["S33", "U-DESC"],
    apply: |input, out| {
        let Some(c) = construct(input, ConstructSide::Posterior) else { return };
        if c.pelvic {
            out.line(
                "22848",
                1,
                "INST003",
                "construct anchored to the pelvis (iliac or S2-alar-iliac screws)",
                &c.evidence,
                Confidence::High,
            );
        }
    },
};

/// INST004 — Removal and reinsertion of instrumentation.
///
/// ## Guideline
/// Removal of posterior non-segmental (22850), posterior segmental (22852) or anterior (22855)
/// instrumentation is reported when no new instrumentation is placed at overlapping levels; where
/// new instrumentation overlaps the old, only the insertion code is reported. Replacing anchors of
/// an existing construct (reinsertion) is 22849.
pub(crate) const REMOVAL: Rule = Rule {
    id: "INST004",
    name: "instrumentation-removal",
    guideline: "Report removal (22850/22852/22855) only where no new instrumentation is placed at overlapping levels; replacing anchors of the same construct is 22849",
    sources: &["S26", "S27"],
    apply: |input, out| {
        let f = input.findings;
        for r in &f.removals {
            let new = construct(input, r.side);
            let overlap =
                new.is_some_and(|c| r.vertebrae.is_empty() || r.vertebrae.iter().any(|v| *v >= c.from && *v <= c.to));
            if overlap {
                out.note(
                    "INST004",
                    "old instrumentation removed where new instrumentation was placed: only the insertion is coded",
                    &r.evidence,
                );
                continue;
            }
            // Anchors taken out and put back at the same vertebrae, with no new construct.
            if r.side == ConstructSide::Posterior && !f.reinserted.is_empty() {
                out.line(
                    "22849",
                    1,
                    "INST004",
                    format!("anchors reinserted at {} in the existing construct", super::list(&f.reinserted)),
                    &r.evidence,
                    Confidence::Medium,
                );
                continue;
            }
            let (code, what) = match r.side {
                ConstructSide::Anterior => ("22855", "removal of anterior instrumentation"),
                ConstructSide::Posterior if r.vertebrae.len() >= 3 => {
                    ("22852", "removal of posterior segmental instrumentation")
                }
                ConstructSide::Posterior if r.vertebrae.is_empty() && f.removals.len() == 1 => {
                    ("22852", "removal of posterior instrumentation (levels not named)")
                }
                ConstructSide::Posterior => ("22850", "removal of posterior non-segmental instrumentation"),
            };
            let confidence = if r.vertebrae.is_empty() { Confidence::Low } else { Confidence::High };
            let levels =
                if r.vertebrae.is_empty() { String::new() } else { format!(" ({})", super::list(&r.vertebrae)) };
            out.line(code, 1, "INST004", format!("{what}{levels}"), &r.evidence, confidence);
        }
    },
};
