//! Which code a technique takes: the glossary's words for the technique, mapped to a primary code
//! by region in `data/techniques.toml`, and everything around the primary read from the code
//! pages — the add-on for each further unit, the interbody device, instrumentation by the
//! vertebral segments spanned, the graft codes, and what the primary already includes.

use std::collections::BTreeMap;

use interspace_knowledge::{Approach, CodeEntry, CountingUnit, Family, Knowledge};
use interspace_notes::{LevelMention, LevelRef, Region, Vertebra};
use interspace_refdata::Hcpcs;
use serde::Deserialize;

use crate::bundling::{evidence, ptp_rows, ptp_sentence};
use crate::cite::Citation;
use crate::draft::Draft;
use crate::question::Question;
use crate::text::{article, capital, has_phrase, list, list_or, lower_first, normalize, sentence};
use crate::{AnswerKind, Confidence, Ctx};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    words: BTreeMap<String, Vec<String>>,
    technique: Vec<Row>,
}

/// One row of the table: glossary terms (and words) → primary code by region.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Row {
    terms: Vec<String>,
    #[serde(default)]
    when: Vec<String>,
    codes: BTreeMap<String, Hcpcs>,
    /// The region assumed when the question names none.
    #[serde(default)]
    default: Option<String>,
}

const REGIONS: &[&str] = &["cervical", "thoracic", "lumbar", "sacral", "any"];

/// The technique table with the phrases that name each glossary term.
pub(crate) struct Techniques {
    rows: Vec<Row>,
    /// (slug, normalized phrase).
    /// (slug, normalized phrase, the phrase as the glossary writes it).
    phrases: Vec<(String, String, String)>,
}

/// A row that applies to a question, with the levels that belong to it.
#[derive(Clone, Debug)]
pub(crate) struct Applied<'t> {
    row: &'t Row,
    levels: Vec<LevelMention>,
    /// How the question names each of the row's terms.
    names: Vec<String>,
}

/// The rows a question names.
pub(crate) struct Matched<'t> {
    rows: Vec<Applied<'t>>,
}

impl Techniques {
    pub(crate) fn load(k: &Knowledge) -> Result<Techniques, String> {
        let file: File = toml::from_str(include_str!("../data/techniques.toml")).map_err(|e| e.to_string())?;
        let mut slugs: Vec<&str> = Vec::new();
        for r in &file.technique {
            for t in &r.terms {
                if k.term(t).is_none() {
                    return Err(format!("term `{t}` is not in the glossary"));
                }
                if !slugs.contains(&t.as_str()) {
                    slugs.push(t);
                }
            }
            if let Some(d) = &r.default
                && !r.codes.contains_key(d)
            {
                return Err(format!("default region `{d}` has no code in its row"));
            }
            for (region, code) in &r.codes {
                if !REGIONS.contains(&region.as_str()) {
                    return Err(format!("region `{region}` is not one of {}", REGIONS.join(", ")));
                }
                if k.code(*code).is_none() {
                    return Err(format!("code {code} has no code page"));
                }
            }
        }
        for slug in file.words.keys() {
            if !slugs.contains(&slug.as_str()) {
                return Err(format!("[words] names `{slug}`, which no technique uses"));
            }
        }
        let mut phrases = Vec::new();
        for slug in slugs {
            let Some(t) = k.term(slug) else { continue };
            // Each name with how an answer calls it: the glossary's own names as written, the
            // slug and the extra words by the term.
            let names = std::iter::once((t.term.clone(), t.term.clone()))
                .chain(std::iter::once((slug.replace('-', " "), t.term.clone())))
                .chain(t.expansion.clone().map(|e| (e, t.term.clone())))
                .chain(t.aliases.iter().map(|a| (a.clone(), a.clone())))
                .chain(file.words.get(slug).into_iter().flatten().map(|w| (w.clone(), t.term.clone())));
            for (n, shown) in names {
                let p = normalize(&n);
                // Bare numbers and two-letter aliases name modifiers or levels more often.
                if p.len() >= 3
                    && !p.bytes().all(|b| b.is_ascii_digit())
                    && !phrases.iter().any(|(s, x, _)| s == slug && *x == p)
                {
                    phrases.push((slug.to_string(), p, shown));
                }
            }
        }
        Ok(Techniques { rows: file.technique, phrases })
    }

