//! PTP001: a column-two code bundled into a column-one code with modifier indicator 0 — no
//! modifier bypasses the edit (NCCI policy manual ch. I; PTP edit file).

use interspace_refdata::PtpModifierIndicator;

use super::{deny, ptp};
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    ptp::pairs(c)
        .into_iter()
        .filter(|p| p.edit.modifier == PtpModifierIndicator::NotAllowed)
        .map(|p| {
            let mut f = deny(
                p.column2,
                &[p.column1],
                p.edit.column2.to_string(),
                format!(
                    "{} is bundled into {} on the same date (NCCI PTP, modifier indicator 0): {} is denied and no modifier bypasses the edit",
                    p.edit.column2, p.edit.column1, p.edit.column2
                ),
            );
            f.cites.push(ptp::cite(p.edit));
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_an_indicator_0_pair_even_with_a_modifier() {
        // 22551 / 69990 has modifier indicator 0 in the PTP file.
        assert_eq!(subjects(&run_on(&["22551", "69990-59"])), ["69990"]);
    }

    #[test]
    fn quiet_on_an_indicator_1_pair() {
        assert!(run_on(&["22633", "63047"]).is_empty());
    }

    fn run_on(lines: &[&str]) -> Vec<crate::Finding> {
        on(run, lines, &["M48.062"])
    }
}
