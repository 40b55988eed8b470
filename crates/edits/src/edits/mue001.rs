//! MUE001: a line with more units than the code's MUE when the adjudication indicator is 1
//! (claim-line edit): the whole line is denied (NCCI MUE policy; MUE table).

use interspace_refdata::MueAdjudication;

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines() {
        let Some(mue) = c.data.mue.get(l.code) else { continue };
        if mue.adjudication == MueAdjudication::Line && l.units > mue.units {
            let mut f = deny(
                i,
                &[],
                l.code.to_string(),
                format!(
                    "{} is billed with {} units on one line; its MUE is {} (claim-line edit), so the whole line is denied",
                    l.code, l.units, mue.units
                ),
            );
            f.cites
                .push(format!("ncci_mue.csv line {}: {} MUE {} ({})", mue.line, mue.hcpcs, mue.units, mue.rationale));
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, on_with_mue, subjects};
    use super::run;

    #[test]
    fn fires_over_a_line_limit_only() {
        // The shipped spine MUEs are all date-of-service edits; this table has a claim-line one.
        let csv = "mue_effective,hcpcs,practitioner_mue_units,mue_adjudication_indicator,mue_rationale\n\
                   2024-07-01,63048,2,1,Clinical: Data\n";
        assert_eq!(subjects(&on_with_mue(run, csv, &["63047", "63048x3"])), ["63048"]);
        assert!(on_with_mue(run, csv, &["63047", "63048x2", "63048x2"]).is_empty());
        assert!(on(run, &["63047x2"], &["M48.062"]).is_empty());
    }
}
