//! SPN010: 63030/63042/63047/63048 with a posterior lumbar interbody fusion (22630, 22633): since
//! 2022, decompression at the interbody level is +63052/+63053; the older codes stay only for an
//! unfused level, marked XS or 59 (CPT 2022; NCCI PTP).

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let Some((fusion, _)) = c.lines_where(|x| x == "22630" || x == "22633").next() else { return Vec::new() };
    c.lines_where(|x| ["63030", "63042", "63047", "63048"].contains(&x))
        .filter(|(_, l)| !l.has_modifier("XS") && !l.has_modifier("59"))
        .map(|(i, l)| {
            note(
                vec![i, fusion],
                l.code.to_string(),
                format!(
                    "{} is reported with a posterior interbody fusion: at the fused level use +63052/+63053; at another level add XS",
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
    fn fires_unless_marked_as_another_level() {
        assert_eq!(subjects(&on(run, &["22633", "63047"], &["M48.062"])), ["63047"]);
        assert!(on(run, &["22633", "63047-XS"], &["M48.062"]).is_empty());
        assert!(on(run, &["22612", "63047"], &["M48.062"]).is_empty());
    }
}
