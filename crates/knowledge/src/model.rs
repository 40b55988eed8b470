//! The knowledge files' schema. Every struct denies unknown fields, so a misspelt key is an error
//! at load time rather than a silently missing section.

use interspace_refdata::{Hcpcs, Modifier};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer};

/// A TOML local date (`verified = 2026-11-23`) read as a civil date.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    match (dt.date, dt.time, dt.offset) {
        (Some(x), None, None) => Date::new(x.year as i16, x.month as i8, x.day as i8).map_err(serde::de::Error::custom),
        _ => Err(serde::de::Error::custom("expected a date like 2026-11-23 with no time")),
    }
}

/// The spinal region a code describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Craniocervical,
    Cervical,
    Cervicothoracic,
    Thoracic,
    Thoracolumbar,
    Lumbar,
    /// Lumbar and sacral vertebrae.
    Lumbosacral,
    /// The L5–S1 junction only.
    LumbosacralJunction,
    Sacral,
    Sacroiliac,
    /// Any region (instrumentation, graft, navigation).
    Any,
    /// Not a spinal code (e.g. limb and pelvis allografts that share the graft code range).
    NotSpinal,
}

impl Region {
    pub fn label(self) -> &'static str {
        match self {
            Region::Craniocervical => "craniocervical (occiput–C2)",
            Region::Cervical => "cervical",
            Region::Cervicothoracic => "cervical or thoracic",
            Region::Thoracic => "thoracic",
            Region::Thoracolumbar => "thoracic or lumbar",
            Region::Lumbar => "lumbar",
            Region::Lumbosacral => "lumbar and sacral",
            Region::LumbosacralJunction => "lumbosacral junction (L5–S1)",
            Region::Sacral => "sacral",
            Region::Sacroiliac => "sacroiliac joint",
            Region::Any => "any spinal region",
            Region::NotSpinal => "not a spinal code",
        }
    }
}

/// The surgical approach a code describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Approach {
    Anterior,
    /// Anterior, lateral transpsoas or oblique: the corridor in front of the transverse processes.
    AnteriorOrLateral,
    Posterior,
    Posterolateral,
    LateralExtracavitary,
    Presacral,
    Percutaneous,
    /// Open exposure, no particular direction.
    Open,
    Combined,
    /// The code does not depend on the approach.
    Any,
}

impl Approach {
    pub fn label(self) -> &'static str {
        match self {
            Approach::Anterior => "anterior",
            Approach::AnteriorOrLateral => "anterior, lateral (transpsoas) or oblique",
            Approach::Posterior => "posterior",
            Approach::Posterolateral => "posterior or posterolateral",
            Approach::LateralExtracavitary => "lateral extracavitary",
            Approach::Presacral => "presacral (paracoccygeal)",
            Approach::Percutaneous => "percutaneous, image-guided",
            Approach::Open => "open",
            Approach::Combined => "combined anterior and posterior",
            Approach::Any => "any approach",
        }
    }
}

/// What one unit of a code counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingUnit {
    /// One disc space between two vertebrae.
    Interspace,
    /// One vertebra.
    VertebralSegment,
    /// One vertebral body treated (augmentation).
    VertebralBody,
    /// One contiguous corpectomy or tumour defect.
    ContiguousDefect,
    /// One interspace on one side (laminotomy).
    InterspaceSide,
    /// One construct, sized by the vertebral segments it spans.
    Construct,
    /// One procedure.
    Procedure,
    /// Once per operative session.
    Session,
    /// Each 15 minutes.
    Minutes15,
    /// Each hour.
    Hour,
}

impl CountingUnit {
    pub fn label(self) -> &'static str {
        match self {
            CountingUnit::Interspace => "per interspace",
            CountingUnit::VertebralSegment => "per vertebral segment",
            CountingUnit::VertebralBody => "per vertebral body",
            CountingUnit::ContiguousDefect => "per contiguous defect",
            CountingUnit::InterspaceSide => "per interspace, per side",
            CountingUnit::Construct => "once per construct (sized by segments spanned)",
            CountingUnit::Procedure => "once per procedure",
            CountingUnit::Session => "once per operative session",
            CountingUnit::Minutes15 => "per 15 minutes",
            CountingUnit::Hour => "per hour",
        }
    }

    /// Whether more than one unit on a line is never right.
    pub fn single_unit(self) -> bool {
        matches!(self, CountingUnit::Construct | CountingUnit::Procedure | CountingUnit::Session)
    }
}

