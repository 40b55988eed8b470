//! Inputs the `cms_import` fuzz target (`fuzz/fuzz_targets/cms_import.rs`) found, run through the
//! same importer. Each file in `tests/fuzz-regressions/` is named `import-<importer>-<what>.<ext>`.
//! The invariants are the fuzz target's: an import either fails with a located error, or writes a
//! rectangular CSV with one record per row written, and every row read is written or skipped.

use std::path::Path;

use interspace_refdata::import::{self, ImportOptions, Imported, InputFile};

fn run(name: &str, bytes: &[u8]) -> Result<Imported, interspace_refdata::DataErrors> {
    let opts = ImportOptions { year: 2025, all_codes: false };
    let input = InputFile { label: name.into(), bytes: bytes.to_vec() };
    let importer = name.strip_prefix("import-").and_then(|s| s.split('-').next()).unwrap_or_default();
    match importer {
        "pfs" => import::pfs(&input, opts),
        "gpci" => import::gpci(&input, None, opts).map(|(g, _)| g),
        "ptp" => import::ptp(&[input], opts),
        "mue" => import::mue(&input, opts),
        "aoc" => import::aoc(&input, opts),
        "opps" => import::opps(&input, opts),
        "asc" => import::asc(&input, opts),
        other => panic!("{name}: no importer `{other}`"),
    }
}

fn check(name: &str, t: &Imported) {
    let skipped: usize = t.skipped.values().sum();
    assert_eq!(t.rows_read, t.rows_written + skipped, "{name}: rows read ≠ written + skipped");
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(t.csv.as_bytes());
    let mut records = 0;
    for record in reader.records() {
        record.unwrap_or_else(|e| panic!("{name}: CSV written: {e}"));
        records += 1;
    }
    assert_eq!(records, t.rows_written, "{name}: records written ≠ rows written");
}

#[test]
fn importers_hold_on_fuzz_found_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(imported) = run(&name, &std::fs::read(&path).unwrap()) {
            check(&name, &imported);
        }
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

/// A row of a normalized file narrower than its header was copied without its line end, so it
/// ran into the next row of the CSV written.
#[test]
fn a_normalized_row_of_the_wrong_width_is_an_error() {
    let bytes = include_bytes!("fuzz-regressions/import-mue-short-normalized-row.csv");
    let e = run("import-mue-short-normalized-row.csv", bytes).unwrap_err().to_string();
    assert!(e.contains(":2: has 3 fields but the header has 5"), "{e}");
}

/// A status indicator cell holding tabs and stray bytes was copied into the normalized OPPS table,
/// which then could not be read back as that table.
#[test]
fn an_opps_indicator_that_is_not_one_is_an_error() {
    let bytes = include_bytes!("fuzz-regressions/import-opps-garbage-status-indicator.csv");
    let e = run("import-opps-garbage-status-indicator.csv", bytes).unwrap_err().to_string();
    assert!(e.contains("(an indicator or APC) in this column"), "{e}");
}
