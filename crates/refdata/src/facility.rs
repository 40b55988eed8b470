//! Hospital outpatient (OPPS Addendum B) and ambulatory surgical center (ASC Addendum AA) payment
//! tables. None ship with Interspace: they exist only after `interspace data import`.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::code::Hcpcs;
use crate::error::DataErrors;
use crate::table::read_csv;

/// One HCPCS row of OPPS Addendum B.
#[derive(Clone, Debug, PartialEq)]
pub struct OppsRate {
    pub hcpcs: Hcpcs,
    /// OPPS status indicator (J1, T, N, C…).
    pub status_indicator: String,
    pub apc: Option<String>,
    pub relative_weight: Option<Decimal>,
    /// National unadjusted payment rate.
    pub payment_rate: Option<Decimal>,
    pub national_unadjusted_copayment: Option<Decimal>,
    pub minimum_unadjusted_copayment: Option<Decimal>,
}

/// One HCPCS row of ASC Addendum AA.
#[derive(Clone, Debug, PartialEq)]
pub struct AscRate {
    pub hcpcs: Hcpcs,
    /// Two-character ASC payment indicator (A2, G2, J8, N1…).
    pub payment_indicator: String,
    pub multiple_procedure_discounting: bool,
    pub payment_weight: Option<Decimal>,
    /// National unadjusted payment rate.
    pub payment_rate: Option<Decimal>,
}

pub(crate) const OPPS_COLUMNS: &[&str] = &[
    "year",
    "release",
    "hcpcs",
    "status_indicator",
    "apc",
    "relative_weight",
    "payment_rate",
    "national_unadjusted_copayment",
    "minimum_unadjusted_copayment",
];
pub(crate) const ASC_COLUMNS: &[&str] = &[
    "year",
    "release",
    "hcpcs",
    "payment_indicator",
    "multiple_procedure_discounting",
    "payment_weight",
    "payment_rate",
];

/// An imported Addendum B.
#[derive(Debug, Default)]
pub struct OppsTable {
    pub release: String,
    by_code: HashMap<Hcpcs, OppsRate>,
}

/// An imported Addendum AA.
#[derive(Debug, Default)]
pub struct AscTable {
    pub release: String,
    by_code: HashMap<Hcpcs, AscRate>,
}

impl OppsTable {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<OppsTable, DataErrors> {
        let mut t = OppsTable::default();
        read_csv(file, bytes, OPPS_COLUMNS, |row| {
            let hcpcs: Hcpcs = row.parse("hcpcs")?;
            t.release = row.required("release")?.to_string();
            row.parse::<i16>("year")?;
            let apc = Some(row.text("apc").to_string()).filter(|s| !s.is_empty());
            let r = OppsRate {
                hcpcs,
                status_indicator: row.required("status_indicator")?.to_string(),
                apc,
                relative_weight: row.opt_decimal("relative_weight")?,
                payment_rate: row.opt_decimal("payment_rate")?,
                national_unadjusted_copayment: row.opt_decimal("national_unadjusted_copayment")?,
                minimum_unadjusted_copayment: row.opt_decimal("minimum_unadjusted_copayment")?,
            };
            if t.by_code.insert(hcpcs, r).is_some() {
                return Err(row.error("hcpcs", format!("duplicate row for {hcpcs}")));
            }
            Ok(())
        })?;
        Ok(t)
    }

    pub fn get(&self, code: Hcpcs) -> Option<&OppsRate> {
        self.by_code.get(&code)
    }
}

impl AscTable {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<AscTable, DataErrors> {
        let mut t = AscTable::default();
        read_csv(file, bytes, ASC_COLUMNS, |row| {
            let hcpcs: Hcpcs = row.parse("hcpcs")?;
            t.release = row.required("release")?.to_string();
            row.parse::<i16>("year")?;
            let discounting = match row.text("multiple_procedure_discounting") {
                "Y" => true,
                "N" | "" => false,
                v => return Err(row.error("multiple_procedure_discounting", format!("`{v}`: write Y or N"))),
            };
            let r = AscRate {
                hcpcs,
                payment_indicator: row.required("payment_indicator")?.to_string(),
                multiple_procedure_discounting: discounting,
                payment_weight: row.opt_decimal("payment_weight")?,
                payment_rate: row.opt_decimal("payment_rate")?,
            };
            if t.by_code.insert(hcpcs, r).is_some() {
                return Err(row.error("hcpcs", format!("duplicate row for {hcpcs}")));
            }
            Ok(())
        })?;
        Ok(t)
    }

    pub fn get(&self, code: Hcpcs) -> Option<&AscRate> {
        self.by_code.get(&code)
    }
}
