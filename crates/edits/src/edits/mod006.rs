//! MOD006: more than one unit of a code reported once per procedure or per operative session
//! (the code page's counting unit, from the CPT descriptor); extra units are denied. Graft codes
//! are SPN009's.

use interspace_knowledge::CountingUnit;

use crate::check::in_range;
use crate::{Check, Effect, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.units > 1 && !in_range(l.code.as_str(), "20930", "20939"))
        .filter_map(|(i, l)| {
            let page = c.page(l.code)?;
            matches!(page.unit, CountingUnit::Procedure | CountingUnit::Session).then(|| Finding {
                lines: vec![i],
                subject: l.code.to_string(),
                message: format!("{} is reported {}, but the line has {} units", l.code, page.unit.label(), l.units),
                cites: Vec::new(),
                effect: Effect::DenyUnits { line: i, allowed_units: 1 },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_per_session_codes_only() {
        assert_eq!(subjects(&on(run, &["22633", "61783x2", "20936x2", "22853x2"], &["M43.16"])), ["61783"]);
    }
}
