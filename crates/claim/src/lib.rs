/*!
The professional claim as Interspace checks it.

# Brief overview

A [`Claim`] is what one rendering provider bills for one patient: [`ClaimLine`]s (code, modifiers,
units, date of service, diagnosis pointers, the provider's [`Role`]), ICD-10-CM diagnoses, the
place of service, the payer, and optionally the patient's earlier surgeries ([`PriorService`]) for
global-period checks. Claims come from three formats: the JSON schema of this crate
([`from_json`], documented in `docs/claim-schema.md`), X12 837P and FHIR R4 Claim (both in
`interspace-formats`). Every reader returns all the problems it finds, each with its place, and a
claim is built only when there are none.

The claim holds no patient identity: the scrubber needs none, and none is ever logged.
*/

mod json;

use std::fmt;

use interspace_refdata::{Hcpcs, LocalityId, Modifier};
use jiff::civil::Date;

pub use json::{ClaimJson, from_json, unique_keys};

/// One claim of one rendering provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The submitter's claim number (CLM01 in 837P), for messages.
    pub id: String,
    pub payer: Payer,
    /// CMS place-of-service code ("21" inpatient hospital, "22" outpatient hospital, "24" ASC,
    /// "11" office), when given.
    pub place_of_service: Option<String>,
    /// The GPCI locality for pricing; national when `None`.
    pub locality: Option<LocalityId>,
    /// ICD-10-CM codes in claim order; line pointers are 1-based indexes into this list.
    pub diagnoses: Vec<String>,
    pub lines: Vec<ClaimLine>,
    /// Earlier services of the same provider to the same patient (for global periods).
    pub history: Vec<PriorService>,
}

/// One service line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimLine {
    pub code: Hcpcs,
    pub modifiers: Vec<Modifier>,
    pub units: u32,
    pub date_of_service: Date,
    /// 1-based pointers into [`Claim::diagnoses`].
    pub diagnosis_pointers: Vec<u8>,
    pub role: Role,
}

impl ClaimLine {
    pub fn has_modifier(&self, m: &str) -> bool {
        self.modifiers.iter().any(|x| x.as_str() == m)
    }

    /// `CODE[-MOD…][xUNITS]`, the line syntax of the CLI.
    pub fn token(&self) -> String {
        let mut t = self.code.to_string();
        for m in &self.modifiers {
            t.push('-');
            t.push_str(m.as_str());
        }
        if self.units != 1 {
            t.push_str(&format!("x{}", self.units));
        }
        t
    }
}

/// A service billed before this claim, for global-period checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorService {
    pub date: Date,
    pub code: Hcpcs,
    pub modifiers: Vec<Modifier>,
}

/// Who is billing the line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// The operating surgeon (or the only physician).
    #[default]
    Surgeon,
    /// One of two co-surgeons (modifier 62).
    CoSurgeon,
    /// Assistant at surgery (80, 81, 82, AS).
    Assistant,
    /// A separate professional monitoring the nervous system during surgery.
    Monitoring,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "surgeon" => Role::Surgeon,
            "co_surgeon" | "co-surgeon" | "cosurgeon" => Role::CoSurgeon,
            "assistant" => Role::Assistant,
            "monitoring" => Role::Monitoring,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Surgeon => "surgeon",
            Role::CoSurgeon => "co_surgeon",
            Role::Assistant => "assistant",
            Role::Monitoring => "monitoring",
        }
    }
}

/// The payer whose rules apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Payer {
    /// Traditional Medicare (Part B physician fee schedule, NCCI, MACs' LCDs).
    #[default]
    Medicare,
    /// Any other payer, by name: NCCI and CMS payment rules are shown for reference only.
    Other(String),
}

impl fmt::Display for Payer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payer::Medicare => f.write_str("Medicare"),
            Payer::Other(name) => f.write_str(name),
        }
    }
}

/// One problem in a claim file: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimError {
    /// A path into the document: `claims[0].lines[2].code`, `segment 14 (SV1) element 1`.
    pub at: String,
    pub message: String,
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Every problem found in a claim file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimErrors(pub Vec<ClaimError>);

impl fmt::Display for ClaimErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ClaimErrors {}

/// Parses a CMS place-of-service code: two digits.
pub fn parse_place_of_service(s: &str) -> Option<String> {
    let s = s.trim();
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string())
}

/// Normalizes an ICD-10-CM code as written on claims: upper case, without the dot.
/// Returns `None` when it cannot be an ICD-10-CM code (letter, digit, then 1–5 alphanumerics).
pub fn normalize_diagnosis(s: &str) -> Option<String> {
    let code: String = s.trim().chars().filter(|c| *c != '.').map(|c| c.to_ascii_uppercase()).collect();
    let b = code.as_bytes();
    let ok = (3..=7).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2..].iter().all(u8::is_ascii_alphanumeric);
    ok.then_some(code)
}
