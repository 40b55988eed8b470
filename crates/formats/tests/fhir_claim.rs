//! FHIR R4 Claims to scrub: fixtures, problems at their FHIR paths, and damaged input.

use interspace_claim::{Claim, ClaimErrors, ClaimLine, Payer, Role};
use interspace_formats::fhir::{looks_like_fhir_claim, read_claims};
use interspace_refdata::{Hcpcs, Modifier};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use serde_json::{Value, json};

const CLAIM: &str = include_str!("fixtures/fhir_claim.json");
const BUNDLE: &str = include_str!("fixtures/fhir_bundle.json");

fn line(code: &str, modifiers: &[&str], units: u32, day: Date, pointers: &[u8]) -> ClaimLine {
    ClaimLine {
        code: Hcpcs::parse(code).unwrap(),
        modifiers: modifiers.iter().map(|m| Modifier::parse(m).unwrap()).collect(),
        units,
        date_of_service: day,
        diagnosis_pointers: pointers.to_vec(),
        role: Role::Surgeon,
    }
}

/// The Claim fixture after `change`.
fn claim_with(change: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(CLAIM).unwrap();
    change(&mut v);
    v.to_string()
}

/// The problems of `json`, which must have some; none may quote the patient.
fn problems(json: &str) -> ClaimErrors {
    let e = read_claims(json).expect_err("the claim has problems");
    assert!(!e.to_string().contains("TESTPATIENT"), "{e}");
    e
}

fn at(json: &str) -> Vec<String> {
    problems(json).0.into_iter().map(|e| e.at).collect()
}

#[test]
fn reads_a_claim() {
    let d = date(2025, 3, 14);
    let expected = Claim {
        id: "TESTCLM101".into(),
        payer: Payer::Medicare,
        place_of_service: Some("22".into()),
        locality: None,
        diagnoses: vec!["M4316".into(), "M48062".into(), "M5416".into()],
        lines: vec![
            line("22633", &[], 1, d, &[1, 2, 3]),
            line("22853", &[], 2, d, &[1]),
            line("22842", &["XS"], 1, d, &[1, 2]),
            line("20936", &[], 1, d, &[1, 2, 3]),
        ],
        history: vec![],
    };
    assert_eq!(read_claims(CLAIM).unwrap(), [expected]);
    // The identifier names a claim without an id; the patient is never read, whatever its shape.
    let claims = read_claims(&claim_with(|c| {
        c.as_object_mut().unwrap().remove("id");
        c["patient"] = json!("TESTPATIENT, ECHO");
    }))
    .unwrap();
    assert_eq!(claims[0].id, "TEST-IDENTIFIER-101");
}

#[test]
fn reads_the_claims_of_a_bundle() {
    let claims = read_claims(&format!("\u{feff}{BUNDLE}")).unwrap();
    let (d1, d2) = (date(2025, 3, 15), date(2025, 4, 2));
    assert_eq!(
        claims,
        [
            Claim {
                id: "TESTCLM102".into(),
                payer: Payer::Other("TEST COMMERCIAL HEALTH PLAN".into()),
                place_of_service: Some("22".into()),
                locality: None,
                diagnoses: vec!["M5012".into(), "M4802".into()],
                lines: vec![line("22551", &["62"], 1, d1, &[1, 2]), line("22552", &["62"], 1, d1, &[1, 2])],
                history: vec![],
            },
            Claim {
                id: "TESTCLM103".into(),
                payer: Payer::Medicare,
                place_of_service: None,
                locality: None,
                diagnoses: vec!["M5116".into()],
                lines: vec![line("63047", &[], 1, d2, &[1])],
                history: vec![],
            },
        ]
    );
}

