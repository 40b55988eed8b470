//! The `interspace` binary, run as a user runs it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn interspace() -> Command {
    let mut c = Command::cargo_bin("interspace").unwrap();
    c.env_remove("INTERSPACE_DATA").env("NO_COLOR", "1");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/2025").join(name)
}

fn json(args: &[&str]) -> Value {
    let out = interspace().args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = interspace().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().next().map(|l| l.starts_with("error: ")), Some(true), "{err}");
    err
}

#[test]
fn code_page_json_has_the_documented_fields() {
    let p = json(&["code", "22586", "--json", "--year", "2025"]);
    for field in [
        "code",
        "year",
        "status",
        "global_days",
        "work_rvu",
        "pe_facility_rvu",
        "pe_nonfacility_rvu",
        "mp_rvu",
        "total_facility_rvu",
        "total_nonfacility_rvu",
        "national_facility",
        "national_nonfacility",
        "add_on_primaries",
        "documentation_elements",
        "denial_reasons",
        "faq",
        "related",
        "sources",
    ] {
        assert!(p.get(field).is_some(), "missing {field}");
    }
    assert_eq!(p["code"], "22586");
    assert_eq!(p["global_days"], "090");
    // 62.29 × 32.3465 = 2014.863… → 2014.86
    assert_eq!(p["national_facility"], "2014.86");
    assert!(p["denial_reasons"].as_array().unwrap().iter().any(|d| d["edit"] == "SPN001"));
}

#[test]
fn price_json_golden() {
    let p = json(&["price", "22633", "22853", "22840", "20936", "22558-62", "63047x2", "--json", "--year", "2025"]);
    let allowed: Vec<&str> = p["lines"].as_array().unwrap().iter().map(|l| l["allowed"].as_str().unwrap()).collect();
    assert_eq!(allowed, ["1781.00", "250.36", "732.32", "0.00", "468.01", "1094.93"]);
    assert_eq!(p["total"], "4326.62");
    assert_eq!(p["lines"][4]["modifiers"][0], "62");
    assert_eq!(p["lines"][5]["units"], 2);
    assert!(
        p["lines"][4]["adjustments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["step"] == "co_surgery" && a["factor"] == "0.625")
    );
    let p = json(&["price", "22633", "--locality", "10112-00", "--setting", "nonfacility", "--json", "--year", "2025"]);
    assert_eq!(p["total"], "1581.56");
}

#[test]
fn bad_input_gets_one_line_errors_with_choices() {
    let e = fails(&["code", "22999"]);
    assert!(e.contains("unknown code `22999`") && e.contains("hint: nearest codes:"), "{e}");
    let e = fails(&["price", "22633-"]);
    assert!(e.contains("`22633-`"), "{e}");
    let e = fails(&["price", "22633", "--locality", "10112-99"]);
    assert!(e.contains("unknown locality `10112-99`") && e.contains("10112-00 (ALABAMA)"), "{e}");
    let e = fails(&["price", "22633", "--year", "1999"]);
    assert!(e.contains("no data for year 1999") && e.contains("2025, 2026"), "{e}");
    let e = fails(&["price", "22851"]);
    assert!(e.contains("deleted code") && e.contains("22853"), "{e}");
    let e = fails(&["term", "zzzz-not-a-term"]);
    assert!(e.contains("unknown glossary term"), "{e}");
    let e = fails(&["code", "22633", "--data", "/nonexistent/folder"]);
    assert!(e.contains("data folder `/nonexistent/folder` does not exist"), "{e}");
    // clap's usage errors also exit 2.
    interspace().args(["price"]).assert().code(2);
}

#[test]
fn import_official_layouts_then_use_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_str().unwrap();
    let f = |n: &str| fixture(n).to_str().unwrap().to_string();
    let args = [
        "data",
        "import",
        "--year",
        "2026",
        "--out",
        out,
        "--pfs",
        &f("PPRRVU26_JAN.csv"),
        "--gpci",
        &f("GPCI2026.csv"),
        "--locco",
        &f("26LOCCO.csv"),
        "--ptp",
        &f("ccipra-v321r0-f1.txt"),
        "--mue",
        &f("MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"),
        "--aoc",
        &f("AOC_V2026Q1.csv"),
        "--opps",
        &f("Addendum_B_synthetic.csv"),
        "--asc",
        &f("Addendum_AA_synthetic.csv"),
    ];
    let o = interspace().args(args).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        report.contains("pfs_rvu            11 rows read (CMS layout), 10 written, skipped: 1 not a spine-family code"),
        "{report}"
    );
    assert!(report.contains("ncci_ptp           5 rows read (CMS layout), 4 written"), "{report}");
    assert!(
        report.contains("ncci_aoc           6 rows read (CMS layout), 5 written, skipped: 1 pair deleted"),
        "{report}"
    );

    let p = json(&["code", "22633", "--year", "2026", "--data", out, "--locality", "10112-00", "--json"]);
    assert_eq!(p["work_rvu"], "26.13", "the imported 2026 RVU is used");
    // (26.13 + 19.88 + 8.38) = 54.39 × 33.4009 = 1816.674… → 1816.67
    assert_eq!(p["national_facility"], "1816.67");
    // (26.13 + 19.88 × 0.900 + 8.38 × 0.575) = 48.8405 × 33.4009 = 1631.316… → 1631.32
    assert_eq!(p["locality"]["facility"], "1631.32");
    assert_eq!(p["opps"]["indicator"], "J1");
    assert_eq!(p["opps"]["payment_rate"], "11111.11");
    assert_eq!(p["asc"]["indicator"], "J8");
    assert!(p["facility_payment_note"].is_null());
    // The embedded 2026 conversion factors survive the overlay; 2025 is untouched.
    let q = json(&["price", "22633", "--year", "2026", "--apm", "--data", out, "--json"]);
    assert_eq!(q["conversion_factor"], "33.5675");
    assert_eq!(json(&["code", "22633", "--year", "2025", "--data", out, "--json"])["work_rvu"], "26.80");
}

