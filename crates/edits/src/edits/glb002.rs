//! GLB002: a procedure inside the global period of the same physician's earlier surgery without
//! modifier 58, 78 or 79 (Medicare Claims Processing Manual ch. 12 §40.1–40.2).

use super::{deny, global};
use crate::check::is_procedure;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines_where(is_procedure) {
        if ["58", "78", "79"].iter().any(|m| l.has_modifier(m)) {
            continue;
        }
        if let Some((p, g, offset)) = global::covering(c, l.date_of_service) {
            out.push(deny(
                i,
                &[],
                l.code.to_string(),
                format!(
                    "{} on {} falls on {}: without 58 (staged), 78 (return to the OR for a complication) or 79 (unrelated) it is denied as part of the package",
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

    fn claim(line: &str) -> Vec<crate::Finding> {
        on_json(
            run,
            &format!(
                r#"{{"claim_id": "T", "date_of_service": "2025-04-20", "diagnoses": ["M43.16"], "lines": [{line}],
                    "history": [{{"date": "2025-03-14", "code": "22633"}}]}}"#
            ),
        )
    }

    #[test]
    fn fires_without_a_global_modifier() {
        assert_eq!(subjects(&claim(r#""22849""#)), ["22849"]);
    }

    #[test]
    fn quiet_with_78_or_79() {
        assert!(claim(r#""22849-78""#).is_empty());
        assert!(claim(r#""63030-79""#).is_empty());
    }
}
