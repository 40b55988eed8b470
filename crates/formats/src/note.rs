//! Reading a note from bytes, whatever its container.

/// The container a note came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteFormat {
    Text,
    FhirDocumentReference,
    Hl7Mdm,
}

impl NoteFormat {
    pub fn name(self) -> &'static str {
        match self {
            NoteFormat::Text => "text",
            NoteFormat::FhirDocumentReference => "fhir-documentreference",
            NoteFormat::Hl7Mdm => "hl7v2-mdm",
        }
    }
}

/// A note's text and what its container said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteInput {
    pub text: String,
    pub format: NoteFormat,
    /// The document id in the container (DocumentReference.id, TXA-12), never patient fields.
    pub document_id: Option<String>,
}

/// Why a note cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteError {
    pub message: String,
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoteError {}

/// Largest note accepted: far above any real operative note, small enough to bound memory.
pub const MAX_NOTE_BYTES: usize = 2 * 1024 * 1024;

/// Decodes text bytes: UTF-8 (BOM dropped) or UTF-16 LE/BE with BOM. NUL bytes mean binary.
pub fn decode_text(bytes: &[u8]) -> Result<String, NoteError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        if let Some(order) = utf16_without_bom(bytes) {
            return Err(NoteError {
                message: format!(
                    "is UTF-16 ({order}) without a byte-order mark; save the note as UTF-8 text (or UTF-16 with a BOM)"
                ),
            });
        }
        return Err(NoteError {
            message: "is binary (it contains NUL bytes), not a text note; save the note as plain text".into(),
        });
    }
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
        NoteError {
            message: format!(
                "is not valid UTF-8 (first bad byte at offset {}, line {line}); save the note as UTF-8 text",
                e.valid_up_to()
            ),
        }
    })
}

/// Whether `bytes` look like UTF-16 text without a BOM: mostly ASCII characters, so that the zero
/// high bytes fall on every second byte. Returns the byte order (`little-endian`, `big-endian`).
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let units = head.len() / 2;
    let zeros_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    // Nine units in ten are ASCII in the byte order's position, almost none in the other.
    if odd * 10 >= units * 9 && even * 10 <= units {
        Some("little-endian")
    } else if even * 10 >= units * 9 && odd * 10 <= units {
        Some("big-endian")
    } else {
        None
    }
}

fn utf16(bytes: &[u8], f: fn([u8; 2]) -> u16) -> Result<String, NoteError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(NoteError { message: "is UTF-16 with an odd number of bytes (truncated file)".into() });
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| NoteError { message: "is UTF-16 with invalid surrogate pairs".into() })
}

/// Reads a note: FHIR JSON, HL7v2 or plain text, told from the content.
pub fn read(bytes: &[u8]) -> Result<NoteInput, NoteError> {
    if bytes.len() > MAX_NOTE_BYTES {
        return Err(NoteError {
            message: format!("is {} bytes; notes are limited to {} bytes", bytes.len(), MAX_NOTE_BYTES),
        });
    }
    let text = decode_text(bytes)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return crate::fhir::document_reference(trimmed);
    }
    if trimmed.starts_with("MSH") || looks_like_hl7_segment(trimmed) {
        // An HL7 message that does not begin with MSH is refused by the HL7 reader, not read as text
        // (its PID segment would be read as part of the note).
        return crate::hl7::mdm(trimmed);
    }
    if text.trim().is_empty() {
        return Err(NoteError { message: "is empty: there is no note text to analyze".into() });
    }
    Ok(NoteInput { text, format: NoteFormat::Text, document_id: None })
}

/// Whether text begins like an HL7v2 segment: a three-character id (`PID`, `OBX`, `EVN`…) and `|`.
fn looks_like_hl7_segment(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 4
        && b[0].is_ascii_uppercase()
        && b[1..3].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[3] == b'|'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFL4-5 TLIF").unwrap(), "L4-5 TLIF");
        let utf16le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("L4".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&utf16le).unwrap(), "L4");
        assert!(decode_text(b"ab\x00cd").unwrap_err().message.contains("binary"));
        assert!(decode_text(b"ok\n\xFF").unwrap_err().message.contains("offset 3, line 2"));
        assert!(read(b"   \n").unwrap_err().message.contains("empty"));
        let bomless: Vec<u8> = "L4-5 TLIF".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(
            decode_text(&bomless).unwrap_err().message.contains("UTF-16 (little-endian) without a byte-order mark")
        );
        let bomless: Vec<u8> = "L4-5 TLIF".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert!(decode_text(&bomless).unwrap_err().message.contains("big-endian"));
        assert!(read(b"EVN|T02\rOBX|1|TX|X||L4-5 TLIF\r").unwrap_err().message.contains("first segment must be MSH"));
        assert_eq!(read(b"PROCEDURE: L4-5 TLIF").unwrap().format, NoteFormat::Text);
    }
}
