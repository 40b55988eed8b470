//! BM25 over the knowledge base's prose: FAQ entries (question and answer), code-page summaries,
//! glossary terms and the edit catalogue. A few hundred short documents: an in-memory inverted
//! weight map per document is enough (see docs/ARCHITECTURE.md on search).

use std::collections::{HashMap, HashSet};

use interspace_knowledge::Knowledge;
use interspace_refdata::Hcpcs;

use crate::question::Question;
use crate::text::{CodeMentions, content_tokens, normalize};

/// What a document is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DocRef {
    /// The `n`th FAQ (0-based) of a code page.
    Faq(Hcpcs, usize),
    Page(Hcpcs),
    Term(String),
    Edit(String),
    /// The `n`th indication (0-based) of the lumbar fusion LCD.
    Lcd(usize),
}

struct Doc {
    r: DocRef,
    /// Stemmed token → weighted frequency.
    tf: HashMap<String, f32>,
    len: f32,
    /// For FAQs: the question's token set and the codes it names.
    question: HashSet<String>,
    question_codes: Vec<Hcpcs>,
    question_norm: String,
}

/// Whether a stemmed token is a word of asking.
pub(crate) fn is_asking(t: &str) -> bool {
    ASKING.iter().any(|w| crate::text::stem(w) == t)
}

/// A level (`l4`, `t11`, `s1`) or a number: what makes one case differ from another.
fn is_specific(t: &str) -> bool {
    let b = t.as_bytes();
    b.iter().all(u8::is_ascii_digit)
        || (b.len() >= 2 && matches!(b[0], b'c' | b't' | b'l' | b's') && b[1..].iter().all(u8::is_ascii_digit))
}

/// Stemmed words that ask rather than describe the case ("how do I code…", "is it billed…").
const ASKING: &[&str] = &[
    "code", "codes", "coded", "coding", "cpt", "bill", "billed", "report", "reported", "use", "used", "correct",
    "right", "way", "need", "add", "added", "allowed", "together",
];

pub(crate) struct Index {
    docs: Vec<Doc>,
    df: HashMap<String, usize>,
    avg_len: f32,
}

/// A document found for a question.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub r: DocRef,
    pub score: f32,
    /// Share of the question's content tokens the document contains.
    pub coverage: f32,
}

fn add(tf: &mut HashMap<String, f32>, text: &str, weight: f32) -> f32 {
    let toks = content_tokens(&normalize(text));
    for t in &toks {
        *tf.entry(t.clone()).or_default() += weight;
    }
    toks.len() as f32 * weight
}

fn codes_in(text: &str) -> Vec<Hcpcs> {
    crate::text::alnum_runs(&normalize(text)).into_iter().filter_map(|(_, t)| crate::text::code_token(t)).collect()
}

