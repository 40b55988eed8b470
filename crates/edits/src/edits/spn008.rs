//! SPN008: a spine-family code the fee schedule of the date of service does not list (RVU file),
//! unless it is a known deleted code (SPN007 says what replaced it). Codes outside the spine
//! family are not judged: the shipped RVU extract holds only the spine family, so their absence
//! proves nothing (the scrub's caveats say so). A code of a shape no code set uses (`ABCDE`) is
//! never a code, spine or not.

use interspace_refdata::import::is_spine_code;

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| {
            (is_spine_code(l.code) || l.code.kind().is_none())
                && c.rvu(l.code).is_none()
                && c.knowledge.deleted(l.code).is_none()
        })
        .map(|(i, l)| {
            let message = if l.code.kind().is_none() {
                format!(
                    "{} is not a CPT or HCPCS code: codes are five digits (22633), four digits and F or T (0202T), or a letter and four digits (G0453)",
                    l.code
                )
            } else {
                format!(
                    "{} is not in the {} physician fee schedule loaded for {}",
                    l.code, c.data.year, l.date_of_service
                )
            };
            deny(i, &[], l.code.to_string(), message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_unknown_spine_codes_only() {
        // 22898 is in the spine range but not a code; 99213 is outside the spine extract;
        // 22851 is deleted (SPN007).
        assert_eq!(subjects(&on(run, &["22633", "22898", "99213", "22851"], &["M43.16"])), ["22898"]);
        // A shape no code set uses is never a code.
        assert_eq!(subjects(&on(run, &["22633", "ABCDE", "9999Z"], &["M43.16"])), ["9999Z", "ABCDE"]);
    }
}