    /// The rows the question names, most specific first, each with its levels.
    pub(crate) fn matched(&self, q: &Question) -> Matched<'_> {
        // Every occurrence of every phrase, then those not inside a longer one of another term.
        let mut occ: Vec<(&str, usize, usize, &str)> = Vec::new();
        for (slug, p, shown) in &self.phrases {
            let mut from = 0;
            while let Some(i) = q.norm[from..].find(p.as_str()) {
                let s = from + i;
                let e = s + p.len();
                if has_phrase(&q.norm[s..e.min(q.norm.len())], p)
                    && (s == 0 || !q.norm.as_bytes()[s - 1].is_ascii_alphanumeric())
                    && (e >= q.norm.len() || !q.norm.as_bytes()[e].is_ascii_alphanumeric())
                {
                    occ.push((slug, s, e, shown));
                }
                from = s + 1;
            }
        }
        let kept: Vec<(&str, usize, usize, &str)> = occ
            .iter()
            .filter(|(slug, s, e, _)| {
                !occ.iter().any(|(o, os, oe, _)| o != slug && os <= s && e <= oe && oe - os > e - s)
            })
            .copied()
            .collect();
        let first = |slug: &str| kept.iter().filter(|(s, _, _, _)| *s == slug).map(|(_, s, _, _)| *s).min();
        // How the question names a term: its longest phrase.
        let said = |slug: &str| {
            kept.iter()
                .filter(|(s, _, _, _)| *s == slug)
                .max_by_key(|(_, s, e, _)| e - s)
                .map(|(_, _, _, n)| n.to_string())
        };
        let applies =
            |r: &Row| r.terms.iter().all(|t| first(t).is_some()) && r.when.iter().all(|w| q.has(&normalize(w)));
        let candidates: Vec<&Row> = self.rows.iter().filter(|r| applies(r)).collect();
        let mut rows: Vec<(&Row, usize)> = Vec::new();
        for r in &candidates {
            let dominated = candidates.iter().any(|o| {
                !std::ptr::eq(*o, *r)
                    && r.terms.iter().all(|t| o.terms.contains(t))
                    && r.when.iter().all(|w| o.when.contains(w))
                    && o.terms.len() + o.when.len() > r.terms.len() + r.when.len()
            });
            if dominated || rows.iter().any(|(x, _)| x.codes == r.codes) {
                continue;
            }
            let pos = r.terms.iter().filter_map(|t| first(t)).min().unwrap_or(0);
            rows.push((r, pos));
        }
        rows.sort_by_key(|(_, p)| *p);
        // Each level belongs to the technique named last before it (or the first technique).
        let mut applied: Vec<Applied<'_>> = rows
            .iter()
            .map(|(r, _)| Applied {
                row: r,
                levels: Vec::new(),
                names: r.terms.iter().map(|t| said(t).unwrap_or_default()).collect(),
            })
            .collect();
        for m in &q.levels {
            let i = rows.iter().rposition(|(_, p)| *p <= m.start).unwrap_or(0);
            if let Some(a) = applied.get_mut(i) {
                a.levels.push(*m);
            }
        }
        if applied.len() > 1 {
            // A technique without levels of its own shares those of the question.
            let all: Vec<LevelMention> = q.levels.clone();
            for a in &mut applied {
                if a.levels.is_empty() {
                    a.levels = all.clone();
                }
            }
        }
        Matched { rows: applied }
    }
}

impl Matched<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The primary code of each technique whose region is known.
    pub(crate) fn primaries(&self, q: &Question) -> Vec<Hcpcs> {
        self.rows.iter().filter_map(|a| resolve(q, a).ok().map(|r| r.code)).collect()
    }
}

fn region_key(v: Vertebra) -> &'static str {
    match v.region() {
        Region::Occiput | Region::Cervical => "cervical",
        Region::Thoracic => "thoracic",
        Region::Lumbar => "lumbar",
        Region::Sacral | Region::Coccyx => "sacral",
    }
}

fn vertebrae(levels: &[LevelMention]) -> Vec<Vertebra> {
    let mut v: Vec<Vertebra> = levels.iter().flat_map(|m| m.level.vertebrae()).collect();
    v.sort();
    v.dedup();
    // "T10 to the pelvis": the construct runs down to the sacrum.
    if levels.iter().any(|m| m.level == LevelRef::Pelvis)
        && let Some(top) = v.first().copied()
        && top < Vertebra::S1
    {
        v = (top.index()..=Vertebra::S1.index()).filter_map(Vertebra::from_index).collect();
    }
    v
}

/// Interspaces named (or counted), and whether the count was assumed.
fn interspace_count(levels: &[LevelMention]) -> (u32, bool) {
    let mut spans: Vec<_> = levels.iter().flat_map(|m| m.level.interspaces()).collect();
    spans.sort();
    spans.dedup();
    if levels.iter().any(|m| m.level == LevelRef::Pelvis) {
        spans.clear();
    }
    let counted =
        levels.iter().filter_map(|m| if let LevelRef::Count(n) = m.level { Some(u32::from(n)) } else { None }).max();
    let mut n = spans.len() as u32;
    if n == 0 {
        let v = vertebrae(levels);
        if let (Some(a), Some(b)) = (v.first(), v.last()) {
            n = u32::from(b.index() - a.index());
        }
    }
    match (n, counted) {
        (0, None) => (1, true),
        (n, Some(c)) => (n.max(c), false),
        (n, None) => (n, false),
    }
}

/// Vertebrae named (or counted), and whether the count was assumed.
fn vertebra_count(levels: &[LevelMention]) -> (u32, bool) {
    let n = vertebrae(levels).len() as u32;
    let counted =
        levels.iter().filter_map(|m| if let LevelRef::Count(n) = m.level { Some(u32::from(n)) } else { None }).max();
    match (n, counted) {
        (0, None) => (1, true),
        (0, Some(c)) => (c, false),
        (n, _) => (n, false),
    }
}

