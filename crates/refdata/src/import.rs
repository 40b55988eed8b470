//! Importers for the official CMS file layouts.
//!
//! Each importer reads one file as CMS publishes it (title and copyright lines, split header rows,
//! dollar signs, `*` for "no date"), or Interspace's own normalized layout, and returns the
//! normalized CSV that [`crate::RefData`] loads. AMA descriptor columns are dropped. By default
//! only spine-family codes are kept, like the shipped extracts; `all_codes` keeps every row.
//!
//! [`write_year`] stores the result under `<out>/<year>/` with a `manifest.toml`, and the caller
//! reloads the folder so every imported file passes the same validation as the shipped data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::code::Hcpcs;
use crate::dataset::{Manifest, TableEntry, TableKind};
use crate::error::{DataError, DataErrors};
use crate::table::parse_decimal;

/// The largest file an importer reads, except NCCI PTP files: the largest CMS file of the other
/// options (the PFS Relative Value File) is a few megabytes.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// The largest NCCI PTP file read: CMS splits the practitioner edits into four files of tens of
/// megabytes each.
pub const MAX_PTP_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// A file handed to an importer.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// How to name the file in messages (its path).
    pub label: String,
    pub bytes: Vec<u8>,
}

/// Which layout an input was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The layout CMS publishes.
    Official,
    /// Interspace's normalized CSV (e.g. the shipped extracts).
    Normalized,
}

/// One imported table, ready to write.
#[derive(Clone, Debug)]
pub struct Imported {
    pub kind: TableKind,
    /// File name inside the year folder.
    pub file: String,
    pub csv: String,
    pub version: String,
    pub layout: Layout,
    pub rows_read: usize,
    pub rows_written: usize,
    /// Rows left out and why (e.g. "not a spine code", "deleted pair").
    pub skipped: BTreeMap<&'static str, usize>,
    /// The files the rows were read from (several for PTP), as labelled in messages.
    pub inputs: Vec<String>,
    /// For each written row, in order: the index in `inputs` and the 1-based line it was read from.
    pub sources: Vec<(usize, u64)>,
}

impl Imported {
    /// The input file and line that line `line` of the written CSV came from (line 1 is the header),
    /// so that a problem found when the written table is loaded is reported in the user's file.
    pub fn source_of(&self, line: u64) -> Option<(&str, u64)> {
        let row = usize::try_from(line.checked_sub(2)?).ok()?;
        let (input, at) = *self.sources.get(row)?;
        Some((self.inputs.get(input)?.as_str(), at))
    }
}

/// Options shared by all importers.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    pub year: i16,
    /// Keep every code, not only the spine family.
    pub all_codes: bool,
}

/// Whether a code belongs to the spine family the shipped extracts cover.
pub fn is_spine_code(code: Hcpcs) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (20930, 20939),
        (22010, 22899),
        (63001, 63295),
        (61781, 61783),
        (95938, 95941),
        (76000, 76000),
        (77002, 77003),
        (77011, 77012),
        (69990, 69990),
        (27278, 27280),
        (62287, 62287),
        (62380, 62380),
    ];
    const OTHER: &[&str] = &[
        "G0453", "0095T", "0098T", "0163T", "0164T", "0165T", "0200T", "0201T", "0202T", "0219T", "0220T", "0221T",
        "0222T", "0274T", "0275T", "0627T", "0628T", "0629T", "0630T", "0656T", "0657T", "0719T", "0790T",
    ];
    RANGES.iter().any(|&(lo, hi)| code.in_range(lo, hi)) || OTHER.contains(&code.as_str())
}

/// Raw records of a delimited file with their 1-based line numbers.
struct Records {
    label: String,
    rows: Vec<(u64, Vec<String>)>,
}

impl Records {
    fn read(input: &InputFile) -> Result<Records, DataError> {
        let bytes = input.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input.bytes);
        if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            return Err(DataError::file(
                &input.label,
                "is UTF-16; save it as UTF-8 (or Windows-1252) CSV and try again",
            ));
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Err(DataError::file(
                &input.label,
                "is a ZIP or Excel file; unzip it or save the sheet as CSV first",
            ));
        }
        if let Some(at) = bytes.iter().position(|b| *b == 0) {
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
            return Err(DataError::line(
                &input.label,
                line,
                "contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; save it as CSV",
            ));
        }
        // CMS files are ASCII or Windows-1252; map stray high bytes to their Latin-1 characters.
        let text: String = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => bytes.iter().map(|&b| b as char).collect(),
        };
        let head: String = text.lines().take(40).collect();
        let delimiter = if head.contains('\t') { b'\t' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        let mut lines = crate::table::Lines::new(text.as_bytes());
        for rec in reader.records() {
            let rec = rec.map_err(|e| {
                DataError::line(&input.label, lines.of(e.position()), format!("unreadable record: {e}"))
            })?;
            let line = lines.of(rec.position());
            rows.push((line, rec.iter().map(|f| f.trim().trim_matches('\u{1a}').trim().to_string()).collect()));
        }
        Ok(Records { label: input.label.clone(), rows })
    }

    /// Index of the first row for which `is_header` holds.
    fn header(&self, what: &str, is_header: impl Fn(&[String]) -> bool) -> Result<usize, DataError> {
        self.rows.iter().position(|(_, r)| is_header(r)).ok_or_else(|| {
            DataError::file(
                &self.label,
                format!("has no header row of {what}; is this the right file for this option?"),
            )
        })
    }
}

