//! Modifiers that depend on the whole proposal: co-surgery and returns to the operating room.

use interspace_refdata::{CoSurgery, GlobalPeriod};

use super::Rule;

/// Codes an access or co-surgeon shares with the spine surgeon, in order of preference.
const SHARED_ANTERIOR: &[&str] = &[
    "22551", "22552", "22554", "22556", "22558", "22585", "22856", "22857", "22858", "22860", "63081", "63082",
    "63085", "63086", "63087", "63088", "63090", "63091",
];
const SHARED_POSTERIOR: &[&str] =
    &["22633", "22634", "22630", "22632", "22612", "22614", "22610", "22600", "22800", "22802", "22804"];

/// MOD001 — Co-surgery: modifier 62 on the codes both surgeons performed.
///
/// ## Guideline
/// When two surgeons of different specialties perform distinct parts of one procedure (typically
/// an access surgeon's exposure for an anterior fusion), each reports the arthrodesis code with 62.
/// Instrumentation, graft and device codes done by the spine surgeon alone are reported without 62.
/// Only codes whose co-surgeon indicator is 1 or 2 take it.
pub(crate) const CO_SURGERY: Rule = Rule {
    id: "MOD001",
    name: "co-surgery-modifier",
    guideline: "With a co-surgeon or access surgeon, modifier 62 goes on the arthrodesis codes both performed (the anterior fusion and its add-on), not on instrumentation, device or graft codes",
    sources: &["S63", "S63b", "S63e", "S75", "S34"],
    apply: |input, out| {
        if input.findings.co_surgeon.is_none() {
            return;
        }
        let present = |set: &[&str]| set.iter().filter(|c| out.has(c)).map(|c| c.to_string()).collect::<Vec<_>>();
        let mut shared = present(SHARED_ANTERIOR);
        if shared.is_empty() {
            shared = present(SHARED_POSTERIOR);
        }
        for code in shared {
            let allowed = code
                .parse()
                .ok()
                .and_then(|h| input.data.pfs.get(h))
                .is_some_and(|r| matches!(r.co_surgery, CoSurgery::Permitted | CoSurgery::DocumentationRequired));
            if allowed {
                out.add_modifier(&code, "62");
            }
        }
    },
};

/// MOD002 — Unplanned return to the operating room for a complication: modifier 78.
///
/// ## Guideline
/// A related procedure in the global period for a complication that needs the operating room
/// takes 78; it pays the intra-operative share and starts no new global period. Add-on codes follow
/// their primary and take no modifier of their own.
pub(crate) const RETURN_TO_OR: Rule = Rule {
    id: "MOD002",
    name: "return-to-operating-room",
    guideline: "A return to the operating room for a complication within the global period takes modifier 78 on its procedure codes",
    sources: &["S61b", "S61e"],
    apply: |input, out| {
        if input.findings.return_to_or.is_none() || input.findings.complication.is_none() {
            return;
        }
        let codes: Vec<String> =
            out.lines
                .iter()
                .filter(|l| {
                    input.data.pfs.get(l.code).is_some_and(|r| {
                        matches!(r.global, GlobalPeriod::Zero | GlobalPeriod::Ten | GlobalPeriod::Ninety)
                    })
                })
                .map(|l| l.code.to_string())
                .collect();
        for c in codes {
            out.add_modifier(&c, "78");
        }
    },
};