fn region_from_words(q: &Question) -> Option<&'static str> {
    if q.has_any(&["cervical", "neck"]) {
        Some("cervical")
    } else if q.has_any(&["thoracic", "chest"]) {
        Some("thoracic")
    } else if q.has_any(&["lumbar", "lumbosacral", "low back", "lower back"]) {
        Some("lumbar")
    } else if q.has_any(&["sacral", "sacrum"]) {
        Some("sacral")
    } else {
        None
    }
}

/// The primary code of an applied row for the region of its first level.
struct Resolved {
    code: Hcpcs,
    /// The row's default region was assumed: the other regions' codes.
    others: Vec<(String, Hcpcs)>,
}

/// The primary code of an applied row, or the choices when the region is unknown.
fn resolve(q: &Question, a: &Applied<'_>) -> Result<Resolved, Vec<(String, Hcpcs)>> {
    let codes = &a.row.codes;
    let all = || codes.iter().map(|(k, c)| (k.clone(), *c)).collect::<Vec<_>>();
    let named = vertebrae(&a.levels).first().map(|v| region_key(*v)).or_else(|| region_from_words(q));
    match named {
        Some(r) => match codes.get(r).or_else(|| codes.get("any")) {
            Some(c) => Ok(Resolved { code: *c, others: Vec::new() }),
            None => Err(all()),
        },
        None if codes.len() == 1 => Ok(Resolved { code: *codes.values().next().ok_or_else(all)?, others: Vec::new() }),
        None => match (codes.get("any"), a.row.default.as_ref().and_then(|d| codes.get_key_value(d))) {
            (Some(c), _) => Ok(Resolved { code: *c, others: Vec::new() }),
            (None, Some((k, c))) => Ok(Resolved {
                code: *c,
                others: codes.iter().filter(|(r, _)| *r != k).map(|(r, c)| (r.clone(), *c)).collect(),
            }),
            (None, None) => Err(all()),
        },
    }
}

fn is_add_on(ctx: &Ctx<'_>, c: Hcpcs) -> bool {
    ctx.d.aoc.get(c).is_some() || ctx.d.pfs.get(c).is_some_and(|r| r.global.is_add_on())
}

/// Pages that list `primary` among the codes they are reported with, with a filter.
fn companions<'k>(ctx: &Ctx<'k>, primary: Hcpcs, keep: &dyn Fn(&CodeEntry) -> bool) -> Vec<&'k CodeEntry> {
    ctx.k.codes().filter(|e| e.code != primary && e.reported_with.contains(&primary) && keep(e)).collect()
}

/// The add-on that reports each further unit of a primary: same family and unit, listed with
/// the primary; the one of the same approach and the narrowest list of primaries first.
pub(crate) fn addon_for(ctx: &Ctx<'_>, primary: Hcpcs) -> Option<Hcpcs> {
    let p = ctx.k.code(primary)?;
    let mut c = companions(ctx, primary, &|e| e.family == p.family && e.unit == p.unit && is_add_on(ctx, e.code));
    c.sort_by_key(|e| (e.approach != p.approach, e.reported_with.len(), e.code));
    c.first().map(|e| e.code)
}

/// The span of vertebral segments a construct name covers ("3 to 6 vertebral segments",
/// "13 or more", "up to 6").
fn segment_range(name: &str) -> Option<(u32, u32)> {
    let n = normalize(name);
    if !n.contains("vertebral segment") {
        return None;
    }
    let w: Vec<&str> = crate::text::words(&n).collect();
    let num = |i: usize| w.get(i).and_then(|s| s.parse::<u32>().ok());
    for i in 0..w.len() {
        if let Some(a) = num(i) {
            if w.get(i + 1) == Some(&"to")
                && let Some(b) = num(i + 2)
            {
                return Some((a, b));
            }
            if w.get(i + 1) == Some(&"or") && w.get(i + 2) == Some(&"more") {
                return Some((a, u32::MAX));
            }
            if i >= 2 && w[i - 2] == "up" && w[i - 1] == "to" {
                return Some((1, a));
            }
        }
    }
    None
}

fn unit_noun(u: CountingUnit) -> &'static str {
    match u {
        CountingUnit::Interspace => "interspace",
        CountingUnit::InterspaceSide => "interspace on one side",
        CountingUnit::VertebralSegment => "vertebral segment",
        CountingUnit::VertebralBody => "vertebral body",
        CountingUnit::ContiguousDefect => "defect",
        _ => "procedure",
    }
}

/// A name as it reads inside a sentence: acronyms kept, other words lower case.
fn shown(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    if first.len() > 1 && first.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) {
        name.to_string()
    } else {
        lower_first(name)
    }
}

/// The table's name for a row: its glossary terms.
fn row_label(ctx: &Ctx<'_>, row: &Row) -> String {
    let names: Vec<String> = row.terms.iter().filter_map(|t| ctx.k.term(t)).map(|t| shown(&t.term)).collect();
    names.join(" with ")
}

/// A technique as the question names it.
fn unit_nouns(u: CountingUnit) -> &'static str {
    match u {
        CountingUnit::Interspace => "interspaces",
        CountingUnit::InterspaceSide => "interspaces on one side",
        CountingUnit::VertebralSegment => "vertebral segments",
        CountingUnit::VertebralBody => "vertebral bodies",
        CountingUnit::ContiguousDefect => "defects",
        _ => "procedures",
    }
}

