//! Consistency checks of the knowledge base against itself and against the loaded CMS data.
//! Run at start-up by the binaries and by the test suite.

use std::collections::BTreeSet;

use interspace_refdata::{AocType, Hcpcs, RefData};
use regex::Regex;

use crate::Knowledge;

/// One inconsistency, located by knowledge file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "data/knowledge/{}: {}", self.file, self.message)
    }
}

/// The code ranges the knowledge base must cover for every code the RVU file lists.
pub const REQUIRED_RANGES: &[(u32, u32)] = &[
    (22532, 22865),
    (20930, 20939),
    (63001, 63091),
    (22510, 22515),
    (27279, 27280),
    (61783, 61783),
    (95940, 95941),
    (69990, 69990),
];

/// Phrases of CPT descriptor boilerplate that must never be shipped.
const DESCRIPTOR_PHRASES: &[&str] =
    &["list separately in addition to code for primary procedure", "(list separately in addition"];

impl Knowledge {
    /// Every problem found; empty when the knowledge base is consistent with the data.
    pub fn check(&self, data: &RefData) -> Vec<Problem> {
        let mut p = Vec::new();
        let mut push = |file: String, message: String| p.push(Problem { file, message });

        let known = known_codes(data);
        let is_known = |c: Hcpcs| known.contains(&c) || self.deleted(c).is_some();
        let source_ok = |id: &str| self.sources.contains_key(id);

        for c in self.codes.values() {
            let file = format!("codes/{}.toml", c.code);
            for d in data.years().filter_map(|y| data.year(y)) {
                if d.pfs.get(c.code).is_none() {
                    push(file.clone(), format!("{} is not in the {} RVU file", c.code, d.year));
                }
            }
            if c.sources.is_empty() {
                push(file.clone(), "cites no source".into());
            }
            let cited = c.sources.iter().chain(c.faqs.iter().flat_map(|f| &f.sources));
            for s in cited {
                if !source_ok(s) {
                    push(file.clone(), format!("cites unknown source `{s}` (see sources.toml)"));
                }
            }
            for d in &c.documentation {
                if self.element(d).is_none() {
                    push(
                        file.clone(),
                        format!("lists unknown documentation element `{d}` (see documentation_elements.toml)"),
                    );
                }
            }
            for d in &c.denials {
                if self.edit(&d.edit).is_none() {
                    push(file.clone(), format!("denial reason names unknown edit `{}` (see edits.toml)", d.edit));
                }
            }
            for r in &c.related {
                if !is_known(r.code) {
                    push(file.clone(), format!("related code {} is not in the data", r.code));
                }
            }
            check_add_on(self, data, c, &mut |m| push(file.clone(), m));
        }

        for t in self.terms.values() {
            let file = format!("terms/{}.toml", t.slug);
            for s in &t.sources {
                if !source_ok(s) {
                    push(file.clone(), format!("cites unknown source `{s}`"));
                }
            }
            for r in &t.related_terms {
                if !self.terms.contains_key(r) {
                    push(file.clone(), format!("related term `{r}` has no file terms/{r}.toml"));
                }
            }
            for c in &t.related_codes {
                if !is_known(*c) {
                    push(file.clone(), format!("related code {c} is not in the data"));
                }
            }
        }
        for x in self.explainers.values() {
            let file = format!("explainers/{}.toml", x.id);
            for s in &x.sources {
                if !source_ok(s) {
                    push(file.clone(), format!("cites unknown source `{s}`"));
                }
            }
            if x.codes.is_empty() {
                push(file.clone(), "names no code that bills the procedure".into());
            }
            for c in &x.codes {
                if self.code(*c).is_none() {
                    push(file.clone(), format!("names {c}, which has no code page (codes/{c}.toml)"));
                }
            }
        }
        for e in &self.edits {
            for s in &e.sources {
                if !source_ok(s) {
                    push("edits.toml".into(), format!("edit {} cites unknown source `{s}`", e.id));
                }
            }
        }
        for m in &self.modifiers {
            for s in &m.sources {
                if !source_ok(s) {
                    push("modifiers.toml".into(), format!("modifier {} cites unknown source `{s}`", m.code));
                }
            }
        }
        for d in &self.deleted {
            for s in &d.sources {
                if !source_ok(s) {
                    push("deleted_codes.toml".into(), format!("{} cites unknown source `{s}`", d.code));
                }
            }
            for y in data.years().filter_map(|y| data.year(y)) {
                if y.pfs.get(d.code).is_some_and(|r| r.status.is_payable()) {
                    push(
                        "deleted_codes.toml".into(),
                        format!("{} is listed as deleted but is payable in the {} RVU file", d.code, y.year),
                    );
                }
            }
        }

        // Coverage: every RVU code of the required ranges has a page.
        if let Some(d) = data.year(data.default_year()) {
            for code in d.pfs.codes() {
                let required = REQUIRED_RANGES.iter().any(|&(lo, hi)| code.in_range(lo, hi));
                if required && !self.codes.contains_key(&code) {
                    push(
                        format!("codes/{code}.toml"),
                        format!("is missing: {code} is in the RVU file and in the required ranges"),
                    );
                }
            }
        }

        // Prose checks over every file's text.
        let code_re = Regex::new(r"\b(\d{5}|\d{4}[TF]|[A-Z]\d{4})\b").unwrap_or_else(|e| unreachable!("{e}"));
        let money_re = Regex::new(r"(?i)\$\s*\d|\bUSD\b|\d\s*dollars").unwrap_or_else(|e| unreachable!("{e}"));
        let figure_re = Regex::new(r"(?i)\b\d+(\.\d+)?\s*(total\s+|work\s+)?RVUs?\b|\b(0|10|90|000|010|090)[- ]day global|global (period )?(of|is) \d|\bMUE (of|is|=) ?\d|\bconversion factor (of|is) \d")
            .unwrap_or_else(|e| unreachable!("{e}"));
        for (file, text) in &self.files {
            let file = file.clone();
            if file == "sources.toml" {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                let line_no = n + 1;
                if line.trim_start().starts_with('#') || line.trim_start().starts_with("verified") {
                    continue;
                }
                for m in code_re.find_iter(line) {
                    if let Ok(c) = Hcpcs::parse(m.as_str())
                        && c.kind().is_some()
                        && !is_known(c)
                    {
                        push(file.clone(), format!("line {line_no}: names {c}, which no loaded data file knows"));
                    }
                }
                if money_re.is_match(line) {
                    push(
                        file.clone(),
                        format!("line {line_no}: contains a dollar amount; money comes from the data at render time"),
                    );
                }
                if let Some(m) = figure_re.find(line) {
                    push(
                        file.clone(),
                        format!(
                            "line {line_no}: types a figure (`{}`); figures come from the data at render time",
                            m.as_str()
                        ),
                    );
                }
                let lower = line.to_ascii_lowercase();
                for phrase in DESCRIPTOR_PHRASES {
                    if lower.contains(phrase) {
                        push(
                            file.clone(),
                            format!(
                                "line {line_no}: contains CPT descriptor wording `{phrase}`; write it in your own words"
                            ),
                        );
                    }
                }
            }
        }
        p
    }
}

