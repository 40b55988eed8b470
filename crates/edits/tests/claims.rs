//! The scrubber test set (`tests/claims/`, described in its README): claims in the JSON schema,
//! X12 837P and FHIR R4, each with the edits it must produce (`expected.csv`), or `ERROR` when the
//! file must be refused with a located error.
//!
//! PTP003 (the shipped PTP release predates every date of service) fires on every claim and is
//! left out of the comparison; its own test is in `edits/ptp003.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use interspace_claim::{Claim, ClaimErrors};
use interspace_knowledge::Knowledge;
use interspace_refdata::{ApmStatus, RefData};

fn read(path: &Path) -> Result<Vec<Claim>, ClaimErrors> {
    let text = std::fs::read_to_string(path).unwrap();
    if interspace_formats::x12::looks_like_x12(&text) {
        interspace_formats::x12::read_837p(&text)
    } else if interspace_formats::fhir::looks_like_fhir_claim(&text) {
        interspace_formats::fhir::read_claims(&text)
    } else {
        interspace_claim::from_json(&text)
    }
}

#[test]
fn every_claim_produces_its_expected_edits() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/claims");
    let data = RefData::load_embedded().unwrap();
    let knowledge = Knowledge::load_embedded().unwrap();
    let mut expected: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(dir.join("expected.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        expected.insert((row[0].to_string(), row[1].to_string()), row[2].to_string());
    }
    let files: BTreeSet<&str> = expected.keys().map(|(f, _)| f.as_str()).collect();
    let mut failures = Vec::new();
    let mut claims_checked = 0;
    for file in files {
        match read(&dir.join(file)) {
            Err(e) => {
                let wants_error = expected.iter().any(|((f, _), edits)| f == file && edits == "ERROR");
                if !wants_error {
                    failures.push(format!("{file}: refused: {e}"));
                }
            }
            Ok(claims) => {
                for claim in claims {
                    let Some(want) = expected.get(&(file.to_string(), claim.id.clone())) else {
                        failures.push(format!("{file}: claim {} has no expected row", claim.id));
                        continue;
                    };
                    if want == "ERROR" {
                        failures.push(format!("{file}: claim {} was read but must be refused", claim.id));
                        continue;
                    }
                    let scrub = interspace_edits::scrub(&claim, &data, &knowledge, ApmStatus::NonQualifying).unwrap();
                    let got: BTreeSet<String> = scrub
                        .hits
                        .iter()
                        .filter(|h| h.edit != "PTP003")
                        .map(|h| format!("{}:{}", h.edit, h.subject))
                        .collect();
                    let want: BTreeSet<String> = want.split_whitespace().map(str::to_string).collect();
                    if got != want {
                        let missing: Vec<&String> = want.difference(&got).collect();
                        let extra: Vec<&String> = got.difference(&want).collect();
                        failures.push(format!("{file} [{}]: missing {missing:?}, extra {extra:?}", claim.id));
                    }
                    claims_checked += 1;
                }
            }
        }
    }
    assert!(claims_checked >= 40, "only {claims_checked} claims checked");
    assert!(failures.is_empty(), "{} of the test claims disagree:\n{}", failures.len(), failures.join("\n"));
}
