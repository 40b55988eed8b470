//! AOC001: an add-on code without any primary the NCCI add-on code edit file allows it with, on
//! the same date (add-on edit types 1 and 3; type 2 leaves the primary to the contractor).

use interspace_refdata::AocType;

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines() {
        let Some(edit) = c.data.aoc.get(l.code) else { continue };
        if edit.kind == AocType::ContractorDefined {
            continue;
        }
        let has_primary =
            c.claim.lines.iter().any(|p| p.date_of_service == l.date_of_service && edit.primaries.contains(&p.code));
        if !has_primary {
            let mut shown: Vec<String> = edit.primaries.iter().take(8).map(ToString::to_string).collect();
            if edit.primaries.len() > shown.len() {
                shown.push(format!("… {} in all", edit.primaries.len()));
            }
            let mut f = deny(
                i,
                &[],
                l.code.to_string(),
                format!(
                    "add-on {} has none of its primary codes on {} (allowed with {}): the add-on is denied",
                    l.code,
                    l.date_of_service,
                    shown.join(", ")
                ),
            );
            f.cites.push(format!("ncci_aoc.csv: {} edit type {}", l.code, edit.kind.code()));
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_when_the_primary_is_missing_or_wrong() {
        // +22614 may follow 22633 (a further posterolateral-only level) but +22634 may not follow 22630.
        assert_eq!(subjects(&on(run, &["22630", "22634", "22614"], &["M43.16"])), ["22634"]);
        assert_eq!(subjects(&on(run, &["22552"], &["M50.122"])), ["22552"]);
    }

    #[test]
    fn quiet_with_an_allowed_primary_or_a_contractor_defined_add_on() {
        assert!(on(run, &["22633", "22634", "22853x2", "20936"], &["M43.16"]).is_empty());
        assert!(on(run, &["61783"], &["M48.062"]).is_empty());
    }
}
