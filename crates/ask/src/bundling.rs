//! Whether codes may be billed together: the NCCI PTP rows active now in both orders, what the
//! code pages, their denial reasons and the edit catalogue say about the pair, and the add-on
//! edit file. The knowledge base's word that one code includes the other is the code definition,
//! and it decides even where the PTP row would let a modifier through.

use interspace_knowledge::EditInfo;
use interspace_refdata::{Hcpcs, PtpEdit, PtpModifierIndicator};

use crate::cite::Citation;
use crate::draft::Draft;
use crate::text::{CodeMentions, has_any, list, normalize, sentence};
use crate::{AnswerKind, Confidence, Ctx};

/// Words that say one service contains another.
const INCLUDE_BEFORE: &[&str] = &["already includes", "includes", "include"];
const INCLUDE_AFTER: &[&str] = &["inherent in", "inside", "part of", "included in", "bundles", "bundled into"];
/// Words that limit an inclusion to the same site.
const SAME_SITE: &[&str] = &[
    "same interspace",
    "same level",
    "same segment",
    "same cervical interspace",
    "same lumbar interspace",
    "same vertebra",
    "same-level",
];
/// Words that say a code is not added, in a not-included line.
const NOT_ADDED: &[&str] = &["not added", "not reported", "never", "instead", "is not", "are not"];

/// One thing the knowledge base says about a pair.
#[derive(Clone, Debug)]
pub(crate) struct Evidence<'k> {
    pub text: String,
    pub edit: Option<&'k EditInfo>,
    /// The page it is written on, if any.
    pub page: Option<Hcpcs>,
    /// `(includer, included)` when the words say one contains the other.
    pub includes: Option<(Hcpcs, Hcpcs)>,
    /// The inclusion holds at the same interspace or level only.
    pub same_site: bool,
    /// The words say the second code is reported in addition to the page's code.
    pub separate: bool,
}

/// Which of `a` and `b` the inclusion words of `text` make the container.
fn includer(text: &str, a: Hcpcs, b: Hcpcs) -> Option<Hcpcs> {
    let t = normalize(text);
    let m = CodeMentions::of(text);
    let (pa, pb) = (m.positions(a), m.positions(b));
    if pa.is_empty() || pb.is_empty() {
        return None;
    }
    for w in INCLUDE_AFTER {
        if let Some(i) = t.find(w) {
            let after = |p: &[usize]| p.iter().copied().filter(|&x| x > i).min();
            return match (after(&pa), after(&pb)) {
                (Some(x), Some(y)) => Some(if x < y { a } else { b }),
                (Some(_), None) => Some(a),
                (None, Some(_)) => Some(b),
                (None, None) => None,
            };
        }
    }
    for w in INCLUDE_BEFORE {
        if let Some(i) = t.find(w) {
            let before = |p: &[usize]| p.iter().copied().filter(|&x| x < i).max();
            return match (before(&pa), before(&pb)) {
                (Some(x), Some(y)) => Some(if x > y { a } else { b }),
                (Some(_), None) => Some(a),
                (None, Some(_)) => Some(b),
                (None, None) => None,
            };
        }
    }
    None
}

/// What the knowledge base says about reporting `a` and `b` together: the page of each that
/// names the other (includes, not-included lines, related notes, denial reasons) and catalogue
/// edits that name both.
pub(crate) fn evidence<'k>(ctx: &Ctx<'k>, a: Hcpcs, b: Hcpcs) -> Vec<Evidence<'k>> {
    let k = ctx.k;
    let mut out: Vec<Evidence<'k>> = Vec::new();
    for (page, other) in [(a, b), (b, a)] {
        let Some(e) = k.code(page) else { continue };
        for inc in &e.includes {
            if CodeMentions::of(inc).contains(other) {
                out.push(Evidence {
                    text: format!("The {page} page counts as part of {page}: {}", crate::text::lower_first(inc)),
                    edit: None,
                    page: Some(page),
                    includes: Some((page, other)),
                    same_site: has_any(&normalize(inc), SAME_SITE),
                    separate: false,
                });
            }
        }
        for ni in &e.not_included {
            if CodeMentions::of(ni).contains(other) {
                let n = normalize(ni);
                out.push(Evidence {
                    text: format!("The {page} page, on what {page} does not include: {}", crate::text::lower_first(ni)),
                    edit: None,
                    page: Some(page),
                    includes: None,
                    same_site: false,
                    separate: !has_any(&n, NOT_ADDED),
                });
            }
        }
        for d in &e.denials {
            if CodeMentions::of(&d.reason).contains(other) || d.reason.contains(other.as_str()) {
                let n = normalize(&d.reason);
                let inc = includer(&d.reason, page, other);
                out.push(Evidence {
                    text: format!(
                        "A common denial on the {page} page ({}): {}",
                        d.edit,
                        crate::text::lower_first(&d.reason)
                    ),
                    edit: k.edit(&d.edit),
                    page: Some(page),
                    includes: inc.map(|i| (i, if i == page { other } else { page })),
                    same_site: has_any(&n, SAME_SITE),
                    separate: false,
                });
            }
        }
        for r in e.related.iter().filter(|r| r.code == other) {
            out.push(Evidence {
                text: format!("The {page} page says of {other}: {}", crate::text::lower_first(&r.note)),
                edit: None,
                page: Some(page),
                includes: None,
                same_site: false,
                separate: false,
            });
        }
    }
    for e in k.edits() {
        let m = CodeMentions::of(&e.summary);
        if m.contains(a) && m.contains(b) {
            let inc = includer(&e.summary, a, b);
            out.push(Evidence {
                text: format!("Edit {} ({}): {}", e.id, e.name, e.summary),
                edit: Some(e),
                page: None,
                includes: inc.map(|i| (i, if i == a { b } else { a })),
                same_site: has_any(&normalize(&e.summary), SAME_SITE),
                separate: false,
            });
        }
    }
    out
}