impl Index {
    pub(crate) fn build(k: &Knowledge) -> Index {
        let mut docs = Vec::new();
        let mut push = |r: DocRef, parts: &[(&str, f32)], question: &str| {
            let mut tf = HashMap::new();
            let len = parts.iter().map(|(t, w)| add(&mut tf, t, *w)).sum();
            let qn = normalize(question);
            docs.push(Doc {
                r,
                tf,
                len,
                question: content_tokens(&qn).into_iter().collect(),
                question_codes: codes_in(question),
                question_norm: qn,
            });
        };
        for c in k.codes() {
            for (n, f) in c.faqs.iter().enumerate() {
                push(
                    DocRef::Faq(c.code, n),
                    &[(&f.question, 2.0), (&f.answer, 1.0), (c.code.as_str(), 1.0)],
                    &f.question,
                );
            }
            push(DocRef::Page(c.code), &[(c.code.as_str(), 2.0), (&c.name, 2.0), (&c.summary, 1.0)], "");
        }
        for t in k.terms() {
            let names = std::iter::once(t.term.as_str())
                .chain(t.expansion.as_deref())
                .chain(t.aliases.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            let mistakes = t.common_mistakes.join(" ");
            push(
                DocRef::Term(t.slug.clone()),
                &[(&names, 2.0), (&t.definition, 1.0), (&t.why_it_matters, 0.5), (&mistakes, 0.5)],
                "",
            );
        }
        for e in k.edits() {
            // "DiagnosisRegionMismatch" → "Diagnosis Region Mismatch".
            let mut name = String::new();
            for c in e.name.chars() {
                if c.is_uppercase() && !name.is_empty() {
                    name.push(' ');
                }
                name.push(c);
            }
            push(DocRef::Edit(e.id.clone()), &[(&name, 1.0), (&e.summary, 1.0), (&e.fix, 0.5)], "");
        }
        let lcd = k.lumbar_fusion_lcd();
        for (n, ind) in lcd.indications.iter().enumerate() {
            let criteria = ind.criteria.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
            let head = format!("LCD {} {} lumbar fusion coverage indication {}", lcd.policy, lcd.title, ind.title);
            push(DocRef::Lcd(n), &[(&head, 1.0), (&criteria, 1.0), (&ind.note_concepts.join(" "), 0.5)], "");
        }
        let mut df: HashMap<String, usize> = HashMap::new();
        for d in &docs {
            for t in d.tf.keys() {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let avg_len = docs.iter().map(|d| d.len).sum::<f32>() / docs.len().max(1) as f32;
        Index { docs, df, avg_len }
    }

    /// Whether a stemmed token occurs anywhere in the knowledge base's prose.
    pub(crate) fn knows(&self, token: &str) -> bool {
        self.df.contains_key(token)
    }

    /// Documents for the question's content tokens, best first, among those `keep` accepts.
    pub(crate) fn search(&self, tokens: &[String], keep: &dyn Fn(&DocRef) -> bool) -> Vec<Found> {
        let weighted: Vec<(String, f32)> = tokens.iter().map(|t| (t.clone(), 1.0)).collect();
        self.search_weighted(&weighted, keep)
    }

    /// BM25 with a weight per query token (words the question did not write weigh less).
    pub(crate) fn search_weighted(&self, tokens: &[(String, f32)], keep: &dyn Fn(&DocRef) -> bool) -> Vec<Found> {
        let n = self.docs.len() as f32;
        let (k1, b) = (1.2f32, 0.75f32);
        let uniq: Vec<(&String, f32)> = {
            let mut seen = HashSet::new();
            tokens.iter().filter(|(t, _)| seen.insert(t.as_str())).map(|(t, w)| (t, *w)).collect()
        };
        let mut out: Vec<Found> = Vec::new();
        for d in self.docs.iter().filter(|d| keep(&d.r)) {
            let mut score = 0.0f32;
            let mut hit = 0usize;
            for (t, w) in &uniq {
                let Some(&tf) = d.tf.get(t.as_str()) else { continue };
                hit += 1;
                let df = *self.df.get(t.as_str()).unwrap_or(&1) as f32;
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                score += w * idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * d.len / self.avg_len));
            }
            if score > 0.0 {
                out.push(Found { r: d.r.clone(), score, coverage: hit as f32 / uniq.len().max(1) as f32 });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }

    /// Whether a token is in at most a tenth of the documents.
    pub(crate) fn is_rare(&self, token: &str) -> bool {
        self.df.get(token).is_some_and(|&n| n * 10 <= self.docs.len())
    }

    /// Share of the tokens an FAQ's question contains.
    pub(crate) fn question_share(&self, r: &DocRef, tokens: &[String]) -> f32 {
        let Some(d) = self.docs.iter().find(|d| d.r == *r) else { return 0.0 };
        tokens.iter().filter(|t| d.question.contains(*t)).count() as f32 / tokens.len().max(1) as f32
    }

    /// Whether a document contains a stemmed token.
    pub(crate) fn doc_has(&self, r: &DocRef, token: &str) -> bool {
        self.docs.iter().find(|d| d.r == *r).is_some_and(|d| d.tf.contains_key(token))
    }

    /// The FAQ whose question is the one asked, or a close rewording of it: the same codes and
    /// nearly the same content words.
    pub(crate) fn strong_faq(&self, q: &Question) -> Option<(Hcpcs, usize)> {
        let asked: HashSet<String> = q.content.iter().cloned().collect();
        if asked.is_empty() {
            return None;
        }
        let codes = q.code_list();
        let mut best: Option<(f32, Hcpcs, usize)> = None;
        for d in &self.docs {
            let DocRef::Faq(code, n) = d.r else { continue };
            if d.question_norm == q.norm {
                return Some((code, n));
            }
            let same_codes = codes.iter().all(|c| d.question_codes.contains(c))
                && d.question_codes.iter().all(|c| codes.contains(c));
            if !same_codes {
                continue;
            }
            // Every level or number of the FAQ's case must be in the question too.
            if d.question.iter().any(|t| is_specific(t) && !asked.contains(t)) {
                continue;
            }
            // Every word the question adds must be a word of asking, not of the case.
            if asked.iter().any(|t| !d.question.contains(t) && !is_asking(t)) {
                continue;
            }
            let inter = asked.intersection(&d.question).count() as f32;
            let union = asked.union(&d.question).count() as f32;
            let jaccard = inter / union.max(1.0);
            if jaccard >= 0.6 && best.is_none_or(|(s, _, _)| jaccard > s) {
                best = Some((jaccard, code, n));
            }
        }
        best.map(|(_, c, n)| (c, n))
    }

    /// FAQs of the given pages that mention every one of `codes` (in question or answer), best
    /// first for the question's words.
    pub(crate) fn faqs_naming(&self, k: &Knowledge, pages: &[Hcpcs], codes: &[Hcpcs], q: &Question) -> Vec<Found> {
        let keep = |r: &DocRef| match r {
            DocRef::Faq(c, n) if pages.contains(c) => k.code(*c).and_then(|e| e.faqs.get(*n)).is_some_and(|f| {
                let m = CodeMentions::of(&format!("{} {}", f.question, f.answer));
                codes.iter().all(|x| *x == *c || m.contains(*x))
            }),
            _ => false,
        };
        let mut found = self.search(&q.content, &keep);
        if found.is_empty() {
            // Every FAQ that names the codes, in page order, when no word of the question matches.
            for d in &self.docs {
                if keep(&d.r) {
                    found.push(Found { r: d.r.clone(), score: 0.0, coverage: 0.0 });
                }
            }
        }
        found
    }
}
