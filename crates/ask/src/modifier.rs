//! Modifier questions: what a modifier means and requires (`modifiers.toml`, the glossary, the
//! scrubber's edits), and whether it is payable on a code (the code's RVU-file indicators, as the
//! code page shows them), with what it pays.

use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, Hcpcs, Modifier};

use crate::cite::Citation;
use crate::draft::Draft;
use crate::text::{lower_first, money, normalize, sentence};
use crate::{AnswerKind, Confidence, Ctx};

/// Words that name a modifier without writing it.
const CONCEPTS: &[(&[&str], &str)] = &[
    (
        &[
            "co-surgeon",
            "co-surgeons",
            "cosurgeon",
            "co-surgery",
            "cosurgery",
            "two surgeons",
            "access surgeon",
            "approach surgeon",
        ],
        "62",
    ),
    (&["physician assistant", "nurse practitioner", "non-physician assistant", "pa", "np"], "AS"),
    (&["assistant", "assistant surgeon", "assistant at surgery", "assist"], "80"),
    (&["team surgery", "surgical team"], "66"),
];

/// Modifiers the question names, in writing or in words.
pub(crate) fn named(ctx: &Ctx<'_>) -> Vec<String> {
    let mut out = ctx.q.modifiers.clone();
    // "PA" and "NP" count only in capitals.
    let raw_caps: Vec<&str> = ctx.q.raw.split(|c: char| !c.is_alphanumeric()).collect();
    for (words, m) in CONCEPTS {
        let hit = words.iter().any(|w| match *w {
            "pa" | "np" => raw_caps.contains(&w.to_ascii_uppercase().as_str()),
            w => ctx.q.has(w),
        });
        if hit && !out.iter().any(|x| x == m) && (*m != "80" || !out.iter().any(|x| x == "AS")) {
            out.push((*m).to_string());
        }
    }
    out
}