fn norm(s: &str) -> String {
    s.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds the column whose normalized header satisfies `pred`, or names what is missing.
fn column(
    records: &Records,
    header: &[String],
    line: u64,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> Result<usize, DataError> {
    header.iter().position(|h| pred(&norm(h))).ok_or_else(|| {
        DataError::line(
            &records.label,
            line,
            format!("the header has no `{what}` column (found: {})", header.join(" | ")),
        )
    })
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// `$1,234.56` → `1234.56`; empty stays empty.
fn money(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '$' | ',' | ' ')).collect()
}

/// `20240701` or `2024-07-01` → date; `*` or empty → none.
fn cms_date(s: &str) -> Result<Option<Date>, String> {
    let t = s.trim();
    if t.is_empty() || t == "*" {
        return Ok(None);
    }
    let iso = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..])
    } else {
        t.to_string()
    };
    iso.parse::<Date>().map(Some).map_err(|_| format!("`{t}` is not a date (expected YYYYMMDD, YYYY-MM-DD or *)"))
}

struct Out {
    writer: csv::Writer<Vec<u8>>,
    imported: Imported,
    /// Index in `imported.inputs` of the file being read.
    input: usize,
}

impl Out {
    fn new(kind: TableKind, columns: &[&str], version: String, layout: Layout) -> Out {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(columns);
        Out {
            writer,
            imported: Imported {
                kind,
                file: format!("{}.csv", kind.name()),
                csv: String::new(),
                version,
                layout,
                rows_read: 0,
                rows_written: 0,
                skipped: BTreeMap::new(),
                inputs: Vec::new(),
                sources: Vec::new(),
            },
            input: 0,
        }
    }

    /// Rows written from now on are read from the file `label`.
    fn reading(&mut self, label: &str) {
        self.input = self.imported.inputs.len();
        self.imported.inputs.push(label.to_string());
    }

    /// Writes a row read from `line` of the current input.
    fn write(&mut self, line: u64, fields: &[&str]) {
        let _ = self.writer.write_record(fields);
        self.imported.rows_written += 1;
        self.imported.sources.push((self.input, line));
    }

    fn skip(&mut self, why: &'static str) {
        *self.imported.skipped.entry(why).or_default() += 1;
    }

    fn finish(mut self, label: &str) -> Result<Imported, DataErrors> {
        self.imported.csv = String::from_utf8(self.writer.into_inner().unwrap_or_default()).unwrap_or_default();
        if self.imported.rows_written == 0 {
            return Err(DataError::file(label, "has no data rows to import").into());
        }
        Ok(self.imported)
    }
}

fn collect_or(errors: Vec<DataError>, imported: Result<Imported, DataErrors>) -> Result<Imported, DataErrors> {
    if errors.is_empty() {
        imported
    } else {
        Err(DataErrors(errors.into_iter().take(crate::error::MAX_ERRORS_PER_FILE).collect()))
    }
}

fn keep(opts: ImportOptions, codes: &[Hcpcs]) -> bool {
    opts.all_codes || codes.iter().any(|c| is_spine_code(*c))
}

/// A row of a normalized file whose number of fields is not the header's.
fn wrong_width(label: &str, line: u64, fields: usize, columns: usize) -> DataError {
    DataError::line(
        label,
        line,
        format!("has {fields} fields but the header has {columns}; check for a missing or unquoted comma"),
    )
}

/// The normalized layout: the header is exactly the loader's columns.
fn normalized(records: &Records, columns: &[&str]) -> bool {
    records.rows.first().is_some_and(|(_, h)| h.len() == columns.len() && h.iter().zip(columns).all(|(a, b)| a == b))
}

