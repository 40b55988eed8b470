//! MS-DRG relative weights and the spine PCS logic lists of the grouper.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::error::DataErrors;
use crate::table::read_csv;

/// One MS-DRG from IPPS Table 5.
#[derive(Clone, Debug, PartialEq)]
pub struct MsDrg {
    pub drg: u16,
    /// Major diagnostic category; empty for the pre-MDC and unrelated-procedure DRGs (981–989, 998, 999).
    pub mdc: Box<str>,
    /// SURG or MED.
    pub kind: Box<str>,
    pub title: Box<str>,
    /// The payment weight (after the 10% cap on reductions); `None` for DRGs 998/999 (`.` in Table 5).
    pub weight: Option<Decimal>,
    pub geometric_mean_los: Option<Decimal>,
    pub arithmetic_mean_los: Option<Decimal>,
    pub post_acute: bool,
    pub special_pay: bool,
}

/// A PCS code's membership in a DRG family's logic list.
#[derive(Clone, Debug, PartialEq)]
pub struct DrgLogic {
    pub grouper_version: Box<str>,
    /// e.g. `456/457/458`.
    pub family: Box<str>,
    /// e.g. `SINGLE LEVEL FUSION ORPCS`.
    pub list: Box<str>,
}

#[derive(Debug, Default)]
pub struct MsDrgTable {
    pub fiscal_year: String,
    drgs: HashMap<u16, MsDrg>,
    logic: HashMap<Box<str>, Vec<DrgLogic>>,
}

pub(crate) const DRG_COLUMNS: &[&str] = &[
    "fiscal_year",
    "ms_drg",
    "post_acute_drg",
    "special_pay_drg",
    "mdc",
    "type",
    "title",
    "weight_before_cap",
    "weight_10pct_cap_applied",
    "geometric_mean_los",
    "arithmetic_mean_los",
];
pub(crate) const DRG_LOGIC_COLUMNS: &[&str] = &["grouper_version", "icd10pcs", "drg_family", "logic_list"];

impl MsDrgTable {
    pub fn from_csv(file: &str, bytes: &[u8], logic_file: &str, logic: &[u8]) -> Result<MsDrgTable, DataErrors> {
        let mut t = MsDrgTable::default();
        read_csv(file, bytes, DRG_COLUMNS, |row| {
            let yes_no = |col: &str| match row.text(col) {
                "Yes" => Ok(true),
                "No" => Ok(false),
                v => Err(row.error(col, format!("`{v}`: write Yes or No"))),
            };
            let drg: u16 = row.parse("ms_drg")?;
            // Table 5 prints `.` where a DRG has no weight or length of stay.
            let figure =
                |col: &str| if matches!(row.text(col), "." | "") { Ok(None) } else { row.decimal(col).map(Some) };
            t.fiscal_year = row.required("fiscal_year")?.to_string();
            let d = MsDrg {
                drg,
                mdc: row.text("mdc").into(),
                kind: row.required("type")?.into(),
                title: row.required("title")?.into(),
                weight: figure("weight_10pct_cap_applied")?,
                geometric_mean_los: figure("geometric_mean_los")?,
                arithmetic_mean_los: figure("arithmetic_mean_los")?,
                post_acute: yes_no("post_acute_drg")?,
                special_pay: yes_no("special_pay_drg")?,
            };
            figure("weight_before_cap")?;
            if t.drgs.insert(drg, d).is_some() {
                return Err(row.error("ms_drg", format!("duplicate MS-DRG {drg:03}")));
            }
            Ok(())
        })?;
        read_csv(logic_file, logic, DRG_LOGIC_COLUMNS, |row| {
            let family = row.required("drg_family")?;
            for part in family.split('/') {
                let n: u16 = part
                    .parse()
                    .map_err(|_| row.error("drg_family", format!("`{family}` is not a list of DRG numbers")))?;
                let current = row.text("grouper_version") == "v43.1";
                if current && !t.drgs.contains_key(&n) {
                    return Err(row.error("drg_family", format!("MS-DRG {n:03} is not in {file}")));
                }
            }
            t.logic.entry(row.required("icd10pcs")?.into()).or_default().push(DrgLogic {
                grouper_version: row.required("grouper_version")?.into(),
                family: family.into(),
                list: row.required("logic_list")?.into(),
            });
            Ok(())
        })?;
        Ok(t)
    }

    pub fn get(&self, drg: u16) -> Option<&MsDrg> {
        self.drgs.get(&drg)
    }

    /// The DRG logic lists a PCS code belongs to, all grouper versions.
    pub fn logic(&self, pcs: &str) -> &[DrgLogic] {
        self.logic.get(pcs).map_or(&[], Vec::as_slice)
    }
}
