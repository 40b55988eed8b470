//! Medicare payment localities and their geographic practice cost indices (GPCIs).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::{DataError, DataErrors};
use crate::table::read_csv;

/// A Medicare payment locality: the MAC contractor number and the locality number, written
/// `MAC-LOC` (e.g. `10112-00` for Alabama).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalityId {
    pub mac: String,
    pub locality: String,
}

impl LocalityId {
    fn new(mac: &str, locality: &str) -> Option<LocalityId> {
        let ok = mac.len() == 5
            && mac.bytes().all(|b| b.is_ascii_digit())
            && locality.len() == 2
            && locality.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| LocalityId { mac: mac.to_string(), locality: locality.to_string() })
    }
}

impl FromStr for LocalityId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        t.split_once('-')
            .and_then(|(m, l)| LocalityId::new(m, l))
            .ok_or_else(|| format!("`{t}` is not a locality; write MAC-LOCALITY with 5 and 2 digits, e.g. 10112-00"))
    }
}

impl fmt::Display for LocalityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.mac, self.locality)
    }
}

impl fmt::Debug for LocalityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalityId({self})")
    }
}

/// One locality with its GPCIs and the counties it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Locality {
    pub id: LocalityId,
    /// Two-letter state code.
    pub state: String,
    /// Locality name as CMS prints it; `*` and `**` mark the Alaska work floor and frontier PE floor.
    pub name: String,
    /// Work GPCI with the statutory floor applied (1.0, or 1.5 in Alaska).
    pub work: Decimal,
    pub pe: Decimal,
    pub mp: Decimal,
    /// State name and fee-schedule area from the locality–county crosswalk.
    pub state_name: String,
    pub fee_schedule_area: String,
    pub counties: String,
}

/// All localities of one year.
#[derive(Debug, Default)]
pub struct GpciTable {
    pub year: i16,
    localities: Vec<Locality>,
    by_id: HashMap<LocalityId, usize>,
}

pub(crate) const GPCI_COLUMNS: &[&str] =
    &["year", "mac", "state", "locality", "locality_name", "pw_gpci_with_floor", "pe_gpci", "mp_gpci"];
pub(crate) const LOCALITY_COLUMNS: &[&str] =
    &["year", "mac", "locality", "state_name", "fee_schedule_area", "counties"];

impl GpciTable {
    /// Loads the GPCI file and the locality–county crosswalk and checks they name the same
    /// localities.
    pub fn from_csv(gpci_file: &str, gpci: &[u8], loc_file: &str, loc: &[u8]) -> Result<GpciTable, DataErrors> {
        let mut t = GpciTable::default();
        let mut years = Vec::new();
        read_csv(gpci_file, gpci, GPCI_COLUMNS, |row| {
            let mac = row.required("mac")?;
            let locality = row.required("locality")?;
            let id = LocalityId::new(mac, locality).ok_or_else(|| {
                row.error("locality", format!("`{mac}-{locality}`: MAC must be 5 digits and locality 2 digits"))
            })?;
            if t.by_id.contains_key(&id) {
                return Err(row.error("locality", format!("duplicate locality {id}")));
            }
            let year: i16 = row.parse("year")?;
            years.push(year);
            let work = row.decimal("pw_gpci_with_floor")?;
            if work < Decimal::ONE {
                return Err(row.error(
                    "pw_gpci_with_floor",
                    format!("{work} is below the 1.0 work floor; use the column with the floor applied"),
                ));
            }
            t.by_id.insert(id.clone(), t.localities.len());
            t.localities.push(Locality {
                id,
                state: row.required("state")?.to_string(),
                name: row.required("locality_name")?.to_string(),
                work,
                pe: row.decimal("pe_gpci")?,
                mp: row.decimal("mp_gpci")?,
                state_name: String::new(),
                fee_schedule_area: String::new(),
                counties: String::new(),
            });
            Ok(())
        })?;
        t.year = years.first().copied().unwrap_or_default();
        if let Some(y) = years.iter().find(|y| **y != t.year) {
            return Err(DataError::file(gpci_file, format!("mixes years {} and {y}", t.year)).into());
        }
        let mut seen = vec![false; t.localities.len()];
        read_csv(loc_file, loc, LOCALITY_COLUMNS, |row| {
            let id = LocalityId::new(row.required("mac")?, row.required("locality")?)
                .ok_or_else(|| row.error("locality", "MAC must be 5 digits and locality 2 digits"))?;
            let Some(&i) = t.by_id.get(&id) else {
                return Err(row.error("locality", format!("locality {id} is not in {gpci_file}")));
            };
            if seen[i] {
                return Err(row.error("locality", format!("duplicate locality {id}")));
            }
            seen[i] = true;
            let l = &mut t.localities[i];
            l.state_name = row.required("state_name")?.to_string();
            l.fee_schedule_area = row.required("fee_schedule_area")?.to_string();
            l.counties = row.text("counties").to_string();
            Ok(())
        })?;
        let missing: Vec<String> =
            t.localities.iter().zip(&seen).filter(|(_, s)| !**s).map(|(l, _)| l.id.to_string()).collect();
        if !missing.is_empty() {
            return Err(DataError::file(loc_file, format!("has no row for localities {}", missing.join(", "))).into());
        }
        Ok(t)
    }

    pub fn get(&self, id: &LocalityId) -> Option<&Locality> {
        self.by_id.get(id).map(|&i| &self.localities[i])
    }

    pub fn all(&self) -> &[Locality] {
        &self.localities
    }
}
