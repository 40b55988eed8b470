//! The JSON claim schema (`docs/claim-schema.md`): parsed strictly by serde, then validated field
//! by field so that every problem is reported with its path.

use interspace_refdata::{Hcpcs, LocalityId, Modifier};
use jiff::civil::Date;
use serde::Deserialize;

use crate::{Claim, ClaimError, ClaimErrors, ClaimLine, Payer, PriorService, Role};

/// One claim as written in JSON, before validation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimJson {
    pub claim_id: String,
    #[serde(default)]
    pub payer: Option<String>,
    #[serde(default)]
    pub place_of_service: Option<String>,
    #[serde(default)]
    pub locality: Option<String>,
    /// Default date of service for lines that give none.
    #[serde(default)]
    pub date_of_service: Option<String>,
    #[serde(default)]
    pub diagnoses: Vec<String>,
    pub lines: Vec<LineJson>,
    #[serde(default)]
    pub history: Vec<PriorJson>,
}

/// A line: a full object, or the CLI token `CODE[-MOD…][xUNITS]`.
#[derive(Clone, Debug)]
pub enum LineJson {
    Token(String),
    Full(LineObject),
}

/// By hand rather than `untagged`, so that a wrong field of a line object is reported at its path
/// (`lines[2].units: invalid type…`) instead of as "did not match any variant".
impl<'de> Deserialize<'de> for LineJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LineJson, D::Error> {
        struct Line;
        impl<'de> serde::de::Visitor<'de> for Line {
            type Value = LineJson;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a line token such as \"22633\" or \"22558-62\", or a line object with a `code`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LineJson, E> {
                Ok(LineJson::Token(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<LineJson, A::Error> {
                LineObject::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(LineJson::Full)
            }
        }
        d.deserialize_any(Line)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineObject {
    pub code: String,
    #[serde(default)]
    pub modifiers: Vec<String>,
    #[serde(default)]
    pub units: Option<u32>,
    #[serde(default)]
    pub date_of_service: Option<String>,
    /// 1-based; omitted means every diagnosis of the claim (up to four).
    #[serde(default)]
    pub diagnosis_pointers: Option<Vec<u8>>,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorJson {
    pub date: String,
    pub code: String,
    #[serde(default)]
    pub modifiers: Vec<String>,
}

/// Reads the claims of a JSON file. All problems are reported together.
pub fn from_json(text: &str) -> Result<Vec<Claim>, ClaimErrors> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ClaimErrors(vec![ClaimError {
            at: format!("line {}, column {}", e.line(), e.column()),
            message: format!("{e}: the file is not valid JSON"),
        }])
    })?;
    unique_keys(text, if value.is_array() { "claims" } else { "" }).map_err(|e| ClaimErrors(vec![e]))?;
    // A file holds one claim, an array of claims, or `{"claims": [...]}`.
    let (items, prefix): (Vec<serde_json::Value>, Option<&str>) = match value {
        serde_json::Value::Array(items) => (items, Some("claims")),
        serde_json::Value::Object(mut map) if map.len() == 1 && map.contains_key("claims") => {
            match map.remove("claims") {
                Some(serde_json::Value::Array(items)) => (items, Some("claims")),
                _ => {
                    return Err(ClaimErrors(vec![ClaimError {
                        at: "claims".into(),
                        message: "`claims` must be an array of claim objects".into(),
                    }]));
                }
            }
        }
        v @ serde_json::Value::Object(_) => (vec![v], None),
        _ => {
            return Err(ClaimErrors(vec![ClaimError {
                at: "top level".into(),
                message:
                    "expected a claim object, an array of claims or {\"claims\": [...]} (see docs/claim-schema.md)"
                        .into(),
            }]));
        }
    };
    if items.is_empty() {
        return Err(ClaimErrors(vec![ClaimError {
            at: "claims".into(),
            message: "the file holds no claim: give at least one claim object (see docs/claim-schema.md)".into(),
        }]));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let at = prefix.map(|p| format!("{p}[{i}]")).unwrap_or_default();
        let parsed = match serde_path_to_error::deserialize::<_, ClaimJson>(item) {
            Ok(c) => c,
            Err(e) => {
                // The path of the field at fault: `claims[1].lines[2].units`, `diagnoses[0]`.
                let path = e.path().to_string();
                let at = match (at.is_empty(), path == ".") {
                    (true, true) => "claim".to_string(),
                    (true, false) => path,
                    (false, true) => at,
                    (false, false) => format!("{at}.{path}"),
                };
                errors.push(ClaimError { at, message: format!("{} (see docs/claim-schema.md)", e.into_inner()) });
                continue;
            }
        };
        match parsed.validate(&at) {
            Ok(claim) => out.push(claim),
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(ClaimErrors(errors)) }
}

/// Refuses a JSON document in which an object names a key twice, with the path of that object
/// (under `root`, e.g. `claims` or `Claim`). serde_json keeps the last of two equal keys silently: a
/// claim whose `lines` appear twice would lose the first ones.
pub fn unique_keys(text: &str, root: &str) -> Result<(), ClaimError> {
    struct Unique;
    impl<'de> Deserialize<'de> for Unique {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
            d.deserialize_any(UniqueVisitor)
        }
    }
    struct UniqueVisitor;
    impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
        type Value = Unique;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
            while seq.next_element::<Unique>()?.is_some() {}
            Ok(Unique)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(serde::de::Error::custom(format!("the key `{key}` appears twice in one object")));
                }
                map.next_value::<Unique>()?;
            }
            Ok(Unique)
        }
    }
    let mut d = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Unique>(&mut d).map(|_| ()).map_err(|e| {
        let path = e.path().to_string();
        let at = match (path.as_str(), root) {
            (".", "") => "top level".to_string(),
            (".", root) => root.to_string(),
            (path, "") => path.to_string(),
            (path, root) if path.starts_with('[') => format!("{root}{path}"),
            (path, root) => format!("{root}.{path}"),
        };
        ClaimError { at, message: e.into_inner().to_string() }
    })
}

