//! DX004: an unspecified ICD-10-CM code where payers want the region, level, side or type the
//! note documents (ICD-10-CM guideline I.B.18: use the most specific code).

use super::dx002::pointing_to;
use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.claim
        .diagnoses
        .iter()
        .enumerate()
        .filter_map(|(k, d)| {
            let cm = c.data.icd10cm.get(d)?;
            (cm.billable && cm.title.to_ascii_lowercase().contains("unspecified")).then(|| {
                note(pointing_to(c, k), d.clone(), format!("{} ({}) is an unspecified code", cm.code, cm.title))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_unspecified_codes() {
        assert_eq!(subjects(&on(run, &["63047"], &["M48.00", "M48.062"])), ["M4800"]);
    }
}
