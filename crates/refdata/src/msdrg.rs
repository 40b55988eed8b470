//! MS-DRG relative weights and the spine PCS logic lists of the grouper.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::error::{DataError, DataErrors, MAX_ERRORS_PER_FILE};
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

/// The MS-DRG tables of one fiscal year: IPPS Table 5 and the spine logic lists of that year's
/// grouper.
#[derive(Debug, Default)]
pub struct MsDrgTable {
    pub fiscal_year: String,
    /// The grouper version the logic lists are read for (`v43.1`): the newest version in the
    /// logic file, which must be the fiscal year's (MS-DRG version = fiscal year − 1983).
    pub grouper: Box<str>,
    drgs: HashMap<u16, MsDrg>,
    /// PCS code → `family (logic list)` entries of the current grouper, sorted, without repeats.
    families: HashMap<Box<str>, Box<[Box<str>]>>,
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
        // Rows of every grouper version; older versions are kept in the file for deleted DRGs.
        let mut rows: Vec<LogicRow> = Vec::new();
        read_csv(logic_file, logic, DRG_LOGIC_COLUMNS, |row| {
            let version = row.required("grouper_version")?;
            let number = grouper_number(version).ok_or_else(|| {
                row.error("grouper_version", format!("`{version}`: write v<major>.<minor>, e.g. v43.1"))
            })?;
            let family = row.required("drg_family")?;
            let mut drgs = Vec::new();
            for part in family.split('/') {
                drgs.push(
                    part.parse::<u16>()
                        .map_err(|_| row.error("drg_family", format!("`{family}` is not a list of DRG numbers")))?,
                );
            }
            rows.push(LogicRow {
                line: row.line(),
                version: number,
                pcs: row.required("icd10pcs")?.into(),
                drgs,
                entry: format!("{family} ({})", row.required("logic_list")?),
            });
            Ok(())
        })?;
        let Some(current) = rows.iter().map(|r| r.version).max() else {
            return Err(DataError::file(logic_file, "has no logic rows").into());
        };
        t.grouper = format!("v{}.{}", current.0, current.1).into();
        let expected =
            t.fiscal_year.strip_prefix("FY").and_then(|y| y.parse::<u16>().ok()).and_then(|y| y.checked_sub(1983));
        if expected != Some(current.0) {
            return Err(DataError::file(
                logic_file,
                format!(
                    "its newest grouper is {} but {file} is for {}; MS-DRG version n is fiscal year 1983 + n, so \
                     import the logic lists and the weights of the same fiscal year",
                    t.grouper, t.fiscal_year
                ),
            )
            .into());
        }
        let mut errors = Vec::new();
        let mut families: HashMap<Box<str>, Vec<Box<str>>> = HashMap::new();
        for r in rows.into_iter().filter(|r| r.version == current) {
            if let Some(n) = r.drgs.iter().find(|n| !t.drgs.contains_key(n)) {
                errors.push(DataError::line(logic_file, r.line, format!("MS-DRG {n:03} is not in {file}")));
            }
            families.entry(r.pcs).or_default().push(r.entry.into());
        }
        if !errors.is_empty() {
            if errors.len() > MAX_ERRORS_PER_FILE {
                errors.truncate(MAX_ERRORS_PER_FILE);
                errors.push(DataError::file(logic_file, format!("and more rows naming MS-DRGs that {file} lacks")));
            }
            return Err(DataErrors(errors));
        }
        t.families = families
            .into_iter()
            .map(|(pcs, mut entries)| {
                entries.sort();
                entries.dedup();
                (pcs, entries.into_boxed_slice())
            })
            .collect();
        Ok(t)
    }

    pub fn get(&self, drg: u16) -> Option<&MsDrg> {
        self.drgs.get(&drg)
    }

    /// The `family (logic list)` entries a PCS code has in the current grouper, e.g.
    /// `456/457/458 (SPINAL FUSION EXCEPT CERVICAL ORPCS)`; empty when it groups to none.
    pub fn families(&self, pcs: &str) -> &[Box<str>] {
        self.families.get(pcs).map_or(&[], |f| &f[..])
    }
}

/// One row of the logic file, kept until the current grouper is known.
struct LogicRow {
    line: u64,
    version: (u16, u16),
    pcs: Box<str>,
    drgs: Vec<u16>,
    entry: String,
}

/// `v43.1` → (43, 1).
fn grouper_number(version: &str) -> Option<(u16, u16)> {
    let (major, minor) = version.strip_prefix('v')?.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHTS: &str = "fiscal_year,ms_drg,post_acute_drg,special_pay_drg,mdc,type,title,weight_before_cap,weight_10pct_cap_applied,geometric_mean_los,arithmetic_mean_los
FY2026,456,Yes,No,08,SURG,SPINAL FUSION WITH MCC,9.0,9.0,8.0,10.0
FY2026,457,Yes,No,08,SURG,SPINAL FUSION WITH CC,6.0,6.0,4.0,5.0
";

    fn load(weights: &str, logic: &str) -> Result<MsDrgTable, DataErrors> {
        MsDrgTable::from_csv("w.csv", weights.as_bytes(), "l.csv", logic.as_bytes())
    }

    #[test]
    fn the_newest_grouper_is_read_and_older_rows_are_not() {
        let t = load(
            WEIGHTS,
            "grouper_version,icd10pcs,drg_family,logic_list
v41.1,0SG0070,453/454/455,OLD LIST
v43.1,0SG0070,456/457,B LIST
v43.1,0SG0070,456/457,A LIST
v43.1,0SG0070,456/457,A LIST
",
        )
        .unwrap();
        assert_eq!(&*t.grouper, "v43.1");
        let f: Vec<&str> = t.families("0SG0070").iter().map(|f| &**f).collect();
        assert_eq!(f, ["456/457 (A LIST)", "456/457 (B LIST)"]);
        assert!(t.families("0SG1070").is_empty());
    }

    /// The error message of loading a logic file (its header is added) with the weights above.
    fn error(logic_rows: &str) -> String {
        load(WEIGHTS, &format!("grouper_version,icd10pcs,drg_family,logic_list\n{logic_rows}")).unwrap_err().to_string()
    }

    #[test]
    fn a_grouper_of_another_fiscal_year_is_an_error() {
        let e = error("v42.1,0SG0070,456/457,A\n");
        assert!(e.contains("l.csv: its newest grouper is v42.1 but w.csv is for FY2026"), "{e}");
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let e = error("v43.1,0SG0070,456/999,A\n");
        assert!(e.contains("l.csv:2: MS-DRG 999 is not in w.csv"), "{e}");
        let e = error("43.1,0SG0070,456,A\n");
        assert!(e.contains("`43.1`: write v<major>.<minor>"), "{e}");
        let e = error("");
        assert!(e.contains("l.csv: has no logic rows"), "{e}");
        let e = error(&"v43.1,0SG0070,998,A\n".repeat(40));
        assert_eq!(e.matches("MS-DRG 998 is not in w.csv").count(), MAX_ERRORS_PER_FILE, "{e}");
        assert!(e.contains("and more rows naming MS-DRGs that w.csv lacks"), "{e}");
    }
}
