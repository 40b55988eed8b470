//! ICD-10-PCS codes and table axes for the spine tables (inpatient procedure coding).

use std::collections::HashMap;

use crate::error::DataErrors;
use crate::table::read_csv;

/// One ICD-10-PCS code with the meaning of each axis.
#[derive(Clone, Debug, PartialEq)]
pub struct PcsCode {
    pub code: Box<str>,
    pub title: Box<str>,
    pub root_operation: Box<str>,
    pub body_part: Box<str>,
    pub approach: Box<str>,
    pub device: Box<str>,
    pub qualifier: Box<str>,
    /// Appears in the MS-DRG grouper's logic (v43.1 for the shipped file): an O.R. procedure
    /// that can change the DRG.
    pub in_msdrg: bool,
}

/// The meaning of one value on one axis of a PCS table (e.g. 0SG, position 4, `3` = Lumbosacral Joint).
#[derive(Clone, Debug, PartialEq)]
pub struct PcsAxisValue {
    pub table: Box<str>,
    pub table_root_operation: Box<str>,
    pub axis: PcsAxis,
    pub value: char,
    pub meaning: Box<str>,
}

/// Characters 4 to 7 of a section-0 code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PcsAxis {
    BodyPart,
    Approach,
    Device,
    Qualifier,
}

impl PcsAxis {
    /// 1-based character position in the code.
    pub fn position(self) -> usize {
        match self {
            PcsAxis::BodyPart => 4,
            PcsAxis::Approach => 5,
            PcsAxis::Device => 6,
            PcsAxis::Qualifier => 7,
        }
    }
}

#[derive(Debug, Default)]
pub struct Icd10Pcs {
    codes: HashMap<Box<str>, PcsCode>,
    axes: HashMap<(Box<str>, PcsAxis, char), PcsAxisValue>,
}

pub(crate) const PCS_COLUMNS: &[&str] = &[
    "code",
    "title",
    "short_title",
    "root_operation",
    "body_part",
    "approach",
    "device",
    "qualifier",
    "in_msdrg_v43_1",
    "source",
];
pub(crate) const PCS_AXES_COLUMNS: &[&str] = &["table", "table_root_operation", "axis", "position", "value", "meaning"];

fn is_pcs(code: &str) -> bool {
    code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && b != b'I' && b != b'O'))
}

impl Icd10Pcs {
    pub fn from_csv(file: &str, bytes: &[u8], axes_file: &str, axes: &[u8]) -> Result<Icd10Pcs, DataErrors> {
        let mut t = Icd10Pcs::default();
        read_csv(file, bytes, PCS_COLUMNS, |row| {
            let code = row.required("code")?;
            if !is_pcs(code) {
                return Err(row.error(
                    "code",
                    format!("`{code}` is not an ICD-10-PCS code (7 characters, digits and capitals except I and O)"),
                ));
            }
            let in_msdrg = match row.required("in_msdrg_v43_1")? {
                "Y" => true,
                "N" => false,
                v => return Err(row.error("in_msdrg_v43_1", format!("`{v}`: write Y or N"))),
            };
            let c = PcsCode {
                code: code.into(),
                title: row.required("title")?.into(),
                root_operation: row.text("root_operation").into(),
                body_part: row.text("body_part").into(),
                approach: row.text("approach").into(),
                device: row.text("device").into(),
                qualifier: row.text("qualifier").into(),
                in_msdrg,
            };
            if t.codes.insert(code.into(), c).is_some() {
                return Err(row.error("code", format!("duplicate code {code}")));
            }
            Ok(())
        })?;
        read_csv(axes_file, axes, PCS_AXES_COLUMNS, |row| {
            let axis = match row.required("axis")? {
                "body_part" => PcsAxis::BodyPart,
                "approach" => PcsAxis::Approach,
                "device" => PcsAxis::Device,
                "qualifier" => PcsAxis::Qualifier,
                a => {
                    return Err(row.error(
                        "axis",
                        format!("`{a}` is not an axis; expected body_part, approach, device or qualifier"),
                    ));
                }
            };
            let position: usize = row.parse("position")?;
            if position != axis.position() {
                return Err(row.error(
                    "position",
                    format!("{} is at position {}, not {position}", row.text("axis"), axis.position()),
                ));
            }
            let table = row.required("table")?;
            let value = row.required("value")?;
            let mut chars = value.chars();
            let (Some(v), None) = (chars.next(), chars.next()) else {
                return Err(row.error("value", format!("`{value}` must be one character")));
            };
            let key: (Box<str>, PcsAxis, char) = (table.into(), axis, v);
            if t.axes.contains_key(&key) {
                return Err(row.error("value", format!("duplicate value {v} on {table} {}", row.text("axis"))));
            }
            t.axes.insert(
                key,
                PcsAxisValue {
                    table: table.into(),
                    table_root_operation: row.required("table_root_operation")?.into(),
                    axis,
                    value: v,
                    meaning: row.required("meaning")?.into(),
                },
            );
            Ok(())
        })?;
        Ok(t)
    }

    pub fn get(&self, code: &str) -> Option<&PcsCode> {
        self.codes.get(code.trim().to_ascii_uppercase().as_str())
    }

    /// The meaning of an axis value in a table, e.g. (`0SG`, Qualifier, `J`).
    pub fn axis(&self, table: &str, axis: PcsAxis, value: char) -> Option<&PcsAxisValue> {
        self.axes.get(&(table.into(), axis, value))
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}
