//! Running one edit over a claim written in the JSON schema.

use std::sync::LazyLock;

use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;

use crate::{Check, Finding};

static DATA: LazyLock<RefData> = LazyLock::new(|| RefData::load_embedded().unwrap());
static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(|| Knowledge::load_embedded().unwrap());

/// Runs `run` over a claim given as `(lines, diagnoses)` dated 2025-03-14.
pub(crate) fn on(run: fn(&Check<'_>) -> Vec<Finding>, lines: &[&str], diagnoses: &[&str]) -> Vec<Finding> {
    let json = serde_json::json!({
        "claim_id": "T1",
        "date_of_service": "2025-03-14",
        "diagnoses": diagnoses,
        "lines": lines,
    });
    on_json(run, &json.to_string())
}

/// Runs `run` over a claim in the JSON schema.
pub(crate) fn on_json(run: fn(&Check<'_>) -> Vec<Finding>, json: &str) -> Vec<Finding> {
    let claims = interspace_claim::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let claim = &claims[0];
    let year = claim.lines[0].date_of_service.year();
    // Dates before the first loaded year are checked against it (PTP003's quarter test).
    let data = DATA.year(year).or_else(|| DATA.year(2025)).unwrap();
    run(&Check::new(claim, data, &KNOWLEDGE))
}

/// The subjects of the findings, sorted.
pub(crate) fn subjects(f: &[Finding]) -> Vec<String> {
    let mut s: Vec<String> = f.iter().map(|f| f.subject.clone()).collect();
    s.sort();
    s.dedup();
    s
}

/// Runs `run` with the MUE table replaced by `csv` (the shipped extract has no indicator-1 rows).
pub(crate) fn on_with_mue(run: fn(&Check<'_>) -> Vec<Finding>, csv: &str, lines: &[&str]) -> Vec<Finding> {
    let d = DATA.year(2025).unwrap();
    let data = interspace_refdata::Dataset {
        year: d.year,
        pfs: d.pfs.clone(),
        conversion_factors: d.conversion_factors.clone(),
        gpci: d.gpci.clone(),
        ptp: d.ptp.clone(),
        mue: std::sync::Arc::new(interspace_refdata::MueTable::from_csv("test_mue.csv", csv.as_bytes()).unwrap()),
        aoc: d.aoc.clone(),
        icd10cm: d.icd10cm.clone(),
        icd10pcs: d.icd10pcs.clone(),
        msdrg: d.msdrg.clone(),
        opps: d.opps.clone(),
        asc: d.asc.clone(),
        tables: d.tables.clone(),
    };
    let json = serde_json::json!({"claim_id": "T1", "date_of_service": "2025-03-14", "lines": lines});
    let claims = interspace_claim::from_json(&json.to_string()).unwrap();
    run(&Check::new(&claims[0], &data, &KNOWLEDGE))
}
