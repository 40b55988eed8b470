/*!
The spine code knowledge base.

# Brief overview

[`Knowledge`] is loaded from the TOML files under `data/knowledge/` (compiled into the binary):
one [`CodeEntry`] per CPT code (`codes/<code>.toml`), one [`Term`] per glossary entry
(`terms/<slug>.toml`), and the shared catalogues every other part of Interspace points into:
[`DocumentationElement`]s (what a note must say; the analyzer checks the same ids),
[`EditInfo`] (the scrubber's edits; code pages' denial reasons name them), [`Source`]s (the
bibliography every statement cites), [`ModifierInfo`] and [`DeletedCode`].

Knowledge files hold words, never figures: RVUs, global days, MUEs, indicators and money come
from [`interspace_refdata`] when a page renders. [`Knowledge::check`] enforces that, and that
every reference resolves, against the loaded data.
*/

mod check;
mod model;
pub mod readability;

use std::collections::{BTreeMap, HashMap};

use interspace_refdata::Hcpcs;

pub use check::{Problem, REQUIRED_RANGES};
pub use model::{
    Approach, CodeEntry, CountingUnit, DeletedCode, Denial, DocumentationElement, EditInfo, Explainer, Family, Faq,
    Lcd, LcdCriterion, LcdIndication, ModifierIndicator, ModifierInfo, Region, Related, Severity, Source, SourceKind,
    Term,
};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../data/knowledge/"]
#[include = "*.toml"]
#[include = "codes/*.toml"]
#[include = "terms/*.toml"]
struct Embedded;

/// A knowledge file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("data/knowledge/{file}: {message}")]
pub struct LoadError {
    pub file: String,
    pub message: String,
}

