//! `interspace data list|check|import`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use interspace_refdata::import::{self, ImportOptions, Imported, InputFile, Layout};
use interspace_refdata::{RefData, Source};

use crate::args::ImportArgs;
use crate::commands::{load_data, load_knowledge};
use crate::output::text;
use crate::{Outcome, UserError};

pub(crate) fn list(dir: Option<&Path>) -> Result<Outcome> {
    let data = load_data(dir)?;
    let mut o = String::new();
    for y in data.years() {
        let Some(d) = data.year(y) else { continue };
        let _ = writeln!(o, "{y}{}", if y == data.default_year() { "  (default year)" } else { "" });
        for t in &d.tables {
            let from = if t.from_year == y { String::new() } else { format!(" [from {}]", t.from_year) };
            let _ = writeln!(o, "  {:<18} {}{from}", t.kind.name(), t.version);
            let _ = writeln!(o, "  {:<18} {}", "", t.location);
        }
        for c in d.caveats() {
            o.push_str(&crate::output::item(&c, 2, 100));
        }
        o.push('\n');
    }
    text(&o)?;
    Ok(Outcome::Ok)
}

pub(crate) fn check(dir: Option<&Path>) -> Result<Outcome> {
    let data = load_data(dir)?;
    let k = load_knowledge()?;
    let problems = k.check(&data);
    let mut o = String::new();
    for p in &problems {
        let _ = writeln!(o, "{p}");
    }
    let _ = writeln!(
        o,
        "{} code pages, {} glossary terms, {} edits, {} sources checked against {} data year(s): {} problem(s)",
        k.codes().count(),
        k.terms().count(),
        k.edits().len(),
        k.sources().count(),
        data.years().count(),
        problems.len()
    );
    text(&o)?;
    Ok(if problems.is_empty() { Outcome::Ok } else { Outcome::Findings })
}

fn read(path: &Path) -> Result<InputFile> {
    read_at_most(path, import::MAX_INPUT_BYTES)
}

