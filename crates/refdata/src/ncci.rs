//! NCCI edit tables: procedure-to-procedure (PTP) pairs, medically unlikely edits (MUE) and
//! add-on code (AOC) edits.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};
use jiff::civil::Date;

use crate::code::Hcpcs;
use crate::error::{DataError, DataErrors};
use crate::table::{read_csv, shared};

/// Correct-coding modifier indicator of a PTP edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PtpModifierIndicator {
    /// 0: no modifier lets both codes be paid.
    NotAllowed,
    /// 1: an NCCI-associated modifier (59, XE/XS/XP/XU, anatomic, global) bypasses the edit when
    /// the documentation shows a distinct service.
    Allowed,
    /// 9: the edit does not apply (deleted retroactively).
    NotApplicable,
}

impl PtpModifierIndicator {
    pub fn code(self) -> char {
        match self {
            PtpModifierIndicator::NotAllowed => '0',
            PtpModifierIndicator::Allowed => '1',
            PtpModifierIndicator::NotApplicable => '9',
        }
    }
}

/// One PTP edit: when both codes are billed for one patient by one provider on one date, the
/// column-two code is denied unless the indicator allows a bypass.
#[derive(Clone, Debug, PartialEq)]
pub struct PtpEdit {
    pub column1: Hcpcs,
    pub column2: Hcpcs,
    /// First date of service edited; `None` when the file does not say (the shipped extract).
    pub effective: Option<Date>,
    /// Dates of service on or after this date are no longer edited; `None` while active.
    pub deleted: Option<Date>,
    pub modifier: PtpModifierIndicator,
    /// CMS's rationale (e.g. "Mutually exclusive procedures"), shared by the rows that give it:
    /// a file of tens of thousands of rows holds a few dozen rationales.
    pub rationale: Arc<str>,
    /// 1-based line in the source file, so a report can cite the row.
    pub line: u64,
}

impl PtpEdit {
    /// Whether the edit applies to a date of service. Without an effective date (the shipped
    /// extract has none) an edit is taken to apply to every date before its deletion.
    pub fn applies_on(&self, date: Date) -> bool {
        self.modifier != PtpModifierIndicator::NotApplicable
            && self.effective.is_none_or(|e| date >= e)
            && self.deleted.is_none_or(|d| date < d)
    }
}

/// The PTP table of one quarter.
#[derive(Debug, Default)]
pub struct PtpTable {
    edits: Vec<PtpEdit>,
    by_pair: HashMap<(Hcpcs, Hcpcs), (u32, u32)>,
}

pub(crate) const PTP_COLUMNS: &[&str] =
    &["column1", "column2", "effective_date", "deletion_date", "modifier_indicator", "rationale"];

