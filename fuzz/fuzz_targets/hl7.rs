//! The HL7v2 MDM/ORU note reader, `interspace_formats::hl7::mdm`.
//!
//! Invariants: a read note has text that is not blank and a non-empty document id when it has
//! one; and a round trip: any text, escaped with `\F\ \S\ \T\ \R\ \E\ \.br\` into the OBX-5 of a
//! well-formed MDM^T02, reads back as itself.
#![no_main]

use interspace_formats::hl7::mdm;
use interspace_formats::note::NoteFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(note) = mdm(text) {
        assert_eq!(note.format, NoteFormat::Hl7Mdm);
        assert!(!note.text.trim().is_empty(), "an HL7 note with blank text");
        assert!(note.document_id.as_deref() != Some(""), "an empty document id");
    }

    // The round trip, for text the message can carry (CR has no escape: it ends a segment).
    if !text.contains('\r') && !text.trim().is_empty() {
        let mut escaped = String::new();
        for c in text.chars() {
            match c {
                '|' => escaped.push_str("\\F\\"),
                '^' => escaped.push_str("\\S\\"),
                '&' => escaped.push_str("\\T\\"),
                '~' => escaped.push_str("\\R\\"),
                '\\' => escaped.push_str("\\E\\"),
                '\n' => escaped.push_str("\\.br\\"),
                c => escaped.push(c),
            }
        }
        let message = format!(
            "MSH|^~\\&|DICT|HOSP|INTERSPACE|BILLING|20250301120000||MDM^T02|MSG1|P|2.5\r\
             TXA|1|OP|TX|||||||||DOC-1||||AU\r\
             OBX|1|TX|OPNOTE||{escaped}||||||F\r"
        );
        let note = mdm(&message).unwrap_or_else(|e| panic!("the escaped message is refused: {e}\n{message:?}"));
        assert_eq!(note.text, text, "escaping and reading changed the text");
        assert_eq!(note.document_id.as_deref(), Some("DOC-1"));
    }
});
