//! PTP002: a PTP pair with modifier indicator 1 where neither line carries an NCCI-associated
//! modifier: the column-two code is denied (NCCI policy manual ch. I §E; CR8863).

use interspace_refdata::PtpModifierIndicator;

use super::{deny, ptp};
use crate::check::PTP_BYPASS;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let lines = &c.claim.lines;
    ptp::pairs(c)
        .into_iter()
        .filter(|p| p.edit.modifier == PtpModifierIndicator::Allowed)
        .filter(|p| !PTP_BYPASS.iter().any(|m| lines[p.column1].has_modifier(m) || lines[p.column2].has_modifier(m)))
        .map(|p| {
            let mut f = deny(
                p.column2,
                &[p.column1],
                p.edit.column2.to_string(),
                format!(
                    "{} and {} form an NCCI PTP pair (modifier indicator 1) and neither carries a modifier such as XS or 59: {} is denied",
                    p.edit.column1, p.edit.column2, p.edit.column2
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
    fn fires_without_a_bypass_modifier() {
        assert_eq!(subjects(&on(run, &["22633", "63047"], &["M48.062"])), ["63047"]);
    }

    #[test]
    fn quiet_with_xs_on_either_line_or_an_indicator_0_pair() {
        assert!(on(run, &["22633", "63047-XS"], &["M48.062"]).is_empty());
        assert!(on(run, &["22633-59", "63047"], &["M48.062"]).is_empty());
        assert!(on(run, &["22551", "69990"], &["M50.122"]).is_empty());
    }

    #[test]
    fn quiet_across_dates_of_service() {
        let json = r#"{"claim_id": "T", "lines": [
            {"code": "22633", "date_of_service": "2025-03-14"},
            {"code": "63047", "date_of_service": "2025-03-15"}]}"#;
        assert!(super::super::test_support::on_json(run, json).is_empty());
    }
}
