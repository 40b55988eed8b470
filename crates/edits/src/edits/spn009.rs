//! SPN009: a spine bone graft code (20930–20939) with more than one unit; each is reported once
//! per operative session whatever the number of levels (CPT graft guidelines).

use crate::check::in_range;
use crate::{Check, Effect, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines_where(|x| in_range(x, "20930", "20939"))
        .filter(|(_, l)| l.units > 1)
        .map(|(i, l)| Finding {
            lines: vec![i],
            subject: l.code.to_string(),
            message: format!("{} is reported once per operative session; the line has {} units", l.code, l.units),
            cites: Vec::new(),
            effect: Effect::DenyUnits { line: i, allowed_units: 1 },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_over_one_unit() {
        assert_eq!(subjects(&on(run, &["22633", "20936x2", "20930"], &["M43.16"])), ["20936"]);
    }
}
