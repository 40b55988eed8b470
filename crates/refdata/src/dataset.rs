//! Year-versioned datasets: which table files make up a year, where they are read from, and the
//! loaded, validated, read-only result.

use jiff::civil::Date;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cf::ConversionFactors;
use crate::error::{DataError, DataErrors};
use crate::facility::{AscTable, OppsTable};
use crate::gpci::GpciTable;
use crate::icd10cm::Icd10Cm;
use crate::icd10pcs::Icd10Pcs;
use crate::msdrg::MsDrgTable;
use crate::ncci::{AocTable, MueTable, PtpTable};
use crate::pfs::PfsTable;

/// The kinds of table a year's dataset is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    PfsRvu,
    ConversionFactors,
    Gpci,
    Localities,
    NcciPtp,
    NcciMue,
    NcciAoc,
    Icd10cm,
    Icd10pcs,
    Icd10pcsAxes,
    MsdrgWeights,
    MsdrgPcsLogic,
    OppsAddendumB,
    AscAddendumAa,
}

impl TableKind {
    pub const ALL: &'static [TableKind] = &[
        TableKind::PfsRvu,
        TableKind::ConversionFactors,
        TableKind::Gpci,
        TableKind::Localities,
        TableKind::NcciPtp,
        TableKind::NcciMue,
        TableKind::NcciAoc,
        TableKind::Icd10cm,
        TableKind::Icd10pcs,
        TableKind::Icd10pcsAxes,
        TableKind::MsdrgWeights,
        TableKind::MsdrgPcsLogic,
        TableKind::OppsAddendumB,
        TableKind::AscAddendumAa,
    ];

    /// The manifest key and default file stem.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::PfsRvu => "pfs_rvu",
            TableKind::ConversionFactors => "conversion_factors",
            TableKind::Gpci => "gpci",
            TableKind::Localities => "localities",
            TableKind::NcciPtp => "ncci_ptp",
            TableKind::NcciMue => "ncci_mue",
            TableKind::NcciAoc => "ncci_aoc",
            TableKind::Icd10cm => "icd10cm",
            TableKind::Icd10pcs => "icd10pcs",
            TableKind::Icd10pcsAxes => "icd10pcs_axes",
            TableKind::MsdrgWeights => "msdrg_weights",
            TableKind::MsdrgPcsLogic => "msdrg_pcs_logic",
            TableKind::OppsAddendumB => "opps_addendum_b",
            TableKind::AscAddendumAa => "asc_addendum_aa",
        }
    }

    /// Whether a year cannot be used without this table (OPPS and ASC rates are optional).
    pub fn required(self) -> bool {
        !matches!(self, TableKind::OppsAddendumB | TableKind::AscAddendumAa)
    }
}

/// `data/<year>/manifest.toml`: the table files of one year and their versions.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub year: i16,
    /// Tables this year does not list are taken from that year (e.g. 2026 uses 2025 RVUs until
    /// an RVU26 file is imported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherit: Option<i16>,
    pub tables: BTreeMap<TableKind, TableEntry>,
}

/// One table in a manifest.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableEntry {
    pub file: String,
    /// Release or version, e.g. `RVU25D (October 2025 release)` or `NCCI 2024-07-01 (v30.2)`.
    pub version: String,
    /// What a user should know before relying on the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// First and last date of service the release covers (a quarterly NCCI file), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<[Date; 2]>,
}

/// Where dataset files are read from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The `data/` folder compiled into the binary.
    Embedded,
    /// A folder of `<year>/manifest.toml` directories, e.g. written by `interspace data import`.
    Dir(PathBuf),
}

#[derive(rust_embed::RustEmbed)]
#[folder = "../../data/"]
#[include = "20*/*"]
struct EmbeddedData;

impl Source {
    fn label(&self, rel: &str) -> String {
        match self {
            Source::Embedded => format!("data/{rel}"),
            Source::Dir(d) => d.join(rel).display().to_string(),
        }
    }

