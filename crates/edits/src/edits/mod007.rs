//! MOD007: a code whose Medicare status is not payable as billed — bundled (B), not valid for
//! Medicare (I), non-covered (N) — or priced by the contractor (C) (RVU file status code).

use interspace_refdata::StatusCode;

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter_map(|(i, l)| {
            let r = c.rvu(l.code)?;
            matches!(
                r.status,
                StatusCode::Bundled | StatusCode::NotValid | StatusCode::NonCovered | StatusCode::CarrierPriced
            )
            .then(|| {
                note(
                    vec![i],
                    l.code.to_string(),
                    format!("{} has Medicare status {}: {}", l.code, r.status.code(), r.status.meaning()),
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
    fn fires_on_bundled_and_carrier_priced_codes() {
        // 20936 is status B, 0095T status C in RVU25D.
        assert_eq!(subjects(&on(run, &["22633", "20936", "0095T"], &["M43.16"])), ["0095T", "20936"]);
        assert!(on(run, &["22633", "69990"], &["M43.16"]).is_empty());
    }
}
