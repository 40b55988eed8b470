//! MOD001: modifier 62 on a code whose CMS co-surgeon indicator is 0 (not permitted) or 9 (does
//! not apply): the line is denied (RVU file CO SURG indicator; MCPM ch. 12 §40.8).

use interspace_refdata::CoSurgery;

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.has_modifier("62"))
        .filter_map(|(i, l)| {
            let r = c.rvu(l.code)?;
            matches!(r.co_surgery, CoSurgery::NotPermitted | CoSurgery::NotApplicable).then(|| {
                deny(
                    i,
                    &[],
                    l.code.to_string(),
                    format!(
                        "{}-62: co-surgeons are not paid for {} (co-surgeon indicator {})",
                        l.code,
                        l.code,
                        r.co_surgery.code()
                    ),
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
    fn fires_where_the_indicator_forbids_62() {
        assert_eq!(subjects(&on(run, &["22558-62", "61783-62"], &["M43.16"])), ["61783"]);
        assert!(on(run, &["22558-62", "22585-62"], &["M43.16"]).is_empty());
    }
}
