//! Checks on the whole proposal that add no code: an add-on code needs its primary.

use interspace_refdata::AocType;

use super::Rule;
use crate::Confidence;

/// PAIR001 — An add-on code without its primary.
///
/// ## Guideline
/// An add-on code is reported only with one of the primary codes NCCI's add-on file allows it
/// with (edit types 1 and 3); alone it is denied. When the note gives no such primary, the line
/// stays, at low confidence, with a note: the procedure it describes has no primary code here.
/// Spinal instrumentation placed without an arthrodesis, a fracture treatment or a decompression
/// (a percutaneous stabilization) is the usual case; CPT's recourse when no code describes a
/// procedure is the unlisted code (22899), which the payer prices by report.
pub(crate) const ADD_ON_PRIMARY: Rule = Rule {
    id: "PAIR001",
    name: "add-on-needs-its-primary",
    guideline: "An add-on code is reported only with a primary code NCCI's add-on file allows it with; alone it is flagged for review",
    sources: &["D-AOC", "U-DESC"],
    apply: |input, out| {
        let alone: Vec<usize> = (0..out.lines.len())
            .filter(|&i| {
                input.data.aoc.get(out.lines[i].code).is_some_and(|edit| {
                    edit.kind != AocType::ContractorDefined
                        && !out.lines.iter().any(|p| edit.primaries.binary_search(&p.code).is_ok())
                })
            })
            .collect();
        for i in alone {
            let line = &mut out.lines[i];
            line.confidence = Confidence::Low;
            let code = line.code;
            let instrumentation = ("22840".."22849").contains(&code.as_str());
            let evidence = line.evidence.clone();
            out.note(
                "PAIR001",
                if instrumentation {
                    format!("{code} is an add-on and the note gives none of the primary codes NCCI allows it with (an arthrodesis, a fracture treatment, a decompression, an osteotomy): alone it is denied. Instrumentation without any of them, such as a percutaneous stabilization, has no code of its own; CPT's recourse is the unlisted 22899, priced by report; review")
                } else {
                    format!("{code} is an add-on and the note gives none of the primary codes NCCI allows it with: alone it is denied; review")
                },
                &evidence,
            );
        }
    },
};
