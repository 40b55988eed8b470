//! SPN003: 63075 or 22554 with 22551, which already includes the anterior discectomy and
//! decompression of its interspace (CPT 22551). A 63075 marked distinct (XS, 59) is taken as
//! another interspace, decompressed without fusion.

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let Some((acdf, _)) = c.lines_where(|x| x == "22551").next() else { return Vec::new() };
    c.lines_where(|x| x == "63075" || x == "22554")
        .filter(|(_, l)| !(l.code.as_str() == "63075" && (l.has_modifier("XS") || l.has_modifier("59"))))
        .map(|(i, l)| {
            deny(
                i,
                &[acdf],
                l.code.to_string(),
                format!(
                    "{} is reported with 22551, which includes the discectomy and fusion of its interspace",
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
    fn fires_unless_marked_distinct() {
        assert_eq!(subjects(&on(run, &["22551", "63075", "22554"], &["M50.122"])), ["22554", "63075"]);
        assert!(on(run, &["22551", "63075-XS"], &["M50.122"]).is_empty());
    }
}
