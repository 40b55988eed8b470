//! The CMS file readers of `interspace_refdata`: the importers of the official layouts
//! (`import::{pfs, gpci, ptp, mue, aoc, opps, asc}`) and the strict CSV table readers
//! (`PfsTable::from_csv`, `ConversionFactors`, `GpciTable`, `PtpTable`, `MueTable`, `AocTable`,
//! `Icd10Cm`, `Icd10Pcs`, `MsDrgTable`, `OppsTable`, `AscTable`).
//!
//! Input: byte 0 picks the reader, byte 1 holds flags (bit 0 `all_codes`, bit 1 year 2026 rather
//! than 2025, bit 2 the MUE file label comes from the first part), the rest is split at NUL bytes
//! into the files a reader takes (GPCI + LOCCO, the four PTP files, a table and its companion).
//!
//! Invariants of an import: every row read is written or skipped; the CSV written is rectangular
//! with one record per row written; importing it again (it is now the normalized layout) gives
//! the same CSV; and the strict table reader accepts or refuses it without panicking.
#![no_main]

use interspace_refdata::import::{self, ImportOptions, Imported, InputFile, Layout};
use interspace_refdata::{
    AocTable, AscTable, ConversionFactors, GpciTable, Icd10Cm, Icd10Pcs, MsDrgTable, MueTable, OppsTable, PfsTable,
    PtpTable, TableKind,
};
use libfuzzer_sys::fuzz_target;

const READERS: u8 = 18;

fn file(label: &str, bytes: &[u8]) -> InputFile {
    InputFile { label: label.into(), bytes: bytes.to_vec() }
}

fuzz_target!(|data: &[u8]| {
    let [selector, flags, rest @ ..] = data else { return };
    let opts = ImportOptions { year: if flags & 2 == 0 { 2025 } else { 2026 }, all_codes: flags & 1 == 1 };
    let parts: Vec<&[u8]> = rest.split(|b| *b == 0).collect();
    let first = parts[0];
    let second = parts.get(1).copied().unwrap_or_default();
    match selector % READERS {
        0 => single(import::pfs(&file("PPRRVU.csv", first), opts), opts, import::pfs),
        1 => {
            let locco = parts.get(1).map(|b| file("LOCCO.csv", b));
            if let Ok((g, l)) = import::gpci(&file("GPCI.csv", first), locco.as_ref(), opts) {
                check(&g);
                check(&l);
                let (g2, l2) = import::gpci(&file("gpci.csv", g.csv.as_bytes()), Some(&file("localities.csv", l.csv.as_bytes())), opts)
                    .unwrap_or_else(|e| panic!("re-importing the normalized GPCI/localities: {e}\n{}\n{}", g.csv, l.csv));
                assert_eq!((g2.csv, l2.csv), (g.csv.clone(), l.csv.clone()), "re-import changed the GPCI/localities");
                let _ = GpciTable::from_csv("gpci.csv", g.csv.as_bytes(), "localities.csv", l.csv.as_bytes());
            }
        }
        2 => {
            let files: Vec<InputFile> = parts.iter().enumerate().map(|(i, b)| file(&format!("ptp{i}.txt"), b)).collect();
            single(import::ptp(&files, opts), opts, |f, o| import::ptp(std::slice::from_ref(f), o));
        }
        3 => {
            let (label, body) = if flags & 4 == 4 {
                (String::from_utf8_lossy(first).into_owned(), second)
            } else {
                ("MCR_MUE_PractitionerServices_Eff_01-01-2026.csv".into(), first)
            };
            single(import::mue(&file(&label, body), opts), opts, import::mue);
        }
        4 => single(import::aoc(&file("AOC.csv", first), opts), opts, import::aoc),
        5 => single(import::opps(&file("Addendum_B.csv", first), opts), opts, import::opps),
        6 => single(import::asc(&file("Addendum_AA.csv", first), opts), opts, import::asc),
        7 => drop(PfsTable::from_csv("pfs_rvu.csv", first)),
        8 => drop(ConversionFactors::from_csv("conversion_factors.csv", first)),
        9 => drop(GpciTable::from_csv("gpci.csv", first, "localities.csv", second)),
        10 => drop(PtpTable::from_csv("ncci_ptp.csv", first)),
        11 => drop(MueTable::from_csv("ncci_mue.csv", first)),
        12 => drop(AocTable::from_csv("ncci_aoc.csv", first)),
        13 => drop(Icd10Cm::from_csv("icd10cm.csv", first)),
        14 => drop(Icd10Pcs::from_csv("icd10pcs.csv", first, "icd10pcs_axes.csv", second)),
        15 => drop(MsDrgTable::from_csv("msdrg_weights.csv", first, "msdrg_pcs_logic.csv", second)),
        16 => drop(OppsTable::from_csv("opps_addendum_b.csv", first)),
        _ => drop(AscTable::from_csv("asc_addendum_aa.csv", first)),
    }
});

/// Checks a one-table import, re-imports its output and loads it with the strict reader.
fn single(
    result: Result<Imported, interspace_refdata::DataErrors>,
    opts: ImportOptions,
    again: impl Fn(&InputFile, ImportOptions) -> Result<Imported, interspace_refdata::DataErrors>,
) {
    let Ok(imported) = result else { return };
    check(&imported);
    let second = again(&file(&imported.file, imported.csv.as_bytes()), opts)
        .unwrap_or_else(|e| panic!("re-importing the normalized output: {e}\n{}", imported.csv));
    assert_eq!(second.layout, Layout::Normalized, "the output is not recognised as the normalized layout");
    assert_eq!(second.csv, imported.csv, "re-importing the normalized output changed it");
    let (name, bytes) = (imported.file.as_str(), imported.csv.as_bytes());
    match imported.kind {
        TableKind::PfsRvu => drop(PfsTable::from_csv(name, bytes)),
        TableKind::NcciPtp => drop(PtpTable::from_csv(name, bytes)),
        TableKind::NcciMue => drop(MueTable::from_csv(name, bytes)),
        TableKind::NcciAoc => drop(AocTable::from_csv(name, bytes)),
        TableKind::OppsAddendumB => drop(OppsTable::from_csv(name, bytes)),
        TableKind::AscAddendumAa => drop(AscTable::from_csv(name, bytes)),
        other => panic!("a one-table importer returned {other:?}"),
    }
}

/// Rows read are written or skipped; the CSV is rectangular, one record per row written.
fn check(t: &Imported) {
    let skipped: usize = t.skipped.values().sum();
    assert_eq!(t.rows_read, t.rows_written + skipped, "rows read ≠ written + skipped ({:?})", t.skipped);
    assert!(t.rows_written > 0, "an import without rows");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(t.csv.as_bytes());
    let header = reader.headers().expect("the header").len();
    let mut records = 0;
    for r in reader.records() {
        let r = r.unwrap_or_else(|e| panic!("the CSV written is not rectangular: {e}\n{}", t.csv));
        assert_eq!(r.len(), header);
        records += 1;
    }
    assert_eq!(records, t.rows_written, "records in the CSV ≠ rows written\n{}", t.csv);
}
