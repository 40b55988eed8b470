//! MOD004: an assistant-at-surgery modifier on a code whose assistant indicator is 0: paid only
//! with documentation of medical necessity (RVU file ASST SURG).

use interspace_refdata::AssistantSurgery;

use super::mod003::ASSISTANT;
use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter(|(_, l)| ASSISTANT.iter().any(|m| l.has_modifier(m)))
        .filter(|(_, l)| c.rvu(l.code).is_some_and(|r| r.assistant == AssistantSurgery::DocumentationRequired))
        .map(|(i, l)| {
            note(
                vec![i],
                l.code.to_string(),
                format!(
                    "an assistant for {} is paid only with documentation of medical necessity (assistant indicator 0)",
                    l.code
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_indicator_0_only() {
        assert_eq!(subjects(&on(run, &["22633-80", "61783-80"], &["M43.16"])), ["61783"]);
    }
}
