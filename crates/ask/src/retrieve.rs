//! Answers read from the knowledge base's prose: an FAQ entry that is the question asked, or the
//! best BM25 passage when no structured shape fits — and an honest "not in the data" when
//! nothing clears the threshold or the question lies outside spine procedure coding.

use std::collections::HashSet;

use interspace_refdata::Hcpcs;

use crate::cite::Citation;
use crate::draft::{Draft, Rank};
use crate::index::DocRef;
use crate::question::GENERIC_WORDS;
use crate::text::{first_sentences, lower_first, sentence, stem};
use crate::{Answer, AnswerKind, Confidence, Ctx};

/// Least BM25 score, and least share of the question's topic words, for a passage to answer.
const MIN_SCORE: f32 = 6.0;
const MIN_COVERAGE: f32 = 0.6;

/// Words of clinical questions, which the knowledge base does not answer.
const CLINICAL: &[&str] = &[
    "treatment",
    "treat",
    "cure",
    "symptom",
    "symptoms",
    "recovery",
    "recover",
    "prognosis",
    "exercise",
    "exercises",
    "medication",
    "medications",
    "painkiller",
    "should i have",
    "is it safe",
    "risks of",
];

/// Payers whose policies the knowledge base does not hold.
const OTHER_PAYERS: &[&str] = &[
    "aetna",
    "cigna",
    "humana",
    "unitedhealthcare",
    "united healthcare",
    "uhc",
    "anthem",
    "blue cross",
    "bcbs",
    "kaiser",
    "medicaid",
    "tricare",
];

const NOT_ANSWERED: &str = "The knowledge base does not answer this";

/// An FAQ entry as the answer.
pub(crate) fn faq_answer(ctx: &Ctx<'_>, code: Hcpcs, n: usize, kind: AnswerKind) -> Draft {
    let mut d = Draft::new(kind, Confidence::High);
    let Some(e) = ctx.k.code(code) else { return d };
    let Some(f) = e.faqs.get(n) else { return d };
    let mut cites = vec![Citation::faq(code, n, f), Citation::code_page(e)];
    cites.extend(f.sources.iter().filter_map(|s| ctx.k.source(s)).map(Citation::source));
    d.lead(f.answer.trim(), cites);
    d
}

/// An FAQ entry that is the question asked, with the structured answer's figures beside it.
pub(crate) fn with_faq(ctx: &Ctx<'_>, code: Hcpcs, n: usize, structured: Draft) -> Answer {
    let mut d = faq_answer(ctx, code, n, structured.kind);
    for p in structured.parts.into_iter().filter(|p| p.rank == Rank::Fact) {
        d.fact(p.text, p.cites);
    }
    for c in structured.cites {
        d.cite(c);
    }
    d.finish()
}

/// The content words of the question that say what it is about.
pub(crate) fn topic(ctx: &Ctx<'_>) -> Vec<String> {
    let generic: HashSet<String> = GENERIC_WORDS.iter().map(|w| stem(w)).collect();
    ctx.q
        .content
        .iter()
        // Numbers of one or two digits are levels or counts; "360" says something.
        .filter(|t| !(generic.contains(t.as_str()) || (t.len() < 3 && t.bytes().all(|b| b.is_ascii_digit()))))
        .cloned()
        .collect()
}

