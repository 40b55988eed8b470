//! The assistant's answers: every FAQ question of the knowledge base, and the hand-written cases of
//! `tests/questions.toml`. Figures the answers must contain are computed here from the loaded
//! data with `interspace_pricing` and the tables, never typed. The tests print nothing; a failure
//! lists each question with the answer it got.

use std::sync::{Arc, OnceLock};

use interspace_ask::{Answer, AnswerKind, Assistant, CitationKind, faq_id};
use interspace_knowledge::Knowledge;
use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, Dataset, Hcpcs, LocalityId, RefData};
use interspace_reference::Reference;
use rust_decimal::Decimal;
use serde::Deserialize;

struct World {
    reference: Reference,
    assistant: Assistant,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let reference = Reference::new(
            Arc::new(RefData::load_embedded().expect("embedded data loads")),
            Arc::new(Knowledge::load_embedded().expect("embedded knowledge loads")),
        );
        let assistant = Assistant::new(&reference).expect("assistant builds");
        World { reference, assistant }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    question: String,
    kind: AnswerKind,
    #[serde(default)]
    must_contain: Vec<String>,
    #[serde(default)]
    must_not_contain: Vec<String>,
    #[serde(default)]
    must_cite: Vec<String>,
    #[serde(default)]
    figures: Vec<Figure>,
}

/// A figure the answer must contain, computed from the data by the test.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Figure {
    price: Option<Vec<String>>,
    setting: Option<String>,
    locality: Option<String>,
    year: Option<i16>,
    rvu: Option<String>,
    field: Option<String>,
    mue: Option<String>,
    global: Option<String>,
    ptp: Option<[String; 2]>,
    gpci: Option<String>,
    cf: Option<i16>,
}

/// Dollars as a reader writes them: `$2,763.68`.
fn dollars(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{frac}")
}

fn code(s: &str) -> Hcpcs {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn dataset(year: Option<i16>) -> &'static Dataset {
    let data = &world().reference.data;
    data.year(year.unwrap_or_else(|| data.default_year())).expect("year is loaded")
}

/// The strings a figure must appear as in the answer.
fn expected(f: &Figure) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(codes) = &f.price {
        let d = dataset(f.year);
        let setting = match f.setting.as_deref() {
            Some("nonfacility") => Setting::NonFacility,
            _ => Setting::Facility,
        };
        let locality: Option<LocalityId> = f.locality.as_ref().map(|l| l.parse().expect("locality id"));
        let req = PriceRequest {
            lines: codes.iter().map(|c| ServiceLine::new(code(c))).collect(),
            locality,
            setting,
            apm: ApmStatus::NonQualifying,
        };
        let priced = interspace_pricing::price(d, &req).expect("prices");
        out.push(dollars(priced.total));
        if codes.len() > 1 {
            out.extend(priced.lines.iter().map(|l| dollars(l.allowed)));
        }
    }
    if let Some(c) = &f.rvu {
        let row = dataset(f.year).pfs.get(code(c)).expect("rvu row");
        out.push(match f.field.as_deref() {
            Some("total_facility") => row.total_facility.to_string(),
            _ => row.work.to_string(),
        });
    }
    if let Some(c) = &f.mue {
        let m = dataset(None).mue.get(code(c)).expect("mue row");
        out.push(format!("{} unit", m.units));
        out.push(format!("adjudication indicator {}", m.adjudication.code()));
    }
    if let Some(c) = &f.global {
        out.push(dataset(None).pfs.get(code(c)).expect("rvu row").global.to_string());
    }
    if let Some([a, b]) = &f.ptp {
        let e = dataset(None).ptp.active(code(a), code(b)).expect("active PTP edit");
        out.push(format!("modifier indicator {}", e.modifier.code()));
    }
    if let Some(id) = &f.gpci {
        let l = dataset(f.year).gpci.get(&id.parse().expect("locality id")).expect("locality");
        out.extend([l.work.to_string(), l.pe.to_string(), l.mp.to_string()]);
    }
    if let Some(y) = f.cf {
        out.extend(dataset(Some(y)).conversion_factors.all().iter().map(|c| c.value.to_string()));
    }
    out
}

fn kind_name(k: CitationKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn cites(a: &Answer, want: &str) -> bool {
    match want.split_once(':') {
        Some((kind, id)) => a.citations.iter().any(|c| kind_name(c.kind) == kind && c.id == id),
        None => a.citations.iter().any(|c| c.id == want),
    }
}

/// Sentences as the assistant counts them.
fn sentences(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| {
            matches!(b[i], b'.' | b'?' | b'!')
                && (i + 1 == b.len() || b[i + 1] == b' ')
                && !text[..=i].ends_with("e.g.")
                && !text[..=i].ends_with("i.e.")
        })
        .count()
        .max(1)
}

/// What is wrong with an answer whatever the question.
fn shape_problems(a: &Answer) -> Vec<String> {
    let mut p = Vec::new();
    if a.text.trim().is_empty() {
        p.push("empty answer".to_string());
    }
    let n = sentences(&a.text);
    if !(1..=8).contains(&n) {
        p.push(format!("{n} sentences (1 to 8 allowed)"));
    }
    if a.text.contains("**") || a.text.contains("\n") {
        p.push("text is not plain".to_string());
    }
    p
}

