//! DX002: an ICD-10-CM code that is a category or subcategory heading, not a billable code
//! (ICD-10-CM tabular list; e.g. M51.36 since FY2025).

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (k, d) in c.claim.diagnoses.iter().enumerate() {
        let Some(cm) = c.data.icd10cm.get(d) else { continue };
        if cm.billable {
            continue;
        }
        let choices: Vec<String> = c.data.icd10cm.billable_children(d).take(6).map(|x| x.code.to_string()).collect();
        let lines = pointing_to(c, k);
        out.push(note(
            lines,
            d.clone(),
            format!(
                "{} ({}) is a heading, not a billable code; use a more specific code{}",
                cm.code,
                cm.title,
                if choices.is_empty() { String::new() } else { format!(": {}", choices.join(", ")) }
            ),
        ));
    }
    out
}

/// Lines that point to diagnosis `k` (0-based).
pub(super) fn pointing_to(c: &Check<'_>, k: usize) -> Vec<usize> {
    c.lines().filter(|(_, l)| l.diagnosis_pointers.iter().any(|p| usize::from(*p) == k + 1)).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_headings() {
        assert_eq!(subjects(&on(run, &["22633"], &["M51.36", "M43.16"])), ["M5136"]);
        assert!(on(run, &["22633"], &["M51.362"]).is_empty());
    }
}
