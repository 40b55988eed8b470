//! AOC002: modifier 51 on an add-on code; add-ons are exempt from the multiple-procedure rule
//! (RVU file global period ZZZ; CPT Appendix D).

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.has_modifier("51"))
        .filter(|(_, l)| c.data.aoc.get(l.code).is_some() || c.rvu(l.code).is_some_and(|r| r.global.is_add_on()))
        .map(|(i, l)| note(vec![i], l.code.to_string(), format!("modifier 51 is appended to add-on {}", l.code)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_add_ons_only() {
        assert_eq!(subjects(&on(run, &["22633", "22634-51", "63047-51"], &["M43.16"])), ["22634"]);
    }
}
