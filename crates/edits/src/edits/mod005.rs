//! MOD005: modifier 50 on a code whose bilateral indicator is not 1 — the code is not bilateral,
//! or its values already assume both sides (RVU file BILAT SURG).

use interspace_refdata::BilateralSurgery;

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.has_modifier("50"))
        .filter_map(|(i, l)| {
            let r = c.rvu(l.code)?;
            (r.bilateral != BilateralSurgery::Bilateral150).then(|| {
                note(
                    vec![i],
                    l.code.to_string(),
                    format!("{}-50: modifier 50 does not apply ({})", l.code, r.bilateral.meaning()),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_unless_the_indicator_is_1() {
        assert_eq!(subjects(&on(run, &["63047-50", "63030-50"], &["M48.062"])), ["63047"]);
    }
}
