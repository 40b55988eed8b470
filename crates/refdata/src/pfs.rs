//! The PFS Relative Value File (PPRRVU): RVUs and payment-policy indicators per code and modifier.

use foldhash::{HashMap, HashMapExt};

use rust_decimal::Decimal;

use crate::code::{Hcpcs, Modifier};
use crate::error::{DataError, DataErrors};
use crate::indicator::{
    AssistantSurgery, BilateralSurgery, CoSurgery, GlobalPeriod, MultipleProcedure, PcTc, StatusCode, TeamSurgery,
};
use crate::table::{Row, read_csv};

/// One row of the RVU file: a code (with an optional 26/TC/53 modifier) and everything CMS says
/// about paying it.
#[derive(Clone, Debug, PartialEq)]
pub struct RvuRow {
    pub hcpcs: Hcpcs,
    /// Blank for the global service; 26, TC or 53 for component rows.
    pub modifier: Option<Modifier>,
    pub status: StatusCode,
    /// `+` in the file: RVUs published but not used for Medicare payment.
    pub not_used_for_medicare: bool,
    pub work: Decimal,
    pub pe_nonfacility: Decimal,
    /// "NA": rarely or never done outside a facility.
    pub nonfacility_na: bool,
    pub pe_facility: Decimal,
    pub facility_na: bool,
    pub mp: Decimal,
    pub total_nonfacility: Decimal,
    pub total_facility: Decimal,
    pub pctc: PcTc,
    pub global: GlobalPeriod,
    /// Share of the global package for pre-, intra- and post-operative care (split care, 78).
    pub preop_share: Decimal,
    pub intraop_share: Decimal,
    pub postop_share: Decimal,
    pub mult_proc: MultipleProcedure,
    pub bilateral: BilateralSurgery,
    pub assistant: AssistantSurgery,
    pub co_surgery: CoSurgery,
    pub team: TeamSurgery,
    pub endo_base: Option<Hcpcs>,
    /// The conversion factor printed in the file.
    pub conversion_factor: Decimal,
    pub physician_supervision: String,
    pub calculation_flag: String,
    pub diagnostic_imaging_family: String,
    pub opps_pe_nonfacility: Decimal,
    pub opps_pe_facility: Decimal,
    pub opps_mp: Decimal,
}

/// The RVU file of one release.
#[derive(Debug, Default)]
pub struct PfsTable {
    /// Release name, e.g. `RVU25D`.
    pub release: String,
    pub year: i16,
    rows: Vec<RvuRow>,
    by_key: HashMap<(Hcpcs, Option<Modifier>), usize>,
}

/// Column names of Interspace's normalized RVU file (the official layout minus AMA descriptors).
pub(crate) const PFS_COLUMNS: &[&str] = &[
    "year",
    "release",
    "hcpcs",
    "modifier",
    "status_code",
    "not_used_for_medicare_payment",
    "work_rvu",
    "nonfac_pe_rvu",
    "nonfac_na_indicator",
    "facility_pe_rvu",
    "facility_na_indicator",
    "mp_rvu",
    "nonfac_total_rvu",
    "facility_total_rvu",
    "pctc_ind",
    "global_days",
    "preop_pct",
    "intraop_pct",
    "postop_pct",
    "mult_proc",
    "bilat_surg",
    "asst_surg",
    "co_surg",
    "team_surg",
    "endo_base",
    "conv_factor",
    "phys_supervision_diag",
    "calculation_flag",
    "diag_imaging_family",
    "nonfac_pe_used_for_opps",
    "facility_pe_used_for_opps",
    "mp_used_for_opps",
];

impl PfsTable {
    /// Loads and validates the normalized RVU file.
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<PfsTable, DataErrors> {
        let mut table = PfsTable::default();
        let mut first_line: HashMap<(Hcpcs, Option<Modifier>), u64> = HashMap::new();
        read_csv(file, bytes, PFS_COLUMNS, |row| {
            let year: i16 = row.parse("year")?;
            let release = row.required("release")?;
            if table.rows.is_empty() {
                table.year = year;
                table.release = release.to_string();
            } else if year != table.year || release != table.release {
                return Err(row.error(
                    "release",
                    format!("mixes releases: `{year} {release}` after `{} {}`", table.year, table.release),
                ));
            }
            let r = parse_row(row)?;
            let key = (r.hcpcs, r.modifier);
            if let Some(prev) = first_line.insert(key, row.line()) {
                return Err(row.error(
                    "hcpcs",
                    format!("duplicate row for {}{}: first seen on line {prev}", r.hcpcs, mod_suffix(r.modifier)),
                ));
            }
            table.by_key.insert(key, table.rows.len());
            table.rows.push(r);
            Ok(())
        })?;
        if table.rows.is_empty() {
            return Err(DataError::file(file, "has no rows").into());
        }
        Ok(table)
    }

