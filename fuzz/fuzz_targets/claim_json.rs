//! The JSON claim schema reader, `interspace_claim::from_json`.
//!
//! Invariants: a failed read reports at least one problem; a read claim has an id, lines, and
//! diagnosis pointers that name its diagnoses; and a round trip: the claims read, written back
//! as schema JSON with full line objects, read back equal.
#![no_main]

use interspace_claim::{Claim, Payer, from_json};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match from_json(text) {
        Err(errors) => assert!(!errors.0.is_empty(), "an error without a problem"),
        Ok(claims) => {
            for c in &claims {
                assert!(!c.id.is_empty() && c.id.trim() == c.id, "claim id {:?}", c.id);
                assert!(!c.lines.is_empty(), "claim {:?} without lines", c.id);
                for l in &c.lines {
                    assert!(l.units >= 1);
                    for p in &l.diagnosis_pointers {
                        let n = c.diagnoses.len();
                        assert!((1..=n).contains(&usize::from(*p)), "pointer {p} of {n} diagnoses");
                    }
                }
            }
            let written = Value::Array(claims.iter().map(to_json).collect()).to_string();
            let again = from_json(&written).unwrap_or_else(|e| panic!("rereading {written}: {e}"));
            assert_eq!(again, claims, "the round trip changed the claims; written: {written}");
        }
    }
});

fn to_json(c: &Claim) -> Value {
    let lines: Vec<Value> = c
        .lines
        .iter()
        .map(|l| {
            json!({
                "code": l.code.as_str(),
                "modifiers": l.modifiers.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "units": l.units,
                "date_of_service": l.date_of_service.to_string(),
                "diagnosis_pointers": l.diagnosis_pointers,
                "role": l.role.as_str(),
            })
        })
        .collect();
    let history: Vec<Value> = c
        .history
        .iter()
        .map(|h| {
            json!({
                "date": h.date.to_string(),
                "code": h.code.as_str(),
                "modifiers": h.modifiers.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut claim = json!({
        "claim_id": c.id,
        "diagnoses": c.diagnoses,
        "lines": lines,
        "history": history,
    });
    let o = claim.as_object_mut().expect("an object");
    if let Payer::Other(name) = &c.payer {
        o.insert("payer".into(), name.clone().into());
    }
    if let Some(p) = &c.place_of_service {
        o.insert("place_of_service".into(), p.clone().into());
    }
    if let Some(l) = &c.locality {
        o.insert("locality".into(), l.to_string().into());
    }
    claim
}
