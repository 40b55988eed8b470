//! Facts of one code: global period, MUE, RVUs, whether it is still valid and what replaced it,
//! its add-on primaries, or, asked nothing in particular, what the code is.

use interspace_refdata::{Hcpcs, TableKind};

use crate::cite::{Citation, version};
use crate::compare::describe;
use crate::draft::Draft;
use crate::text::{list, lower_first, sentence};
use crate::{AnswerKind, Confidence, Ctx};

/// What a facts question asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attribute {
    Global,
    Mue,
    Rvu,
    Validity,
    AddOn,
    Documentation,
    General,
}

/// Asks what the note must say.
pub(crate) fn asks_documentation(q: &crate::question::Question) -> bool {
    q.has_any(&["documentation", "document", "documented", "note must", "op note", "operative note", "dictate"])
}

fn attributes(ctx: &Ctx<'_>) -> Vec<Attribute> {
    let q = ctx.q;
    let mut out = Vec::new();
    if q.has_any(&["global", "global period", "postoperative", "post-op", "postop", "global days"]) {
        out.push(Attribute::Global);
    }
    if q.has_any(&["mue", "mues", "medically unlikely", "units", "unit limit", "how many times", "max units"]) {
        out.push(Attribute::Mue);
    }
    if q.has_any(&["rvu", "rvus", "relative value", "relative values", "wrvu", "wrvus", "work value", "work rvu"]) {
        out.push(Attribute::Rvu);
    }
    if q.has_any(&[
        "valid",
        "still",
        "deleted",
        "replaced",
        "replace",
        "replaces",
        "retired",
        "exist",
        "exists",
        "active",
        "current",
        "discontinued",
        "covered",
        "cover",
    ]) {
        out.push(Attribute::Validity);
    }
    if q.has_any(&["add-on", "addon", "add on", "primary", "primaries", "paired with", "goes with", "go with"]) {
        out.push(Attribute::AddOn);
    }
    if asks_documentation(q) {
        out.push(Attribute::Documentation);
    }
    if out.is_empty() {
        out.push(Attribute::General);
    }
    out
}

/// Codes neither the knowledge base nor the fee schedule knows.
pub(crate) fn unknown_codes(ctx: &Ctx<'_>, codes: &[Hcpcs]) -> Draft {
    let names: Vec<String> = codes.iter().map(Hcpcs::to_string).collect();
    let mut d = Draft::not_in_data(
        format!(
            "{} {} not in the loaded data: the knowledge base covers the spine code family and the {} fee schedule extract holds only spine-family codes, so there is nothing to answer from.",
            list(&names),
            if codes.len() == 1 { "is" } else { "are" },
            ctx.d.year
        ),
        Confidence::High,
    );
    let near = ctx.r.nearest_codes(codes[0].as_str());
    if let Some(first) = near.first()
        && first.bytes().zip(codes[0].as_str().bytes()).take_while(|(a, b)| a == b).count() >= 3
    {
        d.extra(format!("Spine codes that look alike: {}.", list(&near)), Vec::new());
    }
    d
}