fn join(at: &str, field: &str) -> String {
    if at.is_empty() { field.to_string() } else { format!("{at}.{field}") }
}

fn date(s: &str, at: String, errors: &mut Vec<ClaimError>) -> Option<Date> {
    match s.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(ClaimError { at, message: format!("`{s}` is not a date; write YYYY-MM-DD, e.g. 2025-03-14") });
            None
        }
    }
}

fn code(s: &str, at: String, errors: &mut Vec<ClaimError>) -> Option<Hcpcs> {
    match s.trim().parse::<Hcpcs>() {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(ClaimError { at, message: format!("{e}; a CPT or HCPCS code is five characters, e.g. 22633") });
            None
        }
    }
}

fn modifiers(ms: &[String], at: &str, errors: &mut Vec<ClaimError>) -> Vec<Modifier> {
    let mut out = Vec::new();
    for (k, m) in ms.iter().enumerate() {
        match Modifier::parse(m) {
            Ok(m) => out.push(m),
            Err(_) => errors.push(ClaimError {
                at: format!("{at}.modifiers[{k}]"),
                message: format!("`{m}` is not a modifier; modifiers are two characters, e.g. 62, XS, RT"),
            }),
        }
    }
    out
}

/// Splits the token `CODE[-MOD…][xUNITS]`.
fn token(t: &str) -> Result<(String, Vec<String>, u32), String> {
    let t = t.trim();
    let (body, units) = match t.rsplit_once(['x', 'X']) {
        Some((b, u)) if !u.is_empty() && u.bytes().all(|c| c.is_ascii_digit()) => {
            (b, u.parse::<u32>().map_err(|_| format!("units `{u}` are too large"))?)
        }
        _ => (t, 1),
    };
    let mut parts = body.split('-');
    let code = parts.next().unwrap_or_default().to_string();
    Ok((code, parts.map(str::to_string).collect(), units))
}