pub(crate) fn answer(ctx: &Ctx<'_>, code: Option<Hcpcs>, mods: &[String]) -> Draft {
    let mut d = Draft::new(AnswerKind::Modifier, Confidence::High);
    let page = code.and_then(|c| ctx.r.code_page(c.as_str(), None, None, false).ok());
    for m in mods.iter().take(3) {
        let Some(info) = ctx.k.modifier(m) else { continue };
        let sources: Vec<Citation> =
            info.sources.iter().filter_map(|s| ctx.k.source(s)).map(Citation::source).collect();
        let view = page.as_ref().and_then(|p| p.modifiers.iter().find(|v| v.modifier.eq_ignore_ascii_case(m)));
        let label = lower_first(&info.label);
        let mut said_edit: Option<String> = None;
        match (code, view) {
            (Some(c), Some(v)) if info.indicator.is_some() => {
                let rvu = ctx.d.pfs.get(c).map(|r| vec![Citation::rvu(ctx.d, r)]).unwrap_or_default();
                let warned = ctx.k.code(c).and_then(|e| {
                    // A modifier edit of the scrubber's catalogue that the page names for this modifier.
                    e.denials.iter().find(|x| {
                        x.edit.starts_with("MOD")
                            && crate::text::has_phrase(
                                &normalize(&x.reason),
                                &format!("modifier {}", m.to_ascii_lowercase()),
                            )
                    })
                });
                if v.applies
                    && let Some(w) = warned
                {
                    let mut cites = rvu;
                    cites.extend(ctx.k.edit(&w.edit).map(Citation::edit));
                    said_edit = Some(w.edit.clone());
                    d.lead(
                        format!(
                            "The fee schedule pays modifier {m} ({label}) on {c} ({}), but the {c} page warns against it ({}): {}",
                            v.why,
                            w.edit,
                            sentence(&w.reason)
                        ),
                        cites,
                    );
                } else if v.applies {
                    d.lead(format!("Yes: modifier {m} ({label}) is payable on {c} ({}).", v.why), rvu);
                } else {
                    d.lead(format!("No: modifier {m} ({label}) is not payable on {c} ({}).", v.why), rvu);
                }
                d.lead(format!("Modifier {m}: {}", sentence(&info.meaning)), sources);
                if v.applies
                    && let Some(amount) = with_modifier(ctx, c, m)
                {
                    d.fact(
                        format!(
                            "Priced nationally in a facility setting with {m}, {c} is {amount} in the {} fee schedule.",
                            ctx.d.year
                        ),
                        Vec::new(),
                    );
                }
            }
            (Some(c), Some(v)) => {
                d.lead(format!("Modifier {m} ({label}): {}", sentence(&info.meaning)), sources);
                if normalize(&v.why) != normalize(&info.meaning) {
                    d.lead(format!("On {c}: {}.", v.why), Vec::new());
                }
            }
            _ => {
                d.lead(format!("Modifier {m} ({label}): {}", sentence(&info.meaning)), sources);
            }
        }
        if info.ncci_associated && code.is_none() {
            d.extra(
                format!(
                    "{m} is an NCCI-associated modifier: on the column-two code of a PTP pair with modifier indicator 1 it lets both codes be paid when the note shows the distinct service; it never bypasses an edit with indicator 0."
                ),
                Vec::new(),
            );
        }
        // What the scrubber checks, and what the code page warns.
        let mut edits = 0;
        if let (Some(c), Some(e)) = (code, code.and_then(|c| ctx.k.code(c))) {
            for den in &e.denials {
                let n = normalize(&den.reason);
                if crate::text::has_phrase(&n, &m.to_ascii_lowercase())
                    && edits < 2
                    && said_edit.as_deref() != Some(den.edit.as_str())
                {
                    d.lead(
                        format!(
                            "A common denial on the {c} page ({}): {}",
                            den.edit,
                            sentence(&lower_first(&den.reason))
                        ),
                        ctx.k.edit(&den.edit).map(Citation::edit).into_iter().collect(),
                    );
                    edits += 1;
                }
            }
        }
        for e in ctx.k.edits() {
            let n = normalize(&e.summary);
            if edits < 2
                && said_edit.as_deref() != Some(e.id.as_str())
                && crate::text::has_phrase(&n, &m.to_ascii_lowercase())
                && crate::text::has_phrase(&n, "modifier")
                && relevant_edit(view.map(|v| v.why.as_str()), code.and_then(|c| ctx.k.code(c)), e, &n)
            {
                d.extra(format!("Edit {} ({}): {}", e.id, e.name, sentence(&e.summary)), vec![Citation::edit(e)]);
                edits += 1;
            }
        }
        if let Some(t) = ctx.k.term(&format!("modifier-{}", m.to_ascii_lowercase())) {
            if code.is_none() {
                d.extra(crate::text::first_sentences(&t.why_it_matters, 1), vec![Citation::term(t)]);
            } else {
                d.cite(Citation::term(t));
            }
        }
    }
    if d.is_empty() {
        return Draft::not_in_data(
            format!(
                "The knowledge base has no entry for modifier {}.",
                crate::text::list(&mods.iter().map(String::as_str).collect::<Vec<_>>())
            ),
            Confidence::High,
        );
    }
    // An FAQ of the code's page about the modifier.
    if let Some(c) = code
        && let Some(e) = ctx.k.code(c)
    {
        d.cite(Citation::code_page(e));
        let best = e.faqs.iter().enumerate().find(|(_, f)| {
            let t = normalize(&format!("{} {}", f.question, f.answer));
            mods.iter().any(|m| crate::text::has_phrase(&t, &format!("modifier {}", m.to_ascii_lowercase())))
        });
        if let Some((n, f)) = best {
            d.extra(format!("From the {c} page, “{}”: {}", f.question, f.answer), vec![Citation::faq(c, n, f)]);
        }
    }
    d
}

/// Whether a catalogue edit fits the code asked about: an edit keyed to an indicator value
/// ("co-surgeon indicator is 1", "is 0 (not permitted) or 9", "is not 1") when the code has that
/// value; any other edit when the code's page names it. Without a code every edit fits.
fn relevant_edit(
    why: Option<&str>,
    page: Option<&interspace_knowledge::CodeEntry>,
    e: &interspace_knowledge::EditInfo,
    summary: &str,
) -> bool {
    let Some(why) = why else { return page.is_none() };
    let value = why.split("indicator ").nth(1).and_then(|r| r.chars().next()).filter(char::is_ascii_digit);
    match (summary.find("indicator is "), value) {
        (Some(i), Some(v)) => {
            let rest = &summary[i + "indicator is ".len()..];
            if let Some(not) = rest.strip_prefix("not ") {
                !not.starts_with(v)
            } else {
                rest.starts_with(v) || rest.split(" or ").skip(1).any(|x| x.starts_with(v))
            }
        }
        _ => page.is_some_and(|p| p.denials.iter().any(|d| d.edit == e.id)),
    }
}

/// The national facility amount of one line of `code` with modifier `m`.
fn with_modifier(ctx: &Ctx<'_>, code: Hcpcs, m: &str) -> Option<String> {
    let modifier = Modifier::parse(m).ok()?;
    let req = PriceRequest {
        lines: vec![ServiceLine { code, modifiers: vec![modifier], units: 1 }],
        locality: None,
        setting: Setting::Facility,
        apm: ApmStatus::NonQualifying,
    };
    let p = interspace_pricing::price(ctx.d, &req).ok()?;
    let line = p.lines.first()?;
    line.not_paid.is_none().then(|| money(line.allowed))
}
