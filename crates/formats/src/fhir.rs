//! FHIR R4: the few resources Interspace reads and writes, as hand-written serde types
//! (DocumentReference and Attachment in; Claim, Bundle, CodeableConcept, Coding, Reference, Period,
//! Quantity and Money out and in). A full FHIR model crate costs minutes of compile time for
//! eight resources; unknown fields are ignored on input.
//!
//! [`read_claims`] reads Claims to scrub (one, or a Bundle of them) into
//! `interspace_claim::Claim`s, reporting every problem at its FHIR path.

use base64::Engine as _;
use interspace_claim::{ClaimError, ClaimErrors, ClaimLine, Payer, Role, normalize_diagnosis, parse_place_of_service};
use interspace_refdata::{Hcpcs, Modifier};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::note::{NoteError, NoteFormat, NoteInput};

pub const CPT_SYSTEM: &str = "http://www.ama-assn.org/go/cpt";
pub const HCPCS_SYSTEM: &str = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
pub const PCS_SYSTEM: &str = "http://www.cms.gov/Medicare/Coding/ICD10";
pub const CM_SYSTEM: &str = "http://hl7.org/fhir/sid/icd-10-cm";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeableConcept {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    pub fn code(system: &str, code: &str) -> CodeableConcept {
        CodeableConcept {
            coding: vec![Coding { system: Some(system.into()), code: Some(code.into()), display: None }],
            text: None,
        }
    }

    /// The first code, preferring one of `system`.
    pub fn first_code(&self, system: Option<&str>) -> Option<&str> {
        self.coding
            .iter()
            .find(|c| system.is_none_or(|s| c.system.as_deref() == Some(s)))
            .or_else(|| self.coding.first())
            .and_then(|c| c.code.as_deref())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quantity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Number>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Kept as the JSON number's text so cents are never rounded through a float.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentContent {
    pub attachment: Attachment,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentReference {
    pub resource_type: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub content: Vec<DocumentContent>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimItem {
    pub sequence: u32,
    /// Defaults on input so that [`read_claims`] can say which item has no code.
    #[serde(default)]
    pub product_or_service: CodeableConcept,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier: Vec<CodeableConcept>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnosis_sequence: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serviced_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serviced_period: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_codeable_concept: Option<CodeableConcept>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net: Option<Money>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimDiagnosis {
    pub sequence: u32,
    /// Defaults on input (a diagnosisReference is not read) so that [`read_claims`] can say which
    /// diagnosis has no code.
    #[serde(default)]
    pub diagnosis_codeable_concept: CodeableConcept,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimProcedure {
    pub sequence: u32,
    pub procedure_codeable_concept: CodeableConcept,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimInsurance {
    pub sequence: u32,
    pub focal: bool,
    pub coverage: Reference,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub status: String,
    #[serde(default, rename = "type")]
    pub claim_type: CodeableConcept,
    #[serde(default)]
    pub r#use: String,
    #[serde(default)]
    pub patient: Reference,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub provider: Reference,
    #[serde(default)]
    pub priority: CodeableConcept,
    #[serde(default)]
    pub insurance: Vec<ClaimInsurance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnosis: Vec<ClaimDiagnosis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedure: Vec<ClaimProcedure>,
    #[serde(default)]
    pub item: Vec<ClaimItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
}

/// A claim line to write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineOut {
    pub code: String,
    pub modifiers: Vec<String>,
    pub units: u32,
    /// Decimal text, e.g. "1781.00".
    pub amount: Option<String>,
}

/// What a Claim is written from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimOut {
    pub id: String,
    /// ISO date the claim was created.
    pub created: String,
    pub lines: Vec<LineOut>,
    pub diagnoses: Vec<String>,
    pub pcs: Vec<String>,
    pub total: Option<String>,
}

fn number(text: &str) -> Option<serde_json::Number> {
    serde_json::from_str::<serde_json::Number>(text).ok()
}

/// A FHIR R4 Bundle (collection) holding one draft professional Claim.
pub fn claim_bundle(c: &ClaimOut) -> serde_json::Value {
    let claim = Claim {
        resource_type: "Claim".into(),
        id: Some(c.id.clone()),
        status: "draft".into(),
        claim_type: CodeableConcept::code("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
        r#use: "claim".into(),
        patient: Reference { reference: None, display: Some("patient recorded in the source system".into()) },
        created: c.created.clone(),
        provider: Reference { reference: None, display: Some("operating surgeon".into()) },
        priority: CodeableConcept::code("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        insurance: vec![ClaimInsurance {
            sequence: 1,
            focal: true,
            coverage: Reference { reference: None, display: Some("Medicare Part B".into()) },
        }],
        diagnosis: c
            .diagnoses
            .iter()
            .enumerate()
            .map(|(i, d)| ClaimDiagnosis {
                sequence: i as u32 + 1,
                diagnosis_codeable_concept: CodeableConcept::code(CM_SYSTEM, d),
            })
            .collect(),
        procedure: c
            .pcs
            .iter()
            .enumerate()
            .map(|(i, p)| ClaimProcedure {
                sequence: i as u32 + 1,
                procedure_codeable_concept: CodeableConcept::code(PCS_SYSTEM, p),
            })
            .collect(),
        item: c
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| ClaimItem {
                sequence: i as u32 + 1,
                product_or_service: CodeableConcept::code(CPT_SYSTEM, &l.code),
                modifier: l.modifiers.iter().map(|m| CodeableConcept::code(CPT_SYSTEM, m)).collect(),
                diagnosis_sequence: Vec::new(),
                serviced_date: None,
                serviced_period: None,
                location_codeable_concept: None,
                quantity: Some(Quantity { value: Some(l.units.into()) }),
                net: l
                    .amount
                    .as_deref()
                    .and_then(number)
                    .map(|v| Money { value: Some(v), currency: Some("USD".into()) }),
            })
            .collect(),
        total: c.total.as_deref().and_then(number).map(|v| Money { value: Some(v), currency: Some("USD".into()) }),
    };
    serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [ { "resource": claim } ]
    })
}

/// Whether `json` looks like a FHIR resource to read claims from: a JSON object with a
/// `"resourceType"` key in it (a Claim, a Bundle, or another resource that [`read_claims`] refuses by
/// name; the JSON claim schema has no such field, so it is never one). Cheap: nothing is parsed.
pub fn looks_like_fhir_claim(json: &str) -> bool {
    let json = json.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    json.starts_with('{')
        && json.match_indices("\"resourceType\"").any(|(i, key)| {
            let value = json[i + key.len()..].trim_start().strip_prefix(':').map(str::trim_start);
            value.is_some()
        })
}

/// A serde error with the JSON path where it happened (`item[0].quantity.value: invalid type…`).
fn located<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = crate::without_values(&e.into_inner().to_string());
        if path == "." { message } else { format!("{path}: {message}") }
    })
}

