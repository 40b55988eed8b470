//! `interspace bench`: throughput of the whole pipeline on a corpus, single thread and all cores,
//! scrub+price throughput on claims, start-up time and peak memory. Figures go to stdout (and to
//! docs/PERFORMANCE.md by hand, with the machine and date).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use interspace_engine::{Engine, Options};
use interspace_knowledge::Knowledge;
use interspace_refdata::{ApmStatus, RefData};
use serde::Serialize;

use crate::args::BenchArgs;
use crate::output::{json, text};
use crate::{Outcome, UserError};

#[derive(Serialize)]
struct Figures {
    machine: String,
    cores: usize,
    startup_ms: f64,
    notes: usize,
    /// How many different notes were cycled to make `notes`.
    distinct_notes: usize,
    bytes: usize,
    single_notes_per_s: f64,
    single_mb_per_s: f64,
    parallel_threads: usize,
    parallel_notes_per_s: f64,
    parallel_mb_per_s: f64,
    /// Claims scrubbed and priced, and how many a second: none without `--claims`.
    claims: usize,
    scrub_claims_per_s: Option<f64>,
    peak_rss_mb: f64,
    lines_proposed: usize,
    /// The peer's notes/s on the same notes, when `--peer` is given.
    peer_notes_per_s: Option<f64>,
    /// One-thread notes/s over the peer's notes/s.
    peer_ratio: Option<f64>,
}

/// The `.txt` notes of the folders, each folder's in name order, with their text: those of at
/// least `min_bytes` bytes.
fn notes_in(dirs: &[PathBuf], min_bytes: usize) -> Result<Vec<(PathBuf, String)>> {
    let mut notes = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| UserError::new(format!("cannot read `{}`: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| UserError::new(format!("cannot read `{}`: {e}", f.display())))?;
            if text.len() >= min_bytes {
                notes.push((f, text));
            }
        }
    }
    Ok(notes)
}

/// The claims of the `.json` files in `dir` (not the FHIR ones), parsed: an error if there are none.
fn claims_in(dir: &Path) -> Result<Vec<interspace_claim::Claim>> {
    let files = std::fs::read_dir(dir).map_err(|e| UserError::new(format!("cannot read `{}`: {e}", dir.display())))?;
    let claims: Vec<interspace_claim::Claim> = files
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.to_string_lossy().contains("fhir"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| interspace_claim::from_json(&t).ok())
        .flatten()
        .collect();
    if claims.is_empty() {
        return Err(UserError::new(format!("no claims in `{}`", dir.display()))
            .hint("give a folder of JSON claims with --claims, such as crates/edits/tests/claims")
            .into());
    }
    Ok(claims)
}

/// Peak resident set size of this process, from /proc (Linux).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