/// Reads an input file, refusing one larger than `limit` before reading it.
fn read_at_most(path: &Path, limit: u64) -> Result<InputFile> {
    let cannot = |e: std::io::Error| {
        UserError::new(format!("cannot read `{}`: {e}", path.display()))
            .hint("check the path; files are read as given, relative to the current folder")
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > limit {
        return Err(UserError::new(format!(
            "`{}` is {size} bytes; files for this option are limited to {limit} bytes",
            path.display()
        ))
        .hint("nothing was written; check that this is the CMS file for this option")
        .into());
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    Ok(InputFile { label: path.display().to_string(), bytes })
}

fn errors(e: interspace_refdata::DataErrors) -> anyhow::Error {
    crate::commands::data_errors("the file cannot be imported", &e)
        .hint("nothing was written; fix the file (or pick the right option for it) and run the import again")
        .into()
}

/// A problem found when the staged tables were loaded, told in the user's file: a line of a staged
/// table is mapped back to the input file and line it was imported from, and another file of the
/// staging folder is named in `out`, where it was copied from.
fn in_input(
    mut e: interspace_refdata::DataError,
    staging: &Path,
    out: &Path,
    year: i16,
    tables: &[Imported],
) -> interspace_refdata::DataError {
    let file = PathBuf::from(&e.file);
    let Ok(rel) = file.strip_prefix(staging) else { return e };
    let imported = rel.parent() == Some(Path::new(&year.to_string()));
    let Some(t) = tables.iter().find(|t| imported && rel.file_name() == Some(t.file.as_ref())) else {
        e.file = out.join(rel).display().to_string();
        return e;
    };
    let column = e.column.take().map(|(_, name)| format!("`{name}` (as imported): ")).unwrap_or_default();
    match e.line.and_then(|l| t.source_of(l)) {
        Some((file, line)) => {
            e.file = file.to_string();
            e.line = Some(line);
        }
        None => {
            e.file = t.inputs.join(", ");
            e.line = None;
        }
    }
    e.message = format!("{column}{}", e.message);
    e
}

pub(crate) fn import(data_dir: Option<&Path>, args: &ImportArgs) -> Result<Outcome> {
    let out: PathBuf = args
        .out
        .clone()
        .or_else(|| data_dir.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("interspace-data"));
    let opts = ImportOptions { year: args.year, all_codes: args.all_codes };
    let mut tables: Vec<Imported> = Vec::new();
    if let Some(p) = &args.pfs {
        tables.push(import::pfs(&read(p)?, opts).map_err(errors)?);
    }
    if let Some(p) = &args.gpci {
        let locco = args.locco.as_deref().map(read).transpose()?;
        let (g, l) = import::gpci(&read(p)?, locco.as_ref(), opts).map_err(errors)?;
        tables.push(g);
        tables.push(l);
    }
    if !args.ptp.is_empty() {
        let files =
            args.ptp.iter().map(|p| read_at_most(p, import::MAX_PTP_INPUT_BYTES)).collect::<Result<Vec<_>>>()?;
        tables.push(import::ptp(&files, opts).map_err(errors)?);
    }
    if let Some(p) = &args.mue {
        tables.push(import::mue(&read(p)?, opts).map_err(errors)?);
    }
    if let Some(p) = &args.aoc {
        tables.push(import::aoc(&read(p)?, opts).map_err(errors)?);
    }
    if let Some(p) = &args.opps {
        tables.push(import::opps(&read(p)?, opts).map_err(errors)?);
    }
    if let Some(p) = &args.asc {
        tables.push(import::asc(&read(p)?, opts).map_err(errors)?);
    }
    if tables.is_empty() {
        return Err(UserError::new("nothing to import")
            .hint("give at least one of --pfs, --gpci, --ptp, --mue, --aoc, --opps, --asc")
            .into());
    }

    // Stage the result in a temporary copy of the data folder and load it with the built-in data,
    // so a file that fails validation never reaches the real folder.
    let embedded = RefData::load_embedded().context("built-in data")?;
    let existing =
        if out.is_dir() { Some(RefData::load(&[Source::Embedded, Source::Dir(out.clone())]).ok()) } else { None };
    let years: Vec<i16> =
        existing.as_ref().and_then(|e| e.as_ref()).map_or_else(|| embedded.years().collect(), |e| e.years().collect());
    let inherit =
        if years.contains(&args.year) { None } else { years.iter().copied().filter(|y| *y < args.year).max() };
    let staging = std::env::temp_dir().join(format!("interspace-import-{}-{}", std::process::id(), args.year));
    let _ = std::fs::remove_dir_all(&staging);
    copy_dir(&out, &staging)?;
    import::write_year(&staging, args.year, inherit, &tables)?;
    let staged = RefData::load(&[Source::Embedded, Source::Dir(staging.clone())]);
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        let e = interspace_refdata::DataErrors(
            e.0.into_iter().map(|e| in_input(e, &staging, &out, args.year, &tables)).collect(),
        );
        return Err(errors(e));
    }
    let _ = std::fs::remove_dir_all(&staging);
    let dir = import::write_year(&out, args.year, inherit, &tables)?;

    let mut o = String::new();
    for t in &tables {
        let layout = match t.layout {
            Layout::Official => "CMS layout",
            Layout::Normalized => "normalized layout",
        };
        let skipped: Vec<String> = t.skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
        let _ = writeln!(
            o,
            "{:<18} {} rows read ({layout}), {} written{}",
            t.kind.name(),
            t.rows_read,
            t.rows_written,
            if skipped.is_empty() { String::new() } else { format!(", skipped: {}", skipped.join(", ")) }
        );
    }
    let _ = writeln!(
        o,
        "wrote {}{}",
        dir.display(),
        inherit.map(|y| format!(" (tables not imported are taken from {y})")).unwrap_or_default()
    );
    if data_dir != Some(out.as_path()) {
        let _ = writeln!(o, "use it with: --data {} (or INTERSPACE_DATA={})", out.display(), out.display());
    }
    text(&o)?;
    Ok(Outcome::Ok)
}

/// Copies a data folder (year folders of small CSV files); a missing source is an empty folder.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(()) };
    for e in entries {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
