//! GLB003: a procedure inside a global period for a complication (T81.-, T84.-) that does not
//! carry 78, the modifier of an unplanned return to the OR (Medicare Claims Processing Manual
//! ch. 12 §40.1.A).

use super::{global, note};
use crate::check::is_procedure;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines_where(is_procedure) {
        if l.has_modifier("78") {
            continue;
        }
        let complication =
            c.diagnoses_of(l).into_iter().find(|(d, _)| d.starts_with("T81") || d.starts_with("T84")).map(|(d, _)| d);
        let Some(dx) = complication else { continue };
        if let Some((p, g, offset)) = global::covering(c, l.date_of_service) {
            out.push(note(
                vec![i],
                l.code.to_string(),
                format!(
                    "{} on {} treats a complication ({dx}) on {} but does not carry 78",
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

    fn claim(line: &str, dx: &str) -> Vec<crate::Finding> {
        on_json(
            run,
            &format!(
                r#"{{"claim_id": "T", "date_of_service": "2025-04-20", "diagnoses": ["{dx}"], "lines": [{line}],
                    "history": [{{"date": "2025-03-14", "code": "22633"}}]}}"#
            ),
        )
    }

    #[test]
    fn fires_for_a_complication_without_78() {
        assert_eq!(subjects(&claim(r#""22849-79""#, "T84.216A")), ["22849"]);
    }

    #[test]
    fn quiet_with_78_or_without_a_complication() {
        assert!(claim(r#""22849-78""#, "T84.216A").is_empty());
        assert!(claim(r#""22849-79""#, "M96.0").is_empty());
    }
}
