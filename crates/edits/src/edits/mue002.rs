//! MUE002: units of a code summed over the lines of one date of service exceed its MUE when the
//! adjudication indicator is 2 (policy) or 3 (clinical): the excess is denied (MUE table).

use std::collections::BTreeMap;

use interspace_refdata::Hcpcs;
use jiff::civil::Date;

use crate::{Check, Effect, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut by_day: BTreeMap<(Hcpcs, Date), Vec<usize>> = BTreeMap::new();
    for (i, l) in c.lines() {
        by_day.entry((l.code, l.date_of_service)).or_default().push(i);
    }
    let mut out = Vec::new();
    for ((code, date), lines) in by_day {
        let Some(mue) = c.data.mue.get(code) else { continue };
        if !mue.adjudication.sums_lines() {
            continue;
        }
        let total: u32 = lines.iter().map(|i| c.claim.lines[*i].units).sum();
        if total <= mue.units {
            continue;
        }
        // Units are paid in line order up to the limit; the last line over it is cut.
        let mut left = mue.units;
        let mut cut = (lines[0], 0);
        for &i in &lines {
            let units = c.claim.lines[i].units;
            if units > left {
                cut = (i, left);
                break;
            }
            left -= units;
        }
        out.push(Finding {
            lines: lines.clone(),
            subject: code.to_string(),
            message: format!(
                "{code} is billed for {total} units on {date}; its MUE is {} ({}), so {} units are denied",
                mue.units,
                mue.adjudication.meaning(),
                total - mue.units
            ),
            cites: vec![format!("ncci_mue.csv line {}: {} MUE {} ({})", mue.line, mue.hcpcs, mue.units, mue.rationale)],
            effect: Effect::DenyUnits { line: cut.0, allowed_units: cut.1 },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;
    use crate::Effect;

    #[test]
    fn sums_units_across_lines() {
        // 63047: MUE 1, indicator 2; 22853: MUE 4, indicator 3.
        let f = on(run, &["63047", "63047-XS"], &["M48.062"]);
        assert_eq!(subjects(&f), ["63047"]);
        assert_eq!(f[0].effect, Effect::DenyUnits { line: 1, allowed_units: 0 });
        let f = on(run, &["22853x3", "22853x2"], &["M48.062"]);
        assert_eq!(f[0].effect, Effect::DenyUnits { line: 1, allowed_units: 1 });
    }

    #[test]
    fn quiet_at_the_limit() {
        assert!(on(run, &["22853x2", "22853x2", "63047"], &["M48.062"]).is_empty());
    }
}
