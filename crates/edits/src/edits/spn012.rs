//! SPN012: neurophysiology monitoring (95940, 95941, G0453) billed by the operating surgeon; it
//! is part of the surgeon's global package (NCCI policy manual ch. XI; compendium §4.5).

use interspace_claim::Role;

use super::deny;
use crate::check::is_procedure;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    if !c.any(is_procedure) {
        return Vec::new();
    }
    c.lines_where(|x| ["95940", "95941", "G0453"].contains(&x))
        .filter(|(_, l)| l.role != Role::Monitoring)
        .map(|(i, l)| {
            deny(
                i,
                &[],
                l.code.to_string(),
                format!(
                    "{} is billed on the operating surgeon's claim; only a separate monitoring professional reports it",
                    l.code
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, on_json, subjects};
    use super::run;

    #[test]
    fn fires_for_the_surgeon_not_the_monitoring_professional() {
        assert_eq!(subjects(&on(run, &["22633", "95940x4"], &["M43.16"])), ["95940"]);
        let json = r#"{"claim_id": "T", "date_of_service": "2025-03-14", "lines": [
            "22633", {"code": "95940", "units": 4, "role": "monitoring"}]}"#;
        assert!(on_json(run, json).is_empty());
    }
}