    fn read(&self, rel: &str) -> Result<Cow<'static, [u8]>, DataError> {
        match self {
            Source::Embedded => EmbeddedData::get(rel)
                .map(|f| f.data)
                .ok_or_else(|| DataError::file(self.label(rel), "is not in the embedded data")),
            Source::Dir(d) => std::fs::read(d.join(rel))
                .map(Cow::Owned)
                .map_err(|e| DataError::file(self.label(rel), format!("cannot be read: {e}"))),
        }
    }

    fn years(&self) -> Result<Vec<i16>, DataError> {
        let mut years: Vec<i16> = match self {
            Source::Embedded => EmbeddedData::iter()
                .filter_map(|p| p.strip_suffix("/manifest.toml").and_then(|y| y.parse().ok()))
                .collect(),
            Source::Dir(d) => {
                let entries = std::fs::read_dir(d).map_err(|e| {
                    DataError::file(d.display().to_string(), format!("cannot be read as a data folder: {e}"))
                })?;
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().join("manifest.toml").is_file())
                    .filter_map(|e| e.file_name().to_str()?.parse().ok())
                    .collect()
            }
        };
        years.sort();
        Ok(years)
    }
}

/// Provenance of one loaded table, shown by `interspace data list` and on every report.
#[derive(Clone, Debug, PartialEq)]
pub struct TableInfo {
    pub kind: TableKind,
    /// Where the file was read from (`data/2025/pfs_rvu.csv`).
    pub location: String,
    /// The year directory the table came from (differs from the dataset year when inherited).
    pub from_year: i16,
    pub version: String,
    pub caveat: Option<String>,
    /// First and last date of service the release covers, when the manifest says.
    pub period: Option<[Date; 2]>,
}

/// Everything Interspace knows for one calendar year of service, validated and read-only.
#[derive(Debug)]
pub struct Dataset {
    pub year: i16,
    pub pfs: Arc<PfsTable>,
    pub conversion_factors: Arc<ConversionFactors>,
    pub gpci: Arc<GpciTable>,
    pub ptp: Arc<PtpTable>,
    pub mue: Arc<MueTable>,
    pub aoc: Arc<AocTable>,
    pub icd10cm: Arc<Icd10Cm>,
    pub icd10pcs: Arc<Icd10Pcs>,
    pub msdrg: Arc<MsDrgTable>,
    pub opps: Option<Arc<OppsTable>>,
    pub asc: Option<Arc<AscTable>>,
    pub tables: Vec<TableInfo>,
}

impl Dataset {
    /// Provenance of a table kind.
    pub fn table(&self, kind: TableKind) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.kind == kind)
    }

    /// Caveats of every table, for reports: the manifest's own, and one for each table taken from
    /// another year.
    pub fn caveats(&self) -> Vec<String> {
        self.caveats_for(TableKind::ALL)
    }

    /// Caveats of some tables only (a price needs only the PFS tables').
    pub fn caveats_for(&self, kinds: &[TableKind]) -> Vec<String> {
        let mut out = Vec::new();
        for t in self.tables.iter().filter(|t| kinds.contains(&t.kind)) {
            if t.from_year != self.year {
                out.push(format!(
                    "{}: no {} table is loaded, so the {} table ({}) is used",
                    t.kind.name(),
                    self.year,
                    t.from_year,
                    t.version
                ));
            }
            if let Some(c) = &t.caveat {
                out.push(format!("{}: {c}", t.kind.name()));
            }
        }
        out
    }
}

/// All loaded years.
#[derive(Debug)]
pub struct RefData {
    years: BTreeMap<i16, Arc<Dataset>>,
}

/// A loaded table, shared between years that inherit it.
#[derive(Clone)]
enum Loaded {
    Pfs(Arc<PfsTable>),
    Cf(Arc<ConversionFactors>),
    Gpci(Arc<GpciTable>),
    Ptp(Arc<PtpTable>),
    Mue(Arc<MueTable>),
    Aoc(Arc<AocTable>),
    Cm(Arc<Icd10Cm>),
    Pcs(Arc<Icd10Pcs>),
    Drg(Arc<MsDrgTable>),
    Opps(Arc<OppsTable>),
    Asc(Arc<AscTable>),
    /// A table read together with another (localities with GPCIs, PCS axes with PCS codes, DRG
    /// logic with DRG weights).
    Companion,
}

/// The tables of one year after overlaying every source: each table remembers its source.
struct YearDir<'s> {
    inherit: Option<i16>,
    tables: BTreeMap<TableKind, (&'s Source, TableEntry)>,
    /// Where the year's manifest was read (for messages).
    manifest_label: String,
}

impl RefData {
    /// Loads the embedded data only.
    pub fn load_embedded() -> Result<RefData, DataErrors> {
        RefData::load(&[Source::Embedded])
    }