/// The active PTP rows of a pair, column one first.
pub(crate) fn ptp_rows<'d>(ctx: &Ctx<'d>, a: Hcpcs, b: Hcpcs) -> Vec<&'d PtpEdit> {
    [ctx.d.ptp.active(a, b), ctx.d.ptp.active(b, a)].into_iter().flatten().collect()
}

/// One sentence on a PTP row.
pub(crate) fn ptp_sentence(e: &PtpEdit) -> String {
    let (c1, c2) = (e.column1, e.column2);
    match e.modifier {
        PtpModifierIndicator::NotAllowed => format!(
            "The NCCI PTP edit makes {c2} a column-two code of {c1} with modifier indicator 0: {c2} is denied when both are billed on the same date, and no modifier bypasses the edit."
        ),
        PtpModifierIndicator::Allowed => format!(
            "The NCCI PTP edit makes {c2} a column-two code of {c1} with modifier indicator 1: {c2} is denied unless it carries an NCCI-associated modifier (XS, XE, XP, XU or 59) and the note shows a distinct service (another level, incision or session)."
        ),
        PtpModifierIndicator::NotApplicable => {
            format!("The NCCI PTP row {c1}/{c2} has modifier indicator 9: the edit does not apply.")
        }
    }
}

/// What the add-on edit file says of a pair: `(add-on, primary)` when one is an add-on listed with
/// the other as primary.
fn addon_pair(ctx: &Ctx<'_>, a: Hcpcs, b: Hcpcs) -> Option<(Hcpcs, Hcpcs)> {
    [(a, b), (b, a)].into_iter().find(|(x, y)| ctx.d.aoc.get(*x).is_some_and(|e| e.primaries.contains(y)))
}

/// The bundling answer for two or more codes.
pub(crate) fn answer(ctx: &Ctx<'_>, codes: &[Hcpcs]) -> Draft {
    if codes.len() == 2 {
        return pair(ctx, codes[0], codes[1]);
    }
    let mut d = Draft::new(AnswerKind::Bundling, Confidence::High);
    let mut quiet = Vec::new();
    for (i, &a) in codes.iter().enumerate() {
        for &b in &codes[i + 1..] {
            let rows = ptp_rows(ctx, a, b);
            let ev = evidence(ctx, a, b);
            let inc = ev.iter().find(|e| e.includes.is_some() && !e.same_site);
            if let Some((incl, inc_code)) = inc.and_then(|e| e.includes) {
                let cites = inc.and_then(|e| e.edit).map(Citation::edit).into_iter().collect();
                d.lead(format!("{inc_code} is not reported separately with {incl}, which already includes it."), cites);
            } else if let Some(r) = rows.first() {
                d.lead(ptp_sentence(r), vec![Citation::ptp(ctx.d, r)]);
            } else if let Some((add, primary)) = addon_pair(ctx, a, b) {
                d.lead(
                    format!("{add} is an add-on that the NCCI add-on edit file lists with {primary}, and no PTP edit pairs them."),
                    ctx.d.aoc.get(add).map(|x| vec![Citation::aoc(ctx.d, x)]).unwrap_or_default(),
                );
            } else {
                quiet.push(format!("{a}/{b}"));
            }
        }
    }
    if !quiet.is_empty() {
        d.extra(
            format!(
                "No active NCCI PTP edit and no rule of the knowledge base pairs {}.",
                list(&quiet.iter().map(String::as_str).collect::<Vec<_>>())
            ),
            Vec::new(),
        );
    }
    for &c in codes {
        if let Some(e) = ctx.k.code(c) {
            d.cite(Citation::code_page(e));
        }
    }
    d
}

