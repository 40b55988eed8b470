//! Note bytes → `formats::note::read` → `notes::Document::parse` → `notes::findings::build` →
//! `engine::Engine::analyze`, the path every uploaded note takes.
//!
//! Invariants: every span the notes layer hands out (document hits, sentences, section headers,
//! every `Span` inside the findings) and every evidence span of the report lies inside the text on
//! character boundaries; every proposed CPT line names a code of the year's fee schedule.
#![no_main]

use std::sync::{Arc, LazyLock};

use interspace_engine::{Engine, Options};
use interspace_knowledge::Knowledge;
use interspace_notes::{Document, Lexicon, Span, findings};
use interspace_refdata::{Hcpcs, RefData};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let data = RefData::load_embedded().expect("the embedded CMS data loads");
    let knowledge = Knowledge::load_embedded().expect("the embedded knowledge base loads");
    Engine::new(Arc::new(data), Arc::new(knowledge))
});

fn check_span(text: &str, s: Span, what: &str) {
    assert!(s.start <= s.end, "{what}: span {s:?} runs backwards");
    assert!(s.end <= text.len(), "{what}: span {s:?} ends past the text ({} bytes)", text.len());
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what}: span {s:?} is not on character boundaries"
    );
}

/// Every `Span { start: a, end: b }` in a value's `Debug` form: the findings model has spans in
/// many fields (and gains more), so reading them from `Debug` checks them all.
fn debug_spans(debug: &str) -> Vec<Span> {
    const START: &str = "Span { start: ";
    let mut out = Vec::new();
    let mut rest = debug;
    while let Some(i) = rest.find(START) {
        rest = &rest[i + START.len()..];
        let num = |s: &str| -> (usize, usize) {
            let len = s.bytes().take_while(u8::is_ascii_digit).count();
            (s[..len].parse().expect("a span offset"), len)
        };
        let (start, n) = num(rest);
        let after = rest[n..].strip_prefix(", end: ").expect("Span's Debug form is `Span { start, end }`");
        let (end, _) = num(after);
        out.push(Span::new(start, end));
    }
    out
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(note) = interspace_formats::note::read(bytes) else { return };
    let text = note.text.as_str();
    assert!(!text.trim().is_empty(), "note::read returned an empty note");

    let doc = Document::parse(text, Lexicon::embedded());
    assert_eq!(doc.text(), text);
    for (i, _) in doc.sentences.iter().enumerate() {
        check_span(text, doc.sentence_span(i), "sentence");
    }
    for c in &doc.concepts {
        assert!(c.sentence < doc.sentences.len(), "concept hit in sentence {} of {}", c.sentence, doc.sentences.len());
        check_span(text, doc.concept_span(c), "concept hit");
    }
    for l in &doc.levels {
        assert!(l.sentence < doc.sentences.len(), "level hit in sentence {} of {}", l.sentence, doc.sentences.len());
        check_span(text, doc.level_span(l), "level hit");
    }
    for s in &doc.sections {
        if let Some(h) = s.header {
            check_span(text, h, "section header");
        }
    }
    for s in doc.sentences.iter() {
        assert!(s.section < doc.sections.len(), "sentence in section {} of {}", s.section, doc.sections.len());
    }

    let found = findings::build(&doc);
    for s in debug_spans(&format!("{found:?}")) {
        check_span(text, s, "findings evidence");
    }

    let report = ENGINE.analyze(text, &Options::default()).expect("the default year and locality exist");
    let data = ENGINE.data().year(report.year).expect("the report's year is loaded");
    let json = serde_json::to_value(&report).expect("a report serializes");
    check_evidence(text, &json);
    for line in &report.lines {
        let code = Hcpcs::parse(&line.code).unwrap_or_else(|e| panic!("line code {:?}: {e}", line.code));
        assert!(data.pfs.get(code).is_some(), "{} is proposed but not in the {} fee schedule", line.code, report.year);
        assert!(line.units >= 1, "{} is proposed with {} units", line.code, line.units);
    }
});

/// Every `evidence` array of the report JSON: `{start, end, text}` with `text == text[start..end]`.
fn check_evidence(text: &str, v: &serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(items)) = map.get("evidence") {
                for e in items {
                    let start = e["start"].as_u64().expect("evidence.start") as usize;
                    let end = e["end"].as_u64().expect("evidence.end") as usize;
                    check_span(text, Span::new(start, end), "report evidence");
                    assert_eq!(e["text"].as_str(), Some(&text[start..end]), "evidence text differs from its span");
                }
            }
            map.values().for_each(|x| check_evidence(text, x));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| check_evidence(text, x)),
        _ => {}
    }
}
