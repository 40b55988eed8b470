//! MOD002: modifier 62 on a code whose co-surgeon indicator is 1: paid only with documentation
//! that two surgeons were needed (RVU file CO SURG indicator).

use interspace_refdata::CoSurgery;

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.has_modifier("62"))
        .filter(|(_, l)| c.rvu(l.code).is_some_and(|r| r.co_surgery == CoSurgery::DocumentationRequired))
        .map(|(i, l)| {
            note(
                vec![i],
                l.code.to_string(),
                format!("{}-62 is paid only with documentation that two surgeons were medically necessary (co-surgeon indicator 1)", l.code),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_indicator_1_only() {
        assert_eq!(subjects(&on(run, &["27279-62", "22558-62"], &["M46.1"])), ["27279"]);
    }
}
