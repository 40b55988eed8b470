//! Documentation gaps: the documentation elements of the proposed codes' pages that the note does
//! not satisfy. The elements are data (`data/knowledge/documentation_elements.toml`); each id is
//! bound here to a predicate over the findings. A test fails if an id has no predicate.

use interspace_knowledge::Knowledge;
use interspace_notes::Span;
use interspace_notes::findings::{Findings, FusionKind, InterbodyApproach, Side};

use crate::ProposedLine;

/// Whether a note satisfies an element, for the lines that ask for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    Satisfied,
    Missing,
    /// The element does not concern this note (no co-surgeon, no microscope code…).
    NotApplicable,
}

/// An element the note does not satisfy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub element: String,
    pub label: String,
    pub why: String,
    /// A sentence the surgeon can complete.
    pub template: String,
    /// The proposed codes whose pages ask for it.
    pub codes: Vec<String>,
    /// Where the note comes closest (e.g. the header that names levels the narrative lacks).
    pub evidence: Vec<Span>,
}

fn yes(b: bool) -> Check {
    if b { Check::Satisfied } else { Check::Missing }
}

/// The predicate of every element id; `None` for an id the analyzer does not know.
pub fn check(element: &str, f: &Findings, line: &ProposedLine) -> Option<Check> {
    let mods: Vec<&str> = line.modifiers.iter().map(|m| m.as_str()).collect();
    let c = &f.cues;
    Some(match element {
        "levels" => yes(c.unlocated.is_empty()),
        "approach" => yes(!f.approaches.is_empty()
            || f.fusions.iter().any(|x| matches!(x.kind, FusionKind::Interbody(a) if a != InterbodyApproach::Unknown))),
        "interbody_technique" => yes(c.disc_preparation.is_some()),
        "posterolateral_technique" => yes(c.posterolateral_bed.is_some()),
        "graft_type" => yes(!f.grafts.is_empty()),
        "graft_separate_incision" => {
            if matches!(line.code.as_str(), "20937" | "20938" | "20939") {
                yes(c.separate_incision.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "device_detail" => yes(!f.devices.is_empty()),
        "instrumentation_span" => yes(f.constructs.iter().any(|c| !c.inferred)
            || f.reinserted.len() >= 2
            || f.tethering.as_ref().is_some_and(|t| t.vertebrae.len() >= 2)),
        "pelvic_fixation" => yes(f.constructs.iter().any(|c| c.pelvic)),
        "decompression_detail" => yes(c.decompression_target.is_some()),
        "decompression_side" => {
            if f.decompressions.is_empty() {
                Check::NotApplicable
            } else {
                yes(f.decompressions.iter().all(|d| d.side != Side::Unstated))
            }
        }
        "anterior_decompression" => yes(c.anterior_decompression.is_some()),
        "presacral_approach" => {
            yes(f.fusions.iter().any(|x| x.kind == FusionKind::Interbody(InterbodyApproach::Presacral)))
        }
        // A plate after a discectomy alone has no corpectomy to describe.
        "corpectomy_extent" if f.corpectomies.is_empty() && !line.code.as_str().starts_with("630") => {
            Check::NotApplicable
        }
        "corpectomy_extent" => yes(f.corpectomies.iter().any(|c| !c.vertebrae.is_empty())),
        "arthroplasty_device" => yes(!f.arthroplasties.is_empty()),
        "cavity_creation" => {
            if matches!(line.code.as_str(), "22513" | "22514" | "22515") {
                yes(f.augmentations.iter().any(|a| a.cavity))
            } else {
                Check::NotApplicable
            }
        }
        "navigation_use" => {
            if line.code.as_str() == "61783" {
                yes(f.navigation.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "microscope_use" => {
            if line.code.as_str() == "69990" {
                yes(f.microscope.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "monitoring_detail" => {
            if f.neuromonitoring.is_some() && matches!(line.code.as_str(), "95940" | "95941") {
                yes(c.monitoring_time.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "co_surgeon_roles" => {
            if mods.contains(&"62") {
                yes(c.co_surgeon_role.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "assistant_role" => {
            if f.assistant.is_some() && mods.iter().any(|m| matches!(*m, "80" | "81" | "82" | "AS")) {
                yes(c.assistant_role.is_some())
            } else {
                Check::NotApplicable
            }
        }
        "deformity_correction" => yes(f.deformity.is_some() && c.correction.is_some()),
        "hardware_revision" => yes(f.removals.iter().any(|r| !r.vertebrae.is_empty())
            || !f.reinserted.is_empty()
            || f.tethering.as_ref().is_some_and(|t| t.revision && !t.vertebrae.is_empty())),
        "exploration_findings" => yes(c.exploration_result.is_some()),
        "si_joint_technique" => yes(f.si_fusions.iter().any(|s| s.side != Side::Unstated)),
        "indication" => yes(c.indication.is_some()),
        "header_matches_narrative" => yes(f.discrepancies.is_empty()),
        "levels_exist" => yes(c.nonexistent_levels.is_empty()),
        _ => return None,
    })
}

/// Every element the proposed lines' pages list and the note does not satisfy.
pub fn gaps(f: &Findings, lines: &[ProposedLine], knowledge: &Knowledge) -> Vec<Gap> {
    let mut out: Vec<Gap> = Vec::new();
    for line in lines {
        let Some(page) = knowledge.code(line.code) else { continue };
        for id in &page.documentation {
            if check(id, f, line) != Some(Check::Missing) {
                continue;
            }
            let Some(e) = knowledge.element(id) else { continue };
            if let Some(g) = out.iter_mut().find(|g| g.element == *id) {
                if !g.codes.contains(&line.code.to_string()) {
                    g.codes.push(line.code.to_string());
                }
                continue;
            }
            let evidence = match id.as_str() {
                "levels" => f.cues.unlocated.iter().map(|(_, s)| *s).collect(),
                _ => line.evidence.iter().take(1).copied().collect(),
            };
            out.push(Gap {
                element: id.clone(),
                label: e.label.clone(),
                why: e.why.clone(),
                template: e.template.clone(),
                codes: vec![line.code.to_string()],
                evidence,
            });
        }
    }
    // A level that no spine has ("L9-L12") cannot be coded; say so rather than propose nothing.
    if let (false, Some(e)) = (f.cues.nonexistent_levels.is_empty(), knowledge.element("levels_exist")) {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in &f.cues.nonexistent_levels {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        out.push(Gap {
            element: e.id.clone(),
            label: format!("{} (not a vertebra: {})", e.label, names.join(", ")),
            why: e.why.clone(),
            template: e.template.clone(),
            codes: Vec::new(),
            evidence: f.cues.nonexistent_levels.iter().map(|(_, s)| *s).collect(),
        });
    }
    // Header and narrative disagreeing is a gap of its own, whatever the codes.
    if let (Some(d), Some(e)) = (f.discrepancies.first(), knowledge.element("header_matches_narrative")) {
        let detail: Vec<String> = f
            .discrepancies
            .iter()
            .map(|d| format!("the header lists {} {} but the narrative describes {}", d.what, d.header, d.narrative))
            .collect();
        out.push(Gap {
            element: e.id.clone(),
            label: format!("{} ({})", e.label, detail.join("; ")),
            why: e.why.clone(),
            template: e.template.clone(),
            codes: Vec::new(),
            evidence: d.evidence.clone(),
        });
    }
    out
}
