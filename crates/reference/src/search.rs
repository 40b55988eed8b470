//! Search over code pages and glossary terms: by code number (exact or prefix), by word, by
//! synonym (glossary aliases such as "AxiaLIF" or "transpsoas"), ranked with BM25.
//!
//! The corpus is a few hundred short documents, so a small in-memory inverted index is enough;
//! no search crate is needed (see docs/ARCHITECTURE.md).

use std::collections::HashMap;

use interspace_knowledge::Knowledge;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Code,
    Term,
}

/// One search result.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub kind: HitKind,
    /// The code or the term's slug.
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub score: f32,
}

struct Doc {
    kind: HitKind,
    id: String,
    title: String,
    snippet: String,
    /// Exact keys: the code number, the term, its expansion and aliases (lower case).
    keys: Vec<String>,
    /// Token → weighted frequency.
    terms: HashMap<String, f32>,
    len: f32,
}

pub(crate) struct Index {
    docs: Vec<Doc>,
    df: HashMap<String, usize>,
    avg_len: f32,
}

pub(crate) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase)
}

fn add(terms: &mut HashMap<String, f32>, text: &str, weight: f32) -> f32 {
    let mut n = 0.0;
    for t in tokens(text) {
        *terms.entry(t).or_default() += weight;
        n += 1.0;
    }
    n
}

fn first_sentence(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s,
    }
}

impl Index {
    pub(crate) fn build(k: &Knowledge) -> Index {
        let mut docs = Vec::new();
        for c in k.codes() {
            let mut terms = HashMap::new();
            let mut len = add(&mut terms, c.code.as_str(), 4.0);
            len += add(&mut terms, &c.name, 3.0);
            len += add(&mut terms, &c.summary, 1.0);
            len += add(&mut terms, c.family.label(), 1.0);
            len += add(&mut terms, c.region.label(), 1.0);
            len += add(&mut terms, c.approach.label(), 1.0);
            for i in c.includes.iter().chain(&c.not_included) {
                len += add(&mut terms, i, 0.5);
            }
            docs.push(Doc {
                kind: HitKind::Code,
                id: c.code.to_string(),
                title: c.name.clone(),
                snippet: first_sentence(&c.summary),
                keys: vec![c.code.as_str().to_ascii_lowercase()],
                terms,
                len,
            });
        }
        for t in k.terms() {
            let mut terms = HashMap::new();
            let mut len = add(&mut terms, &t.term, 4.0);
            let mut keys = vec![t.term.to_lowercase(), t.slug.clone()];
            if let Some(e) = &t.expansion {
                len += add(&mut terms, e, 3.0);
                keys.push(e.to_lowercase());
            }
            for a in &t.aliases {
                len += add(&mut terms, a, 3.0);
                keys.push(a.to_lowercase());
            }
            len += add(&mut terms, &t.definition, 1.0);
            len += add(&mut terms, &t.why_it_matters, 0.5);
            for c in &t.related_codes {
                len += add(&mut terms, c.as_str(), 1.0);
            }
            docs.push(Doc {
                kind: HitKind::Term,
                id: t.slug.clone(),
                title: t.expansion.as_ref().map_or_else(|| t.term.clone(), |e| format!("{} ({e})", t.term)),
                snippet: first_sentence(&t.definition),
                keys,
                terms,
                len,
            });
        }
        let mut df: HashMap<String, usize> = HashMap::new();
        for d in &docs {
            for t in d.terms.keys() {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let avg_len = docs.iter().map(|d| d.len).sum::<f32>() / docs.len().max(1) as f32;
        Index { docs, df, avg_len }
    }

    pub(crate) fn search(&self, _k: &Knowledge, query: &str, limit: usize) -> Vec<Hit> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        // A query is a few words: a repeated word counts once, and words past the 32nd are ignored,
        // so that a pasted page cannot keep a search busy for minutes.
        let mut qtokens: Vec<String> = Vec::new();
        for t in tokens(&q) {
            if !qtokens.contains(&t) {
                qtokens.push(t);
                if qtokens.len() == 32 {
                    break;
                }
            }
        }
        let n = self.docs.len() as f32;
        let (k1, b) = (1.2f32, 0.75f32);
        let mut hits: Vec<Hit> = Vec::new();
        for d in &self.docs {
            let mut score = 0.0f32;
            if d.keys.contains(&q) {
                score += 100.0;
            } else if d.kind == HitKind::Code
                && q.len() >= 2
                && q.bytes().all(|c| c.is_ascii_alphanumeric())
                && d.id.to_lowercase().starts_with(&q)
            {
                score += 50.0;
            }
            for t in &qtokens {
                // Whole-token matches, then prefix matches (e.g. "decompress" → "decompression").
                let mut best = 0.0f32;
                for (term, tf) in &d.terms {
                    let m = if term == t {
                        1.0
                    } else if t.len() >= 4 && term.starts_with(t.as_str()) {
                        0.6
                    } else {
                        continue;
                    };
                    let df = *self.df.get(term).unwrap_or(&1) as f32;
                    let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                    let s = idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * d.len / self.avg_len)) * m;
                    best = best.max(s);
                }
                score += best;
            }
            if score > 0.0 {
                hits.push(Hit {
                    kind: d.kind,
                    id: d.id.clone(),
                    title: d.title.clone(),
                    snippet: d.snippet.clone(),
                    score,
                });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        hits
    }
}