#[test]
fn import_shipped_extracts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_str().unwrap();
    let s = |n: &str| shipped(n).to_str().unwrap().to_string();
    let args = [
        "data",
        "import",
        "--year",
        "2025",
        "--out",
        out,
        "--pfs",
        &s("pfs_rvu.csv"),
        "--gpci",
        &s("gpci.csv"),
        "--locco",
        &s("localities.csv"),
        "--ptp",
        &s("ncci_ptp.csv"),
        "--mue",
        &s("ncci_mue.csv"),
        "--aoc",
        &s("ncci_aoc.csv"),
    ];
    let o = interspace().args(args).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for expect in [
        "pfs_rvu            237 rows read (normalized layout), 237 written",
        "gpci               109 rows read (normalized layout), 109 written",
        "ncci_ptp           65104 rows read (normalized layout), 65104 written",
        "ncci_mue           223 rows read (normalized layout), 223 written",
    ] {
        assert!(report.contains(expect), "{report}");
    }
    assert_eq!(json(&["code", "22633", "--year", "2025", "--data", out, "--json"])["national_facility"], "1781.00");
}

#[test]
fn a_failed_import_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    let e = fails(&[
        "data",
        "import",
        "--year",
        "2026",
        "--out",
        out.to_str().unwrap(),
        "--pfs",
        fixture("GPCI2026.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("has no header row of the PFS Relative Value File"), "{e}");
    assert!(e.contains("nothing was written"), "{e}");
    assert!(!out.exists());
    let e = fails(&["data", "import", "--year", "2026", "--out", out.to_str().unwrap(), "--mue", "/nonexistent.csv"]);
    assert!(e.contains("cannot read `/nonexistent.csv`"), "{e}");
}

#[test]
fn glossary_and_search() {
    let t = json(&["term", "AxiaLIF", "--json"]);
    assert_eq!(t["slug"], "axialif");
    let hits = json(&["search", "presacral", "--json"]);
    assert!(hits.as_array().unwrap().iter().any(|h| h["id"] == "22586"));
    let out = interspace().args(["search", "22586"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("code  22586"));
}

fn claim_file(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../edits/tests/claims").join(name).to_string_lossy().into_owned()
}

#[test]
fn scrub_reports_edits_and_prices_what_survives() {
    let out = interspace().args(["scrub", &claim_file("j10-ptp002-tlif-with-63047.json"), "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an error-severity edit exits 1");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let claim = &v[0];
    let edits: Vec<&str> = claim["hits"].as_array().unwrap().iter().map(|h| h["edit"].as_str().unwrap()).collect();
    assert!(edits.contains(&"PTP002"), "{edits:?}");
    // 63047 is denied, so the total is 22633 + 22840 + 22853 at full fee schedule.
    assert_eq!(claim["priced"]["total"], "2763.68");
    let denied = claim["lines"].as_array().unwrap().iter().find(|l| l["token"] == "63047").unwrap();
    assert_eq!(denied["paid_units"], 0);
}

#[test]
fn scrub_reads_837p_and_fhir_and_exits_0_on_a_clean_claim() {
    for f in ["x01-clean-acdf-1-level.x12", "f01-clean-kyphoplasty-t12-l1.fhir.json", "j02-clean-acdf-2-level.json"] {
        let out = interspace().args(["scrub", &claim_file(f)]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{f}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn scrub_refuses_a_broken_claim_with_its_location() {
    let err = fails(&["scrub", &claim_file("e01-json-four-digit-code.json")]);
    assert!(err.contains(".code"), "{err}");
    let err = fails(&["scrub", &claim_file("e02-x12-wrong-se-count.x12")]);
    assert!(err.contains("SE"), "{err}");
}

#[test]
fn prior_auth_finds_the_indications_of_the_example_note() {
    let note = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/l4-s1-tlif.txt");
    let v = json(&["prior-auth", note.to_str().unwrap(), "--diagnosis", "M43.16", "--json"]);
    assert_eq!(v["policy"], "L37848");
    let supported: Vec<&str> = v["supported"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(supported, ["instability", "neural_compression"]);
    assert_eq!(v["fusion_codes"][0], "22633");
}

#[test]
fn explain_shows_a_procedure_by_id_or_name() {
    let out = interspace().args(["explain", "XLIF"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("22558") && text.contains("reading grade"), "{text}");
    let err = fails(&["explain", "appendectomy"]);
    assert!(err.contains("acdf"), "{err}");
}

#[test]
fn ask_answers_offline_with_sources() {
    let v = json(&["ask", "how do I code a two-level ALIF at L4-L5 and L5-S1", "--json"]);
    assert_eq!(v["kind"], "which_code");
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("22558") && text.contains("22585"), "{text}");
    let out = interspace().args(["ask", "what is the weather tomorrow"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "no answer in the data exits 1");
}

/// A stand-in for the medspaCy peer: a shell script with the given body, made executable.
fn fake_peer(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("peer.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn corpus_notes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/notes")
}

/// The figures of `interspace bench --json OPTIONS… --peer PEER --notes FOLDERS…`.
fn bench_figures(options: &[&str], folders: &[&Path], peer: &Path) -> Value {
    let out = interspace()
        .args(["bench", "--json"])
        .args(options)
        .arg("--peer")
        .arg(peer)
        .arg("--notes")
        .args(folders)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn bench_reports_the_ratio_to_the_peer() {
    let dir = tempfile::tempdir().unwrap();
    // The peer is given the note files and `--repeat N`: all 88 corpus notes here.
    let peer = fake_peer(
        dir.path(),
        r#"[ "$#" = 90 ] && [ -f "$1" ] && [ "${89}" = --repeat ] && [ "${90}" = 2 ] || { echo "bad arguments: $*" >&2; exit 3; }
echo "peer fake notes=3 seconds=1.5 notes_per_s=2.0 concepts=0""#,
    );
    let notes = corpus_notes();
    let f = bench_figures(&["--count", "88", "--peer-repeat", "2"], &[&notes], &peer);
    assert_eq!(f["peer_notes_per_s"].as_f64(), Some(2.0));
    let single = f["single_notes_per_s"].as_f64().unwrap();
    let ratio = f["peer_ratio"].as_f64().unwrap();
    assert!((ratio - single / 2.0).abs() < 1e-6 * ratio, "{ratio} vs {single} / 2");

    let text = interspace()
        .args(["bench", "--count", "88", "--peer-repeat", "2", "--notes"])
        .arg(&notes)
        .arg("--peer")
        .arg(&peer)
        .output()
        .unwrap();
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("peer 2.0 notes/s") && text.contains("× the peer"), "{text}");
}

/// Notes from several folders, only those of at least `--min-bytes`; the peer gets the same files.
#[test]
fn bench_takes_several_folders_and_a_minimum_size() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small"), dir.path().join("large"));
    std::fs::create_dir_all(&small).unwrap();
    std::fs::create_dir_all(&large).unwrap();
    let note = std::fs::read_to_string(corpus_notes().join("lumbar-001.txt")).unwrap();
    std::fs::write(small.join("a.txt"), &note[..1000]).unwrap();
    std::fs::write(small.join("b.txt"), &note).unwrap();
    std::fs::write(large.join("c.txt"), &note).unwrap();
    std::fs::write(large.join("d.md"), &note).unwrap();
    let peer = fake_peer(
        dir.path(),
        r#"case "$*" in */small/b.txt\ */large/c.txt\ --repeat\ 1) ;; *) echo "bad arguments: $*" >&2; exit 3;; esac
echo "notes_per_s=4.0""#,
    );
    let f = bench_figures(&["--count", "10", "--peer-repeat", "1", "--min-bytes", "2000"], &[&small, &large], &peer);
    assert_eq!((f["notes"].as_u64(), f["distinct_notes"].as_u64()), (Some(10), Some(2)));
    assert_eq!(f["bytes"].as_u64(), Some(10 * note.len() as u64));
    assert_eq!(f["peer_notes_per_s"].as_f64(), Some(4.0));

    let small = small.to_string_lossy().into_owned();
    let err = fails(&["bench", "--count", "10", "--min-bytes", "9000", "--notes", &small]);
    assert!(err.contains("no .txt notes of at least 9000 bytes in `") && err.contains("smaller --min-bytes"), "{err}");
}

/// Scrub + price runs on the claims of `--claims`, is reported as not run without it, and a
/// folder with no claims is an error that names it.
#[test]
fn bench_scrubs_claims_only_when_given_them() {
    let notes = corpus_notes().to_string_lossy().into_owned();
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../edits/tests/claims").to_string_lossy().into_owned();
    let run = |extra: &[&str]| {
        let out = interspace().args(["bench", "--count", "23", "--notes", &notes]).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let f: Value = serde_json::from_str(&run(&["--json", "--claims", &claims, "--claims-count", "500"])).unwrap();
    assert_eq!(f["claims"].as_u64(), Some(500));
    assert!(f["scrub_claims_per_s"].as_f64().is_some_and(|c| c > 0.0), "{f}");
    let f: Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert_eq!((f["claims"].as_u64(), f["scrub_claims_per_s"].is_null()), (Some(0), true), "{f}");
    let text = run(&[]);
    assert!(text.contains("scrub+price not run (no --claims)") && !text.contains("0 claims/s"), "{text}");

    let empty = tempfile::tempdir().unwrap();
    let empty = empty.path().to_string_lossy().into_owned();
    let err = fails(&["bench", "--count", "10", "--notes", &notes, "--claims", &empty]);
    assert!(err.contains(&format!("no claims in `{empty}`")) && err.contains("--claims"), "{err}");
}

/// `interspace … | head -1`: the reader closes the pipe before the command is done writing.
#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    let notes = corpus_notes().to_string_lossy().into_owned();
    for args in [vec!["bench", "--count", "88", "--notes", &notes], vec!["analyze", &notes]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("interspace"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && !stderr.contains("panicked"), "{args:?}: {:?} {stderr}", out.status);
    }
}

#[test]
fn bench_says_why_a_peer_gave_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let notes = corpus_notes().to_string_lossy().into_owned();
    let missing = fake_peer(dir.path(), "echo \"ModuleNotFoundError: No module named 'medspacy'\" >&2; exit 1");
    let err = fails(&["bench", "--count", "88", "--notes", &notes, "--peer", missing.to_str().unwrap()]);
    assert!(err.contains("it failed") && err.contains("No module named 'medspacy'"), "{err}");
    assert!(err.contains("pip install medspacy==1.3.1"), "{err}");

    let silent = fake_peer(dir.path(), "echo done");
    let err = fails(&["bench", "--count", "88", "--notes", &notes, "--peer", silent.to_str().unwrap()]);
    assert!(err.contains("printed no `notes_per_s=` figure"), "{err}");

    let err = fails(&["bench", "--count", "88", "--notes", &notes, "--peer", "/nonexistent/peer"]);
    assert!(err.contains("cannot run the peer `/nonexistent/peer`"), "{err}");
}
