//! SPN013: +61783 with a code whose descriptor includes imaging guidance (22586, 22510–22515).

use super::note;
use crate::check::in_range;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let Some((with, code)) = c.lines_where(|x| x == "22586" || in_range(x, "22510", "22515")).next() else {
        return Vec::new();
    };
    c.lines_where(|x| x == "61783")
        .map(|(i, _)| {
            note(
                vec![i, with],
                "61783",
                format!("61783 is reported with {}, whose descriptor includes imaging guidance", code.code),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_with_imaging_inclusive_codes() {
        assert_eq!(subjects(&on(run, &["22513", "61783"], &["M80.08XA"])), ["61783"]);
        assert!(on(run, &["22633", "61783"], &["M43.16"]).is_empty());
    }
}
