//! PFS conversion factors by year and APM status.

use rust_decimal::Decimal;

use crate::error::{DataError, DataErrors};
use crate::table::read_csv;

/// Which conversion factor a clinician is paid with. From 2026 CMS publishes two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApmStatus {
    /// Most clinicians: not a qualifying participant in an advanced APM.
    NonQualifying,
    /// Qualifying participant (QP) in an advanced alternative payment model.
    Qualifying,
}

/// One conversion factor with its provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct ConversionFactor {
    pub year: i16,
    /// `None` when one factor applies to everyone (before 2026).
    pub apm: Option<ApmStatus>,
    pub value: Decimal,
    pub source: String,
    /// Whether the figure was read from a CMS file (true) or from the final rule as quoted (false).
    pub verified_from_cms_file: bool,
}

/// The conversion factors of one year.
#[derive(Clone, Debug, Default)]
pub struct ConversionFactors {
    factors: Vec<ConversionFactor>,
}

pub(crate) const CF_COLUMNS: &[&str] =
    &["year", "apm_status", "conversion_factor", "effective_from", "effective_to", "source", "verified_from_cms_file"];

impl ConversionFactors {
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<ConversionFactors, DataErrors> {
        let mut factors: Vec<ConversionFactor> = Vec::new();
        read_csv(file, bytes, CF_COLUMNS, |row| {
            let apm = match row.required("apm_status")? {
                "all" => None,
                "non_qualifying_apm" => Some(ApmStatus::NonQualifying),
                "qualifying_apm" => Some(ApmStatus::Qualifying),
                t => {
                    return Err(row.error(
                        "apm_status",
                        format!("`{t}` is not an APM status; expected all, non_qualifying_apm or qualifying_apm"),
                    ));
                }
            };
            let year = row.parse("year")?;
            if factors.iter().any(|f| f.year == year && f.apm == apm) {
                return Err(row.error("apm_status", format!("duplicate conversion factor for {year}")));
            }
            let verified = match row.required("verified_from_cms_file")? {
                "yes" => true,
                "no" => false,
                t => return Err(row.error("verified_from_cms_file", format!("`{t}`: write yes or no"))),
            };
            row.opt_date("effective_from")?;
            row.opt_date("effective_to")?;
            let value = row.decimal("conversion_factor")?;
            if value <= Decimal::ZERO {
                return Err(row.error("conversion_factor", "must be positive"));
            }
            factors.push(ConversionFactor {
                year,
                apm,
                value,
                source: row.required("source")?.to_string(),
                verified_from_cms_file: verified,
            });
            Ok(())
        })?;
        let all = factors.iter().any(|f| f.apm.is_none());
        let split = factors.iter().filter(|f| f.apm.is_some()).count();
        if factors.is_empty() || (all && split > 0) || (!all && split != 2) {
            return Err(DataError::file(
                file,
                "needs either one `all` factor or both `non_qualifying_apm` and `qualifying_apm` factors",
            )
            .into());
        }
        Ok(ConversionFactors { factors })
    }

    /// The factor for a clinician's APM status.
    pub fn get(&self, apm: ApmStatus) -> &ConversionFactor {
        self.factors.iter().find(|f| f.apm.is_none() || f.apm == Some(apm)).unwrap_or(&self.factors[0])
    }

    /// Whether this year distinguishes qualifying APM participants.
    pub fn has_apm_split(&self) -> bool {
        self.factors.iter().any(|f| f.apm.is_some())
    }

    pub fn all(&self) -> &[ConversionFactor] {
        &self.factors
    }
}