impl ClaimJson {
    /// Checks every field; `at` is the claim's path in the file.
    pub fn validate(&self, at: &str) -> Result<Claim, ClaimErrors> {
        let mut errors = Vec::new();
        if self.claim_id.trim().is_empty() {
            errors.push(ClaimError { at: join(at, "claim_id"), message: "the claim id is empty".into() });
        }
        let payer = match self.payer.as_deref().map(str::trim) {
            None | Some("") => Payer::Medicare,
            Some(p) if p.eq_ignore_ascii_case("medicare") => Payer::Medicare,
            Some(p) => Payer::Other(p.to_string()),
        };
        let place_of_service = self.place_of_service.as_deref().and_then(|p| {
            let pos = crate::parse_place_of_service(p);
            if pos.is_none() {
                errors.push(ClaimError {
                    at: join(at, "place_of_service"),
                    message: format!(
                        "`{p}` is not a place-of-service code; use two digits, e.g. 22 (outpatient hospital)"
                    ),
                });
            }
            pos
        });
        let locality = self.locality.as_deref().and_then(|l| match l.parse::<LocalityId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(ClaimError {
                    at: join(at, "locality"),
                    message: format!("`{l}` is not a locality; write MAC-LOCALITY, e.g. 10112-00"),
                });
                None
            }
        });
        let default_date =
            self.date_of_service.as_deref().and_then(|d| date(d, join(at, "date_of_service"), &mut errors));
        let mut diagnoses = Vec::new();
        for (k, d) in self.diagnoses.iter().enumerate() {
            match crate::normalize_diagnosis(d) {
                Some(d) => diagnoses.push(d),
                None => errors.push(ClaimError {
                    at: format!("{}[{k}]", join(at, "diagnoses")),
                    message: format!("`{d}` is not an ICD-10-CM code (a letter, a digit, then up to five characters)"),
                }),
            }
        }
        if self.lines.is_empty() {
            errors.push(ClaimError { at: join(at, "lines"), message: "the claim has no lines".into() });
        }
        let mut lines = Vec::new();
        for (k, l) in self.lines.iter().enumerate() {
            let lat = format!("{}[{k}]", join(at, "lines"));
            let obj = match l {
                LineJson::Full(o) => o.clone(),
                LineJson::Token(t) => match token(t) {
                    Ok((code, modifiers, units)) => LineObject {
                        code,
                        modifiers,
                        units: Some(units),
                        date_of_service: None,
                        diagnosis_pointers: None,
                        role: None,
                    },
                    Err(m) => {
                        errors.push(ClaimError { at: lat, message: m });
                        continue;
                    }
                },
            };
            let c = code(&obj.code, format!("{lat}.code"), &mut errors);
            let ms = modifiers(&obj.modifiers, &lat, &mut errors);
            let units = obj.units.unwrap_or(1);
            if units == 0 {
                errors.push(ClaimError { at: format!("{lat}.units"), message: "units must be at least 1".into() });
            }
            let dos = match obj.date_of_service.as_deref() {
                Some(d) => date(d, format!("{lat}.date_of_service"), &mut errors),
                None => {
                    if default_date.is_none() && self.date_of_service.is_none() {
                        errors.push(ClaimError {
                            at: format!("{lat}.date_of_service"),
                            message: "no date of service: give one on the line or on the claim".into(),
                        });
                    }
                    default_date
                }
            };
            let pointers = match &obj.diagnosis_pointers {
                Some(p) => p.clone(),
                None => (1..=diagnoses.len().min(4) as u8).collect(),
            };
            for (j, p) in pointers.iter().enumerate() {
                if *p == 0 || usize::from(*p) > self.diagnoses.len() {
                    errors.push(ClaimError {
                        at: format!("{lat}.diagnosis_pointers[{j}]"),
                        message: format!(
                            "pointer {p} does not name a diagnosis; the claim has {} (pointers start at 1)",
                            self.diagnoses.len()
                        ),
                    });
                }
            }
            let role = match obj.role.as_deref() {
                None => Role::Surgeon,
                Some(r) => Role::parse(r).unwrap_or_else(|| {
                    errors.push(ClaimError {
                        at: format!("{lat}.role"),
                        message: format!("`{r}` is not a role; use surgeon, co_surgeon, assistant or monitoring"),
                    });
                    Role::Surgeon
                }),
            };
            if let (Some(code), Some(date_of_service)) = (c, dos) {
                lines.push(ClaimLine {
                    code,
                    modifiers: ms,
                    units,
                    date_of_service,
                    diagnosis_pointers: pointers,
                    role,
                });
            }
        }
        let mut history = Vec::new();
        for (k, h) in self.history.iter().enumerate() {
            let hat = format!("{}[{k}]", join(at, "history"));
            let d = date(&h.date, format!("{hat}.date"), &mut errors);
            let c = code(&h.code, format!("{hat}.code"), &mut errors);
            let ms = modifiers(&h.modifiers, &hat, &mut errors);
            if let (Some(date), Some(code)) = (d, c) {
                history.push(PriorService { date, code, modifiers: ms });
            }
        }
        if !errors.is_empty() {
            return Err(ClaimErrors(errors));
        }
        Ok(Claim { id: self.claim_id.trim().to_string(), payer, place_of_service, locality, diagnoses, lines, history })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_claim_with_token_and_object_lines() {
        let claims = from_json(
            r#"{"claim_id": "A1", "date_of_service": "2025-03-14", "diagnoses": ["M43.16", "m48062"],
                "lines": ["22633", "22853x2", {"code": "22558", "modifiers": ["62"], "diagnosis_pointers": [2]}]}"#,
        )
        .unwrap();
        let c = &claims[0];
        assert_eq!(c.diagnoses, ["M4316", "M48062"]);
        assert_eq!(c.lines.iter().map(ClaimLine::token).collect::<Vec<_>>(), ["22633", "22853x2", "22558-62"]);
        assert_eq!(c.lines[0].diagnosis_pointers, [1, 2]);
        assert_eq!(c.lines[2].diagnosis_pointers, [2]);
        assert_eq!(c.payer, Payer::Medicare);
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let e = from_json(
            r#"{"claims": [{"claim_id": "A1", "diagnoses": ["9999"], "lines": [
                {"code": "2263", "date_of_service": "2025-13-01", "diagnosis_pointers": [3]}, "22853-Z"]}]}"#,
        )
        .unwrap_err();
        let at: Vec<&str> = e.0.iter().map(|e| e.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "claims[0].diagnoses[0]",
                "claims[0].lines[0].code",
                "claims[0].lines[0].date_of_service",
                "claims[0].lines[0].diagnosis_pointers[0]",
                "claims[0].lines[1].modifiers[0]",
                "claims[0].lines[1].date_of_service",
            ]
        );
    }

    #[test]
    fn wrong_types_are_reported_at_their_path() {
        let at = |json: &str| from_json(json).unwrap_err().0[0].at.clone();
        assert_eq!(at(r#"{"claim_id": 5, "lines": ["22633"]}"#), "claim_id");
        assert_eq!(at(r#"{"claim_id": "A", "diagnoses": [5], "lines": ["22633"]}"#), "diagnoses[0]");
        assert_eq!(at(r#"{"claim_id": "A", "lines": ["22633", {"code": "22633", "units": "2"}]}"#), "lines[1].units");
        assert_eq!(at(r#"[{"claim_id": "A", "lines": [{"code": "22633", "bogus": 1}]}]"#), "claims[0].lines[0].bogus");
        assert_eq!(at(r#"{"claim_id": "A", "lines": [null]}"#), "lines[0]");
        assert_eq!(at("[]"), "claims");
        let e =
            from_json(r#"{"claim_id": "A", "lines": [{"code": "22633", "diagnosis_pointers": [300]}]}"#).unwrap_err();
        assert_eq!(e.0[0].at, "lines[0].diagnosis_pointers[0]", "{e}");
    }

    #[test]
    fn keys_given_twice_are_refused() {
        let e =
            from_json(r#"{"claim_id": "A", "date_of_service": "2025-03-14", "lines": ["22633"], "lines": ["22612"]}"#)
                .unwrap_err();
        assert_eq!(e.0[0].at, "top level");
        assert!(e.0[0].message.contains("`lines` appears twice"), "{e}");
        let e = from_json(r#"[{"claim_id": "A", "lines": [{"code": "22633", "units": 1, "units": 2}]}]"#).unwrap_err();
        assert_eq!(e.0[0].at, "claims[0].lines[0]", "{e}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = from_json(r#"{"claim_id": "A1", "date_of_service": "2025-03-14", "lines": ["22633"], "patient": "x"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `patient`"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = from_json(&s);
        }
    }
}
