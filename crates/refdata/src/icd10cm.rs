//! ICD-10-CM diagnosis codes (the full FY2026 tabular list).

use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use crate::error::DataErrors;
use crate::table::{read_csv, shared};

/// Where an item sits in the tabular list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmLevel {
    Chapter,
    Block,
    Category,
    Subcategory,
    /// A code completed with a 7th character.
    ExtendedSubcategory,
}

/// One ICD-10-CM item.
#[derive(Clone, Debug, PartialEq)]
pub struct CmCode {
    /// With the dot, e.g. `M48.062`.
    pub code: Box<str>,
    pub level: CmLevel,
    /// A leaf code valid for reporting on a claim.
    pub billable: bool,
    pub title: Box<str>,
    pub chapter: u8,
    /// Block range, e.g. `M45-M49` (one copy per block, shared by its codes).
    pub block: Arc<str>,
}

/// A code as the table keys it: without its dot, in capitals, packed into one word (a code has
/// three to seven characters), so a look-up neither allocates nor hashes a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct CmKey(u64);

impl CmKey {
    /// The key of a code written with or without its dot, in any case; `None` when what is left
    /// is empty, longer than seven bytes or holds a NUL (the key's padding).
    fn of(code: &str) -> Option<CmKey> {
        let mut key = [0u8; 8];
        let mut len = 0;
        for b in code.trim().bytes().filter(|&b| b != b'.') {
            if len == 7 || b == 0 {
                return None;
            }
            key[len] = b.to_ascii_uppercase();
            len += 1;
        }
        (len > 0).then_some(CmKey(u64::from_le_bytes(key)))
    }

    /// How many characters the key holds.
    fn len(self) -> u32 {
        (64 - self.0.leading_zeros()).div_ceil(8)
    }

    /// Whether this key is `prefix` followed by at least one more character.
    fn extends(self, prefix: CmKey) -> bool {
        let bits = 8 * prefix.len();
        let mask = u64::MAX.checked_shl(bits).map_or(u64::MAX, |m| !m);
        self.0 & mask == prefix.0 && self.len() > prefix.len()
    }
}

/// The ICD-10-CM list of one fiscal year.
#[derive(Debug, Default)]
pub struct Icd10Cm {
    codes: HashMap<CmKey, CmCode>,
    blocks: Vec<CmCode>,
}

pub(crate) const ICD10CM_COLUMNS: &[&str] = &["code", "code_nodot", "level", "billable", "title", "chapter", "block"];

impl Icd10Cm {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<Icd10Cm, DataErrors> {
        let mut t = Icd10Cm::default();
        t.codes.reserve(100_000);
        let mut blocks = HashSet::default();
        read_csv(file, bytes, ICD10CM_COLUMNS, |row| {
            let level = match row.required("level")? {
                "chapter" => CmLevel::Chapter,
                "block" => CmLevel::Block,
                "category" => CmLevel::Category,
                "subcategory" => CmLevel::Subcategory,
                "extended_subcategory" => CmLevel::ExtendedSubcategory,
                l => return Err(row.error(
                    "level",
                    format!(
                        "`{l}` is not a level; expected chapter, block, category, subcategory or extended_subcategory"
                    ),
                )),
            };
            let billable = match row.required("billable")? {
                "Y" => true,
                "N" => false,
                b => return Err(row.error("billable", format!("`{b}`: write Y or N"))),
            };
            let code = row.required("code")?;
            let nodot = row.required("code_nodot")?;
            // The code in capitals without its dot and surrounding space must be `nodot`.
            let normalized = code.trim().chars().filter(|c| *c != '.').map(|c| c.to_ascii_uppercase());
            if level != CmLevel::Chapter && !normalized.eq(nodot.chars()) {
                return Err(row.error("code_nodot", format!("`{nodot}` does not match code `{code}`")));
            }
            let item = CmCode {
                code: code.into(),
                level,
                billable,
                title: row.required("title")?.into(),
                chapter: row.parse("chapter")?,
                block: shared(&mut blocks, row.text("block")),
            };
            match level {
                CmLevel::Chapter | CmLevel::Block => t.blocks.push(item),
                _ => {
                    let key = CmKey::of(nodot).ok_or_else(|| {
                        row.error(
                            "code_nodot",
                            format!("`{nodot}` is not an ICD-10-CM code: at most seven characters without the dot"),
                        )
                    })?;
                    if t.codes.insert(key, item).is_some() {
                        return Err(row.error("code", format!("duplicate code {code}")));
                    }
                }
            }
            Ok(())
        })?;
        Ok(t)
    }

    /// Looks a code up with or without its dot, in any case.
    pub fn get(&self, code: &str) -> Option<&CmCode> {
        CmKey::of(code).and_then(|k| self.codes.get(&k))
    }

    /// Billable codes starting with a prefix (for "use a more specific code" suggestions).
    pub fn billable_children<'a>(&'a self, code: &str) -> impl Iterator<Item = &'a CmCode> + 'a {
        let prefix = CmKey::of(code);
        self.codes.iter().filter(move |(k, v)| v.billable && prefix.is_some_and(|p| k.extends(p))).map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Chapter and block headings.
    pub fn headings(&self) -> &[CmCode] {
        &self.blocks
    }
}