fn label(ctx: &Ctx<'_>, a: &Applied<'_>) -> String {
    let names: Vec<String> = a
        .row
        .terms
        .iter()
        .zip(&a.names)
        .map(|(t, said)| {
            if said.is_empty() {
                ctx.k.term(t).map(|x| shown(&x.term)).unwrap_or_else(|| t.clone())
            } else {
                shown(said)
            }
        })
        .collect();
    names.join(" with ")
}

/// The levels a technique covers, as its counting unit counts them: interspaces for a fusion,
/// vertebrae for a laminectomy or augmentation, else as written.
fn level_text(levels: &[LevelMention], unit: CountingUnit) -> String {
    match unit {
        CountingUnit::Interspace | CountingUnit::InterspaceSide => {
            let mut spans: Vec<_> = levels.iter().flat_map(|m| m.level.interspaces()).collect();
            spans.sort();
            spans.dedup();
            if !spans.is_empty() {
                return list(&spans.iter().map(ToString::to_string).collect::<Vec<_>>());
            }
        }
        CountingUnit::VertebralSegment | CountingUnit::VertebralBody => {
            let v = vertebrae(levels);
            if !v.is_empty() {
                return list(&v.iter().map(ToString::to_string).collect::<Vec<_>>());
            }
        }
        _ => {}
    }
    let named: Vec<String> = levels
        .iter()
        .filter(|m| matches!(m.level, LevelRef::Span(..) | LevelRef::Vertebra(_)))
        .map(|m| m.level.to_string())
        .collect();
    let mut uniq: Vec<String> = Vec::new();
    for n in named {
        if !uniq.contains(&n) {
            uniq.push(n);
        }
    }
    list(&uniq)
}

fn rule_cites(codes: &[Hcpcs]) -> Vec<Citation> {
    let mut out = Vec::new();
    for c in codes {
        if let Some(r) = interspace_coding::RULES.iter().find(|r| crate::text::mentions(r.guideline, *c))
            && !out.iter().any(|x: &Citation| x.id == r.id)
        {
            out.push(Citation::rule(r));
        }
    }
    out
}

const POSTERIOR_WORDS: &[&str] = &[
    "pedicle",
    "pedicle screw",
    "pedicle screws",
    "screws and rods",
    "screw and rod",
    "rod",
    "rods",
    "percutaneous screws",
    "lateral mass",
    "posterior instrumentation",
    "posterior fixation",
    "screw-rod",
];
const ANTERIOR_WORDS: &[&str] = &["plate", "plated", "plating", "anterior instrumentation", "anterior fixation"];
const ANY_INSTRUMENT_WORDS: &[&str] = &["instrumentation", "instrumented", "screws", "screw", "fixation", "hardware"];

