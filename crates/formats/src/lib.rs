/*!
The formats of the field, in and out.

# Brief overview

[`note::read`] takes the bytes of a note in any supported form — plain text (UTF-8, with or
without BOM, or UTF-16 with BOM), a FHIR R4 DocumentReference with a base64 attachment
([`fhir`]), or an HL7v2 MDM^T02 transcription message ([`hl7`]) — and returns its text with what
the container said about it. [`fhir::claim_bundle`] writes a coding proposal as a FHIR R4 Claim.

Claims to scrub come in as X12 837P interchanges ([`x12::read_837p`]) or FHIR R4 Claims and
Bundles of them ([`fhir::read_claims`]), both read into `interspace_claim::Claim`s with every
problem reported at its place (`segment 23 (SV1) element 1`, `Claim.item[2].productOrService`).

Every parser of outside input returns an error that says what is wrong and where, never panics,
and has a fuzz target in `fuzz/`. Errors quote places, not content: a note is protected health
information, and [`without_values`] keeps the values serde quotes out of its messages.
*/

pub mod fhir;
pub mod hl7;
pub mod note;
pub mod x12;

/// A serde error message without the input values serde quotes in it: `invalid type: string
/// "Whitcomb, Darlene", expected i16 at line 1 column 40` becomes `invalid type: string, expected
/// i16 at line 1 column 40`. A value in the wrong place may be a patient's name or a whole note;
/// field names, paths and positions stay.
pub fn without_values(message: &str) -> String {
    // How `serde::de::Unexpected` and `unknown_variant` quote a value: `string "…"` (escaped as by
    // `Debug`), `integer `…``, `unknown variant `…``.
    const KINDS: [&str; 6] = ["string", "integer", "floating point", "character", "boolean", "unknown variant"];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while let Some(c) = rest.chars().next() {
        if !out.ends_with(|p: char| p.is_alphanumeric()) {
            for kind in KINDS {
                if let Some(value) = rest.strip_prefix(kind).and_then(|r| r.strip_prefix(' '))
                    && let Some(len) = quoted_len(value)
                {
                    out.push_str(kind);
                    rest = &value[len..];
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the quoted value `text` begins with (`"…"` with backslash escapes, or `` `…` ``),
/// to its end when the quote is not closed.
fn quoted_len(text: &str) -> Option<usize> {
    let close = text.chars().next().filter(|c| matches!(c, '"' | '`'))?;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if close == '"' => escaped = true,
            c if c == close => return Some(i + 1),
            _ => {}
        }
    }
    Some(text.len())
}

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn serde_messages_keep_places_not_values() {
        let cases = [
            (
                r#"year: invalid type: string "Whitcomb, \"Dee\" D.", expected i16 at line 1 column 40"#,
                "year: invalid type: string, expected i16 at line 1 column 40",
            ),
            ("invalid type: integer `481236`, expected a string", "invalid type: integer, expected a string"),
            ("unknown variant `Whitcomb`, expected `accept`", "unknown variant, expected `accept`"),
            ("unknown field `patient`, expected `text`", "unknown field `patient`, expected `text`"),
            ("invalid type: map, expected a string", "invalid type: map, expected a string"),
            (r#"invalid value: string "cut short"#, "invalid value: string"),
            ("a substring `kept`", "a substring `kept`"),
        ];
        for (message, expected) in cases {
            assert_eq!(without_values(message), expected);
        }
    }
}