/// Every code any loaded data file names: RVU, PTP (both columns), MUE and AOC.
fn known_codes(data: &RefData) -> BTreeSet<Hcpcs> {
    let mut known = BTreeSet::new();
    for d in data.years().filter_map(|y| data.year(y)) {
        known.extend(d.pfs.rows().iter().map(|r| r.hcpcs));
        for e in d.ptp.all() {
            known.insert(e.column1);
            known.insert(e.column2);
        }
        known.extend(d.mue.all().map(|m| m.hcpcs));
        for a in d.aoc.add_ons() {
            known.insert(a.add_on);
            known.extend(a.primaries.iter().copied());
        }
    }
    known
}

/// An add-on's `reported_with` list must not contradict a type 1 AOC edit, and only add-ons
/// (ZZZ global or listed in the AOC file) may have one.
fn check_add_on(k: &Knowledge, data: &RefData, c: &crate::CodeEntry, push: &mut dyn FnMut(String)) {
    let _ = k;
    let Some(d) = data.year(data.default_year()) else { return };
    let aoc = d.aoc.get(c.code);
    let is_add_on = aoc.is_some() || d.pfs.get(c.code).is_some_and(|r| r.global.is_add_on());
    if !is_add_on && !c.reported_with.is_empty() {
        push(format!("lists `reported_with` but {} is not an add-on code", c.code));
    }
    if let Some(e) = aoc
        && e.kind == AocType::ListedOnly
    {
        for p in &c.reported_with {
            if !e.primaries.contains(p) {
                push(format!(
                    "says {} is reported with {p}, but the add-on edit file (type 1) does not list {p} as a primary of {}",
                    c.code, c.code
                ));
            }
        }
    }
}