/// Re-emits a normalized file, filtered to spine codes unless asked otherwise, checking its year.
fn import_normalized(
    records: &Records,
    kind: TableKind,
    columns: &[&str],
    code_columns: &[&str],
    version: String,
    opts: ImportOptions,
) -> Result<Imported, DataErrors> {
    let mut out = Out::new(kind, columns, version, Layout::Normalized);
    out.reading(&records.label);
    let mut errors = Vec::new();
    let index = |name: &str| columns.iter().position(|c| *c == name);
    for (line, row) in records.rows.iter().skip(1) {
        if row.iter().all(String::is_empty) {
            continue;
        }
        out.imported.rows_read += 1;
        // The row is copied as it is, so it must have the header's width (a short row would be
        // written without its line end and run into the next one).
        if row.len() != columns.len() {
            errors.push(wrong_width(&records.label, *line, row.len(), columns.len()));
            continue;
        }
        if let Some(y) = index("year")
            && cell(row, y) != opts.year.to_string()
        {
            errors.push(DataError::line(
                &records.label,
                *line,
                format!("is for year {}, not {}", cell(row, y), opts.year),
            ));
            continue;
        }
        let mut codes = Vec::new();
        for c in code_columns {
            if let Some(i) = index(c) {
                match Hcpcs::parse(cell(row, i)) {
                    Ok(code) => codes.push(code),
                    Err(e) if cell(row, i) != "CCCCC" => {
                        errors.push(DataError::line(&records.label, *line, e.to_string()))
                    }
                    Err(_) => {}
                }
            }
        }
        if !keep(opts, &codes) {
            out.skip("not a spine-family code");
            continue;
        }
        let fields: Vec<&str> = row.iter().map(String::as_str).collect();
        out.write(*line, &fields);
    }
    collect_or(errors, out.finish(&records.label))
}