    /// The global-service row of a code (no 26/TC modifier).
    pub fn get(&self, code: Hcpcs) -> Option<&RvuRow> {
        self.by_key.get(&(code, None)).map(|&i| &self.rows[i])
    }

    /// The row of a code with a component modifier (26 or TC), if CMS lists one.
    pub fn get_component(&self, code: Hcpcs, modifier: Modifier) -> Option<&RvuRow> {
        self.by_key.get(&(code, Some(modifier))).map(|&i| &self.rows[i])
    }

    /// Every row, in file order.
    pub fn rows(&self) -> &[RvuRow] {
        &self.rows
    }

    /// Every distinct code, in file order.
    pub fn codes(&self) -> impl Iterator<Item = Hcpcs> + '_ {
        self.rows.iter().filter(|r| r.modifier.is_none()).map(|r| r.hcpcs)
    }
}

fn mod_suffix(m: Option<Modifier>) -> String {
    m.map(|m| format!("-{m}")).unwrap_or_default()
}

fn parse_row(row: &Row<'_, '_>) -> Result<RvuRow, DataError> {
    let flag = |col: &str, yes: &str| -> Result<bool, DataError> {
        match row.text(col) {
            "" => Ok(false),
            t if t == yes => Ok(true),
            t => Err(row.error(col, format!("`{t}` is not allowed; leave it empty or write `{yes}`"))),
        }
    };
    let modifier = match row.text("modifier") {
        "" => None,
        t => Some(Modifier::parse(t).map_err(|e| row.error("modifier", e.to_string()))?),
    };
    let endo_base = match row.text("endo_base") {
        "" => None,
        t => Some(Hcpcs::parse(t).map_err(|e| row.error("endo_base", e.to_string()))?),
    };
    let r = RvuRow {
        hcpcs: row.parse("hcpcs")?,
        modifier,
        status: row.parse("status_code")?,
        not_used_for_medicare: flag("not_used_for_medicare_payment", "+")?,
        work: row.decimal("work_rvu")?,
        pe_nonfacility: row.decimal("nonfac_pe_rvu")?,
        nonfacility_na: flag("nonfac_na_indicator", "NA")?,
        pe_facility: row.decimal("facility_pe_rvu")?,
        facility_na: flag("facility_na_indicator", "NA")?,
        mp: row.decimal("mp_rvu")?,
        total_nonfacility: row.decimal("nonfac_total_rvu")?,
        total_facility: row.decimal("facility_total_rvu")?,
        pctc: row.parse("pctc_ind")?,
        global: row.parse("global_days")?,
        preop_share: row.decimal("preop_pct")?,
        intraop_share: row.decimal("intraop_pct")?,
        postop_share: row.decimal("postop_pct")?,
        mult_proc: row.parse("mult_proc")?,
        bilateral: row.parse("bilat_surg")?,
        assistant: row.parse("asst_surg")?,
        co_surgery: row.parse("co_surg")?,
        team: row.parse("team_surg")?,
        endo_base,
        conversion_factor: row.decimal("conv_factor")?,
        physician_supervision: row.text("phys_supervision_diag").to_string(),
        calculation_flag: row.text("calculation_flag").to_string(),
        diagnostic_imaging_family: row.text("diag_imaging_family").to_string(),
        opps_pe_nonfacility: row.decimal("nonfac_pe_used_for_opps")?,
        opps_pe_facility: row.decimal("facility_pe_used_for_opps")?,
        opps_mp: row.decimal("mp_used_for_opps")?,
    };
    // CMS totals are the plain sums of the components; a mismatch means a mistyped figure.
    if r.work + r.pe_nonfacility + r.mp != r.total_nonfacility {
        return Err(row.error(
            "nonfac_total_rvu",
            format!(
                "{} is not work + non-facility PE + MP = {}",
                r.total_nonfacility,
                r.work + r.pe_nonfacility + r.mp
            ),
        ));
    }
    if r.work + r.pe_facility + r.mp != r.total_facility {
        return Err(row.error(
            "facility_total_rvu",
            format!("{} is not work + facility PE + MP = {}", r.total_facility, r.work + r.pe_facility + r.mp),
        ));
    }
    Ok(r)
}