/// The kind of service a code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Arthrodesis,
    DeformityArthrodesis,
    Instrumentation,
    InstrumentationRemoval,
    BiomechanicalDevice,
    BoneGraft,
    Decompression,
    Corpectomy,
    Arthroplasty,
    InterlaminarDevice,
    Augmentation,
    Sacroiliac,
    Navigation,
    Microscope,
    Neuromonitoring,
    Exploration,
    Tethering,
    Osteotomy,
    Fracture,
    Other,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Arthrodesis => "arthrodesis (fusion)",
            Family::DeformityArthrodesis => "arthrodesis for spinal deformity",
            Family::Instrumentation => "spinal instrumentation",
            Family::InstrumentationRemoval => "instrumentation removal or reinsertion",
            Family::BiomechanicalDevice => "biomechanical (interbody) device",
            Family::BoneGraft => "bone graft",
            Family::Decompression => "decompression",
            Family::Corpectomy => "corpectomy",
            Family::Arthroplasty => "disc arthroplasty",
            Family::InterlaminarDevice => "interlaminar or interspinous device without fusion",
            Family::Augmentation => "vertebroplasty or augmentation",
            Family::Sacroiliac => "sacroiliac joint fusion",
            Family::Navigation => "navigation",
            Family::Microscope => "operating microscope",
            Family::Neuromonitoring => "neurophysiologic monitoring",
            Family::Exploration => "exploration",
            Family::Tethering => "vertebral body tethering",
            Family::Osteotomy => "osteotomy",
            Family::Fracture => "open treatment of vertebral fractures and dislocations",
            Family::Other => "other spine procedure",
        }
    }
}

/// A related code with why it is related.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub code: Hcpcs,
    pub note: String,
}

/// A common reason for denial, and the scrubber edit that catches it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Denial {
    pub edit: String,
    pub reason: String,
}

/// A question coders ask about a code, answered from cited sources.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: String,
    pub answer: String,
    pub sources: Vec<String>,
}

/// `data/knowledge/codes/<code>.toml`: what a coder needs to know about one code, in our words.
/// Figures (RVUs, global days, MUE, indicators, money) are never here: pages take them from
/// the data when they render.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: Hcpcs,
    /// Short plain-language name (never the AMA descriptor).
    pub name: String,
    pub summary: String,
    pub family: Family,
    pub region: Region,
    pub approach: Approach,
    pub unit: CountingUnit,
    #[serde(deserialize_with = "date")]
    pub verified: Date,
    pub sources: Vec<String>,
    #[serde(default)]
    pub includes: Vec<String>,
    #[serde(default)]
    pub not_included: Vec<String>,
    /// For add-ons: the primaries CPT guidance pairs it with, checked against the AOC file.
    #[serde(default)]
    pub reported_with: Vec<Hcpcs>,
    #[serde(default)]
    pub documentation: Vec<String>,
    #[serde(default)]
    pub related: Vec<Related>,
    #[serde(default, rename = "denial")]
    pub denials: Vec<Denial>,
    #[serde(default, rename = "faq")]
    pub faqs: Vec<Faq>,
}

/// `data/knowledge/terms/<slug>.toml`: one glossary entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// URL-safe id, equal to the file stem.
    pub slug: String,
    pub term: String,
    #[serde(default)]
    pub expansion: Option<String>,
    /// Other names and spellings that search should find.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub definition: String,
    pub why_it_matters: String,
    #[serde(default)]
    pub common_mistakes: Vec<String>,
    #[serde(default)]
    pub related_codes: Vec<Hcpcs>,
    #[serde(default)]
    pub related_terms: Vec<String>,
    pub sources: Vec<String>,
    #[serde(deserialize_with = "date")]
    pub verified: Date,
}

