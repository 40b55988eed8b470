//! DX005: a procedure line with no diagnosis pointer (837P SV107 is required; CMS-1500 item 24E).

use super::note;
use crate::check::is_procedure;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| l.diagnosis_pointers.is_empty() && (is_procedure(l.code.as_str()) || c.page(l.code).is_some()))
        .map(|(i, l)| note(vec![i], l.code.to_string(), format!("{} points to no diagnosis", l.code)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, on_json, subjects};
    use super::run;

    #[test]
    fn fires_on_lines_without_pointers() {
        let json = r#"{"claim_id": "T", "date_of_service": "2025-03-14", "diagnoses": ["M43.16"],
            "lines": [{"code": "22633", "diagnosis_pointers": []}, "22853"]}"#;
        assert_eq!(subjects(&on_json(run, json)), ["22633"]);
        assert_eq!(subjects(&on(run, &["22633"], &[])), ["22633"]);
        assert!(on(run, &["22633"], &["M43.16"]).is_empty());
    }
}