    /// Loads every year from the sources. A later source overlays an earlier one table by table:
    /// importing a 2026 RVU file keeps the embedded 2026 conversion factors.
    pub fn load(sources: &[Source]) -> Result<RefData, DataErrors> {
        let mut dirs: BTreeMap<i16, YearDir<'_>> = BTreeMap::new();
        for source in sources {
            for year in source.years()? {
                let rel = format!("{year}/manifest.toml");
                let bytes = source.read(&rel)?;
                let text =
                    std::str::from_utf8(&bytes).map_err(|_| DataError::file(source.label(&rel), "is not UTF-8"))?;
                let manifest: Manifest =
                    toml::from_str(text).map_err(|e| manifest_error(&source.label(&rel), text, &e))?;
                if manifest.year != year {
                    return Err(DataError::file(
                        source.label(&rel),
                        format!("says year {} but sits in folder {year}", manifest.year),
                    )
                    .into());
                }
                let dir = dirs.entry(year).or_insert_with(|| YearDir {
                    inherit: None,
                    tables: BTreeMap::new(),
                    manifest_label: source.label(&rel),
                });
                dir.inherit = manifest.inherit.or(dir.inherit);
                dir.manifest_label = source.label(&rel);
                for (kind, entry) in manifest.tables {
                    dir.tables.insert(kind, (source, entry));
                }
            }
        }
        if dirs.is_empty() {
            return Err(DataError::file("data", "no year folders with a manifest.toml were found").into());
        }

        let mut read = read_all(&dirs);
        let mut cache: HashMap<(i16, TableKind), Option<(Loaded, TableInfo)>> = HashMap::new();
        let mut errors = Vec::new();
        let mut years = BTreeMap::new();
        for &year in dirs.keys() {
            match load_year(year, &dirs, &mut read, &mut cache) {
                Ok(d) => {
                    years.insert(year, Arc::new(d));
                }
                Err(e) => errors.extend(e.0),
            }
        }
        if errors.is_empty() {
            Ok(RefData { years })
        } else {
            // A problem of a manifest shows for every table it concerns: say it once.
            let mut seen = std::collections::HashSet::new();
            errors.retain(|e| seen.insert(e.to_string()));
            Err(DataErrors(errors))
        }
    }

    /// The dataset of a year.
    pub fn year(&self, year: i16) -> Option<&Arc<Dataset>> {
        self.years.get(&year)
    }

    /// Every loaded year, oldest first.
    pub fn years(&self) -> impl Iterator<Item = i16> + '_ {
        self.years.keys().copied()
    }

    /// The newest year whose RVU table is its own rather than inherited: the default for pricing.
    pub fn default_year(&self) -> i16 {
        self.years
            .values()
            .rev()
            .find(|d| d.table(TableKind::PfsRvu).is_some_and(|t| t.from_year == d.year))
            .or_else(|| self.years.values().next_back())
            .map_or(0, |d| d.year)
    }
}

/// A manifest that is not TOML of the expected shape, at its line and column.
fn manifest_error(label: &str, text: &str, e: &toml::de::Error) -> DataError {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = 1 + before.iter().filter(|b| **b == b'\n').count() as u64;
            let column = 1 + before.iter().rev().take_while(|b| **b != b'\n').count();
            DataError::line(label, line, format!("column {column}: {message}"))
        }
        None => DataError::file(label, message),
    }
}

/// Finds the year directory that provides a table for `year`, following `inherit`.
fn provider<'a, 's>(
    year: i16,
    kind: TableKind,
    dirs: &'a BTreeMap<i16, YearDir<'s>>,
) -> Result<Option<(i16, &'a YearDir<'s>)>, DataError> {
    let manifest = || dirs.get(&year).map_or_else(|| format!("{year}/manifest.toml"), |d| d.manifest_label.clone());
    let mut y = year;
    for _ in 0..16 {
        let Some(dir) = dirs.get(&y) else {
            return Err(DataError::file(manifest(), format!("inherits from year {y}, which is not loaded")));
        };
        if dir.tables.contains_key(&kind) {
            return Ok(Some((y, dir)));
        }
        match dir.inherit {
            Some(next) => y = next,
            None => return Ok(None),
        }
    }
    Err(DataError::file(manifest(), "inherit chain is longer than 16 years or loops"))
}

/// A table read by [`read_all`], not yet taken by a year.
type Read = HashMap<(i16, TableKind), Result<Loaded, DataErrors>>;

