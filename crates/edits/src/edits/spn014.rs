//! SPN014: more than one primary of the posterior/posterolateral family (22600, 22610, 22612) in
//! one session; the family takes one primary and +22614 per additional interspace (CPT).

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut seen = false;
    let mut out = Vec::new();
    for (i, l) in c.lines_where(|x| ["22600", "22610", "22612"].contains(&x)) {
        if seen || l.units > 1 {
            out.push(note(
                vec![i],
                l.code.to_string(),
                format!("{} repeats the posterior fusion primary: report additional interspaces with +22614", l.code),
            ));
        }
        seen = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_a_second_primary() {
        assert_eq!(subjects(&on(run, &["22600", "22612"], &["M43.16"])), ["22612"]);
        assert_eq!(subjects(&on(run, &["22612x2"], &["M43.16"])), ["22612"]);
        assert!(on(run, &["22612", "22614x2"], &["M43.16"]).is_empty());
    }
}
