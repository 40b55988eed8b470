//! Biomechanical devices: +22853 per interspace, +22854 per corpectomy defect.

use interspace_notes::findings::DeviceKind;

use super::{Rule, list};
use crate::Confidence;

/// DEV001 — Interbody device: +22853, one unit per interspace.
///
/// ## Guideline
/// A cage or synthetic spacer placed in a disc space with an interbody arthrodesis is +22853, one
/// unit per interspace however many devices sit in it; integral screws or plates are included. A
/// structural allograft spacer is bone graft (20931, once per session), not a device.
pub(crate) const INTERBODY: Rule = Rule {
    id: "DEV001",
    name: "interbody-device-per-interspace",
    guideline: "A cage or synthetic spacer in a fused disc space is +22853, one unit per interspace; a structural allograft spacer is 20931, not 22853",
    sources: &["S20", "S21", "S24", "S19"],
    apply: |input, out| {
        let cages: Vec<_> =
            input.findings.devices.iter().filter(|d| d.kind == DeviceKind::Cage && d.interspace.is_some()).collect();
        if cages.is_empty() {
            return;
        }
        let levels: Vec<_> = cages.iter().filter_map(|d| d.interspace).collect();
        let evidence: Vec<_> = cages.iter().flat_map(|d| d.evidence.iter().copied()).collect();
        let integral = if cages.iter().any(|d| d.integral_fixation) { " (integral fixation included)" } else { "" };
        out.line(
            "22853",
            levels.len() as u32,
            "DEV001",
            format!("interbody device at {}{integral}", list(&levels)),
            &evidence,
            Confidence::High,
        );
    },
};

/// DEV002 — Device in a corpectomy defect: +22854, one unit per contiguous defect.
///
/// ## Guideline
/// A cage or mesh placed in a vertebral corpectomy defect with arthrodesis is +22854, one unit per
/// contiguous defect; it is never the code for a disc-space cage.
pub(crate) const CORPECTOMY_DEVICE: Rule = Rule {
    id: "DEV002",
    name: "corpectomy-device-per-defect",
    guideline: "A cage in a corpectomy defect with arthrodesis is +22854, one unit per contiguous defect",
    sources: &["S20", "S22"],
    apply: |input, out| {
        let Some(d) = input.findings.devices.iter().find(|d| d.corpectomy.is_some()) else { return };
        if let Some((a, b)) = d.corpectomy {
            let what = if a == b { a.to_string() } else { format!("{a}-{b}") };
            out.line(
                "22854",
                1,
                "DEV002",
                format!("device in the {what} corpectomy defect"),
                &d.evidence,
                Confidence::High,
            );
        }
    },
};