/// The answer for the techniques a question names; `named` are codes the question offers.
pub(crate) fn answer(ctx: &Ctx<'_>, m: &Matched<'_>, named: &[Hcpcs]) -> Draft {
    let q = ctx.q;
    let mut d = Draft::new(AnswerKind::WhichCode, Confidence::Medium);
    let mut proposed: Vec<Hcpcs> = Vec::new();
    let mut primaries: Vec<Hcpcs> = Vec::new();
    for a in &m.rows {
        let name = label(ctx, a);
        for t in a.row.terms.iter().filter_map(|t| ctx.k.term(t)) {
            d.cite(Citation::term(t));
        }
        let (primary, others) = match resolve(q, a) {
            Ok(x) => (x.code, x.others),
            Err(choices) => {
                let opts: Vec<String> = choices.iter().map(|(r, c)| format!("{c} in the {r} spine")).collect();
                d.lead(
                    format!(
                        "{} {name} is coded by region: {}. Name the levels for the full set of lines.",
                        capital(article(&name)),
                        list_or(&opts)
                    ),
                    Vec::new(),
                );
                for (_, c) in &choices {
                    if let Some(e) = ctx.k.code(*c) {
                        d.cite(Citation::code_page(e));
                    }
                }
                continue;
            }
        };
        let Some(p) = ctx.k.code(primary) else { continue };
        // A decompression beside a fusion that has its own decompression add-on.
        if p.family == Family::Decompression && m.rows.len() > 1 {
            let fused = m.rows.iter().filter_map(|o| resolve(q, o).ok().map(|r| r.code)).find(|c| {
                ctx.k.code(*c).is_some_and(|e| e.family == Family::Arthrodesis)
                    && !companions(ctx, *c, &|e| e.family == Family::Decompression).is_empty()
            });
            if let Some(f) = fused {
                let mut dec = companions(ctx, f, &|e| e.family == Family::Decompression);
                dec.sort_by_key(|e| e.code);
                if let Some(first) = dec.first() {
                    let (n, _) = vertebra_count(&a.levels);
                    let more = addon_for(ctx, first.code);
                    let extra = match (n, more) {
                        (2.., Some(x)) => format!(" and +{x} × {} for the other vertebral segments", n - 1),
                        _ => String::new(),
                    };
                    d.lead(
                        format!(
                            "The {name} at the fused level is not {primary}: with {f} it is +{}{extra} ({}), when the note describes it apart from preparing the interspace.",
                            first.code,
                            lower_first(&first.name)
                        ),
                        vec![Citation::code_page(first)],
                    );
                    proposed.push(first.code);
                    proposed.extend(more.filter(|_| n > 1));
                    continue;
                }
            }
        }
        primaries.push(primary);
        proposed.push(primary);
        let levels = level_text(&a.levels, p.unit);
        let at = if levels.is_empty() { String::new() } else { format!(" at {levels}") };
        let (count, assumed) = match p.unit {
            CountingUnit::Interspace | CountingUnit::InterspaceSide => interspace_count(&a.levels),
            CountingUnit::VertebralSegment | CountingUnit::VertebralBody => vertebra_count(&a.levels),
            _ => (1, false),
        };
        let addon = addon_for(ctx, primary);
        let noun = unit_noun(p.unit);
        let nouns = unit_nouns(p.unit);
        let a_name = format!("{} {name}", article(&name));
        let lead = match (p.unit.single_unit() || matches!(p.unit, CountingUnit::ContiguousDefect), count, addon) {
            (true, _, _) => format!("Code {a_name}{at} as {primary} ({}), once.", lower_first(&p.name)),
            (false, 1, Some(x)) => format!(
                "Code {a_name}{at} as {primary} ({}); each further {noun} would add +{x}.",
                lower_first(&p.name)
            ),
            (false, 1, None) => format!("Code {a_name}{at} as {primary} ({}).", lower_first(&p.name)),
            (false, 2, Some(x)) => {
                format!("Code {a_name}{at} as {primary} for the first {noun} and +{x} for the second.")
            }
            (false, n, Some(x)) => format!(
                "Code {a_name}{at} as {primary} for the first {noun} and +{x} × {} for the other {} {nouns}.",
                n - 1,
                n - 1
            ),
            (false, n, None) => format!("Code {a_name}{at} as {primary} ({n} {nouns} named)."),
        };
        let mut cites = vec![Citation::code_page(p)];
        if let Some(x) = addon.filter(|_| count > 1) {
            proposed.push(x);
            if let Some(e) = ctx.k.code(x) {
                cites.push(Citation::code_page(e));
            }
            if let Some(aoc) = ctx.d.aoc.get(x) {
                cites.push(Citation::aoc(ctx.d, aoc));
            }
        }
        d.lead(lead, cites);
        if !others.is_empty() {
            let alt: Vec<String> = others.iter().map(|(r, c)| format!("{c} in the {r} spine")).collect();
            d.lead(
                format!("That assumes the {} spine; it is {}.", a.row.default.as_deref().unwrap_or(""), list_or(&alt)),
                Vec::new(),
            );
        }
        // A more specific row of the table the question did not name ("with posterolateral fusion").
        let region = a.row.codes.iter().find(|(_, c)| **c == primary).map(|(r, _)| r.as_str());
        let mut variants: Vec<(Hcpcs, Vec<String>)> = Vec::new();
        for o in &ctx.techniques.rows {
            let wider = o.terms.len() > a.row.terms.len()
                && a.row.terms.iter().all(|t| o.terms.contains(t))
                && o.when.is_empty();
            let code = region.and_then(|r| o.codes.get(r)).or_else(|| o.codes.get("any"));
            if wider
                && let Some(c) = code
                && *c != primary
            {
                let extra: Vec<String> = o
                    .terms
                    .iter()
                    .filter(|t| !a.row.terms.contains(t))
                    .filter_map(|t| ctx.k.term(t))
                    .map(|t| shown(&t.term))
                    .collect();
                match variants.iter_mut().find(|(x, _)| x == c) {
                    Some((_, names)) => names.push(list(&extra)),
                    None => variants.push((*c, vec![list(&extra)])),
                }
            }
        }
        for (c, names) in variants {
            d.extra(
                format!("With {} at the same interspace it is {c} instead.", list_or(&names)),
                ctx.k.code(c).map(Citation::code_page).into_iter().collect(),
            );
        }
        // Both sides in one session: what the code's bilateral indicator allows.
        if q.has_any(&["bilateral", "bilaterally", "both sides"])
            && let Some(r) = ctx.d.pfs.get(primary)
        {
            use interspace_refdata::BilateralSurgery;
            let how = match r.bilateral {
                BilateralSurgery::Bilateral150 => "report one line with modifier 50".to_string(),
                BilateralSurgery::EachSide100 => "each side is paid in full".to_string(),
                _ => "modifier 50 does not apply".to_string(),
            };
            d.lead(
                format!(
                    "Done on both sides, {how} (bilateral indicator {}: {}).",
                    r.bilateral,
                    lower_first(r.bilateral.meaning())
                ),
                vec![Citation::rvu(ctx.d, r)],
            );
        }
        if assumed && !p.unit.single_unit() {
            d.extra(format!("No level was named, so one {noun} is assumed."), Vec::new());
        }
        // The interbody device, once per interspace.
        let interspaces = interspace_count(&a.levels).0;
        let structural =
            q.has_any(&["structural allograft", "allograft spacer", "machined allograft", "structural graft"]);
        let mut devices = companions(ctx, primary, &|e| e.family == Family::BiomechanicalDevice);
        devices.sort_by_key(|e| (e.unit != CountingUnit::Interspace || p.unit != CountingUnit::Interspace, e.code));
        if let Some(dev) = devices.first() {
            let units = if dev.unit == CountingUnit::Interspace { interspaces } else { 1 };
            let graft_instead = structural
                .then(|| dev.related.iter().find(|r| ctx.k.code(r.code).is_some_and(|g| g.family == Family::BoneGraft)))
                .flatten();
            match graft_instead {
                Some(r) => {
                    let edit = dev
                        .denials
                        .iter()
                        .find(|x| crate::text::mentions(&x.reason, r.code))
                        .and_then(|x| ctx.k.edit(&x.edit));
                    d.lead(
                        format!(
                            "The structural allograft spacer is not +{} but +{} ({}){}.",
                            dev.code,
                            r.code,
                            lower_first(&r.note),
                            edit.map(|e| format!(", edit {}", e.id)).unwrap_or_default()
                        ),
                        ctx.k
                            .code(r.code)
                            .map(Citation::code_page)
                            .into_iter()
                            .chain(edit.map(Citation::edit))
                            .collect(),
                    );
                    proposed.push(r.code);
                }
                None => {
                    let placed = q.has_any(&["cage", "cages", "spacer", "spacers", "device", "devices", "implant"]);
                    d.lead(
                        format!(
                            "Add +{}{} for the {}cage or spacer{} (one unit {}{}).",
                            dev.code,
                            if units > 1 { format!(" × {units}") } else { String::new() },
                            if dev.unit == CountingUnit::Interspace { "" } else { "corpectomy " },
                            if placed { "" } else { " if one was placed" },
                            dev.unit.label(),
                            if dev.unit == CountingUnit::Interspace { ", however many devices sit in it" } else { "" }
                        ),
                        vec![Citation::code_page(dev)],
                    );
                    proposed.push(dev.code);
                }
            }
        }
        instrumentation(ctx, &mut d, &mut proposed, p, &a.levels, devices.first().copied());
        // Bone graft: a graft named in glossary words, else the codes that pair with the primary.
        let grafts = companions(ctx, primary, &|e| e.family == Family::BoneGraft && e.unit == CountingUnit::Session);
        if !grafts.is_empty() && !proposed.iter().any(|c| grafts.iter().any(|g| g.code == *c)) {
            let named_graft = graft_from_terms(ctx, &grafts);
            match named_graft {
                Some((g, term)) => {
                    d.lead(
                        format!(
                            "Add +{} for the {} ({}), {}.",
                            g.code,
                            lower_first(&term),
                            lower_first(&g.name),
                            g.unit.label()
                        ),
                        vec![Citation::code_page(g)],
                    );
                    proposed.push(g.code);
                }
                None => {
                    let codes: Vec<Hcpcs> = grafts.iter().map(|g| g.code).collect();
                    d.extra(
                        format!(
                            "Add the bone graft codes actually used ({}), each once per operative session.",
                            runs(&codes)
                        ),
                        grafts.iter().take(1).map(|g| Citation::code_page(g)).collect(),
                    );
                }
            }
        } else if grafts.is_empty() && devices.is_empty() && !p.includes.is_empty() && p.unit.single_unit() {
            let inc: Vec<String> = p.includes.iter().map(|i| lower_first(i)).collect();
            d.lead(format!("{primary} already includes {}.", inc.join("; ")), Vec::new());
        }
        let rules = rule_cites(&[primary]);
        for r in rules {
            d.cite(r);
        }
    }
    // Codes the question offered that the technique does not take, in the knowledge base's words.
    for c in named.iter().filter(|c| !proposed.contains(c)) {
        let mut said = false;
        for p in &primaries {
            for e in evidence(ctx, *p, *c).into_iter().filter(|e| e.page == Some(*p)) {
                d.lead(sentence(&e.text), e.edit.map(Citation::edit).into_iter().collect());
                said = true;
            }
        }
        for a in &m.rows {
            for t in a.row.terms.iter().filter_map(|t| ctx.k.term(t)) {
                if let Some(mistake) = t.common_mistakes.iter().find(|x| crate::text::mentions(x, *c)) {
                    d.lead(format!("A common mistake: {}", lower_first(mistake)), vec![Citation::term(t)]);
                    said = true;
                }
            }
        }
        if !said && let Some(e) = ctx.k.code(*c) {
            d.lead(format!("{c} is {}, not this technique.", lower_first(&e.name)), vec![Citation::code_page(e)]);
        }
    }
    if named.len() == 1 && q.codes.len() == 1 && !d.parts.is_empty() {
        let verdict = if proposed.contains(&named[0]) { "Yes." } else { "No." };
        d.parts.insert(
            0,
            crate::draft::Part { text: verdict.to_string(), cites: Vec::new(), rank: crate::draft::Rank::Lead },
        );
    }
    // Primaries of different techniques that NCCI pairs.
    for (i, a) in primaries.iter().enumerate() {
        for b in &primaries[i + 1..] {
            for r in ptp_rows(ctx, *a, *b) {
                d.fact(ptp_sentence(r), vec![Citation::ptp(ctx.d, r)]);
            }
        }
    }
    for r in rule_cites(&proposed) {
        d.cite(r);
    }
    d.extra("This is guidance from the code pages; code from what the operative note documents.", Vec::new());
    d
}

