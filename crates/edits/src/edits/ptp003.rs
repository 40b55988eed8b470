//! PTP003: a date of service outside the period of the loaded PTP release, so edits added or
//! deleted since are not checked (the shipped extract is one quarter and has no effective dates).

use interspace_refdata::TableKind;

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let Some(table) = c.data.table(TableKind::NcciPtp) else { return Vec::new() };
    let Some([from, to]) = table.period else { return Vec::new() };
    let outside: Vec<usize> =
        c.lines().filter(|(_, l)| l.date_of_service < from || l.date_of_service > to).map(|(i, _)| i).collect();
    if outside.is_empty() {
        return Vec::new();
    }
    vec![note(
        outside,
        String::new(),
        format!(
            "the PTP edits loaded cover dates of service {from} to {to} ({}); edits added or deleted after that are not checked",
            table.version
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::test_support::on_json;
    use super::run;

    #[test]
    fn fires_outside_the_release_quarter_only() {
        let at = |d: &str| {
            on_json(run, &format!(r#"{{"claim_id": "T", "date_of_service": "{d}", "lines": ["22633"]}}"#)).len()
        };
        assert_eq!(at("2025-03-14"), 1);
        assert_eq!(at("2024-08-01"), 0);
    }
}
