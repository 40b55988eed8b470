//! Micro-benchmarks of the text layer on the corpus notes: the level grammar, the vocabulary
//! automaton (concepts, ConText triggers and sentence phrases in one pass), a whole document parse and the findings built from it.
//!
//! `cargo bench -p interspace-notes` (figures in docs/PERFORMANCE.md).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interspace_notes::{Document, Lexicon, scan_levels};

/// The notes of at least `min_bytes` bytes in the corpus folders, and their lower-cased bytes.
fn corpus(folders: &[&str], min_bytes: usize) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut notes = Vec::new();
    for folder in folders {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus").join(folder);
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        notes.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()).filter(|n| n.len() >= min_bytes));
    }
    let lower = notes.iter().map(|n| n.to_ascii_lowercase().into_bytes()).collect();
    (notes, lower)
}

/// `corpus`: the 88 notes of `corpus/notes`. `five_kb`: the 23 notes of 4.0–6.8 KB of all three
/// folders, the set the notes/s target is measured on (PERFORMANCE.md).
fn text_layer(c: &mut Criterion) {
    let sets = [("corpus", corpus(&["notes"], 0)), ("five_kb", corpus(&["notes", "holdout", "holdout2"], 4000))];
    for (name, (notes, lower)) in &sets {
        text_layer_on(c, name, notes, lower);
    }
}

fn text_layer_on(c: &mut Criterion, name: &str, notes: &[String], lower: &[Vec<u8>]) {
    let bytes: usize = notes.iter().map(String::len).sum();
    let lexicon = Lexicon::embedded();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("level_grammar", |b| {
        b.iter(|| lower.iter().map(|t| scan_levels(black_box(t), None).len()).sum::<usize>())
    });
    g.bench_function("vocabulary_scan", |b| {
        b.iter(|| lower.iter().map(|t| lexicon.scan(black_box(t)).concepts.len()).sum::<usize>())
    });
    g.bench_function("document_parse", |b| {
        b.iter(|| notes.iter().map(|t| Document::parse(black_box(t), lexicon).concepts.len()).sum::<usize>())
    });
    g.bench_function("findings", |b| {
        let docs: Vec<Document<'_>> = notes.iter().map(|t| Document::parse(t, lexicon)).collect();
        b.iter(|| docs.iter().map(|d| interspace_notes::findings::build(black_box(d)).fusions.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, text_layer);
criterion_main!(benches);