pub(crate) fn answer(ctx: &Ctx<'_>, code: Hcpcs) -> Draft {
    let attrs = attributes(ctx);
    let mut d = Draft::new(AnswerKind::CodeFacts, Confidence::High);
    let page = ctx.k.code(code);
    if let Some(e) = page {
        d.cite(Citation::code_page(e));
    }
    // A deleted code answers every question the same way.
    if let Some(del) = ctx.k.deleted(code) {
        let by: Vec<String> = del.replaced_by.iter().map(|c| format!("{c}")).collect();
        let status = if ctx.d.pfs.get(code).is_some() { "" } else { " and is not in the fee schedule" };
        let asks_validity =
            ctx.q.has_any(&["valid", "still", "active", "current", "exist", "exists", "use", "bill", "report"]);
        d.lead(
            format!(
                "{}{code} is no longer valid{}{status}; use {} instead.",
                if asks_validity { "No: " } else { "" },
                del.deleted_in.map(|y| format!(" (deleted in {y})")).unwrap_or_default(),
                crate::text::list_or(&by)
            ),
            Vec::new(),
        );
        d.lead(sentence(&del.note), del.sources.iter().filter_map(|s| ctx.k.source(s)).map(Citation::source).collect());
        if let Some(e) = ctx.k.edit("SPN007") {
            d.extra(format!("The scrubber flags it as {} ({}).", e.id, e.name), vec![Citation::edit(e)]);
        }
        for c in &del.replaced_by {
            if let Some(e) = ctx.k.code(*c) {
                d.extra(format!("{c}: {}.", lower_first(&e.name)), vec![Citation::code_page(e)]);
            }
        }
        return d;
    }
    let dataset = match ctx.figures() {
        Ok(x) => x,
        Err(nd) => return nd,
    };
    let row = dataset.pfs.get(code);
    for a in &attrs {
        match a {
            Attribute::Global => match row {
                Some(r) => d.lead(
                    format!("{code} has a {} global period: {}.", r.global, lower_first(r.global.meaning())),
                    vec![Citation::rvu(dataset, r)],
                ),
                None => d.lead(format!("{code} is not in the {} fee schedule, so it has no global period there.", dataset.year), Vec::new()),
            },
            Attribute::Mue => match dataset.mue.get(code) {
                Some(m) => d.lead(
                    format!(
                        "The MUE for {code} is {} unit{} per patient per date of service, adjudication indicator {} ({}; rationale: {}).",
                        m.units,
                        if m.units == 1 { "" } else { "s" },
                        m.adjudication.code(),
                        m.adjudication.meaning(),
                        m.rationale
                    ),
                    vec![Citation::mue(dataset, m)],
                ),
                None => d.lead(
                    format!("The loaded MUE table ({}) has no row for {code}.", version(dataset, TableKind::NcciMue)),
                    Vec::new(),
                ),
            },
            Attribute::Rvu => match row {
                Some(r) => d.lead(
                    format!(
                        "In the {} fee schedule ({}), {code} has {} work RVUs, {} facility and {} non-facility practice-expense RVUs and {} malpractice RVUs: {} total facility and {} total non-facility RVUs.",
                        dataset.year,
                        dataset.pfs.release,
                        r.work,
                        r.pe_facility,
                        r.pe_nonfacility,
                        r.mp,
                        r.total_facility,
                        r.total_nonfacility
                    ),
                    vec![Citation::rvu(dataset, r)],
                ),
                None => d.lead(format!("{code} has no row in the {} fee schedule.", dataset.year), Vec::new()),
            },
            Attribute::Validity => match row {
                Some(r) => d.lead(
                    format!(
                        "Yes: {code} is in the {} fee schedule ({}) with status {}: {}.",
                        dataset.year,
                        dataset.pfs.release,
                        r.status,
                        lower_first(r.status.meaning())
                    ),
                    vec![Citation::rvu(dataset, r)],
                ),
                None => d.lead(format!("{code} is not in the {} fee schedule.", dataset.year), Vec::new()),
            },
            Attribute::AddOn => match ctx.d.aoc.get(code) {
                Some(x) => {
                    let p: Vec<String> = x.primaries.iter().map(Hcpcs::to_string).collect();
                    d.lead(
                        format!(
                            "{code} is an add-on code; the NCCI add-on edit file (type {}) lists its primaries as {}.",
                            x.kind.code(),
                            if p.is_empty() { "set by the contractor".to_string() } else { list(&p) }
                        ),
                        vec![Citation::aoc(ctx.d, x)],
                    );
                }
                None => {
                    let ao = row.is_some_and(|r| r.global.is_add_on());
                    d.lead(
                        if ao {
                            format!("{code} is an add-on code (global ZZZ), but the add-on edit file lists no primaries for it.")
                        } else {
                            format!("{code} is not an add-on code: it is reported on its own as a primary procedure.")
                        },
                        row.map(|r| Citation::rvu(dataset, r)).into_iter().collect(),
                    );
                }
            },
            Attribute::Documentation => match page {
                Some(e) if !e.documentation.is_empty() => {
                    let items: Vec<String> = e
                        .documentation
                        .iter()
                        .filter_map(|id| ctx.k.element(id))
                        .map(|x| lower_first(&x.label))
                        .collect();
                    d.lead(format!("For {code} the operative note should document {}.", list(&items)), Vec::new());
                    if let Some(x) = e.documentation.iter().filter_map(|id| ctx.k.element(id)).next() {
                        d.extra(format!("Why {}: {}", lower_first(&x.label), sentence(&x.why)), Vec::new());
                    }
                }
                _ => d.lead(format!("The knowledge base lists no documentation elements for {code}."), Vec::new()),
            },
            Attribute::General => {
                d.lead(sentence(&describe(ctx, code)), Vec::new());
                if let Some(e) = page {
                    // An FAQ of the page that is about what the question asks.
                    let own = code.as_str().to_ascii_lowercase();
                    let topic: Vec<String> = ctx
                        .q
                        .content
                        .iter()
                        .filter(|t| **t != own && !crate::index::is_asking(t))
                        .cloned()
                        .collect();
                    let faq = (!topic.is_empty())
                        .then(|| {
                            ctx.index
                                .search(&topic, &|r| matches!(r, crate::index::DocRef::Faq(c, _) if *c == code))
                                .into_iter()
                                .find(|f| ctx.index.question_share(&f.r, &topic) >= 0.6)
                        })
                        .flatten();
                    match faq.map(|f| f.r) {
                        Some(crate::index::DocRef::Faq(c, n)) if let Some(f) = e.faqs.get(n) => {
                            d.lead(format!("From the {c} page, “{}”: {}", f.question, f.answer), vec![Citation::faq(c, n, f)]);
                        }
                        _ => d.lead(crate::text::first_sentences(&e.summary, 2), Vec::new()),
                    }
                    wrong_family(ctx, code, &mut d);
                }
                if let Some(r) = row {
                    d.fact(
                        format!(
                            "In the {} fee schedule {code} has status {} ({}), a {} global period and {} work RVUs.",
                            dataset.year,
                            r.status,
                            lower_first(r.status.meaning()),
                            r.global,
                            r.work
                        ),
                        vec![Citation::rvu(dataset, r)],
                    );
                }
            }
        }
    }
    if !attrs.contains(&Attribute::General)
        && let Some(e) = page
    {
        d.extra(format!("{code} is {}.", lower_first(&e.name)), Vec::new());
        wrong_family(ctx, code, &mut d);
    }
    for (attr, slug) in [
        (Attribute::Global, "global-period"),
        (Attribute::Mue, "mue"),
        (Attribute::Rvu, "rvu"),
        (Attribute::AddOn, "add-on-code"),
    ] {
        if attrs.contains(&attr)
            && let Some(t) = ctx.k.term(slug)
        {
            d.cite(Citation::term(t));
        }
    }
    d
}

/// When the question calls the code something its family is not ("is 22864 a fusion code?").
fn wrong_family(ctx: &Ctx<'_>, code: Hcpcs, d: &mut Draft) {
    use interspace_knowledge::Family;
    let Some(e) = ctx.k.code(code) else { return };
    let asked: &[(&[&str], &[Family], &str)] = &[
        (
            &["fusion", "arthrodesis", "fuse", "fused"],
            &[Family::Arthrodesis, Family::DeformityArthrodesis, Family::Sacroiliac],
            "a fusion",
        ),
        (
            &["decompression", "laminectomy", "discectomy"],
            &[Family::Decompression, Family::Corpectomy],
            "a decompression",
        ),
        (&["instrumentation", "screws", "plate", "rod", "rods"], &[Family::Instrumentation], "instrumentation"),
        (&["replacement", "arthroplasty", "artificial disc"], &[Family::Arthroplasty], "a disc arthroplasty"),
    ];
    for (words, families, what) in asked {
        if ctx.q.has_any(words) && !families.contains(&e.family) {
            d.lead(format!("{code} is not {what} code: it belongs to the {} family.", e.family.label()), Vec::new());
        }
    }
}