fn pair(ctx: &Ctx<'_>, a: Hcpcs, b: Hcpcs) -> Draft {
    let mut d = Draft::new(AnswerKind::Bundling, Confidence::High);
    let rows = ptp_rows(ctx, a, b);
    let ev = evidence(ctx, a, b);
    let addon = addon_pair(ctx, a, b);
    let row_cites: Vec<Citation> = rows.iter().map(|r| Citation::ptp(ctx.d, r)).collect();
    let edit_cites = |e: &Evidence<'_>| e.edit.map(Citation::edit).into_iter().collect::<Vec<_>>();

    let inclusion =
        ev.iter().find(|e| e.includes.is_some() && !e.same_site).or_else(|| ev.iter().find(|e| e.includes.is_some()));
    if let Some(e) = inclusion
        && let Some((incl, inc)) = e.includes
    {
        if e.same_site {
            d.lead(
                format!(
                    "Not for the same interspace or level: {incl} already includes the work {inc} describes there."
                ),
                edit_cites(e),
            );
        } else {
            d.lead(
                format!("No: {inc} is not reported separately with {incl}, which already includes it."),
                edit_cites(e),
            );
        }
        d.lead(sentence(&e.text), edit_cites(e));
        match rows.iter().find(|r| r.modifier == PtpModifierIndicator::Allowed) {
            Some(r) if !e.same_site => {
                d.lead(
                    format!(
                        "The authoritative rule is the code definition{}: the NCCI PTP row {}/{} carries modifier indicator 1, but a modifier does not make {inc} payable with {incl}.",
                        e.edit.map(|x| format!(" (edit {})", x.id)).unwrap_or_default(),
                        r.column1,
                        r.column2
                    ),
                    vec![Citation::ptp(ctx.d, r)],
                );
            }
            _ => {
                for r in &rows {
                    d.fact(ptp_sentence(r), vec![Citation::ptp(ctx.d, r)]);
                }
            }
        }
    } else if let Some(r) = rows.first() {
        let verdict = match r.modifier {
            PtpModifierIndicator::NotAllowed => "No, not on the same date",
            PtpModifierIndicator::Allowed => "Only as distinct services",
            PtpModifierIndicator::NotApplicable => "Yes",
        };
        d.lead(
            format!("{verdict}, and the NCCI PTP edit is the rule that decides. {}", ptp_sentence(r)),
            row_cites.clone(),
        );
        for r in rows.iter().skip(1) {
            d.lead(ptp_sentence(r), vec![Citation::ptp(ctx.d, r)]);
        }
    } else if let Some((add, primary)) = addon {
        d.lead(
            format!(
                "Yes: {add} is an add-on code, and {primary} is one of the primaries the NCCI add-on edit file lists for it; no active NCCI PTP edit pairs them."
            ),
            ctx.d.aoc.get(add).map(|x| vec![Citation::aoc(ctx.d, x)]).unwrap_or_default(),
        );
    } else if let Some(e) = ev.iter().find(|e| e.separate) {
        d.lead(
            format!("Yes: no active NCCI PTP edit pairs {a} and {b}, and the code pages report them separately."),
            Vec::new(),
        );
        d.lead(sentence(&e.text), edit_cites(e));
    } else {
        d.confidence = Confidence::Medium;
        d.lead(
            format!(
                "The loaded NCCI table has no active PTP edit between {a} and {b}, and the knowledge base names no rule that bundles them, so each is reported when the note documents it."
            ),
            Vec::new(),
        );
    }
    let mut said = 0;
    for e in &ev {
        let repeats_denial = e.page.is_none()
            && ev.iter().any(|x| x.page.is_some() && x.edit.is_some_and(|y| e.edit.is_some_and(|z| y.id == z.id)));
        if said < 3 && inclusion.is_none_or(|x| x.text != e.text) && !e.separate && !repeats_denial {
            d.extra(sentence(&e.text), edit_cites(e));
            said += 1;
        }
    }
    if let Some((add, primary)) = addon
        && !d.parts.iter().any(|p| p.text.contains("add-on edit file"))
        && let Some(x) = ctx.d.aoc.get(add)
    {
        d.fact(
            format!("The NCCI add-on edit file lists {primary} among the primaries of the add-on {add}."),
            vec![Citation::aoc(ctx.d, x)],
        );
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
