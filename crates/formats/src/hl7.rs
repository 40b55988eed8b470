//! HL7v2 MDM^T02 (original document with content) messages carrying a transcribed note.
//!
//! Only what a note needs is read: the field and component separators and escape character
//! from MSH, TXA-12 (unique document number) and the OBX-5 text values joined in order. Segments may
//! end in CR, LF or CRLF. Escapes `\F\ \S\ \T\ \R\ \E\ \.br\` are decoded.

use crate::note::{NoteError, NoteFormat, NoteInput};

struct Delimiters {
    field: char,
    component: char,
    repetition: char,
    escape: char,
    subcomponent: char,
}

fn unescape(s: &str, d: &Delimiters) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(d.escape) {
        out.push_str(&rest[..i]);
        let after = &rest[i + d.escape.len_utf8()..];
        match after.find(d.escape) {
            Some(j) => {
                let seq = &after[..j];
                match seq {
                    "F" => out.push(d.field),
                    "S" => out.push(d.component),
                    "T" => out.push(d.subcomponent),
                    "R" => out.push(d.repetition),
                    "E" => out.push(d.escape),
                    ".br" => out.push('\n'),
                    _ => {}
                }
                rest = &after[j + d.escape.len_utf8()..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads an MDM message's note text.
pub fn mdm(message: &str) -> Result<NoteInput, NoteError> {
    let segments: Vec<&str> = message.split(['\r', '\n']).filter(|s| !s.trim().is_empty()).collect();
    let msh = segments
        .first()
        .filter(|s| s.starts_with("MSH"))
        .ok_or_else(|| {
            let first: String = segments.first().map_or("", |s| s.get(..3).unwrap_or(s)).chars().take(3).collect();
            NoteError {
                message: format!(
                    "is not an HL7v2 message: segment 1 is `{first}`, but the first segment must be MSH (the message header)"
                ),
            }
        })?;
    let mut chars = msh.chars().skip(3);
    let field = chars
        .next()
        .ok_or_else(|| NoteError { message: "segment 1 (MSH): missing the field separator after `MSH`".into() })?;
    let enc: Vec<char> = chars.take_while(|c| *c != field).collect();
    if enc.len() < 4 {
        return Err(NoteError {
            message: format!(
                "segment 1 (MSH-2): encoding characters `{}` must be 4 characters, e.g. ^~\\&",
                enc.iter().collect::<String>()
            ),
        });
    }
    let d = Delimiters { field, component: enc[0], repetition: enc[1], escape: enc[2], subcomponent: enc[3] };
    let fields: Vec<&str> = msh.split(field).collect();
    let message_type = fields.get(8).copied().unwrap_or("");
    let kind = message_type.split(d.component).next().unwrap_or("");
    if kind != "MDM" && kind != "ORU" {
        return Err(NoteError {
            message: format!(
                "segment 1 (MSH-9): message type `{message_type}` is not MDM (or ORU); Interspace reads transcription messages"
            ),
        });
    }
    let mut document_id = None;
    let mut parts: Vec<String> = Vec::new();
    for (n, seg) in segments.iter().enumerate() {
        let f: Vec<&str> = seg.split(field).collect();
        match f.first().copied() {
            Some("TXA") => {
                document_id =
                    f.get(12).map(|x| x.split(d.component).next().unwrap_or("").to_string()).filter(|x| !x.is_empty());
            }
            Some("OBX") => {
                let value_type = f.get(2).copied().unwrap_or("");
                if !matches!(value_type, "TX" | "FT" | "ST" | "") {
                    return Err(NoteError {
                        message: format!(
                            "segment {} (OBX-2): value type `{value_type}` is not text (TX, FT, ST)",
                            n + 1
                        ),
                    });
                }
                if let Some(v) = f.get(5) {
                    for rep in v.split(d.repetition) {
                        parts.push(unescape(rep, &d));
                    }
                }
            }
            _ => {}
        }
    }
    let text = parts.join("\n");
    if text.trim().is_empty() {
        return Err(NoteError { message: "the HL7 message has no OBX-5 text: the note body is missing".into() });
    }
    Ok(NoteInput { text, format: NoteFormat::Hl7Mdm, document_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MSG: &str = "MSH|^~\\&|DICT|HOSP|INTERSPACE|BILLING|20250301120000||MDM^T02|MSG0001|P|2.5\rEVN|T02|20250301120000\rPID|1||MRN123^^^HOSP||DOE^JANE\rTXA|1|OP|TX|||||||||DOC-778||||AU\rOBX|1|TX|OPNOTE||PROCEDURE: L4-5 TLIF\\.br\\Pedicle screws L4-L5||||||F\rOBX|2|TX|OPNOTE||Graft: local autograft \\T\\ DBM||||||F\r";

    #[test]
    fn reads_text_and_document_id() {
        let n = mdm(MSG).unwrap();
        assert_eq!(n.text, "PROCEDURE: L4-5 TLIF\nPedicle screws L4-L5\nGraft: local autograft & DBM");
        assert_eq!(n.document_id.as_deref(), Some("DOC-778"));
        assert!(!n.text.contains("DOE"), "patient fields are never part of the note");
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(mdm("PID|1").unwrap_err().message.contains("first segment must be MSH"));
        assert!(mdm("MSH|^~|x").unwrap_err().message.contains("MSH-2"));
        assert!(mdm("MSH|^~\\&|a|b|c|d|e||ADT^A01|1|P|2.5\r").unwrap_err().message.contains("MSH-9"));
        assert!(
            mdm("MSH|^~\\&|a|b|c|d|e||MDM^T02|1|P|2.5\rOBX|1|ED|X||abc\r")
                .unwrap_err()
                .message
                .contains("segment 2 (OBX-2)")
        );
        assert!(mdm("MSH|^~\\&|a|b|c|d|e||MDM^T02|1|P|2.5\r").unwrap_err().message.contains("no OBX-5"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = mdm(&format!("MSH|^~\\&|{s}"));
            let _ = mdm(&s);
        }
    }
}
