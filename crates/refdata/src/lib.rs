/*!
Versioned CMS reference data for Interspace.

# Brief overview

[`RefData`] holds one [`Dataset`] per calendar year of service, loaded once at start from the
`data/<year>/` folders compiled into the binary ([`Source::Embedded`]) and, optionally, from a
folder of imported files ([`Source::Dir`]) that overlays them table by table. Each year's
`manifest.toml` names its table files and their versions; a year may `inherit` tables from an
earlier one (2026 uses the 2025 RVUs until an RVU26 file is imported).

Every table is validated while it loads: unknown or missing columns, bad numbers, unknown
indicator values, duplicate keys and tables that disagree with each other are reported as
[`DataError`]s naming the file, line and column. Loaded tables are immutable and shared
(`Arc`), so the engine crates read them without locks.

The [`import`] module turns the official CMS file layouts (PPRRVU, GPCI, 25LOCCO, NCCI PTP/MUE/AOC,
OPPS Addendum B, ASC Addendum AA) into the normalized CSV files this crate loads.

```
let data = interspace_refdata::RefData::load_embedded().unwrap();
let d = data.year(2025).unwrap();
let code = "22633".parse().unwrap();
assert_eq!(d.pfs.get(code).unwrap().total_facility.to_string(), "55.06");
```
*/

mod cf;
mod code;
mod dataset;
mod error;
mod facility;
mod gpci;
mod icd10cm;
mod icd10pcs;
pub mod import;
mod indicator;
mod msdrg;
mod ncci;
mod pfs;
mod table;

pub use cf::{ApmStatus, ConversionFactor, ConversionFactors};
pub use code::{CodeError, CodeKind, Hcpcs, Modifier};
pub use dataset::{Dataset, Manifest, RefData, Source, TableEntry, TableInfo, TableKind, user_data_dir};
pub use error::{DataError, DataErrors};
pub use facility::{AscRate, AscTable, OppsRate, OppsTable};
pub use gpci::{GpciTable, Locality, LocalityId};
pub use icd10cm::{CmCode, CmLevel, Icd10Cm};
pub use icd10pcs::{Icd10Pcs, PcsAxis, PcsAxisValue, PcsCode};
pub use indicator::{
    AssistantSurgery, BilateralSurgery, CoSurgery, GlobalPeriod, MultipleProcedure, PcTc, StatusCode, TeamSurgery,
};
pub use msdrg::{MsDrg, MsDrgTable};
pub use ncci::{AddOnEdit, AocTable, AocType, Mue, MueAdjudication, MueTable, PtpEdit, PtpModifierIndicator, PtpTable};
pub use pfs::{PfsTable, RvuRow};
