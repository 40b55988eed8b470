//! SPN004: 22853 with 20931: a structural allograft spacer is bone graft (20931, once per
//! session), not a biomechanical device, unless a separate cage was also placed (CPT 2017
//! device guidance).

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let device = c.lines_where(|x| x == "22853").next();
    let structural = c.lines_where(|x| x == "20931").next();
    match (device, structural) {
        (Some((a, _)), Some((b, _))) => vec![note(
            vec![a, b],
            "22853",
            "22853 and 20931 are both reported: check the implant record — a structural allograft spacer is 20931, not 22853".into(),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_both_codes_only() {
        assert_eq!(subjects(&on(run, &["22551", "22853", "20931"], &["M50.122"])), ["22853"]);
        assert!(on(run, &["22551", "20931"], &["M50.122"]).is_empty());
    }
}
