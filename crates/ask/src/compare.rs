//! Two codes side by side: what each page says (name, region, approach, counting unit,
//! includes), their RVUs and global periods from the data, and whether NCCI pairs them.

use interspace_refdata::{Dataset, Hcpcs};

use crate::bundling::{evidence, ptp_rows, ptp_sentence};
use crate::cite::Citation;
use crate::draft::Draft;
use crate::text::{list, lower_first, sentence};
use crate::{AnswerKind, Confidence, Ctx};

/// One code in a sentence: its page's name, region, approach, counting unit and first includes.
pub(crate) fn describe(ctx: &Ctx<'_>, code: Hcpcs) -> String {
    if let Some(del) = ctx.k.deleted(code) {
        let by: Vec<String> = del.replaced_by.iter().map(|c| c.to_string()).collect();
        return format!(
            "{code} is a deleted code{}, replaced by {}: {}",
            del.deleted_in.map(|y| format!(" (deleted in {y})")).unwrap_or_default(),
            list(&by),
            lower_first(&del.note)
        );
    }
    let Some(e) = ctx.k.code(code) else {
        return format!("{code} has no page in the spine knowledge base; the fee schedule lists it");
    };
    let region = e.region.label();
    let approach = e.approach.label();
    let mut s = format!(
        "{code} is {} ({}{}, {}{}, reported {})",
        lower_first(&e.name),
        region,
        if region.contains("region") || region.contains("spinal") || region.contains("joint") { "" } else { " region" },
        approach,
        if approach.contains("approach") { "" } else { " approach" },
        e.unit.label()
    );
    if let Some(inc) = e.includes.first() {
        s.push_str(&format!(" and includes {}", lower_first(inc)));
    }
    s
}

/// RVUs and global period of a code, in a clause.
pub(crate) fn figures(d: &Dataset, code: Hcpcs) -> Option<String> {
    let row = d.pfs.get(code)?;
    Some(format!(
        "{code} carries {} work RVUs and {} total facility RVUs with a {} global period (status {})",
        row.work, row.total_facility, row.global, row.status
    ))
}

pub(crate) fn answer(ctx: &Ctx<'_>, a: Hcpcs, b: Hcpcs) -> Draft {
    let mut d = Draft::new(AnswerKind::Compare, Confidence::High);
    d.lead(sentence(&describe(ctx, a)), Vec::new());
    d.lead(sentence(&describe(ctx, b)), Vec::new());
    // What tells them apart, in the knowledge base's words: catalogue edits naming both first,
    // then what each page says of the other.
    let ev = evidence(ctx, a, b);
    let order = |e: &crate::bundling::Evidence<'_>| match (e.page, e.includes, e.edit) {
        (None, _, _) => 0,
        (Some(_), Some(_), _) => 1,
        (Some(_), None, Some(_)) => 3,
        _ if e.separate => 4,
        _ => 2,
    };
    let mut ranked: Vec<&crate::bundling::Evidence<'_>> = ev.iter().collect();
    ranked.sort_by_key(|e| order(e));
    let mut seen_edits: Vec<&str> = Vec::new();
    ranked.retain(|e| match e.edit {
        Some(x) if seen_edits.contains(&x.id.as_str()) => false,
        Some(x) => {
            seen_edits.push(&x.id);
            true
        }
        None => true,
    });
    for (i, e) in ranked.iter().take(2).enumerate() {
        let cites = e.edit.map(Citation::edit).into_iter().collect();
        if i == 0 { d.lead(sentence(&e.text), cites) } else { d.extra(sentence(&e.text), cites) }
    }
    let fig: Vec<String> = [a, b].iter().filter_map(|c| figures(ctx.d, *c)).collect();
    if !fig.is_empty() {
        d.fact(
            format!("In the {} fee schedule ({}), {}.", ctx.d.year, ctx.d.pfs.release, list(&fig)),
            [a, b].iter().filter_map(|c| ctx.d.pfs.get(*c)).map(|r| Citation::rvu(ctx.d, r)).collect(),
        );
    }
    let rows = ptp_rows(ctx, a, b);
    if rows.is_empty() {
        d.fact(format!("No active NCCI PTP edit pairs {a} and {b}."), Vec::new());
    }
    for r in rows {
        d.fact(ptp_sentence(r), vec![Citation::ptp(ctx.d, r)]);
    }
    if let Some(f) = ctx.index.faqs_naming(ctx.k, &[a, b], &[a, b], ctx.q).first()
        && let crate::index::DocRef::Faq(code, n) = f.r
        && let Some(faq) = ctx.k.code(code).and_then(|e| e.faqs.get(n))
    {
        d.extra(format!("From the {code} page, “{}”: {}", faq.question, faq.answer), vec![Citation::faq(code, n, faq)]);
    }
    for c in [a, b] {
        if let Some(e) = ctx.k.code(c) {
            d.cite(Citation::code_page(e));
        }
    }
    d
}
