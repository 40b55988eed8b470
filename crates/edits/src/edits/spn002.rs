//! SPN002: 22612 and 22630 on one claim, where CPT's combined code 22633 describes posterolateral
//! and posterior interbody fusion of the same interspace.

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let posterolateral = c.lines_where(|x| x == "22612").next();
    let interbody = c.lines_where(|x| x == "22630").next();
    match (posterolateral, interbody) {
        (Some((a, _)), Some((b, _))) => vec![note(
            vec![b, a],
            "22630",
            "22612 and 22630 are reported together: when both techniques fuse the same interspace, report 22633".into(),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_the_split_pair_only() {
        assert_eq!(subjects(&on(run, &["22612", "22630"], &["M43.16"])), ["22630"]);
        assert!(on(run, &["22633", "22614"], &["M43.16"]).is_empty());
    }
}