/// The parts of a Claim that [`read_claims`] reads. Nothing else is parsed (the patient least of
/// all), so nothing else can fail or be quoted in a message.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClaimInput {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    identifier: Vec<Identifier>,
    #[serde(default)]
    billable_period: Option<Period>,
    #[serde(default)]
    insurer: Option<Reference>,
    #[serde(default)]
    diagnosis: Vec<ClaimDiagnosis>,
    #[serde(default)]
    item: Vec<ClaimItem>,
}

#[derive(Deserialize)]
struct Identifier {
    #[serde(default)]
    value: Option<String>,
}

/// Reads FHIR R4 Claims to scrub: a Claim resource, or a Bundle whose Claim entries are read in
/// order (other entries are skipped). Every problem is reported at its FHIR path
/// (`Claim.item[2].productOrService`, `Bundle.entry[1].resource.diagnosis[0]`, indexes from 0); no
/// claim is returned when there is one.
pub fn read_claims(json: &str) -> Result<Vec<interspace_claim::Claim>, ClaimErrors> {
    let fail = |at: &str, message: String| ClaimErrors(vec![ClaimError { at: at.into(), message }]);
    let value: Value = serde_json::from_str(json.trim_start_matches('\u{feff}')).map_err(|e| {
        fail(&format!("line {}, column {}", e.line(), e.column()), format!("{e}: the file is not valid JSON"))
    })?;
    let root = value.get("resourceType").and_then(Value::as_str).unwrap_or_default();
    interspace_claim::unique_keys(json.trim_start_matches('\u{feff}'), root).map_err(|e| ClaimErrors(vec![e]))?;
    let claims: Vec<(String, &Value)> = match value.get("resourceType").and_then(Value::as_str) {
        Some("Claim") => vec![("Claim".into(), &value)],
        Some("Bundle") => value
            .get("entry")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, e)| e.get("resource").map(|r| (format!("Bundle.entry[{i}].resource"), r)))
            .filter(|(_, r)| r.get("resourceType").and_then(Value::as_str) == Some("Claim"))
            .collect(),
        Some(other) => {
            return Err(fail(
                "resourceType",
                format!("a FHIR {other} is not a Claim: send a Claim or a Bundle of Claims"),
            ));
        }
        None => {
            return Err(fail("resourceType", "missing or not text: send a FHIR Claim or a Bundle of Claims".into()));
        }
    };
    if claims.is_empty() {
        return Err(fail("Bundle.entry", "the Bundle holds no Claim".into()));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (at, resource) in claims {
        match ClaimInput::deserialize(resource) {
            Ok(claim) => match claim.read(&at) {
                Ok(claim) => out.push(claim),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.append(&mut shape_errors(resource, &at, &e)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(ClaimErrors(errors)) }
}

/// Says which part of a Claim that serde refused is not FHIR R4: each item and diagnosis on its own,
/// else the Claim as a whole.
fn shape_errors(claim: &Value, at: &str, error: &serde_json::Error) -> Vec<ClaimError> {
    fn each<T: serde::de::DeserializeOwned>(claim: &Value, field: &str, at: &str, errors: &mut Vec<ClaimError>) {
        for (i, v) in claim.get(field).and_then(Value::as_array).into_iter().flatten().enumerate() {
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(v) {
                let path = e.path().to_string();
                let at = if path == "." { format!("{at}.{field}[{i}]") } else { format!("{at}.{field}[{i}].{path}") };
                errors.push(ClaimError { at, message: crate::without_values(&e.into_inner().to_string()) });
            }
        }
    }
    let mut errors = Vec::new();
    each::<ClaimItem>(claim, "item", at, &mut errors);
    each::<ClaimDiagnosis>(claim, "diagnosis", at, &mut errors);
    if errors.is_empty() {
        let at = match serde_path_to_error::deserialize::<_, ClaimInput>(claim) {
            Err(e) if e.path().to_string() != "." => format!("{at}.{}", e.path()),
            _ => at.to_string(),
        };
        let message = format!("{}: not a FHIR R4 Claim", crate::without_values(&error.to_string()));
        errors.push(ClaimError { at, message });
    }
    errors
}

/// Says that `code` is not a `what`, or that none is given.
fn not_a(code: &str, what: &str, hint: &str) -> String {
    if code.is_empty() { format!("no {what} is given ({hint})") } else { format!("`{code}` is not a {what} ({hint})") }
}

/// Problems found in a Claim, each at its FHIR path.
#[derive(Default)]
struct Problems(Vec<ClaimError>);

impl Problems {
    fn add(&mut self, at: String, message: impl Into<String>) {
        self.0.push(ClaimError { at, message: message.into() });
    }

    /// The date of a FHIR date or dateTime.
    fn date(&mut self, s: &str, at: String) -> Option<Date> {
        let day = s.split_once('T').map_or(s, |(day, _)| day);
        let date = day.trim().parse().ok();
        if date.is_none() {
            self.add(at, format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2025-03-14"));
        }
        date
    }
}

impl ClaimInput {
    fn read(self, at: &str) -> Result<interspace_claim::Claim, Vec<ClaimError>> {
        let mut p = Problems::default();
        let id = self.id.as_deref().or_else(|| self.identifier.first().and_then(|i| i.value.as_deref()));
        let id = id.map(str::trim).unwrap_or_default().to_string();
        if id.is_empty() {
            p.add(format!("{at}.id"), "the Claim has neither an id nor an identifier[0].value");
        }
        let payer = match self.insurer.and_then(|r| r.display).as_deref().map(str::trim) {
            Some(name) if !name.is_empty() && !name.to_ascii_lowercase().contains("medicare") => {
                Payer::Other(name.to_string())
            }
            _ => Payer::Medicare,
        };

        // Diagnoses in `sequence` order; items point at them by sequence.
        let mut diagnosis: Vec<(usize, &ClaimDiagnosis)> = self.diagnosis.iter().enumerate().collect();
        diagnosis.sort_by_key(|(_, d)| d.sequence);
        let sequences: Vec<u32> = diagnosis.iter().map(|(_, d)| d.sequence).collect();
        let mut diagnoses = Vec::new();
        for (k, (i, d)) in diagnosis.iter().enumerate() {
            let path = format!("{at}.diagnosis[{i}]");
            if k > 0 && sequences[k - 1] == d.sequence {
                p.add(format!("{path}.sequence"), format!("sequence {} is given twice", d.sequence));
            }
            let code = d.diagnosis_codeable_concept.first_code(Some(CM_SYSTEM)).unwrap_or_default();
            match normalize_diagnosis(code) {
                Some(code) => diagnoses.push(code),
                None => p.add(
                    format!("{path}.diagnosisCodeableConcept"),
                    not_a(code, "ICD-10-CM code", "a letter, a digit, then up to five characters"),
                ),
            }
        }

        if self.item.is_empty() {
            p.add(format!("{at}.item"), "the Claim has no items");
        }
        // `None`: no billable period; `Some(None)`: one whose start is wrong, already reported.
        let claim_date = self
            .billable_period
            .and_then(|b| b.start)
            .map(|start| p.date(&start, format!("{at}.billablePeriod.start")));
        let mut lines = Vec::new();
        let mut place_of_service = None;
        for (i, item) in self.item.iter().enumerate() {
            let path = format!("{at}.item[{i}]");
            let (line, place) = item.read(&path, &sequences, claim_date, &mut p);
            lines.extend(line);
            // One place of service per claim: the first item's that gives one (items normally agree).
            place_of_service = place_of_service.or(place);
        }
        if !p.0.is_empty() {
            return Err(p.0);
        }
        Ok(interspace_claim::Claim {
            id,
            payer,
            place_of_service,
            locality: None,
            diagnoses,
            lines,
            history: Vec::new(),
        })
    }
}

impl ClaimItem {
    /// Reads an item of a Claim to scrub: its line, and its place of service when it gives one.
    /// `sequences` are the Claim's diagnosis sequence numbers, sorted; `claim_date` is
    /// `billablePeriod.start` (see [`ClaimInput::read`]).
    fn read(
        &self,
        path: &str,
        sequences: &[u32],
        claim_date: Option<Option<Date>>,
        p: &mut Problems,
    ) -> (Option<ClaimLine>, Option<String>) {
        let coding = &self.product_or_service.coding;
        let code = coding
            .iter()
            .find(|c| matches!(c.system.as_deref(), Some(CPT_SYSTEM | HCPCS_SYSTEM)))
            .or(coding.first())
            .and_then(|c| c.code.as_deref())
            .unwrap_or_default();
        let code = Hcpcs::parse(code).ok().or_else(|| {
            let message = not_a(code, "CPT or HCPCS code", "five characters, e.g. 22633");
            p.add(format!("{path}.productOrService"), message);
            None
        });
        let mut modifiers = Vec::new();
        for (k, m) in self.modifier.iter().enumerate() {
            let m = m.coding.first().and_then(|c| c.code.as_deref()).unwrap_or_default();
            match Modifier::parse(m) {
                Ok(m) => modifiers.push(m),
                Err(_) => p.add(format!("{path}.modifier[{k}]"), not_a(m, "modifier", "two characters, e.g. 62, XS")),
            }
        }
        let units = match self.quantity.as_ref().and_then(|q| q.value.as_ref()) {
            None => Some(1),
            Some(n) => {
                let whole =
                    n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 1.0).map(|f| f as u64));
                let units = whole.and_then(|u| u32::try_from(u).ok()).filter(|u| *u >= 1);
                if units.is_none() {
                    let message = format!("`{n}` is not a number of units: a whole number, at least 1");
                    p.add(format!("{path}.quantity.value"), message);
                }
                units
            }
        };
        let pointers: Vec<u8> = if self.diagnosis_sequence.is_empty() {
            // As in the JSON schema: an item that names no diagnosis points at the first four.
            (1..=4).take(sequences.len()).collect()
        } else {
            let mut pointers = Vec::new();
            for (k, s) in self.diagnosis_sequence.iter().enumerate() {
                let i = sequences.partition_point(|x| x < s);
                match u8::try_from(i + 1).ok().filter(|_| sequences.get(i) == Some(s)) {
                    Some(pointer) => pointers.push(pointer),
                    None => p.add(
                        format!("{path}.diagnosisSequence[{k}]"),
                        format!("{s} names no diagnosis of the Claim (Claim.diagnosis.sequence)"),
                    ),
                }
            }
            pointers
        };
        let place = self.location_codeable_concept.as_ref().and_then(|location| {
            let code = location.coding.first().and_then(|c| c.code.as_deref()).unwrap_or_default();
            let place = parse_place_of_service(code);
            if place.is_none() {
                let message = not_a(code, "CMS place-of-service code", "two digits, e.g. 22");
                p.add(format!("{path}.locationCodeableConcept"), message);
            }
            place
        });
        let period_start = self.serviced_period.as_ref().and_then(|s| s.start.as_deref());
        let date_of_service = match (&self.serviced_date, period_start) {
            (Some(d), _) => p.date(d, format!("{path}.servicedDate")),
            (None, Some(d)) => p.date(d, format!("{path}.servicedPeriod.start")),
            (None, None) => claim_date.unwrap_or_else(|| {
                let message = "no date of service: give item.servicedDate or Claim.billablePeriod.start";
                p.add(format!("{path}.servicedDate"), message);
                None
            }),
        };
        let line = match (code, units, date_of_service) {
            (Some(code), Some(units), Some(date_of_service)) => Some(ClaimLine {
                code,
                modifiers,
                units,
                date_of_service,
                diagnosis_pointers: pointers,
                role: Role::Surgeon,
            }),
            _ => None,
        };
        (line, place)
    }
}

/// Reads a FHIR DocumentReference (or a Bundle holding one) with the note inline as base64.
pub fn document_reference(json: &str) -> Result<NoteInput, NoteError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| NoteError {
        message: format!("is not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
    })?;
    let resource = match value.get("resourceType").and_then(|r| r.as_str()) {
        Some("DocumentReference") => value,
        Some("Bundle") => value
            .get("entry")
            .and_then(|e| e.as_array())
            .and_then(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e.get("resource"))
                    .find(|r| r.get("resourceType").and_then(|t| t.as_str()) == Some("DocumentReference"))
            })
            .cloned()
            .ok_or_else(|| NoteError { message: "is a FHIR Bundle without a DocumentReference entry".into() })?,
        Some(other) => {
            return Err(NoteError {
                message: format!("is a FHIR {other}; a note must be a DocumentReference (or a Bundle holding one)"),
            });
        }
        None => {
            return Err(NoteError {
                message: "is JSON without `resourceType`; a note must be a FHIR DocumentReference".into(),
            });
        }
    };
    let doc: DocumentReference =
        located(&resource).map_err(|e| NoteError { message: format!("is not a valid DocumentReference: {e}") })?;
    let Some(attachment) = doc.content.iter().map(|c| &c.attachment).find(|a| a.data.is_some()) else {
        let has_url = doc.content.iter().any(|c| c.attachment.url.is_some());
        return Err(NoteError {
            message: if has_url {
                "DocumentReference.content.attachment has a url but no inline data; Interspace never fetches URLs: send the note base64-encoded in attachment.data".into()
            } else {
                "DocumentReference has no content.attachment.data holding the note".into()
            },
        });
    };
    if let Some(ct) = &attachment.content_type
        && !ct.starts_with("text/")
    {
        return Err(NoteError {
            message: format!("attachment contentType is `{ct}`; Interspace reads text/plain notes"),
        });
    }
    let data = attachment.data.as_deref().unwrap_or_default();
    let cleaned: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| NoteError { message: format!("attachment.data is not valid base64: {e}") })?;
    let text =
        crate::note::decode_text(&bytes).map_err(|e| NoteError { message: format!("the attachment {}", e.message) })?;
    if text.trim().is_empty() {
        return Err(NoteError { message: "the DocumentReference attachment is empty".into() });
    }
    Ok(NoteInput { text, format: NoteFormat::FhirDocumentReference, document_id: doc.id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn reads_document_reference_and_bundles() {
        let doc = format!(
            r#"{{"resourceType":"DocumentReference","id":"op-1","status":"current","content":[{{"attachment":{{"contentType":"text/plain","data":"{}"}}}}]}}"#,
            b64("L4-5 TLIF")
        );
        let n = document_reference(&doc).unwrap();
        assert_eq!((n.text.as_str(), n.document_id.as_deref()), ("L4-5 TLIF", Some("op-1")));
        let bundle = format!(r#"{{"resourceType":"Bundle","entry":[{{"resource":{doc}}}]}}"#);
        assert_eq!(document_reference(&bundle).unwrap().text, "L4-5 TLIF");
    }

    #[test]
    fn explains_what_is_wrong() {
        let e = |s: &str| document_reference(s).unwrap_err().message;
        assert!(e("{").contains("not valid JSON (line 1"));
        assert!(e(r#"{"resourceType":"Patient"}"#).contains("is a FHIR Patient"));
        assert!(
            e(r#"{"resourceType":"DocumentReference","content":[{"attachment":{"url":"http://x"}}]}"#)
                .contains("never fetches URLs")
        );
        assert!(
            e(r#"{"resourceType":"DocumentReference","content":[{"attachment":{"data":"@@@"}}]}"#)
                .contains("not valid base64")
        );
        assert!(e(r#"{"resourceType":"DocumentReference","content":[{"attachment":{"contentType":"application/pdf","data":"AA=="}}]}"#).contains("application/pdf"));
    }

    #[test]
    fn writes_a_claim_bundle() {
        let out = ClaimOut {
            id: "note-1".into(),
            created: "2025-03-01".into(),
            lines: vec![LineOut {
                code: "22558".into(),
                modifiers: vec!["62".into()],
                units: 1,
                amount: Some("936.03".into()),
            }],
            diagnoses: vec!["M43.16".into()],
            pcs: vec!["0SG00A0".into()],
            total: Some("936.03".into()),
        };
        let v = claim_bundle(&out);
        let claim = &v["entry"][0]["resource"];
        assert_eq!(claim["resourceType"], "Claim");
        assert_eq!(claim["item"][0]["productOrService"]["coding"][0]["code"], "22558");
        assert_eq!(claim["item"][0]["modifier"][0]["coding"][0]["code"], "62");
        assert_eq!(claim["item"][0]["net"]["value"].to_string(), "936.03");
        assert_eq!(claim["procedure"][0]["procedureCodeableConcept"]["coding"][0]["system"], PCS_SYSTEM);
        let back: Claim = serde_json::from_value(claim.clone()).unwrap();
        assert_eq!(back.item.len(), 1);
    }
}
