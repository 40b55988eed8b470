//! Micro-benchmarks of the table lookups the scrubber and pricer make per claim line: PTP pairs,
//! MUE, add-on edits, RVU rows and ICD-10-CM codes.
//!
//! `cargo bench -p interspace-refdata`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use interspace_refdata::{Hcpcs, RefData};

fn lookups(c: &mut Criterion) {
    let data = RefData::load_embedded().unwrap();
    let d = data.year(2025).unwrap();
    let codes: Vec<Hcpcs> = ["22633", "22853", "22842", "63047", "20936", "22558", "22840", "61783"]
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    let date = jiff::civil::date(2025, 3, 14);
    let mut g = c.benchmark_group("lookup");
    g.bench_function("ptp_pairs_of_8_lines", |b| {
        b.iter(|| {
            let mut n = 0;
            for a in &codes {
                for x in &codes {
                    n += usize::from(d.ptp.edit_on(black_box(*a), black_box(*x), date).is_some());
                }
            }
            n
        })
    });
    g.bench_function("mue_aoc_rvu_of_8_lines", |b| {
        b.iter(|| {
            codes
                .iter()
                .filter(|c| d.mue.get(**c).is_some() && d.pfs.get(**c).is_some() || d.aoc.get(**c).is_some())
                .count()
        })
    });
    g.bench_function("icd10cm_get", |b| b.iter(|| d.icd10cm.get(black_box("M48.062")).is_some()));
    g.finish();
}

criterion_group!(benches, lookups);
criterion_main!(benches);
