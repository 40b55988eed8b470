//! Navigation and the operating microscope.

use super::Rule;
use crate::Confidence;

/// ADJ001 — Spinal navigation: +61783 once per session, for instrumentation or other complex work.
///
/// ## Guideline
/// 61783 (stereotactic computer-assisted spinal navigation) is an add-on reported once per
/// session. CPT intended it for complex procedures such as instrumentation; it is not reported for
/// simple decompressions, nor with codes whose descriptor includes image guidance (22586,
/// 22510–22515).
pub(crate) const NAVIGATION: Rule = Rule {
    id: "ADJ001",
    name: "spinal-navigation",
    guideline: "Navigation is +61783 once per session when it guided instrumentation or complex work; not for simple decompression, not with 22586 or 22510-22515",
    sources: &["S40", "S41", "S42"],
    apply: |input, out| {
        let Some(e) = &input.findings.navigation else { return };
        let includes_guidance =
            out.lines.iter().any(|l| matches!(l.code.as_str(), "22586" | "22510" | "22511" | "22513" | "22514"));
        let complex =
            out.lines.iter().any(|l| l.rule.starts_with("INST") || l.rule == "PROC001" || l.rule.starts_with("ARTH"));
        if includes_guidance {
            out.note("ADJ001", "navigation is included in the image guidance of the procedure's code", e);
        } else if complex {
            out.line("61783", 1, "ADJ001", "computer-assisted spinal navigation", e, Confidence::High);
        } else {
            out.note("ADJ001", "navigation with decompression only is not reported with 61783", e);
        }
    },
};

/// ADJ002 — Operating microscope: +69990 only with the procedures CMS pays it with.
///
/// ## Guideline
/// Medicare pays 69990 only with 61304–61546, 61550–61711, 62010–62100, 63081–63308, 63704–63710
/// and some nerve repairs (MCPM ch. 12 §20.4.5); CPT itself excludes it with ACDF, cervical
/// arthroplasty and anterior discectomy. Loupes do not count. Once per session.
pub(crate) const MICROSCOPE: Rule = Rule {
    id: "ADJ002",
    name: "operating-microscope",
    guideline: "+69990 is coded once, only with procedures Medicare pays it with (63081-63308 in this family); it is included in laminotomy, laminectomy, ACDF and arthroplasty",
    sources: &["S38", "S39", "MCPM12"],
    apply: |input, out| {
        let Some(e) = &input.findings.microscope else { return };
        let allowed = out.lines.iter().any(|l| {
            l.code.number().is_some_and(|n| {
                (63081..=63308).contains(&n)
                    || (61304..=61546).contains(&n)
                    || (61550..=61711).contains(&n)
                    || (62010..=62100).contains(&n)
                    || (63704..=63710).contains(&n)
            })
        });
        if allowed {
            out.line("69990", 1, "ADJ002", "operating microscope used for microdissection", e, Confidence::High);
        } else {
            out.note("ADJ002", "the operating microscope is included in these procedures and not coded", e);
        }
    },
};
