//! LCD001: a lumbar fusion on a Medicare claim whose diagnoses support none of the four
//! indications of LCD L37848 (knowledge base `lcd_l37848.toml`, from the compendium §9).

use interspace_claim::Payer;

use super::note;
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    if c.claim.payer != Payer::Medicare {
        return Vec::new();
    }
    let lcd = c.knowledge.lumbar_fusion_lcd();
    let Some((i, l)) = c.lines().find(|(_, l)| lcd.codes.contains(&l.code)) else { return Vec::new() };
    let supported = c.claim.diagnoses.iter().any(|d| lcd.indications.iter().any(|x| x.supported_by(d)));
    if supported {
        return Vec::new();
    }
    vec![note(
        vec![i],
        l.code.to_string(),
        format!(
            "{} is a lumbar fusion under LCD {} v{} but no diagnosis supports instability, deformity, pseudarthrosis or neural compression",
            l.code, lcd.policy, lcd.version
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, on_json, subjects};
    use super::run;

    #[test]
    fn fires_without_a_supporting_diagnosis() {
        assert_eq!(subjects(&on(run, &["22612", "22840"], &["M54.50"])), ["22612"]);
        assert!(on(run, &["22612", "22840"], &["M54.50", "M43.16"]).is_empty());
        assert!(on(run, &["22551"], &["M54.2"]).is_empty());
    }

    #[test]
    fn applies_to_medicare_only() {
        let json = r#"{"claim_id": "T", "payer": "Acme Health", "date_of_service": "2025-03-14",
            "diagnoses": ["M54.50"], "lines": ["22612"]}"#;
        assert!(on_json(run, json).is_empty());
    }
}
