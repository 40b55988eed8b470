//! MOD008: modifier 62 on spinal instrumentation (22840–22848). CPT: instrumentation is reported
//! by the surgeon who placed it, without 62, although the CMS indicators would pay it.

use super::note;
use crate::check::in_range;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.has_modifier("62") && in_range(l.code.as_str(), "22840", "22848"))
        .map(|(i, l)| {
            note(
                vec![i],
                l.code.to_string(),
                format!("{}-62: instrumentation is reported by the surgeon who placed it, without 62", l.code),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_instrumentation_only() {
        assert_eq!(subjects(&on(run, &["22558-62", "22842-62"], &["M43.16"])), ["22842"]);
    }
}
