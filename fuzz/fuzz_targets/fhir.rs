//! The FHIR R4 readers: `interspace_formats::fhir::document_reference` (a note) and
//! `read_claims` (claims to scrub).
//!
//! Invariants: a read note has text that is not blank; a failed claim read reports at least one
//! problem; a read claim has an id, lines, and diagnosis pointers that name its diagnoses; and a
//! round trip for notes: any text, base64-encoded into a DocumentReference, reads back as itself.
#![no_main]

use base64::Engine as _;
use interspace_formats::fhir::{document_reference, looks_like_fhir_claim, read_claims};
use interspace_formats::note::NoteFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    if let Ok(note) = document_reference(text) {
        assert_eq!(note.format, NoteFormat::FhirDocumentReference);
        assert!(!note.text.trim().is_empty(), "a DocumentReference note with blank text");
    }

    let _ = looks_like_fhir_claim(text);
    match read_claims(text) {
        Err(errors) => assert!(!errors.0.is_empty(), "an error without a problem"),
        Ok(claims) => {
            assert!(!claims.is_empty(), "an Ok read without a claim");
            for c in &claims {
                assert!(!c.id.is_empty(), "a claim without an id");
                assert!(!c.lines.is_empty(), "claim {:?} without lines", c.id);
                for l in &c.lines {
                    assert!(l.units >= 1);
                    for p in &l.diagnosis_pointers {
                        let n = c.diagnoses.len();
                        assert!((1..=n).contains(&usize::from(*p)), "pointer {p} of {n} diagnoses");
                    }
                }
            }
        }
    }

    // The note round trip: text without NUL (binary) and not blank.
    if !text.contains('\0') && !text.trim().is_empty() {
        let doc = serde_json::json!({
            "resourceType": "DocumentReference",
            "id": "op-1",
            "status": "current",
            "content": [{ "attachment": {
                "contentType": "text/plain",
                "data": base64::engine::general_purpose::STANDARD.encode(text.trim_start_matches('\u{feff}')),
            }}],
        });
        let note = document_reference(&doc.to_string()).unwrap_or_else(|e| panic!("round trip refused: {e}"));
        assert_eq!(note.text, text.trim_start_matches('\u{feff}'));
        assert_eq!(note.document_id.as_deref(), Some("op-1"));
    }
});