/// The whole knowledge base, read-only after loading.
#[derive(Debug, Default)]
pub struct Knowledge {
    codes: BTreeMap<Hcpcs, CodeEntry>,
    terms: BTreeMap<String, Term>,
    elements: Vec<DocumentationElement>,
    edits: Vec<EditInfo>,
    /// Position of each edit in `edits` by id: the scrubber looks every edit up on every claim.
    edit_by_id: HashMap<String, usize>,
    sources: BTreeMap<String, Source>,
    modifiers: Vec<ModifierInfo>,
    deleted: Vec<DeletedCode>,
    lcd: Lcd,
    explainers: BTreeMap<String, Explainer>,
    /// Every file's text, for the prose checks.
    files: Vec<(String, String)>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Elements {
    element: Vec<DocumentationElement>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Edits {
    edit: Vec<EditInfo>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Sources {
    source: Vec<Source>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Modifiers {
    modifier: Vec<ModifierInfo>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Deleted {
    deleted: Vec<DeletedCode>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, LoadError> {
    toml::from_str(text).map_err(|e| LoadError { file: file.into(), message: e.to_string().trim().replace('\n', " ") })
}

impl Knowledge {
    /// Loads the knowledge files compiled into the binary. Structure is checked here; references
    /// against the data are checked by [`Knowledge::check`].
    pub fn load_embedded() -> Result<Knowledge, Vec<LoadError>> {
        let mut files = Vec::new();
        for f in Embedded::iter() {
            let data = Embedded::get(&f).map(|d| d.data).unwrap_or_default();
            match String::from_utf8(data.into_owned()) {
                Ok(text) => files.push((f.to_string(), text)),
                Err(_) => return Err(vec![LoadError { file: f.to_string(), message: "is not UTF-8".into() }]),
            }
        }
        Knowledge::from_files(files)
    }

    /// Builds the knowledge base from `(path relative to data/knowledge, text)` pairs.
    pub fn from_files(files: Vec<(String, String)>) -> Result<Knowledge, Vec<LoadError>> {
        let mut k = Knowledge::default();
        let mut errors = Vec::new();
        let text_of = |name: &str| files.iter().find(|(f, _)| f == name).map(|(_, t)| t.as_str());
        macro_rules! catalogue {
            ($file:literal, $ty:ty, $field:ident, $into:expr) => {
                match text_of($file).map(|t| parse::<$ty>($file, t)) {
                    Some(Ok(v)) => $into(&mut k, v.$field),
                    Some(Err(e)) => errors.push(e),
                    None => errors.push(LoadError { file: $file.into(), message: "is missing".into() }),
                }
            };
        }
        catalogue!("documentation_elements.toml", Elements, element, |k: &mut Knowledge, v| k.elements = v);
        catalogue!("edits.toml", Edits, edit, |k: &mut Knowledge, v: Vec<EditInfo>| {
            k.edit_by_id = v.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
            k.edits = v;
        });
        catalogue!("modifiers.toml", Modifiers, modifier, |k: &mut Knowledge, v| k.modifiers = v);
        catalogue!("deleted_codes.toml", Deleted, deleted, |k: &mut Knowledge, v| k.deleted = v);
        match text_of("lcd_l37848.toml").map(|t| parse::<Lcd>("lcd_l37848.toml", t)) {
            Some(Ok(v)) => k.lcd = v,
            Some(Err(e)) => errors.push(e),
            None => errors.push(LoadError { file: "lcd_l37848.toml".into(), message: "is missing".into() }),
        }
        catalogue!("sources.toml", Sources, source, |k: &mut Knowledge, v: Vec<Source>| {
            k.sources = v.into_iter().map(|s| (s.id.clone(), s)).collect()
        });
        for (file, text) in &files {
            if let Some(stem) = file.strip_prefix("codes/").and_then(|f| f.strip_suffix(".toml")) {
                match parse::<CodeEntry>(file, text) {
                    Ok(c) if c.code.as_str() != stem => errors.push(LoadError {
                        file: file.clone(),
                        message: format!("describes {} but the file is named {stem}.toml", c.code),
                    }),
                    Ok(c) => {
                        k.codes.insert(c.code, c);
                    }
                    Err(e) => errors.push(e),
                }
            } else if let Some(stem) = file.strip_prefix("explainers/").and_then(|f| f.strip_suffix(".toml")) {
                match parse::<Explainer>(file, text) {
                    Ok(x) if x.id != stem => errors.push(LoadError {
                        file: file.clone(),
                        message: format!("has id `{}` but the file is named {stem}.toml", x.id),
                    }),
                    Ok(x) => {
                        k.explainers.insert(x.id.clone(), x);
                    }
                    Err(e) => errors.push(e),
                }
            } else if let Some(stem) = file.strip_prefix("terms/").and_then(|f| f.strip_suffix(".toml")) {
                match parse::<Term>(file, text) {
                    Ok(t) if t.slug != stem => errors.push(LoadError {
                        file: file.clone(),
                        message: format!("has slug `{}` but the file is named {stem}.toml", t.slug),
                    }),
                    Ok(t) => {
                        k.terms.insert(t.slug.clone(), t);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        k.files = files;
        if errors.is_empty() { Ok(k) } else { Err(errors) }
    }

    /// A patient-facing procedure explainer by id (`acdf`, `tlif-plif`, …).
    pub fn explainer(&self, id: &str) -> Option<&Explainer> {
        self.explainers.get(id)
    }

    pub fn explainers(&self) -> impl Iterator<Item = &Explainer> {
        self.explainers.values()
    }

    /// LCD L37848 (lumbar spinal fusion) as a checklist.
    pub fn lumbar_fusion_lcd(&self) -> &Lcd {
        &self.lcd
    }

    pub fn code(&self, code: Hcpcs) -> Option<&CodeEntry> {
        self.codes.get(&code)
    }

    pub fn codes(&self) -> impl Iterator<Item = &CodeEntry> {
        self.codes.values()
    }

    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.terms.get(slug)
    }

    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.values()
    }

    pub fn element(&self, id: &str) -> Option<&DocumentationElement> {
        self.elements.iter().find(|e| e.id == id)
    }

    pub fn elements(&self) -> &[DocumentationElement] {
        &self.elements
    }

    pub fn edit(&self, id: &str) -> Option<&EditInfo> {
        self.edit_by_id.get(id).map(|&i| &self.edits[i])
    }

    pub fn edits(&self) -> &[EditInfo] {
        &self.edits
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.values()
    }

    pub fn modifier(&self, code: &str) -> Option<&ModifierInfo> {
        self.modifiers.iter().find(|m| m.code.as_str().eq_ignore_ascii_case(code))
    }

    pub fn modifiers(&self) -> &[ModifierInfo] {
        &self.modifiers
    }

    pub fn deleted(&self, code: Hcpcs) -> Option<&DeletedCode> {
        self.deleted.iter().find(|d| d.code == code)
    }

    pub fn deleted_codes(&self) -> &[DeletedCode] {
        &self.deleted
    }

    /// Every file's path and text.
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }
}
