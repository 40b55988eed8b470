//! SPN005: 69990 with no procedure for which CMS pays the operating microscope separately
//! (Medicare Claims Processing Manual ch. 12 §20.4.5).

use super::deny;
use crate::check::in_ranges;
use crate::{Check, Finding};

/// The procedures MCPM ch. 12 §20.4.5 lists for separate 69990 payment.
const MICROSCOPE_PAID_WITH: &[(&str, &str)] = &[
    ("61304", "61546"),
    ("61550", "61711"),
    ("62010", "62100"),
    ("63081", "63308"),
    ("63704", "63710"),
    ("64831", "64831"),
    ("64834", "64836"),
    ("64840", "64858"),
    ("64861", "64870"),
    ("64885", "64891"),
    ("64905", "64907"),
];

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    if c.any(|x| in_ranges(x, MICROSCOPE_PAID_WITH)) {
        return Vec::new();
    }
    c.lines_where(|x| x == "69990")
        .map(|(i, _)| {
            deny(
                i,
                &[],
                "69990",
                "69990 is paid separately only with the procedures CMS lists (e.g. corpectomy 63081–63091, intradural work); none is on the claim".into(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_without_a_listed_procedure() {
        assert_eq!(subjects(&on(run, &["63030", "69990"], &["M51.16"])), ["69990"]);
        assert!(on(run, &["63081", "69990"], &["M50.022"]).is_empty());
    }
}