/// The retrieval fallback.
pub(crate) fn fallback(ctx: &Ctx<'_>) -> Draft {
    let q = ctx.q;
    if let Some(p) = OTHER_PAYERS.iter().find(|p| q.has(p)) {
        return Draft::not_in_data(
            format!(
                "{NOT_ANSWERED}: it holds Medicare's tables and CPT/NCCI guidance only, not {} policies or rates. Check the payer's published policy.",
                title_case(p)
            ),
            Confidence::High,
        );
    }
    let topic = topic(ctx);
    let known = topic.iter().filter(|t| ctx.index.knows(t)).count();
    if topic.is_empty() || (known as f32) < 0.5 * topic.len() as f32 {
        return Draft::not_in_data(
            format!(
                "{NOT_ANSWERED}: its {} code pages, glossary and edit catalogue cover procedure coding of the spine family, its NCCI edits and Medicare physician payment, and nothing in them matches the question.",
                ctx.k.codes().count()
            ),
            Confidence::High,
        );
    }
    if let Some(t) = glossary_named(ctx) {
        return term_answer(ctx, t);
    }
    if q.has_any(CLINICAL) {
        return Draft::not_in_data(
            format!(
                "{NOT_ANSWERED}: it answers coding, billing and payment questions, not clinical ones about treatment or outcomes."
            ),
            Confidence::High,
        );
    }
    // Diagnosis questions: only the LCD's indications and the diagnosis edits speak to them.
    let diagnosis = q.has_any(&["icd", "icd-10", "icd10", "icd-10-cm", "diagnosis", "diagnoses", "dx"])
        && !q.has_any(&["pcs", "icd-10-pcs"]);
    let keep = |r: &DocRef| {
        !diagnosis
            || matches!(r, DocRef::Lcd(_))
            || matches!(r, DocRef::Edit(id) if id.starts_with("DX") || id.starts_with("LCD"))
    };
    // Glossary names in the question bring their term, expansion and first related codes along,
    // at a lower weight (neuromonitoring → IONM, intraoperative neurophysiological monitoring, 95940).
    let mut expanded: Vec<(String, f32)> = topic.iter().map(|t| (t.clone(), 1.0)).collect();
    // (words of the glossary name in the question, words and codes it brings along)
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for t in ctx.k.terms() {
        let names = std::iter::once(&t.term).chain(t.expansion.iter()).chain(t.aliases.iter());
        let said: Vec<String> = names
            .map(|n| crate::text::normalize(n))
            .filter(|p| p.len() >= 3 && !p.bytes().all(|b| b.is_ascii_digit()) && q.has(p))
            .collect();
        if said.is_empty() {
            continue;
        }
        let generic: HashSet<String> = GENERIC_WORDS.iter().map(|w| stem(w)).collect();
        let mut along: Vec<String> = std::iter::once(&t.term)
            .chain(t.expansion.iter())
            .flat_map(|n| crate::text::content_tokens(&crate::text::normalize(n)))
            .filter(|x| !generic.contains(x) && ctx.index.is_rare(x))
            .collect();
        along.extend(t.related_codes.iter().take(2).map(|c| c.as_str().to_ascii_lowercase()));
        expanded.extend(along.iter().map(|x| (x.clone(), 0.4)));
        groups.push((said.iter().flat_map(|p| crate::text::content_tokens(p)).collect(), along));
    }
    let named_term = !groups.is_empty();
    let mut found = ctx.index.search_weighted(&expanded, &keep);
    // An FAQ answers a question better than a definition does.
    for f in &mut found {
        if matches!(f.r, DocRef::Faq(..)) {
            f.score *= 1.6;
        }
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    // A topic word counts as covered when the passage has it, or has what its glossary name
    // brings along ("presacral fusion" is covered by a passage on 22586).
    let covered = |r: &DocRef| {
        let hit = topic
            .iter()
            .filter(|t| {
                ctx.index.doc_has(r, t)
                    || groups
                        .iter()
                        .any(|(said, along)| said.contains(t) && along.iter().any(|a| ctx.index.doc_has(r, a)))
            })
            .count();
        hit as f32 / topic.len().max(1) as f32
    };
    let topic_count = topic.iter().collect::<HashSet<_>>().len();
    let enough = |f: &crate::index::Found| {
        f.score >= MIN_SCORE && covered(&f.r) >= MIN_COVERAGE && (topic_count >= 2 || named_term)
    };
    // A glossary entry answers only when no FAQ, page or edit does.
    let best = found
        .iter()
        .take(8)
        .find(|f| !matches!(f.r, DocRef::Term(_)) && enough(f))
        .or_else(|| found.iter().take(5).find(|f| enough(f)));
    let Some(best) = best else {
        return Draft::not_in_data(
            format!(
                "{NOT_ANSWERED}: no FAQ, code page, glossary term or edit covers it closely enough to answer without guessing."
            ),
            Confidence::Medium,
        );
    };
    let mut d =
        Draft::new(AnswerKind::Retrieved, if best.coverage >= 0.8 { Confidence::Medium } else { Confidence::Low });
    match &best.r {
        DocRef::Faq(code, n) => {
            if let Some(f) = ctx.k.code(*code).and_then(|e| e.faqs.get(*n)) {
                let mut cites = vec![Citation::faq(*code, *n, f)];
                cites.extend(f.sources.iter().filter_map(|s| ctx.k.source(s)).map(Citation::source));
                d.lead(
                    format!("The closest entry is an FAQ of the {code} page, “{}”: {}", f.question, f.answer),
                    cites,
                );
                if let Some(e) = ctx.k.code(*code) {
                    d.cite(Citation::code_page(e));
                }
            }
        }
        DocRef::Page(code) => {
            if let Some(e) = ctx.k.code(*code) {
                d.lead(
                    format!("{code} ({}): {}", e.name, first_sentences(&e.summary, 3)),
                    vec![Citation::code_page(e)],
                );
            }
        }
        DocRef::Term(slug) => {
            if let Some(t) = ctx.k.term(slug) {
                let mut t = term_answer(ctx, t);
                t.confidence = d.confidence;
                return t;
            }
        }
        DocRef::Edit(id) => {
            if let Some(e) = ctx.k.edit(id) {
                d.lead(format!("Edit {} ({}): {}", e.id, e.name, sentence(&e.summary)), vec![Citation::edit(e)]);
                d.extra(format!("Fix: {}", sentence(&e.fix)), Vec::new());
            }
        }
        DocRef::Lcd(n) => {
            let lcd = ctx.k.lumbar_fusion_lcd();
            if let Some(ind) = lcd.indications.get(*n) {
                let sources: Vec<Citation> =
                    lcd.sources.iter().filter_map(|s| ctx.k.source(s)).map(Citation::source).collect();
                d.lead(
                    format!(
                        "LCD {} ({}), indication “{}”: {}",
                        lcd.policy,
                        lcd.title,
                        ind.title,
                        ind.criteria.first().map(|c| c.text.as_str()).unwrap_or("")
                    ),
                    sources,
                );
                d.extra(
                    format!(
                        "Diagnoses that support it include {}.",
                        crate::text::list(&ind.diagnoses.iter().take(8).map(String::as_str).collect::<Vec<_>>())
                    ),
                    Vec::new(),
                );
            }
        }
    }
    if d.is_empty() {
        return Draft::not_in_data(format!("{NOT_ANSWERED}."), Confidence::Medium);
    }
    d
}

/// A glossary entry the question names outright, when it asks what something is: the longest
/// name (term, expansion or alias) found in the question.
fn glossary_named<'k>(ctx: &Ctx<'k>) -> Option<&'k interspace_knowledge::Term> {
    if !ctx.q.wants_definition() {
        return None;
    }
    let mut best: Option<(usize, &interspace_knowledge::Term)> = None;
    for t in ctx.k.terms() {
        let names = std::iter::once(&t.term).chain(t.expansion.iter()).chain(t.aliases.iter());
        for n in names {
            let p = crate::text::normalize(n);
            if p.len() >= 3
                && !p.bytes().all(|b| b.is_ascii_digit())
                && ctx.q.has(&p)
                && best.is_none_or(|(l, _)| p.len() > l)
            {
                best = Some((p.len(), t));
            }
        }
    }
    best.map(|(_, t)| t)
}

/// A glossary entry as the answer: its definition and why it matters.
fn term_answer(_ctx: &Ctx<'_>, t: &interspace_knowledge::Term) -> Draft {
    let mut d = Draft::new(AnswerKind::Retrieved, Confidence::High);
    let name = t.expansion.as_ref().map_or_else(|| t.term.clone(), |x| format!("{} ({x})", t.term));
    d.lead(format!("{name}: {}", lower_first(&first_sentences(&t.definition, 2))), vec![Citation::term(t)]);
    d.extra(first_sentences(&t.why_it_matters, 1), Vec::new());
    d
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