/// One documentation element (see `documentation_elements.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentationElement {
    pub id: String,
    pub label: String,
    pub why: String,
    /// A sentence a surgeon can complete, for the scribe check.
    pub template: String,
}

/// How serious a scrubber edit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One scrubber edit of the catalogue (see `edits.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditInfo {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub fix: String,
    pub sources: Vec<String>,
}

/// How much weight a source carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Cms,
    Mac,
    Society,
    Publisher,
    Secondary,
    Disputed,
}

/// One entry of the bibliography.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    pub kind: SourceKind,
    #[serde(deserialize_with = "date")]
    pub verified: Date,
}

/// The RVU-file indicator that decides whether a modifier is payable on a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModifierIndicator {
    CoSurgery,
    Assistant,
    Bilateral,
}

/// One modifier the engine understands.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModifierInfo {
    pub code: Modifier,
    pub label: String,
    pub meaning: String,
    #[serde(default)]
    pub indicator: Option<ModifierIndicator>,
    #[serde(default)]
    pub ncci_associated: bool,
    pub sources: Vec<String>,
}

/// A code that no longer exists.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletedCode {
    pub code: Hcpcs,
    #[serde(default)]
    pub deleted_in: Option<i16>,
    pub replaced_by: Vec<Hcpcs>,
    pub note: String,
    pub sources: Vec<String>,
}

/// `lcd_l37848.toml`: a local coverage determination as a checklist, in our own words.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lcd {
    /// The policy id, e.g. `L37848`.
    pub policy: String,
    pub title: String,
    pub version: String,
    pub effective: String,
    pub contractor_article: String,
    pub sources: Vec<String>,
    /// CPT codes the billing article lists.
    pub codes: Vec<Hcpcs>,
    /// Requirements that apply whatever the indication.
    pub general: Vec<LcdCriterion>,
    #[serde(rename = "indication")]
    pub indications: Vec<LcdIndication>,
}

/// One coverage indication of an LCD.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LcdIndication {
    pub id: String,
    pub title: String,
    #[serde(rename = "criterion")]
    pub criteria: Vec<LcdCriterion>,
    /// Words in a note that point to this indication (matched whole, lower case).
    pub note_concepts: Vec<String>,
    /// ICD-10-CM codes or categories (as written in the code set, with the dot) whose codes
    /// support the indication.
    pub diagnoses: Vec<String>,
}

/// One criterion of an LCD, with the phrases whose presence in a note documents it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LcdCriterion {
    pub text: String,
    /// Lower-case phrases; empty when only a reviewer can judge the criterion.
    pub evidence: Vec<String>,
}

impl LcdIndication {
    /// Whether a diagnosis (dots ignored) supports this indication.
    pub fn supported_by(&self, diagnosis: &str) -> bool {
        let d: String = diagnosis.chars().filter(|c| *c != '.').collect();
        self.diagnoses.iter().any(|p| d.starts_with(&p.replace('.', "")))
    }
}

/// `explainers/<id>.toml`: a patient-facing page about one procedure, in plain language.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Explainer {
    /// URL-safe id, equal to the file stem.
    pub id: String,
    pub title: String,
    pub also_called: Vec<String>,
    pub summary: String,
    pub why: Vec<String>,
    pub what_happens: Vec<String>,
    pub preparation: Vec<String>,
    pub recovery: Vec<String>,
    pub risks: Vec<String>,
    pub questions: Vec<String>,
    /// The CPT codes that bill this procedure.
    pub codes: Vec<Hcpcs>,
    pub code_notes: String,
    pub sources: Vec<String>,
    pub reviewed: String,
}

impl Explainer {
    /// The text patients read (not the billing note), sentence-bearing strings in page order.
    pub fn patient_text(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.summary.as_str()).chain(
            [&self.why, &self.what_happens, &self.preparation, &self.recovery, &self.risks, &self.questions]
                .into_iter()
                .flatten()
                .map(String::as_str),
        )
    }
}
