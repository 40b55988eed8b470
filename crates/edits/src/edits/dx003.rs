//! DX003: a diagnosis code that is not in the ICD-10-CM code set loaded.

use super::dx002::pointing_to;
use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.claim
        .diagnoses
        .iter()
        .enumerate()
        .filter(|(_, d)| c.data.icd10cm.get(d).is_none())
        .map(|(k, d)| {
            note(pointing_to(c, k), d.clone(), format!("{d} is not an ICD-10-CM code in the code set loaded"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_unknown_codes() {
        assert_eq!(subjects(&on(run, &["22633"], &["M43.16", "M99.99"])), ["M9999"]);
    }
}