pub(crate) fn run(args: &BenchArgs) -> Result<Outcome> {
    let t0 = Instant::now();
    let data = Arc::new(RefData::load_embedded().map_err(|e| UserError::new(e.to_string()))?);
    let knowledge = Arc::new(Knowledge::load_embedded().map_err(|_| UserError::new("knowledge base"))?);
    let engine = Engine::new(data.clone(), knowledge.clone());
    // Compile the vocabulary automata as a first analysis would.
    let _ = interspace_notes::Lexicon::embedded();
    let startup_ms = t0.elapsed().as_secs_f64() * 1000.0;

    let base = notes_in(&args.notes, args.min_bytes)?;
    if base.is_empty() {
        let folders = args.notes.iter().map(|d| format!("`{}`", d.display())).collect::<Vec<_>>().join(", ");
        let what = if args.min_bytes > 0 { format!(" of at least {} bytes", args.min_bytes) } else { String::new() };
        return Err(UserError::new(format!("no .txt notes{what} in {folders}"))
            .hint("give folders of plain-text notes with --notes, or a smaller --min-bytes")
            .into());
    }
    // Read before anything is timed, so that a wrong folder is told at once.
    let claims = match &args.claims {
        Some(dir) => claims_in(dir)?,
        None => Vec::new(),
    };
    let notes: Vec<&str> = base.iter().map(|(_, t)| t.as_str()).cycle().take(args.count.max(base.len())).collect();
    let bytes: usize = notes.iter().map(|n| n.len()).sum();
    let options = Options::default();

    let t = Instant::now();
    let mut lines_proposed = 0;
    for n in &notes {
        lines_proposed += engine.analyze(n, &options).map(|r| r.lines.len()).unwrap_or(0);
    }
    let single = t.elapsed().as_secs_f64();

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for chunk in notes.chunks(notes.len().div_ceil(threads)) {
            let engine = &engine;
            let options = &options;
            scope.spawn(move || {
                for n in chunk {
                    let _ = engine.analyze(n, options);
                }
            });
        }
    });
    let parallel = t.elapsed().as_secs_f64();

    // Scrub + price: the JSON claims of the scrubber test set, repeated.
    let mut scrub_claims_per_s = None;
    let mut n_claims = 0;
    if !claims.is_empty() {
        let batch: Vec<&interspace_claim::Claim> =
            claims.iter().cycle().take(args.claims_count.max(claims.len())).collect();
        n_claims = batch.len();
        let t = Instant::now();
        for c in &batch {
            let _ = interspace_edits::scrub(c, &data, &knowledge, ApmStatus::NonQualifying);
        }
        scrub_claims_per_s = Some(n_claims as f64 / t.elapsed().as_secs_f64());
    }

    let peer_notes_per_s = match &args.peer {
        Some(program) => {
            let files: Vec<&Path> = base.iter().map(|(f, _)| f.as_path()).collect();
            Some(run_peer(program, &files, args.peer_repeat)?)
        }
        None => None,
    };
    let single_notes_per_s = notes.len() as f64 / single;
    let f = Figures {
        machine: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        cores: threads,
        startup_ms,
        notes: notes.len(),
        distinct_notes: base.len(),
        bytes,
        single_notes_per_s,
        single_mb_per_s: bytes as f64 / single / 1e6,
        parallel_threads: threads,
        parallel_notes_per_s: notes.len() as f64 / parallel,
        parallel_mb_per_s: bytes as f64 / parallel / 1e6,
        claims: n_claims,
        scrub_claims_per_s,
        peak_rss_mb: peak_rss_mb(),
        lines_proposed,
        peer_notes_per_s,
        peer_ratio: peer_notes_per_s.map(|p| single_notes_per_s / p),
    };
    if args.json {
        json(&f)?;
    } else {
        text(&format!(
            "startup {:.0} ms · {} notes ({:.1} MB, {} different) · single thread {:.0} notes/s, {:.1} MB/s · {} threads {:.0} notes/s, {:.1} MB/s · {} · peak RSS {:.0} MB\n",
            f.startup_ms,
            f.notes,
            f.bytes as f64 / 1e6,
            f.distinct_notes,
            f.single_notes_per_s,
            f.single_mb_per_s,
            f.parallel_threads,
            f.parallel_notes_per_s,
            f.parallel_mb_per_s,
            match f.scrub_claims_per_s {
                Some(per_s) => format!("scrub+price {} claims {per_s:.0} claims/s", f.claims),
                None => "scrub+price not run (no --claims)".to_string(),
            },
            f.peak_rss_mb
        ))?;
        if let (Some(p), Some(r)) = (f.peer_notes_per_s, f.peer_ratio) {
            text(&format!("peer {p:.1} notes/s · Interspace on one thread is {r:.0}× the peer\n"))?;
        }
    }
    Ok(Outcome::Ok)
}

/// Runs the peer program over the note files and reads its `notes_per_s=` figure.
fn run_peer(program: &Path, notes: &[&Path], repeat: usize) -> Result<f64> {
    let out = std::process::Command::new(program)
        .args(notes)
        .arg("--repeat")
        .arg(repeat.to_string())
        .output()
        .map_err(|e| UserError::new(format!("cannot run the peer `{}`: {e}", program.display())))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rate = stdout
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("notes_per_s="))
        .filter_map(|v| v.parse::<f64>().ok())
        .next_back()
        .filter(|r| *r > 0.0);
    match (out.status.success(), rate) {
        (true, Some(rate)) => Ok(rate),
        (ok, _) => {
            // The peer's own complaint, last lines only (it names packages and files, not notes).
            let stderr = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
            let why = if ok {
                "it printed no `notes_per_s=` figure".to_string()
            } else {
                format!("it failed ({})", out.status)
            };
            Err(UserError::new(format!(
                "peer `{}`: {why}{}{}",
                program.display(),
                if tail.is_empty() { "" } else { ": " },
                tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
            ))
            .hint("the peer runs as `PROGRAM NOTE_FILE… --repeat N` and prints `notes_per_s=…`; tools/medspacy_peer.py needs `pip install medspacy==1.3.1`")
            .into())
        }
    }
}
