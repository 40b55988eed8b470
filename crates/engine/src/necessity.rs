//! The medical-necessity packet of a lumbar fusion under LCD L37848: which indications the note
//! and the diagnoses support, with the note's words as evidence, and what is missing.
//!
//! The checklist is data (`data/knowledge/lcd_l37848.toml`); this module only finds phrases in
//! the note, skips negated ones ("no instability") and reports. It never decides coverage: items
//! only a reviewer can judge are listed as such.

use interspace_knowledge::{Knowledge, LcdCriterion};
use interspace_refdata::Dataset;
use serde::Serialize;

use crate::report::Evidence;

/// The packet `interspace prior-auth` prints.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NecessityPacket {
    pub policy: String,
    pub title: String,
    pub version: String,
    pub effective: String,
    pub contractor_article: String,
    /// Lumbar fusion codes proposed for the note that the policy's billing article lists.
    pub fusion_codes: Vec<String>,
    pub diagnoses: Vec<DiagnosisSupport>,
    pub general: Vec<CriterionCheck>,
    pub indications: Vec<IndicationCheck>,
    /// Indications with support and every phrase-checkable criterion documented.
    pub supported: Vec<String>,
    /// One line per missing item, for the surgeon's office.
    pub missing: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DiagnosisSupport {
    pub code: String,
    pub title: Option<String>,
    /// Indication ids this diagnosis supports.
    pub indications: Vec<String>,
    /// Where the code came from: `given` (command line, claim) or `note`.
    pub from: &'static str,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CriterionCheck {
    pub text: String,
    /// `documented`, `not found`, or `reviewer` when no phrase can show it.
    pub status: &'static str,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IndicationCheck {
    pub id: String,
    pub title: String,
    /// `supported` (pointed to by a diagnosis or the note, every checkable criterion documented),
    /// `partly documented` (pointed to, criteria missing) or `not documented`.
    pub status: &'static str,
    pub diagnoses: Vec<String>,
    pub note_evidence: Vec<Evidence>,
    pub criteria: Vec<CriterionCheck>,
}