impl PtpTable {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<PtpTable, DataErrors> {
        let mut edits = Vec::new();
        let mut rationales = HashSet::default();
        read_csv(file, bytes, PTP_COLUMNS, |row| {
            let modifier = match row.required("modifier_indicator")? {
                "0" => PtpModifierIndicator::NotAllowed,
                "1" => PtpModifierIndicator::Allowed,
                "9" => PtpModifierIndicator::NotApplicable,
                t => {
                    return Err(row.error(
                        "modifier_indicator",
                        format!("`{t}` is not a PTP modifier indicator; expected 0, 1 or 9"),
                    ));
                }
            };
            edits.push(PtpEdit {
                column1: row.parse("column1")?,
                column2: row.parse("column2")?,
                effective: row.opt_date("effective_date")?,
                deleted: row.opt_date("deletion_date")?,
                modifier,
                rationale: shared(&mut rationales, row.text("rationale")),
                line: row.line(),
            });
            Ok(())
        })?;
        // By pair, then by deletion date with the active row last: CMS's own order, so sorting a
        // file as CMS ships it only checks it, and a date of service before a deletion finds the
        // row that was in force then before the one that replaced it.
        let key = |e: &PtpEdit| (e.column1, e.column2, e.deleted.is_none(), e.deleted, e.effective);
        edits.sort_by_key(key);
        let mut errors = Vec::new();
        for w in edits.windows(2) {
            if (w[0].column1, w[0].column2, w[0].effective, w[0].deleted)
                == (w[1].column1, w[1].column2, w[1].effective, w[1].deleted)
            {
                errors.push(DataError::line(
                    file,
                    w[1].line,
                    format!("duplicate edit {}/{} (same dates as line {})", w[1].column1, w[1].column2, w[0].line),
                ));
            }
            if w[0].column1 == w[1].column1
                && w[0].column2 == w[1].column2
                && w[0].deleted.is_none()
                && w[1].deleted.is_none()
            {
                errors.push(DataError::line(
                    file,
                    w[1].line,
                    format!("second active edit for {}/{}", w[1].column1, w[1].column2),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(DataErrors(errors));
        }
        let mut by_pair = HashMap::with_capacity(edits.len());
        let mut start = 0;
        while start < edits.len() {
            let key = (edits[start].column1, edits[start].column2);
            let mut end = start + 1;
            while end < edits.len() && (edits[end].column1, edits[end].column2) == key {
                end += 1;
            }
            by_pair.insert(key, (start as u32, end as u32));
            start = end;
        }
        Ok(PtpTable { edits, by_pair })
    }

    /// Every edit row for an ordered pair (column one, column two), deleted ones included.
    pub fn rows(&self, column1: Hcpcs, column2: Hcpcs) -> &[PtpEdit] {
        self.by_pair.get(&(column1, column2)).map_or(&[], |&(s, e)| &self.edits[s as usize..e as usize])
    }

    /// The edit that applies to an ordered pair on a date of service, if any.
    pub fn edit_on(&self, column1: Hcpcs, column2: Hcpcs, date: Date) -> Option<&PtpEdit> {
        self.rows(column1, column2).iter().find(|e| e.applies_on(date))
    }

    /// The edit that is active now (no deletion date) for an ordered pair.
    pub fn active(&self, column1: Hcpcs, column2: Hcpcs) -> Option<&PtpEdit> {
        self.rows(column1, column2)
            .iter()
            .find(|e| e.deleted.is_none() && e.modifier != PtpModifierIndicator::NotApplicable)
    }

    /// Every edit row, sorted by column one, column two and deletion date (the active row last).
    pub fn all(&self) -> &[PtpEdit] {
        &self.edits
    }
}

/// MUE adjudication indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MueAdjudication {
    /// 1: claim-line edit; units above the limit may be billed on another line with a modifier.
    Line,
    /// 2: date-of-service edit based on policy; cannot be exceeded.
    DateOfServicePolicy,
    /// 3: date-of-service edit based on clinical benchmarks; appealable with documentation.
    DateOfServiceClinical,
}

impl MueAdjudication {
    pub fn code(self) -> u8 {
        match self {
            MueAdjudication::Line => 1,
            MueAdjudication::DateOfServicePolicy => 2,
            MueAdjudication::DateOfServiceClinical => 3,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            MueAdjudication::Line => "claim-line edit: each line is judged alone",
            MueAdjudication::DateOfServicePolicy => {
                "date-of-service edit (policy): units of all lines that day are summed; cannot be exceeded"
            }
            MueAdjudication::DateOfServiceClinical => {
                "date-of-service edit (clinical): units of all lines that day are summed; appealable with documentation"
            }
        }
    }

    /// Whether units are summed across the lines of one date of service.
    pub fn sums_lines(self) -> bool {
        self != MueAdjudication::Line
    }
}

/// Maximum units of a code for one patient on one date of service.
#[derive(Clone, Debug, PartialEq)]
pub struct Mue {
    pub hcpcs: Hcpcs,
    pub units: u32,
    pub adjudication: MueAdjudication,
    pub rationale: String,
    pub effective: Option<Date>,
    pub line: u64,
}

#[derive(Debug, Default)]
pub struct MueTable {
    by_code: HashMap<Hcpcs, Mue>,
}

pub(crate) const MUE_COLUMNS: &[&str] =
    &["mue_effective", "hcpcs", "practitioner_mue_units", "mue_adjudication_indicator", "mue_rationale"];

impl MueTable {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<MueTable, DataErrors> {
        let mut by_code: HashMap<Hcpcs, Mue> = HashMap::new();
        read_csv(file, bytes, MUE_COLUMNS, |row| {
            let hcpcs: Hcpcs = row.parse("hcpcs")?;
            let adjudication = match row.required("mue_adjudication_indicator")? {
                "1" => MueAdjudication::Line,
                "2" => MueAdjudication::DateOfServicePolicy,
                "3" => MueAdjudication::DateOfServiceClinical,
                t => {
                    return Err(row.error(
                        "mue_adjudication_indicator",
                        format!("`{t}` is not an MUE adjudication indicator; expected 1, 2 or 3"),
                    ));
                }
            };
            if let Some(prev) = by_code.get(&hcpcs) {
                return Err(row.error("hcpcs", format!("duplicate MUE for {hcpcs}: first seen on line {}", prev.line)));
            }
            let mue = Mue {
                hcpcs,
                units: row.parse("practitioner_mue_units")?,
                adjudication,
                rationale: row.text("mue_rationale").to_string(),
                effective: row.opt_date("mue_effective")?,
                line: row.line(),
            };
            by_code.insert(hcpcs, mue);
            Ok(())
        })?;
        Ok(MueTable { by_code })
    }

