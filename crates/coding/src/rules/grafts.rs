//! Bone graft: each code once per session, by source and form.

use interspace_notes::findings::GraftKind;

use super::Rule;
use crate::Confidence;

/// GRFT001 — Spine bone graft: 20936 local autograft, 20937/20938 autograft through a separate
/// incision, 20930 morselized allograft or osteopromotive material, 20931 structural allograft,
/// 20939 bone marrow aspirate through a separate incision; each once per session.
///
/// ## Guideline
/// Graft codes are add-ons to the arthrodesis and are reported once per operative session, not
/// per level; different kinds may be reported together. 20937, 20938 and 20939 need a separate
/// skin or fascial incision; bone from the operative field is 20936. Synthetic substitutes have
/// no graft code. Graft is never coded with 22586 (see ARTH008). CPT and NCCI's add-on file
/// also make 22319 (PROC008) a primary of the graft codes.
pub(crate) const GRAFTS: Rule = Rule {
    id: "GRFT001",
    name: "bone-graft-once-per-session",
    guideline: "Each spine graft code is reported once per session by graft source and form: 20936, 20937, 20938, 20930, 20931, 20939",
    sources: &["S26", "S29", "S28", "S30", "S31", "S10"],
    apply: |input, out| {
        // Graft codes are add-ons to an arthrodesis, or to 22319 (an odontoid fracture fixed with graft).
        if !out.lines.iter().any(|l| l.rule.starts_with("ARTH") || l.code.as_str() == "22319") {
            return;
        }
        if let Some(e) = &input.findings.iliac_same_incision {
            out.note(
                "GRFT001",
                "iliac crest bone harvested through the same incision: 20937/20938 need a separate skin or fascial incision in the note; not coded",
                e,
            );
        }
        let mut osteopromotive_done = false;
        for g in &input.findings.grafts {
            let (code, what) = match g.kind {
                GraftKind::LocalAutograft => ("20936", "local autograft from the operative field"),
                GraftKind::SeparateAutograftMorselized => ("20937", "morselized autograft through a separate incision"),
                GraftKind::SeparateAutograftStructural => ("20938", "structural autograft through a separate incision"),
                GraftKind::MorselizedAllograft | GraftKind::Osteopromotive => {
                    if osteopromotive_done {
                        continue;
                    }
                    osteopromotive_done = true;
                    ("20930", "morselized allograft or osteopromotive material (DBM, BMP)")
                }
                GraftKind::StructuralAllograft => ("20931", "structural allograft"),
                GraftKind::BoneMarrowAspirate => ("20939", "bone marrow aspirate through a separate incision"),
                GraftKind::Synthetic => {
                    out.note("GRFT001", "a synthetic bone graft substitute has no CPT graft code", &g.evidence);
                    continue;
                }
            };
            out.line(code, 1, "GRFT001", what, &g.evidence, Confidence::High);
        }
    },
};