fn report(a: &Answer) -> String {
    let c: Vec<String> = a.citations.iter().map(|c| format!("{}:{}", kind_name(c.kind), c.id)).collect();
    format!("[{:?}, {:?}] {}\n    cites: {}", a.kind, a.confidence, a.text, c.join(", "))
}

#[test]
fn every_faq_question_is_answered_with_its_faq() {
    let w = world();
    let mut failures = Vec::new();
    let mut total = 0;
    for entry in w.reference.knowledge.codes() {
        for (n, f) in entry.faqs.iter().enumerate() {
            total += 1;
            let a = w.assistant.ask(&f.question);
            let id = faq_id(entry.code, n);
            let mut problems = shape_problems(&a);
            if !a.cites(CitationKind::Faq, &id) {
                problems.push(format!("does not cite faq {id}"));
            }
            if a.kind == AnswerKind::NotInData {
                problems.push("answered as not in the data".to_string());
            }
            if !a.text.contains(f.answer.trim()) {
                problems.push("does not give the FAQ's answer".to_string());
            }
            if !problems.is_empty() {
                failures.push(format!("{}\n  {}\n  problems: {}", f.question, report(&a), problems.join("; ")));
            }
        }
    }
    assert!(total >= 200, "only {total} FAQ entries");
    assert!(
        failures.is_empty(),
        "{} of {total} FAQ questions failed (pass rate {:.1}%):\n{}",
        failures.len(),
        100.0 * (total - failures.len()) as f64 / total as f64,
        failures.join("\n")
    );
}

#[test]
fn listed_questions_are_answered_as_expected() {
    let w = world();
    let cases: Cases = toml::from_str(include_str!("questions.toml")).expect("questions.toml parses");
    let not_in_data = cases.case.iter().filter(|c| c.kind == AnswerKind::NotInData).count();
    assert!(cases.case.len() >= 40, "only {} hand-written cases", cases.case.len());
    assert!(not_in_data >= 8, "only {not_in_data} not-in-the-data cases");
    for kind in [
        AnswerKind::Compare,
        AnswerKind::Bundling,
        AnswerKind::Price,
        AnswerKind::WhichCode,
        AnswerKind::Modifier,
        AnswerKind::CodeFacts,
        AnswerKind::Retrieved,
        AnswerKind::NotInData,
    ] {
        assert!(cases.case.iter().any(|c| c.kind == kind), "no case of kind {kind:?}");
    }
    let mut failures = Vec::new();
    for c in &cases.case {
        let a = w.assistant.ask(&c.question);
        let text = a.text.to_lowercase();
        let mut problems = shape_problems(&a);
        if a.kind != c.kind {
            problems.push(format!("kind {:?}, expected {:?}", a.kind, c.kind));
        }
        for s in &c.must_contain {
            if !text.contains(&s.to_lowercase()) {
                problems.push(format!("missing `{s}`"));
            }
        }
        for s in &c.must_not_contain {
            if text.contains(&s.to_lowercase()) {
                problems.push(format!("contains `{s}`"));
            }
        }
        for id in &c.must_cite {
            if !cites(&a, id) {
                problems.push(format!("does not cite {id}"));
            }
        }
        for f in &c.figures {
            for s in expected(f) {
                if !a.text.contains(&s) {
                    problems.push(format!("missing the computed figure `{s}`"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}\n  {}\n  problems: {}", c.question, report(&a), problems.join("; ")));
        }
    }
    let total = cases.case.len();
    assert!(
        failures.is_empty(),
        "{} of {total} listed questions failed (pass rate {:.1}%):\n{}",
        failures.len(),
        100.0 * (total - failures.len()) as f64 / total as f64,
        failures.join("\n")
    );
}

#[test]
fn the_22633_price_is_the_pricer_figure() {
    // The brief's own example: the national facility amount of 22633, computed by the pricer.
    let d = dataset(None);
    let req = PriceRequest {
        lines: vec![ServiceLine::new(code("22633"))],
        locality: None,
        setting: Setting::Facility,
        apm: ApmStatus::NonQualifying,
    };
    let amount = interspace_pricing::price(d, &req).expect("prices").total;
    let a = world().assistant.ask("What is the Medicare rate for 22633?");
    assert_eq!(a.kind, AnswerKind::Price);
    assert!(a.text.contains(&dollars(amount)), "{}", report(&a));
}

#[test]
fn the_assistant_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Assistant>();
    shared::<Answer>();
}

#[test]
fn answers_serialize_for_the_api() {
    let a = world().assistant.ask("Can I bill 22840 with 22586?");
    let v = serde_json::to_value(&a).expect("serializes");
    assert_eq!(v["kind"], "bundling");
    assert_eq!(v["confidence"], "high");
    assert!(v["text"].as_str().is_some_and(|t| !t.is_empty()));
    let c = &v["citations"][0];
    assert!(c["kind"].is_string() && c["id"].is_string() && c["detail"].is_string(), "{v}");
    let back: Answer = serde_json::from_value(v).expect("deserializes");
    assert_eq!(back, a);
}

#[test]
fn unanswerable_input_is_not_in_the_data() {
    let w = world();
    let long = "Can I bill 22840 with 22586? ".repeat(100);
    for q in ["", "   ", "?", "asdf qwerty zxcv", long.as_str()] {
        let a = w.assistant.ask(q);
        assert_eq!(a.kind, AnswerKind::NotInData, "{q:?}: {}", report(&a));
        assert!(shape_problems(&a).is_empty(), "{q:?}: {}", report(&a));
    }
}