    pub fn get(&self, code: Hcpcs) -> Option<&Mue> {
        self.by_code.get(&code)
    }

    pub fn all(&self) -> impl Iterator<Item = &Mue> {
        self.by_code.values()
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

/// AOC edit type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AocType {
    /// 1: only the listed primary codes are eligible.
    ListedOnly,
    /// 2: CMS lists no primaries; the contractor decides.
    ContractorDefined,
    /// 3: listed primaries are examples; contractors may accept others.
    ListedAndOthers,
}

impl AocType {
    pub fn code(self) -> u8 {
        match self {
            AocType::ListedOnly => 1,
            AocType::ContractorDefined => 2,
            AocType::ListedAndOthers => 3,
        }
    }
}

/// The primaries an add-on code may be billed with.
#[derive(Clone, Debug, PartialEq)]
pub struct AddOnEdit {
    pub add_on: Hcpcs,
    pub kind: AocType,
    /// Empty for type 2.
    pub primaries: Vec<Hcpcs>,
}

#[derive(Debug, Default)]
pub struct AocTable {
    pub file_date: Option<Date>,
    by_add_on: HashMap<Hcpcs, AddOnEdit>,
}

pub(crate) const AOC_COLUMNS: &[&str] = &["aoc_file_date", "add_on_code", "primary_code", "aoc_edit_type"];

impl AocTable {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<AocTable, DataErrors> {
        let mut t = AocTable::default();
        read_csv(file, bytes, AOC_COLUMNS, |row| {
            let add_on: Hcpcs = row.parse("add_on_code")?;
            let kind = match row.required("aoc_edit_type")? {
                "1" => AocType::ListedOnly,
                "2" => AocType::ContractorDefined,
                "3" => AocType::ListedAndOthers,
                t => {
                    return Err(
                        row.error("aoc_edit_type", format!("`{t}` is not an AOC edit type; expected 1, 2 or 3"))
                    );
                }
            };
            t.file_date = t.file_date.or(row.opt_date("aoc_file_date")?);
            let primary = row.required("primary_code")?;
            let entry = t.by_add_on.entry(add_on).or_insert(AddOnEdit { add_on, kind, primaries: Vec::new() });
            if entry.kind != kind {
                return Err(row.error(
                    "aoc_edit_type",
                    format!("{add_on} has edit type {} here but {} earlier", kind.code(), entry.kind.code()),
                ));
            }
            if kind == AocType::ContractorDefined {
                if primary != "CCCCC" {
                    return Err(row.error("primary_code", "type 2 edits list no primary; CMS writes CCCCC"));
                }
                return Ok(());
            }
            let primary: Hcpcs = row.parse("primary_code")?;
            if entry.primaries.contains(&primary) {
                return Err(row.error("primary_code", format!("duplicate pair {add_on}/{primary}")));
            }
            entry.primaries.push(primary);
            Ok(())
        })?;
        for e in t.by_add_on.values_mut() {
            e.primaries.sort();
        }
        Ok(t)
    }

    pub fn get(&self, add_on: Hcpcs) -> Option<&AddOnEdit> {
        self.by_add_on.get(&add_on)
    }

    pub fn add_ons(&self) -> impl Iterator<Item = &AddOnEdit> {
        self.by_add_on.values()
    }
}