/// PFS Relative Value File (`PPRRVU<yy>_<MON>.csv`).
pub fn pfs(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::pfs::PFS_COLUMNS;
    let records = Records::read(input)?;
    if normalized(&records, PFS_COLUMNS) {
        let release = records.rows.get(1).map(|(_, r)| cell(r, 1).to_string()).unwrap_or_default();
        return import_normalized(&records, TableKind::PfsRvu, PFS_COLUMNS, &["hcpcs"], release, opts);
    }
    const OFFICIAL_LAST_HEADER: &[&str] = &[
        "HCPCS",
        "MOD",
        "DESCRIPTION",
        "CODE",
        "PAYMENT",
        "RVU",
        "PE RVU",
        "INDICATOR",
        "PE RVU",
        "INDICATOR",
        "RVU",
        "TOTAL",
        "TOTAL",
        "IND",
        "DAYS",
        "OP",
        "OP",
        "OP",
        "PROC",
        "SURG",
        "SURG",
        "SURG",
        "SURG",
        "BASE",
        "FACTOR",
        "PROCEDURES",
        "FLAG",
        "INDICATOR",
        "AMOUNT",
        "AMOUNT",
        "AMOUNT",
    ];
    let h = records.header("the PFS Relative Value File (a row starting HCPCS,MOD,DESCRIPTION)", |r| {
        r.len() >= 3 && r[0].eq_ignore_ascii_case("HCPCS") && r[1].eq_ignore_ascii_case("MOD")
    })?;
    let (hline, header) = &records.rows[h];
    for (i, want) in OFFICIAL_LAST_HEADER.iter().enumerate() {
        let got = cell(header, i);
        if !got.eq_ignore_ascii_case(want) {
            return Err(DataError {
                file: records.label.clone(),
                line: Some(*hline),
                column: Some((i + 1, got.to_string())),
                message: format!("expected `{want}` in the PPRRVU header row; this layout is not supported"),
            }
            .into());
        }
    }
    let release = release_name(&records, opts.year);
    let mut out = Out::new(TableKind::PfsRvu, PFS_COLUMNS, release.clone(), Layout::Official);
    out.reading(&records.label);
    let year = opts.year.to_string();
    let mut errors = Vec::new();
    for (line, row) in &records.rows[h + 1..] {
        if cell(row, 0).is_empty() {
            continue;
        }
        out.imported.rows_read += 1;
        let code = match Hcpcs::parse(cell(row, 0)) {
            Ok(c) => c,
            Err(e) => {
                errors.push(DataError {
                    file: records.label.clone(),
                    line: Some(*line),
                    column: Some((1, "HCPCS".into())),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if !keep(opts, &[code]) {
            out.skip("not a spine-family code");
            continue;
        }
        if row.len() < OFFICIAL_LAST_HEADER.len() {
            errors.push(DataError::line(
                &records.label,
                *line,
                format!("has {} fields, expected {}", row.len(), OFFICIAL_LAST_HEADER.len()),
            ));
            continue;
        }
        // Official columns after the descriptor, in the normalized order.
        let mut fields: Vec<&str> = vec![year.as_str(), release.as_str(), cell(row, 0), cell(row, 1)];
        fields.extend(row[3..31].iter().map(String::as_str));
        out.write(*line, &fields);
    }
    collect_or(errors, out.finish(&records.label))
}

/// `2025 National Physician Fee Schedule Relative Value File October Release` → `RVU25D`.
fn release_name(records: &Records, year: i16) -> String {
    let title = records
        .rows
        .iter()
        .take(12)
        .flat_map(|(_, r)| r.iter())
        .find(|c| c.to_ascii_lowercase().contains("relative value file"))
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    let quarter = [("january", 'A'), ("april", 'B'), ("july", 'C'), ("october", 'D')]
        .iter()
        .find(|(m, _)| title.contains(m))
        .map(|(_, q)| *q);
    match quarter {
        Some(q) => format!("RVU{:02}{q}", year % 100),
        None => format!("PPRRVU{year}"),
    }
}

/// GPCI file (Addendum E, `GPCI<yyyy>.csv`), with the locality–county crosswalk (`<yy>LOCCO.csv`)
/// when given; without it the localities table is built from the GPCI rows.
pub fn gpci(
    input: &InputFile,
    locco: Option<&InputFile>,
    opts: ImportOptions,
) -> Result<(Imported, Imported), DataErrors> {
    use crate::gpci::{GPCI_COLUMNS, LOCALITY_COLUMNS};
    let records = Records::read(input)?;
    let year = opts.year.to_string();
    let mut errors = Vec::new();
    // With the line of the GPCI file each was read from.
    let mut localities: Vec<(u64, [String; 4])> = Vec::new();
    let gpci = if normalized(&records, GPCI_COLUMNS) {
        let g = import_normalized(
            &records,
            TableKind::Gpci,
            GPCI_COLUMNS,
            &[],
            format!("CY{year} GPCIs"),
            ImportOptions { all_codes: true, ..opts },
        )?;
        for (line, row) in records.rows.iter().skip(1) {
            let locality = [cell(row, 1).into(), cell(row, 3).into(), cell(row, 2).into(), cell(row, 4).into()];
            localities.push((*line, locality));
        }
        g
    } else {
        let h = records.header("GPCIs (a row naming `Locality Number`)", |r| {
            r.iter().any(|c| norm(c).contains("locality number"))
        })?;
        let (hline, header) = &records.rows[h];
        let mac = column(&records, header, *hline, "Medicare Administrative Contractor", |c| {
            c.contains("contractor") || c == "mac"
        })?;
        let state = column(&records, header, *hline, "State", |c| c == "state")?;
        let loc = column(&records, header, *hline, "Locality Number", |c| c.contains("locality number"))?;
        let name = column(&records, header, *hline, "Locality Name", |c| c.contains("locality name"))?;
        let work = column(&records, header, *hline, "PW GPCI (with 1.0 Floor)", |c| {
            c.contains("pw gpci") && c.contains("with") && !c.contains("without")
        })
        .or_else(|_| {
            column(&records, header, *hline, "PW GPCI", |c| c.contains("pw gpci") && !c.contains("without"))
        })?;
        let pe = column(&records, header, *hline, "PE GPCI", |c| c.contains("pe gpci"))?;
        let mp = column(&records, header, *hline, "MP GPCI", |c| c.contains("mp gpci"))?;
        let mut out = Out::new(TableKind::Gpci, GPCI_COLUMNS, format!("CY{year} GPCIs (Addendum E)"), Layout::Official);
        out.reading(&records.label);
        for (line, row) in &records.rows[h + 1..] {
            if cell(row, mac).is_empty() || !cell(row, mac).bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            out.imported.rows_read += 1;
            for (i, what) in [(work, "PW GPCI"), (pe, "PE GPCI"), (mp, "MP GPCI")] {
                if parse_decimal(cell(row, i)).is_none() {
                    errors.push(DataError {
                        file: records.label.clone(),
                        line: Some(*line),
                        column: Some((i + 1, what.into())),
                        message: format!("`{}` is not a number", cell(row, i)),
                    });
                }
            }
            let loc_code = format!("{:0>2}", cell(row, loc));
            let locality = [cell(row, mac).into(), loc_code.clone(), cell(row, state).into(), cell(row, name).into()];
            localities.push((*line, locality));
            out.write(
                *line,
                &[
                    &year,
                    cell(row, mac),
                    cell(row, state),
                    &loc_code,
                    cell(row, name),
                    cell(row, work),
                    cell(row, pe),
                    cell(row, mp),
                ],
            );
        }
        collect_or(std::mem::take(&mut errors), out.finish(&records.label))?
    };
    let loc_out = match locco {
        Some(f) => locco_file(f, opts)?,
        None => {
            let mut out = Out::new(
                TableKind::Localities,
                LOCALITY_COLUMNS,
                format!("built from the CY{year} GPCI file (no LOCCO file given)"),
                Layout::Official,
            );
            out.reading(&records.label);
            for (line, [mac, loc, state, name]) in &localities {
                out.imported.rows_read += 1;
                out.write(*line, &[&year, mac, loc, state, name, ""]);
            }
            out.finish(&records.label)?
        }
    };
    Ok((gpci, loc_out))
}

fn locco_file(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::gpci::LOCALITY_COLUMNS;
    let records = Records::read(input)?;
    let year = opts.year.to_string();
    if normalized(&records, LOCALITY_COLUMNS) {
        return import_normalized(
            &records,
            TableKind::Localities,
            LOCALITY_COLUMNS,
            &[],
            format!("{year} LOCCO"),
            ImportOptions { all_codes: true, ..opts },
        );
    }
    let h = records.header("the locality–county crosswalk (a row naming `Locality Number` and `Counties`)", |r| {
        r.iter().any(|c| norm(c).contains("counties")) && r.iter().any(|c| norm(c).contains("locality"))
    })?;
    let (hline, header) = &records.rows[h];
    let mac = column(&records, header, *hline, "Medicare Administrative Contractor", |c| {
        c.contains("contractor") || c == "mac"
    })?;
    let loc = column(&records, header, *hline, "Locality Number", |c| c.contains("locality"))?;
    let state = column(&records, header, *hline, "State", |c| c == "state")?;
    let area = column(&records, header, *hline, "Fee Schedule Area", |c| c.contains("fee schedule area"))?;
    let counties = column(&records, header, *hline, "Counties", |c| c.contains("counties"))?;
    let mut out = Out::new(TableKind::Localities, LOCALITY_COLUMNS, format!("{year} LOCCO"), Layout::Official);
    out.reading(&records.label);
    let (mut last_mac, mut last_state) = (String::new(), String::new());
    for (line, row) in &records.rows[h + 1..] {
        if cell(row, loc).is_empty() {
            continue;
        }
        if !cell(row, mac).is_empty() {
            last_mac = cell(row, mac).to_string();
        }
        if !cell(row, state).is_empty() {
            last_state = cell(row, state).to_string();
        }
        out.imported.rows_read += 1;
        let loc_code = format!("{:0>2}", cell(row, loc));
        out.write(*line, &[&year, &last_mac, &loc_code, &last_state, cell(row, area), cell(row, counties)]);
    }
    out.finish(&records.label)
}

/// NCCI practitioner PTP edit files (CMS publishes four, tab-delimited; pass them all).
pub fn ptp(inputs: &[InputFile], opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::ncci::PTP_COLUMNS;
    let mut out = Out::new(TableKind::NcciPtp, PTP_COLUMNS, String::new(), Layout::Official);
    let mut errors = Vec::new();
    let mut label = String::new();
    for input in inputs {
        label.clone_from(&input.label);
        let records = Records::read(input)?;
        out.reading(&input.label);
        if normalized(&records, PTP_COLUMNS) {
            out.imported.layout = Layout::Normalized;
            for (line, row) in records.rows.iter().skip(1) {
                out.imported.rows_read += 1;
                if row.len() != PTP_COLUMNS.len() {
                    errors.push(wrong_width(&input.label, *line, row.len(), PTP_COLUMNS.len()));
                    continue;
                }
                match (Hcpcs::parse(cell(row, 0)), Hcpcs::parse(cell(row, 1))) {
                    (Ok(a), Ok(b)) if keep(opts, &[a, b]) => {
                        out.write(*line, &row.iter().map(String::as_str).collect::<Vec<_>>())
                    }
                    (Ok(_), Ok(_)) => out.skip("neither code is in the spine family"),
                    _ => errors.push(DataError::line(&input.label, *line, "column1/column2 are not procedure codes")),
                }
            }
            continue;
        }
        let h = records.header("PTP edits (a row naming `Column 1` and `Column 2`)", |r| {
            r.iter().any(|c| norm(c).starts_with("column 1")) && r.iter().any(|c| norm(c).starts_with("column 2"))
        })?;
        for (line, row) in &records.rows[h + 1..] {
            let (Ok(c1), Ok(c2)) = (Hcpcs::parse(cell(row, 0)), Hcpcs::parse(cell(row, 1))) else {
                if row.iter().any(|c| !c.is_empty()) && out.imported.rows_read > 0 {
                    errors.push(DataError::line(
                        &input.label,
                        *line,
                        "is not a PTP edit row (column 1 and column 2 must be procedure codes)",
                    ));
                }
                continue;
            };
            out.imported.rows_read += 1;
            if !keep(opts, &[c1, c2]) {
                out.skip("neither code is in the spine family");
                continue;
            }
            let dates = (cms_date(cell(row, 3)), cms_date(cell(row, 4)));
            let (effective, deleted) = match dates {
                (Ok(e), Ok(d)) => (e, d),
                (Err(m), _) | (_, Err(m)) => {
                    errors.push(DataError::line(&input.label, *line, m));
                    continue;
                }
            };
            let modifier = cell(row, 5);
            if !matches!(modifier, "0" | "1" | "9") {
                errors.push(DataError::line(
                    &input.label,
                    *line,
                    format!("modifier indicator `{modifier}` is not 0, 1 or 9"),
                ));
                continue;
            }
            let e = effective.map(|d| d.to_string()).unwrap_or_default();
            let d = deleted.map(|d| d.to_string()).unwrap_or_default();
            out.write(*line, &[c1.as_str(), c2.as_str(), &e, &d, modifier, cell(row, 6)]);
        }
    }
    out.imported.version = format!("NCCI practitioner PTP edits imported for {}", opts.year);
    collect_or(errors, out.finish(&label))
}

/// NCCI practitioner MUE table (`MCR_MUE_PractitionerServices_Eff_<date>.csv`).
pub fn mue(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::ncci::MUE_COLUMNS;
    let records = Records::read(input)?;
    if normalized(&records, MUE_COLUMNS) {
        return import_normalized(
            &records,
            TableKind::NcciMue,
            MUE_COLUMNS,
            &["hcpcs"],
            "NCCI practitioner MUEs".into(),
            opts,
        );
    }
    let h = records.header("MUEs (a row naming `HCPCS` and `MUE`)", |r| {
        r.iter().any(|c| norm(c).contains("hcpcs")) && r.iter().any(|c| norm(c).contains("mue"))
    })?;
    let (hline, header) = &records.rows[h];
    let code = column(&records, header, *hline, "HCPCS/CPT Code", |c| c.contains("hcpcs"))?;
    let units = column(&records, header, *hline, "MUE Values", |c| c.contains("mue value"))?;
    let mai = column(&records, header, *hline, "MUE Adjudication Indicator", |c| c.contains("adjudication"))?;
    let why = column(&records, header, *hline, "MUE Rationale", |c| c.contains("rationale"))?;
    let effective = effective_from_name(&input.label);
    let version =
        format!("NCCI practitioner MUE table{}", effective.map(|d| format!(" effective {d}")).unwrap_or_default());
    let mut out = Out::new(TableKind::NcciMue, MUE_COLUMNS, version, Layout::Official);
    out.reading(&records.label);
    let eff = effective.map(|d| d.to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    for (line, row) in &records.rows[h + 1..] {
        let Ok(c) = Hcpcs::parse(cell(row, code)) else { continue };
        out.imported.rows_read += 1;
        if !keep(opts, &[c]) {
            out.skip("not a spine-family code");
            continue;
        }
        let m = cell(row, mai).chars().next().filter(|d| matches!(d, '1' | '2' | '3'));
        let Some(m) = m else {
            errors.push(DataError {
                file: records.label.clone(),
                line: Some(*line),
                column: Some((mai + 1, "MUE Adjudication Indicator".into())),
                message: format!("`{}` does not start with 1, 2 or 3", cell(row, mai)),
            });
            continue;
        };
        if cell(row, units).parse::<u32>().is_err() {
            errors.push(DataError {
                file: records.label.clone(),
                line: Some(*line),
                column: Some((units + 1, "MUE Values".into())),
                message: format!("`{}` is not a whole number of units", cell(row, units)),
            });
            continue;
        }
        out.write(*line, &[&eff, c.as_str(), cell(row, units), &m.to_string(), cell(row, why)]);
    }
    collect_or(errors, out.finish(&records.label))
}

/// `…_Eff_07-01-2024…` in a CMS file name → 2024-07-01.
fn effective_from_name(label: &str) -> Option<Date> {
    let lower = label.to_ascii_lowercase();
    let at = lower.find("eff_")? + 4;
    let s = lower.get(at..at + 10)?;
    let (m, rest) = s.split_once('-')?;
    let (d, y) = rest.split_once('-')?;
    format!("{y}-{m}-{d}").parse().ok()
}

/// NCCI add-on code edit file (`AOC_V<yyyy>Q<q>…`).
pub fn aoc(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::ncci::AOC_COLUMNS;
    let records = Records::read(input)?;
    if normalized(&records, AOC_COLUMNS) {
        return import_normalized(
            &records,
            TableKind::NcciAoc,
            AOC_COLUMNS,
            &["add_on_code"],
            "NCCI add-on code edits".into(),
            opts,
        );
    }
    let h = records.header("add-on code edits (a row naming `Add-on Code` and `Primary Code`)", |r| {
        r.iter().any(|c| norm(c) == "add-on code" || norm(c) == "add on code")
            && r.iter().any(|c| norm(c) == "primary code")
    })?;
    let (hline, header) = &records.rows[h];
    let add_on = column(&records, header, *hline, "Add-on Code", |c| c == "add-on code" || c == "add on code")?;
    let primary = column(&records, header, *hline, "Primary Code", |c| c == "primary code")?;
    let kind = column(&records, header, *hline, "AOC Edit Type", |c| c.contains("edit type"))?;
    let pair_deleted = header.iter().position(|c| norm(c).contains("pair deletion"));
    let mut out = Out::new(TableKind::NcciAoc, AOC_COLUMNS, "NCCI add-on code edits".into(), Layout::Official);
    out.reading(&records.label);
    let mut errors = Vec::new();
    for (line, row) in &records.rows[h + 1..] {
        let Ok(a) = Hcpcs::parse(cell(row, add_on)) else { continue };
        out.imported.rows_read += 1;
        if !keep(opts, &[a]) {
            out.skip("add-on is not a spine-family code");
            continue;
        }
        if let Some(i) = pair_deleted {
            match cms_date(cell(row, i)) {
                Ok(Some(_)) => {
                    out.skip("pair deleted");
                    continue;
                }
                Ok(None) => {}
                Err(m) => {
                    errors.push(DataError::line(&records.label, *line, m));
                    continue;
                }
            }
        }
        let t = cell(row, kind).chars().next().filter(|d| matches!(d, '1' | '2' | '3'));
        let Some(t) = t else {
            errors.push(DataError::line(
                &records.label,
                *line,
                format!("AOC edit type `{}` is not 1, 2 or 3", cell(row, kind)),
            ));
            continue;
        };
        out.write(*line, &["", a.as_str(), cell(row, primary), &t.to_string()]);
    }
    collect_or(errors, out.finish(&records.label))
}

/// OPPS Addendum B (`<Month> <yyyy> Addendum B.csv`).
pub fn opps(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::facility::OPPS_COLUMNS;
    let records = Records::read(input)?;
    let release = format!("OPPS Addendum B CY{}", opts.year);
    if normalized(&records, OPPS_COLUMNS) {
        return import_normalized(&records, TableKind::OppsAddendumB, OPPS_COLUMNS, &["hcpcs"], release, opts);
    }
    let h = records.header("OPPS Addendum B (a row naming `HCPCS Code` and `APC`)", |r| {
        r.iter().any(|c| norm(c).contains("hcpcs code")) && r.iter().any(|c| norm(c) == "apc")
    })?;
    let (hline, header) = &records.rows[h];
    let code = column(&records, header, *hline, "HCPCS Code", |c| c.contains("hcpcs code"))?;
    let si = column(&records, header, *hline, "SI", |c| c == "si" || c.contains("status indicator"))?;
    let apc = column(&records, header, *hline, "APC", |c| c == "apc")?;
    let weight = column(&records, header, *hline, "Relative Weight", |c| c.contains("relative weight"))?;
    let rate = column(&records, header, *hline, "Payment Rate", |c| c.contains("payment rate"))?;
    let copay = column(&records, header, *hline, "National Unadjusted Copayment", |c| {
        c.contains("national unadjusted copayment")
    })?;
    let min_copay = column(&records, header, *hline, "Minimum Unadjusted Copayment", |c| {
        c.contains("minimum unadjusted copayment")
    })?;
    let mut out = Out::new(TableKind::OppsAddendumB, OPPS_COLUMNS, release.clone(), Layout::Official);
    out.reading(&records.label);
    let year = opts.year.to_string();
    let mut errors = Vec::new();
    for (line, row) in &records.rows[h + 1..] {
        let Ok(c) = Hcpcs::parse(cell(row, code)) else { continue };
        out.imported.rows_read += 1;
        if !keep(opts, &[c]) {
            out.skip("not a spine-family code");
            continue;
        }
        let nums: Vec<String> = [weight, rate, copay, min_copay].iter().map(|&i| money(cell(row, i))).collect();
        for (n, &i) in nums.iter().zip(&[weight, rate, copay, min_copay]) {
            if !n.is_empty() && parse_decimal(n).is_none() {
                errors.push(DataError {
                    file: records.label.clone(),
                    line: Some(*line),
                    column: Some((i + 1, cell(header, i).into())),
                    message: format!("`{}` is not an amount", cell(row, i)),
                });
            }
        }
        errors.extend(
            [(si, 2), (apc, 5)]
                .into_iter()
                .filter_map(|(i, max)| check_indicator(&records, header, row, *line, i, max)),
        );
        out.write(
            *line,
            &[&year, &release, c.as_str(), cell(row, si), cell(row, apc), &nums[0], &nums[1], &nums[2], &nums[3]],
        );
    }
    collect_or(errors, out.finish(&records.label))
}

/// An indicator or APC cell must be empty or a short run of letters and digits (`J1`, `N1`, `5116`,
/// `Y`); anything else (a tab, a sentence, stray bytes) means the column is not what the header
/// says, and copying it would corrupt the normalized table.
fn check_indicator(
    records: &Records,
    header: &[String],
    row: &[String],
    line: u64,
    i: usize,
    max: usize,
) -> Option<DataError> {
    let v = cell(row, i);
    let ok = v.len() <= max && v.bytes().all(|b| b.is_ascii_alphanumeric());
    (!ok).then(|| DataError {
        file: records.label.clone(),
        line: Some(line),
        column: Some((i + 1, cell(header, i).into())),
        message: format!("expected at most {max} letters or digits (an indicator or APC) in this column"),
    })
}

/// ASC Addendum AA (`<Month> <yyyy> ASC Approved HCPCS Code and Payment Rates` AA sheet).
pub fn asc(input: &InputFile, opts: ImportOptions) -> Result<Imported, DataErrors> {
    use crate::facility::ASC_COLUMNS;
    let records = Records::read(input)?;
    let release = format!("ASC Addendum AA CY{}", opts.year);
    if normalized(&records, ASC_COLUMNS) {
        return import_normalized(&records, TableKind::AscAddendumAa, ASC_COLUMNS, &["hcpcs"], release, opts);
    }
    let h = records.header("ASC Addendum AA (a row naming `HCPCS Code` and `Payment Indicator`)", |r| {
        r.iter().any(|c| norm(c).contains("hcpcs code")) && r.iter().any(|c| norm(c).contains("payment indicator"))
    })?;
    let (hline, header) = &records.rows[h];
    let code = column(&records, header, *hline, "HCPCS Code", |c| c.contains("hcpcs code"))?;
    let pi = column(&records, header, *hline, "Payment Indicator", |c| c.contains("payment indicator"))?;
    let mpd = column(&records, header, *hline, "Subject to Multiple Procedure Discounting", |c| {
        c.contains("multiple procedure discounting")
    })?;
    let weight = column(&records, header, *hline, "Payment Weight", |c| c.contains("payment weight"))?;
    let rate = column(&records, header, *hline, "Payment Rate", |c| c.contains("payment rate"))?;
    let mut out = Out::new(TableKind::AscAddendumAa, ASC_COLUMNS, release.clone(), Layout::Official);
    out.reading(&records.label);
    let year = opts.year.to_string();
    let mut errors = Vec::new();
    for (line, row) in &records.rows[h + 1..] {
        let Ok(c) = Hcpcs::parse(cell(row, code)) else { continue };
        out.imported.rows_read += 1;
        if !keep(opts, &[c]) {
            out.skip("not a spine-family code");
            continue;
        }
        let (w, r) = (money(cell(row, weight)), money(cell(row, rate)));
        for (v, i) in [(&w, weight), (&r, rate)] {
            if !v.is_empty() && parse_decimal(v).is_none() {
                errors.push(DataError {
                    file: records.label.clone(),
                    line: Some(*line),
                    column: Some((i + 1, cell(header, i).into())),
                    message: format!("`{}` is not an amount", cell(row, i)),
                });
            }
        }
        errors.extend(
            [(pi, 2), (mpd, 1)]
                .into_iter()
                .filter_map(|(i, max)| check_indicator(&records, header, row, *line, i, max)),
        );
        out.write(*line, &[&year, &release, c.as_str(), cell(row, pi), cell(row, mpd), &w, &r]);
    }
    collect_or(errors, out.finish(&records.label))
}

/// Writes imported tables to `<out>/<year>/` and merges them into that year's manifest. A new
/// year inherits the tables it lacks from `inherit` (the newest earlier year, chosen by the caller).
pub fn write_year(out: &Path, year: i16, inherit: Option<i16>, tables: &[Imported]) -> std::io::Result<PathBuf> {
    let dir = out.join(year.to_string());
    std::fs::create_dir_all(&dir)?;
    let manifest_path = dir.join("manifest.toml");
    let mut manifest = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => toml::from_str::<Manifest>(&text).map_err(|e| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", manifest_path.display()))
        })?,
        Err(_) => Manifest { year, inherit, tables: BTreeMap::new() },
    };
    for t in tables {
        // Write to a temporary file and rename, so an interrupted import never leaves half a table.
        let tmp = dir.join(format!(".{}.tmp", t.file));
        std::fs::write(&tmp, &t.csv)?;
        std::fs::rename(&tmp, dir.join(&t.file))?;
        manifest.tables.insert(
            t.kind,
            TableEntry { file: t.file.clone(), version: t.version.clone(), caveat: None, period: None },
        );
    }
    let text = toml::to_string(&manifest).map_err(std::io::Error::other)?;
    let tmp = dir.join(".manifest.toml.tmp");
    std::fs::write(&tmp, format!("# Written by `interspace data import`.\n{text}"))?;
    std::fs::rename(&tmp, &manifest_path)?;
    Ok(dir)
}