/// Builds the packet for a note, its proposed codes and the diagnoses given with it.
pub fn packet(
    text: &str,
    proposed: &[String],
    given: &[String],
    data: &Dataset,
    knowledge: &Knowledge,
) -> NecessityPacket {
    let lcd = knowledge.lumbar_fusion_lcd();
    let lower = text.to_ascii_lowercase();
    let fusion_codes: Vec<String> =
        proposed.iter().filter(|c| lcd.codes.iter().any(|l| l.as_str() == c.as_str())).cloned().collect();

    let mut codes: Vec<(String, &'static str)> = given.iter().map(|d| (normalize(d), "given")).collect();
    for d in diagnosis_codes_in(text, data) {
        if !codes.iter().any(|(c, _)| *c == d) {
            codes.push((d, "note"));
        }
    }
    let diagnoses: Vec<DiagnosisSupport> = codes
        .iter()
        .map(|(c, from)| DiagnosisSupport {
            code: c.clone(),
            title: data.icd10cm.get(c).map(|x| x.title.to_string()),
            indications: lcd.indications.iter().filter(|i| i.supported_by(c)).map(|i| i.id.clone()).collect(),
            from,
        })
        .collect();

    let general: Vec<CriterionCheck> = lcd.general.iter().map(|c| criterion(text, &lower, c)).collect();
    let mut supported = Vec::new();
    let mut missing = Vec::new();
    let indications: Vec<IndicationCheck> = lcd
        .indications
        .iter()
        .map(|ind| {
            let dx: Vec<String> =
                diagnoses.iter().filter(|d| d.indications.contains(&ind.id)).map(|d| d.code.clone()).collect();
            let note_evidence: Vec<Evidence> =
                ind.note_concepts.iter().flat_map(|p| find(text, &lower, p)).take(3).collect();
            let criteria: Vec<CriterionCheck> = ind.criteria.iter().map(|c| criterion(text, &lower, c)).collect();
            let pointed = !dx.is_empty() || !note_evidence.is_empty();
            let checkable_met = criteria.iter().all(|c| c.status != "not found");
            let status = if pointed && checkable_met {
                supported.push(ind.id.clone());
                "supported"
            } else if pointed {
                for c in criteria.iter().filter(|c| c.status == "not found") {
                    missing.push(format!("{}: {}", ind.title, c.text));
                }
                "partly documented"
            } else {
                "not documented"
            };
            IndicationCheck {
                id: ind.id.clone(),
                title: ind.title.clone(),
                status,
                diagnoses: dx,
                note_evidence,
                criteria,
            }
        })
        .collect();
    if supported.is_empty() && !indications.iter().any(|i| i.status == "partly documented") {
        missing.push("No indication of the policy is documented: instability, symptomatic deformity, pseudarthrosis or neural compression needing disc excision.".into());
    }
    for c in general.iter().filter(|c| c.status == "not found") {
        missing.push(c.text.clone());
    }
    NecessityPacket {
        policy: lcd.policy.clone(),
        title: lcd.title.clone(),
        version: lcd.version.clone(),
        effective: lcd.effective.clone(),
        contractor_article: lcd.contractor_article.clone(),
        fusion_codes,
        diagnoses,
        general,
        indications,
        supported,
        missing,
        sources: lcd.sources.clone(),
    }
}

fn normalize(d: &str) -> String {
    d.trim().chars().filter(|c| *c != '.').map(|c| c.to_ascii_uppercase()).collect()
}

fn criterion(text: &str, lower: &str, c: &LcdCriterion) -> CriterionCheck {
    if c.evidence.is_empty() {
        return CriterionCheck { text: c.text.clone(), status: "reviewer", evidence: Vec::new() };
    }
    let evidence: Vec<Evidence> = c.evidence.iter().flat_map(|p| find(text, lower, p)).take(2).collect();
    CriterionCheck {
        text: c.text.clone(),
        status: if evidence.is_empty() { "not found" } else { "documented" },
        evidence,
    }
}

/// Words that negate a phrase when they come shortly before it in its sentence.
const NEGATIONS: &[&str] = &["no ", "not ", "without ", "denies ", "negative for ", "absence of ", "free of "];

/// The sentences that contain `phrase` (affirmed), as evidence quoting the sentence.
fn find(text: &str, lower: &str, phrase: &str) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find(phrase) {
        let at = from + k;
        from = at + phrase.len();
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let after_ok = lower.as_bytes().get(from).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !before_ok || !after_ok {
            continue;
        }
        let start = lower[..at].rfind(['.', '\n', ':']).map_or(0, |i| i + 1);
        let end = lower[from..].find(['.', '\n']).map_or(lower.len(), |i| from + i);
        let window = &lower[start.max(at.saturating_sub(40))..at];
        if NEGATIONS.iter().any(|n| window.contains(n)) {
            continue;
        }
        let (s, e) = trim(text, start, end);
        if !out.iter().any(|x: &Evidence| x.start == s) && text.is_char_boundary(s) && text.is_char_boundary(e) {
            out.push(Evidence { start: s, end: e, text: text[s..e].to_string() });
        }
    }
    out
}

fn trim(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// ICD-10-CM codes written in the note ("M43.16", "M48.062") that the code set knows.
fn diagnosis_codes_in(text: &str, data: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']')) {
        let w = w.trim_end_matches(['.', ':']);
        let b = w.as_bytes();
        // Written with the dot, as notes do: letter, digit, digit or letter, dot, more.
        let shaped = b.len() >= 5
            && b.len() <= 8
            && b[0].is_ascii_uppercase()
            && b[1].is_ascii_digit()
            && b[2].is_ascii_alphanumeric()
            && b[3] == b'.';
        if shaped
            && let Some(cm) = data.icd10cm.get(w)
            && !out.contains(&cm.code.replace('.', ""))
        {
            out.push(cm.code.replace('.', ""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_affirmed_phrases_only() {
        let t = "Indications: grade 1 spondylolisthesis at L4-5. There is no instability at L3-4.";
        let l = t.to_ascii_lowercase();
        assert_eq!(find(t, &l, "spondylolisthesis")[0].text, "grade 1 spondylolisthesis at L4-5");
        assert!(find(t, &l, "instability").is_empty());
    }
}
