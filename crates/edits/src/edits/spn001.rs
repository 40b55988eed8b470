//! SPN001: 22586 with a service its descriptor includes — bone graft (20930–20938), posterior
//! instrumentation (22840, 22848) or imaging guidance (77002, 77003, 77011, 77012). CPT 22586.

use super::deny;
use crate::check::in_range;
use crate::{Check, Finding};

fn included(code: &str) -> bool {
    in_range(code, "20930", "20938") || ["22840", "22848", "77002", "77003", "77011", "77012"].contains(&code)
}

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let Some((presacral, _)) = c.lines_where(|x| x == "22586").next() else { return Vec::new() };
    c.lines_where(included)
        .map(|(i, l)| {
            deny(
                i,
                &[presacral],
                l.code.to_string(),
                format!(
                    "{} is included in 22586, whose value covers graft, posterior instrumentation and imaging guidance",
                    l.code
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_included_services_with_22586_only() {
        assert_eq!(subjects(&on(run, &["22586", "22840", "20936", "22853"], &["M43.17"])), ["20936", "22840"]);
        assert!(on(run, &["22558", "22840", "20936"], &["M43.17"]).is_empty());
    }
}