/// Reads and validates every table some year uses, once each, on as many threads as there are
/// cores (up to four): start-up is mostly this, and ICD-10-CM alone is about half of it, so the
/// largest tables go first.
fn read_all(dirs: &BTreeMap<i16, YearDir<'_>>) -> Read {
    let mut jobs: Vec<(i16, TableKind, &YearDir<'_>)> = Vec::new();
    for &year in dirs.keys() {
        for &kind in TableKind::ALL {
            if let Ok(Some((from_year, dir))) = provider(year, kind, dirs)
                && !jobs.iter().any(|&(y, k, _)| (y, k) == (from_year, kind))
            {
                jobs.push((from_year, kind, dir));
            }
        }
    }
    jobs.sort_by_key(|&(_, kind, _)| !matches!(kind, TableKind::Icd10cm | TableKind::NcciPtp));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let read = || {
        let mut out = Vec::new();
        while let Some(&(year, kind, dir)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let (source, entry) = &dir.tables[&kind];
            let rel = format!("{year}/{}", entry.file);
            out.push(((year, kind), read_table(kind, year, source, dir, &source.label(&rel), &rel)));
        }
        out
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(read)).collect();
        let mut all: Read = read().into_iter().collect();
        for h in others {
            all.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        all
    })
}

fn load_year(
    year: i16,
    dirs: &BTreeMap<i16, YearDir<'_>>,
    read: &mut Read,
    // `None` marks a table that failed, so its errors are reported once, not once per year.
    cache: &mut HashMap<(i16, TableKind), Option<(Loaded, TableInfo)>>,
) -> Result<Dataset, DataErrors> {
    let mut errors = Vec::new();
    let mut got: HashMap<TableKind, Loaded> = HashMap::new();
    let mut tables = Vec::new();
    for &kind in TableKind::ALL {
        let (from_year, dir) = match provider(year, kind, dirs) {
            Ok(Some(p)) => p,
            Ok(None) if !kind.required() => continue,
            Ok(None) => {
                errors.push(DataError::file(
                    dirs[&year].manifest_label.clone(),
                    format!(
                        "has no `{}` table and inherits none; import one with `interspace data import`",
                        kind.name()
                    ),
                ));
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match cache.get(&(from_year, kind)) {
            Some(Some((loaded, info))) => {
                got.insert(kind, loaded.clone());
                tables.push(info.clone());
                continue;
            }
            Some(None) => {
                errors.push(DataError::file(
                    dirs[&year].manifest_label.clone(),
                    format!("uses the {from_year} `{}` table, which failed to load", kind.name()),
                ));
                continue;
            }
            None => {}
        }
        let (source, entry) = &dir.tables[&kind];
        let rel = format!("{from_year}/{}", entry.file);
        let label = source.label(&rel);
        let info = TableInfo {
            kind,
            location: label.clone(),
            from_year,
            version: entry.version.clone(),
            caveat: entry.caveat.clone(),
            period: entry.period,
        };
        let loaded =
            read.remove(&(from_year, kind)).unwrap_or_else(|| read_table(kind, from_year, source, dir, &label, &rel));
        match loaded {
            Ok(loaded) => {
                cache.insert((from_year, kind), Some((loaded.clone(), info.clone())));
                got.insert(kind, loaded);
                tables.push(info);
            }
            Err(e) => {
                cache.insert((from_year, kind), None);
                errors.extend(e.0);
            }
        }
    }
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    macro_rules! take {
        ($kind:expr, $variant:ident) => {
            match got.get(&$kind) {
                Some(Loaded::$variant(t)) => t.clone(),
                _ => unreachable!("table {:?} was checked above", $kind),
            }
        };
    }
    let opt = |kind| got.get(&kind).cloned();
    let dataset = Dataset {
        year,
        pfs: take!(TableKind::PfsRvu, Pfs),
        conversion_factors: take!(TableKind::ConversionFactors, Cf),
        gpci: take!(TableKind::Gpci, Gpci),
        ptp: take!(TableKind::NcciPtp, Ptp),
        mue: take!(TableKind::NcciMue, Mue),
        aoc: take!(TableKind::NcciAoc, Aoc),
        icd10cm: take!(TableKind::Icd10cm, Cm),
        icd10pcs: take!(TableKind::Icd10pcs, Pcs),
        msdrg: take!(TableKind::MsdrgWeights, Drg),
        opps: match opt(TableKind::OppsAddendumB) {
            Some(Loaded::Opps(t)) => Some(t),
            _ => None,
        },
        asc: match opt(TableKind::AscAddendumAa) {
            Some(Loaded::Asc(t)) => Some(t),
            _ => None,
        },
        tables,
    };
    check_year(&dataset)?;
    Ok(dataset)
}

fn read_table(
    kind: TableKind,
    year: i16,
    source: &Source,
    dir: &YearDir<'_>,
    label: &str,
    rel: &str,
) -> Result<Loaded, DataErrors> {
    let bytes = source.read(rel)?;
    let companion = |k: TableKind| -> Result<(String, Cow<'static, [u8]>), DataErrors> {
        let (source, entry) = dir.tables.get(&k).ok_or_else(|| {
            DataError::file(label, format!("is listed without its companion table `{}` for the same year", k.name()))
        })?;
        let rel = format!("{year}/{}", entry.file);
        Ok((source.label(&rel), source.read(&rel)?))
    };
    Ok(match kind {
        TableKind::PfsRvu => Loaded::Pfs(Arc::new(PfsTable::from_csv(label, &bytes)?)),
        TableKind::ConversionFactors => Loaded::Cf(Arc::new(ConversionFactors::from_csv(label, &bytes)?)),
        TableKind::Gpci => {
            let (l, b) = companion(TableKind::Localities)?;
            Loaded::Gpci(Arc::new(GpciTable::from_csv(label, &bytes, &l, &b)?))
        }
        TableKind::NcciPtp => Loaded::Ptp(Arc::new(PtpTable::from_csv(label, &bytes)?)),
        TableKind::NcciMue => Loaded::Mue(Arc::new(MueTable::from_csv(label, &bytes)?)),
        TableKind::NcciAoc => Loaded::Aoc(Arc::new(AocTable::from_csv(label, &bytes)?)),
        TableKind::Icd10cm => Loaded::Cm(Arc::new(Icd10Cm::from_csv(label, &bytes)?)),
        TableKind::Icd10pcs => {
            let (l, b) = companion(TableKind::Icd10pcsAxes)?;
            Loaded::Pcs(Arc::new(Icd10Pcs::from_csv(label, &bytes, &l, &b)?))
        }
        TableKind::MsdrgWeights => {
            let (l, b) = companion(TableKind::MsdrgPcsLogic)?;
            Loaded::Drg(Arc::new(MsDrgTable::from_csv(label, &bytes, &l, &b)?))
        }
        TableKind::OppsAddendumB => Loaded::Opps(Arc::new(OppsTable::from_csv(label, &bytes)?)),
        TableKind::AscAddendumAa => Loaded::Asc(Arc::new(AscTable::from_csv(label, &bytes)?)),
        TableKind::Localities | TableKind::Icd10pcsAxes | TableKind::MsdrgPcsLogic => Loaded::Companion,
    })
}

/// Checks that tables of one year agree with each other.
fn check_year(d: &Dataset) -> Result<(), DataErrors> {
    let mut errors = Vec::new();
    let location = |k| d.table(k).map_or_else(|| k.name().to_string(), |t| t.location.clone());
    // The CF printed in the RVU file must be the year's CF when the file is the year's own.
    if d.table(TableKind::PfsRvu).is_some_and(|t| t.from_year == d.year) {
        let cfs = d.conversion_factors.all();
        for row in d.pfs.rows().iter().take(1) {
            if !cfs.iter().any(|c| c.value == row.conversion_factor) {
                errors.push(DataError::file(
                    location(TableKind::PfsRvu),
                    format!(
                        "prints conversion factor {} but {} lists {}",
                        row.conversion_factor,
                        location(TableKind::ConversionFactors),
                        cfs.iter().map(|c| c.value.to_string()).collect::<Vec<_>>().join(" and ")
                    ),
                ));
            }
        }
    }
    if d.conversion_factors.all().iter().any(|c| c.year != d.year) {
        errors.push(DataError::file(
            location(TableKind::ConversionFactors),
            format!("has a row for another year than {}", d.year),
        ));
    }
    if errors.is_empty() { Ok(()) } else { Err(DataErrors(errors)) }
}

/// The folder a user's imported data lives in when `--data` is not given: `$INTERSPACE_DATA`.
pub fn user_data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| std::env::var_os("INTERSPACE_DATA").map(PathBuf::from))
}
