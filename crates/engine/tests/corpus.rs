//! The annotated corpus, end to end: every note's full report is a snapshot
//! (`crates/engine/tests/snapshots/`), and the corpus as a whole must keep the coding targets.
//!
//! After a deliberate change, review the differences with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always cargo test -p interspace-engine --test corpus`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use interspace_engine::{Engine, Options};
use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(Arc::new(RefData::load_embedded().unwrap()), Arc::new(Knowledge::load_embedded().unwrap()))
});

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn notes() -> Vec<PathBuf> {
    let mut notes: Vec<PathBuf> = std::fs::read_dir(corpus().join("notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    notes.sort();
    notes
}

/// Gold tokens per note id, from `corpus/gold.csv`.
fn gold() -> BTreeMap<String, Vec<String>> {
    let mut reader = csv::Reader::from_path(corpus().join("gold.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let id = headers.iter().position(|h| h == "note_id").unwrap();
    let codes = headers.iter().position(|h| h == "cpt_codes").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[id].to_string(), r[codes].split_whitespace().map(str::to_string).collect())
        })
        .collect()
}

#[test]
fn every_note_report_matches_its_snapshot() {
    let notes = notes();
    assert!(notes.len() >= 80, "the corpus has {} notes", notes.len());
    for path in notes {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = ENGINE.analyze(&text, &Options::default()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_json_snapshot!(name, report);
    }
}

/// Splits `22853x2` into (`22853`, 2), dropping modifiers (scored apart from F1).
fn code_units(token: &str) -> (String, u32) {
    let (head, units) = match token.rsplit_once('x') {
        Some((h, u)) if u.chars().all(|c| c.is_ascii_digit()) && !u.is_empty() => (h, u.parse().unwrap()),
        _ => (token, 1),
    };
    (head.split('-').next().unwrap().to_string(), units)
}

#[test]
fn corpus_meets_the_coding_targets() {
    let gold = gold();
    let (mut tp, mut fp, mut fn_, mut exact, mut total) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for path in notes() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(expected) = gold.get(&name) else { panic!("{name} has no gold row") };
        let text = std::fs::read_to_string(&path).unwrap();
        let report = ENGINE.analyze(&text, &Options::default()).unwrap();
        let mut want: BTreeMap<String, u32> = BTreeMap::new();
        for t in expected {
            let (c, u) = code_units(t);
            *want.entry(c).or_default() += u;
        }
        let mut got: BTreeMap<String, u32> = BTreeMap::new();
        for t in report.tokens() {
            let (c, u) = code_units(&t);
            assert!(
                ENGINE.data().year(report.year).unwrap().pfs.get(c.parse().unwrap()).is_some(),
                "{name}: invented code {c}"
            );
            *got.entry(c).or_default() += u;
        }
        for (c, &g) in &got {
            let w = want.get(c).copied().unwrap_or(0);
            tp += g.min(w);
            fp += g.saturating_sub(w);
        }
        for (c, &w) in &want {
            fn_ += w.saturating_sub(got.get(c).copied().unwrap_or(0));
        }
        exact += u32::from(got == want);
        total += 1;
    }
    let precision = f64::from(tp) / f64::from(tp + fp);
    let recall = f64::from(tp) / f64::from(tp + fn_);
    let f1 = 2.0 * precision * recall / (precision + recall);
    let exact_rate = f64::from(exact) / f64::from(total);
    assert!(f1 >= 0.97, "micro-F1 {f1:.4} below 0.97");
    assert!(exact_rate >= 0.90, "exact match {exact_rate:.3} below 0.90");
}
