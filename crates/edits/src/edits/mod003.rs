//! MOD003: an assistant-at-surgery modifier (80, 81, 82, AS) on a code whose assistant indicator
//! is 1 (never paid) or 9: the line is denied (RVU file ASST SURG; MCPM ch. 12 §20.4.3).

use interspace_refdata::AssistantSurgery;

use super::deny;
use crate::{Check, Finding};

pub(super) const ASSISTANT: &[&str] = &["80", "81", "82", "AS"];

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| ASSISTANT.iter().any(|m| l.has_modifier(m)))
        .filter_map(|(i, l)| {
            let r = c.rvu(l.code)?;
            matches!(r.assistant, AssistantSurgery::NotPaid | AssistantSurgery::NotApplicable).then(|| {
                deny(
                    i,
                    &[],
                    l.code.to_string(),
                    format!(
                        "Medicare does not pay an assistant at surgery for {} (assistant indicator {})",
                        l.code,
                        r.assistant.code()
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
    fn fires_where_assistants_are_not_paid() {
        assert_eq!(subjects(&on(run, &["22633-80", "20936-80"], &["M43.16"])), ["20936"]);
        assert!(on(run, &["22633-AS", "22840-82"], &["M43.16"]).is_empty());
    }
}
