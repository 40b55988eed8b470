//! SPN006: 22854 without a corpectomy: 22854 is a device in a vertebral corpectomy defect; a
//! device in a disc space is 22853 (CPT 2017 device codes).

use super::deny;
use crate::check::in_ranges;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    if c.any(|x| in_ranges(x, &[("63081", "63091"), ("63101", "63103")])) {
        return Vec::new();
    }
    c.lines_where(|x| x == "22854")
        .map(|(i, _)| {
            deny(i, &[], "22854", "22854 (device in a corpectomy defect) is reported without a corpectomy code".into())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_without_a_corpectomy() {
        assert_eq!(subjects(&on(run, &["22551", "22854"], &["M50.022"])), ["22854"]);
        assert!(on(run, &["63081", "22554", "22854"], &["M50.022"]).is_empty());
    }
}