/// "20930, 20931, 20936–20939".
fn runs(codes: &[Hcpcs]) -> String {
    let mut v: Vec<Hcpcs> = codes.to_vec();
    v.sort();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1].number().zip(v[j].number()).is_some_and(|(b, a)| b == a + 1) {
            j += 1;
        }
        out.push(if j > i + 1 {
            format!("{}–{}", v[i], v[j])
        } else if j == i + 1 {
            format!("{}, {}", v[i], v[j])
        } else {
            v[i].to_string()
        });
        i = j + 1;
    }
    out.join(", ")
}

/// A graft named by a glossary term's words whose first related code is one of the graft codes.
fn graft_from_terms<'k>(ctx: &Ctx<'k>, grafts: &[&'k CodeEntry]) -> Option<(&'k CodeEntry, String)> {
    for t in ctx.k.terms() {
        let Some(first) = t.related_codes.first() else { continue };
        let Some(g) = grafts.iter().find(|g| g.code == *first) else { continue };
        let names = std::iter::once(&t.term).chain(t.expansion.iter()).chain(t.aliases.iter());
        for n in names {
            let p = normalize(n);
            if p.len() >= 4 && ctx.q.has(&p) {
                return Some((g, n.clone()));
            }
        }
    }
    // Two words of the question that a graft page's name uses ("iliac crest").
    let words: Vec<&str> = crate::text::words(&ctx.q.norm).collect();
    let mut hits: Vec<(&'k CodeEntry, String)> = Vec::new();
    for w in words.windows(2) {
        if w.iter().any(|x| x.len() < 3 || crate::text::is_stopword(x) || x.bytes().any(|b| b.is_ascii_digit())) {
            continue;
        }
        let pair = format!("{} {}", w[0], w[1]);
        for g in grafts {
            if has_phrase(&normalize(&g.name), &pair) && !hits.iter().any(|(x, _)| x.code == g.code) {
                hits.push((g, pair.clone()));
            }
        }
    }
    match hits.as_slice() {
        [(g, pair)] => Some((g, format!("{pair} graft"))),
        _ => None,
    }
}

/// Instrumentation by the vertebral segments spanned, on the side the question names (or, when
/// it names none, as a hint).
fn instrumentation(
    ctx: &Ctx<'_>,
    d: &mut Draft,
    proposed: &mut Vec<Hcpcs>,
    p: &CodeEntry,
    levels: &[LevelMention],
    device: Option<&CodeEntry>,
) {
    let q = ctx.q;
    // Screws built into a stand-alone cage are part of the device, not instrumentation.
    if q.has_any(&["integrated", "integral", "built-in", "built in", "stand-alone", "standalone", "zero-profile"])
        && let Some(dev) = device
        && let Some(inc) = dev.includes.iter().find(|i| {
            let n = normalize(i);
            n.contains("integral") || n.contains("built into")
        })
    {
        d.lead(
            format!(
                "{} is part of +{}, so no instrumentation code is added for it.",
                crate::text::capital(inc),
                dev.code
            ),
            vec![Citation::code_page(dev)],
        );
        return;
    }
    // Instrumentation the code pages pair with the primary; a side the question names may also
    // use what the NCCI add-on edit file pairs with it (posterior screws with an XLIF).
    let listed = |e: &CodeEntry| {
        e.family == Family::Instrumentation
            && (e.reported_with.contains(&p.code)
                || ctx.d.aoc.get(e.code).is_some_and(|a| a.primaries.contains(&p.code)))
    };
    let all: Vec<&CodeEntry> = ctx.k.codes().filter(|e| listed(e)).collect();
    let paired = |e: &&CodeEntry| e.reported_with.contains(&p.code);
    let posterior_all: Vec<&CodeEntry> = all.iter().copied().filter(|e| e.approach == Approach::Posterior).collect();
    let anterior_all: Vec<&CodeEntry> =
        all.iter().copied().filter(|e| e.approach == Approach::AnteriorOrLateral).collect();
    let posterior: Vec<&CodeEntry> = posterior_all.iter().copied().filter(paired).collect();
    let anterior: Vec<&CodeEntry> = anterior_all.iter().copied().filter(paired).collect();
    if posterior_all.is_empty() && anterior_all.is_empty() {
        return;
    }
    let v = vertebrae(levels);
    let span = match (v.first(), v.last()) {
        (Some(a), Some(b)) => Some((*a, *b, u32::from(b.index() - a.index()) + 1)),
        _ => None,
    };
    let said_post = q.has_any(POSTERIOR_WORDS);
    let said_ant = q.has_any(ANTERIOR_WORDS);
    let said_any = q.has_any(ANY_INSTRUMENT_WORDS);
    let default_posterior = matches!(p.approach, Approach::Posterior | Approach::Posterolateral);
    let mut sides: Vec<(&str, &Vec<&CodeEntry>)> = Vec::new();
    if said_post || (said_any && !said_ant && default_posterior) {
        sides.push(("posterior", &posterior_all));
    }
    if said_ant || (said_any && !said_post && !default_posterior) {
        sides.push(("anterior", &anterior_all));
    }
    let pick = |codes: &[&CodeEntry], n: u32| -> Option<Hcpcs> {
        codes
            .iter()
            .find(|e| segment_range(&e.name).is_some_and(|(a, b)| a <= n && n <= b))
            .or_else(|| {
                (n <= 2)
                    .then(|| {
                        codes.iter().find(|e| segment_range(&e.name).is_none() && e.unit == CountingUnit::Construct)
                    })
                    .flatten()
            })
            .map(|e| e.code)
    };
    if sides.is_empty() {
        // Not asked: say how it would be coded.
        let mut hints = Vec::new();
        for (side, codes) in
            [("a separate anterior plate or rod", &anterior), ("posterior screws and rods", &posterior)]
        {
            if codes.is_empty() {
                continue;
            }
            match span.and_then(|(a, b, n)| pick(codes, n).map(|c| (a, b, n, c))) {
                Some((a, b, n, c)) => hints.push(format!("{side} from {a} to {b} ({n} vertebral segments) add +{c}")),
                None => {
                    let list: Vec<String> = codes
                        .iter()
                        .filter(|e| segment_range(&e.name).is_some() || e.unit == CountingUnit::Construct)
                        .map(|e| format!("+{}", e.code))
                        .collect();
                    hints.push(format!("{side} add {} by the vertebral segments spanned", list_or(&list)))
                }
            }
        }
        if !hints.is_empty() {
            d.extra(format!("If instrumentation was placed: {}.", hints.join("; ")), Vec::new());
        }
        return;
    }
    for (side, codes) in sides {
        if codes.is_empty() {
            d.lead(format!("The {} page lists no {side} instrumentation code to report with it.", p.code), Vec::new());
            continue;
        }
        match span {
            Some((a, b, n)) => match pick(codes, n) {
                Some(c) => {
                    let e = ctx.k.code(c);
                    d.lead(
                        format!(
                            "Add +{c} for the {side} instrumentation from {a} to {b}, {n} vertebral segments ({}).",
                            e.map(|e| lower_first(&e.name)).unwrap_or_default()
                        ),
                        e.map(Citation::code_page).into_iter().collect(),
                    );
                    proposed.push(c);
                }
                None => d.lead(format!("No {side} instrumentation code covers {n} vertebral segments."), Vec::new()),
            },
            None => {
                let list: Vec<String> = codes
                    .iter()
                    .filter(|e| e.unit == CountingUnit::Construct)
                    .map(|e| match segment_range(&e.name) {
                        Some((a, b)) if b == u32::MAX => format!("+{} for {a} or more vertebral segments", e.code),
                        Some((a, b)) => format!("+{} for {a} to {b}", e.code),
                        None => format!("+{} across one interspace", e.code),
                    })
                    .collect();
                d.lead(
                    format!("Add {side} instrumentation by the vertebral segments spanned: {}.", list_or(&list)),
                    Vec::new(),
                );
            }
        }
    }
    // Pelvic fixation, when named.
    let pelvis = levels.iter().any(|m| m.level == LevelRef::Pelvis)
        || q.has_any(&[
            "iliac screw",
            "iliac screws",
            "s2ai",
            "s2-alar-iliac",
            "pelvic fixation",
            "pelvis",
            "to the ilium",
        ]);
    if pelvis && let Some(e) = posterior_all.iter().find(|e| normalize(&e.name).contains("pelvic")) {
        d.lead(
            format!("Add +{} for the fixation into the pelvis ({}).", e.code, lower_first(&e.name)),
            vec![Citation::code_page(e)],
        );
        proposed.push(e.code);
    }
}

/// "A lumbar fusion": the table's fusion codes for the region named, when no technique is.
pub(crate) fn family_overview(ctx: &Ctx<'_>) -> Option<Draft> {
    let q = ctx.q;
    if !q.has_any(&["fusion", "fusions", "arthrodesis", "fuse", "fused"]) || !q.wants_code() {
        return None;
    }
    let v = vertebrae(&q.levels);
    let region = v.first().map(|v| region_key(*v)).or_else(|| region_from_words(q))?;
    let mut by_code: Vec<(Hcpcs, Vec<String>)> = Vec::new();
    for r in &ctx.techniques.rows {
        let Some(code) = r.codes.get(region) else { continue };
        if !r.when.is_empty() || ctx.k.code(*code).is_none_or(|e| e.family != Family::Arthrodesis) {
            continue;
        }
        let name = row_label(ctx, r);
        match by_code.iter_mut().find(|(c, _)| c == code) {
            Some((_, names)) => names.push(name),
            None => by_code.push((*code, vec![name])),
        }
    }
    if by_code.is_empty() {
        return None;
    }
    let mut d = Draft::new(AnswerKind::WhichCode, Confidence::Medium);
    let items: Vec<String> = by_code.iter().map(|(c, n)| format!("{c} for {}", list_or(n))).collect();
    d.lead(
        format!("A {region} fusion is coded by technique, per interspace: {}.", items.join("; ")),
        by_code.iter().filter_map(|(c, _)| ctx.k.code(*c)).map(Citation::code_page).collect(),
    );
    d.lead(
        "Name the technique and the levels for the full set of lines, with add-ons, device, instrumentation and graft.",
        Vec::new(),
    );
    Some(d)
}