#[test]
fn tells_claims_from_other_json() {
    assert!(looks_like_fhir_claim(CLAIM));
    assert!(looks_like_fhir_claim(BUNDLE));
    assert!(looks_like_fhir_claim("\u{feff} {\"resourceType\" : \"Claim\"}"));
    assert!(!looks_like_fhir_claim(r#"{"claim_id": "A1", "lines": ["22633"]}"#));
    // Another resource is read as FHIR too, so that `read_claims` names it rather than the JSON
    // claim schema refusing an unknown `resourceType` field.
    assert!(looks_like_fhir_claim(r#"{"resourceType": "DocumentReference"}"#));
    assert!(!looks_like_fhir_claim("ISA*00*"));
}

#[test]
fn reports_bad_items_at_their_paths() {
    let e = problems(&claim_with(|c| {
        c["item"][2]["productOrService"]["coding"][0]["code"] = json!("2284");
        c["item"][1]["quantity"]["value"] = json!(2.5);
        c["item"][0]["diagnosisSequence"] = json!([1, 9]);
        c["item"][0]["modifier"] = json!([{"coding": [{"code": "6Z2"}]}]);
        c["item"][3]["locationCodeableConcept"] = json!({"coding": [{"code": "inpatient"}]});
    }));
    let at: Vec<&str> = e.0.iter().map(|e| e.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "Claim.item[0].modifier[0]",
            "Claim.item[0].diagnosisSequence[1]",
            "Claim.item[1].quantity.value",
            "Claim.item[2].productOrService",
            "Claim.item[3].locationCodeableConcept",
        ]
    );
    assert!(e.0[2].message.contains("`2.5`"), "{e}");
    assert!(e.0[3].message.contains("`2284` is not a CPT or HCPCS code"), "{e}");
}

#[test]
fn reports_bad_claims_and_diagnoses() {
    assert_eq!(
        at(&claim_with(|c| {
            c.as_object_mut().unwrap().remove("id");
            c.as_object_mut().unwrap().remove("identifier");
            let again = c["diagnosis"][2].clone();
            c["diagnosis"].as_array_mut().unwrap().push(again);
            c["diagnosis"][2]["diagnosisCodeableConcept"]["coding"][0]["code"] = json!("5416");
        })),
        ["Claim.id", "Claim.diagnosis[2].diagnosisCodeableConcept", "Claim.diagnosis[3].sequence"]
    );
    // A wrong billable period is reported once, not again for each item that needs it.
    assert_eq!(at(&claim_with(|c| c["billablePeriod"]["start"] = json!("2025-14-03"))), ["Claim.billablePeriod.start"]);
    assert_eq!(
        at(&claim_with(|c| {
            c.as_object_mut().unwrap().remove("billablePeriod");
        })),
        ["Claim.item[1].servicedDate", "Claim.item[2].servicedDate", "Claim.item[3].servicedDate"]
    );
    assert_eq!(at(&claim_with(|c| c["item"] = json!([]))), ["Claim.item"]);
}

#[test]
fn reports_shapes_that_are_not_fhir() {
    let e = problems(&claim_with(|c| {
        c["item"][1]["sequence"] = json!("two");
        c["item"][3]["modifier"] = json!({"coding": []});
    }));
    assert_eq!(
        e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(),
        ["Claim.item[1].sequence", "Claim.item[3].modifier"]
    );
    // A missing code is named at its place, not as a shape error.
    let e = problems(&claim_with(|c| {
        c["item"][1].as_object_mut().unwrap().remove("productOrService");
        c["diagnosis"][0] = json!({"sequence": 2, "diagnosisReference": {"reference": "Condition/1"}});
    }));
    assert_eq!(
        e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(),
        ["Claim.diagnosis[0].diagnosisCodeableConcept", "Claim.item[1].productOrService"]
    );
    assert!(e.0[1].message.starts_with("no CPT or HCPCS code is given"), "{e}");
    assert_eq!(at(&claim_with(|c| c["billablePeriod"] = json!("2025-03-14"))), ["Claim.billablePeriod"]);
    assert_eq!(at(r#"{"resourceType": "Patient", "name": [{"family": "TESTPATIENT"}]}"#), ["resourceType"]);
    assert_eq!(at(r#"{"claim_id": "A1"}"#), ["resourceType"]);
    assert_eq!(
        at(r#"{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]}"#),
        ["Bundle.entry"]
    );
    assert_eq!(at(r#"{"resourceType": "Claim", "#), ["line 1, column 26"]);
}

#[test]
fn reports_every_claim_of_a_bundle() {
    let mut v: Value = serde_json::from_str(BUNDLE).unwrap();
    v["entry"][1]["resource"]["item"][1]["modifier"][0]["coding"][0]["code"] = json!("");
    v["entry"][3]["resource"]["item"][0]["productOrService"]["coding"][0]["code"] = json!("6304");
    assert_eq!(
        at(&v.to_string()),
        ["Bundle.entry[1].resource.item[1].modifier[0]", "Bundle.entry[3].resource.item[0].productOrService"]
    );
}

/// Every node of `v` as a JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        Value::Object(map) => map.iter().for_each(|(k, x)| pointers(x, format!("{at}/{k}"), out)),
        _ => {}
    }
    out.push(at);
}

fn any_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!([{"code": "22633"}])),
    ]
}

proptest! {
    #[test]
    fn never_panics_on_anything(s in "\\PC{0,300}") {
        let _ = read_claims(&s);
        let _ = looks_like_fhir_claim(&s);
    }

    #[test]
    fn never_panics_on_damaged_claims(
        changes in prop::collection::vec((any::<prop::sample::Index>(), any_json()), 1..6),
        bundle in any::<bool>(),
    ) {
        let mut v: Value = serde_json::from_str(if bundle { BUNDLE } else { CLAIM }).unwrap();
        for (i, new) in changes {
            let mut all = Vec::new();
            pointers(&v, String::new(), &mut all);
            if let Some(node) = v.pointer_mut(&all[i.index(all.len())]) {
                *node = new;
            }
        }
        if let Err(e) = read_claims(&v.to_string()) {
            prop_assert!(!e.0.is_empty());
        }
    }
}
