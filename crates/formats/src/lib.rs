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
and has a fuzz target in `fuzz/`.
*/

pub mod fhir;
pub mod hl7;
pub mod note;
pub mod x12;
