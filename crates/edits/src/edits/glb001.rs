//! GLB001: an evaluation and management visit inside the global period of the same physician's
//! surgery without modifier 24, 25 or 57 (Medicare Claims Processing Manual ch. 12 §30.6, §40).

use super::{deny, global};
use crate::check::is_evaluation;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines_where(is_evaluation) {
        if ["24", "25", "57"].iter().any(|m| l.has_modifier(m)) {
            continue;
        }
        if let Some((p, g, offset)) = global::covering(c, l.date_of_service) {
            out.push(deny(
                i,
                &[],
                l.code.to_string(),
                format!(
                    "visit {} on {} falls on {}: it is part of the surgical package unless 24, 25 or 57 applies",
                    l.code,
                    l.date_of_service,
                    global::describe(p, g, offset)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on_json, subjects};
    use super::run;

    fn visit(date: &str, modifiers: &str) -> Vec<crate::Finding> {
        on_json(
            run,
            &format!(
                r#"{{"claim_id": "T", "diagnoses": ["M43.16"], "lines": [{{"code": "99213", "date_of_service": "{date}", "modifiers": [{modifiers}]}}],
                    "history": [{{"date": "2025-03-14", "code": "22633"}}]}}"#
            ),
        )
    }

    #[test]
    fn fires_inside_the_90_days_and_the_day_before() {
        assert_eq!(subjects(&visit("2025-04-02", "")), ["99213"]);
        assert_eq!(subjects(&visit("2025-03-13", "")), ["99213"]);
        assert_eq!(subjects(&visit("2025-06-12", "")), ["99213"]);
    }

    #[test]
    fn quiet_outside_or_with_24() {
        assert!(visit("2025-06-13", "").is_empty());
        assert!(visit("2025-03-12", "").is_empty());
        assert!(visit("2025-04-02", r#""24""#).is_empty());
    }
}
