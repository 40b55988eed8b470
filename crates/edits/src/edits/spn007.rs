//! SPN007: a deleted code, with its replacement (knowledge base `deleted_codes.toml`).

use super::deny;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    c.lines()
        .filter_map(|(i, l)| {
            let d = c.knowledge.deleted(l.code)?;
            let since = d.deleted_in.map(|y| format!(" in {y}")).unwrap_or_default();
            let by: Vec<String> = d.replaced_by.iter().map(ToString::to_string).collect();
            let with = if by.is_empty() { String::new() } else { format!("; use {}", by.join(" or ")) };
            Some(deny(i, &[], l.code.to_string(), format!("{} was deleted{since}{with}", l.code)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_on_deleted_codes() {
        assert_eq!(subjects(&on(run, &["22633", "22851"], &["M43.16"])), ["22851"]);
        assert!(on(run, &["22633", "22853"], &["M43.16"]).is_empty());
    }
}
