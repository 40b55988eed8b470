//! `interspace code`: a code's reference page as text or JSON.

use std::fmt::Write;

use anyhow::Result;
use interspace_reference::{CodePage, PageError, Reference};

use crate::args::CodeArgs;
use crate::output::{item, json, money, text, wrap};
use crate::{Outcome, UserError};

/// Turns a page error into a one-line error with the nearest valid choices.
pub(crate) fn page_error(e: PageError) -> anyhow::Error {
    let message = match &e {
        PageError::UnknownCode { code, .. } => format!("unknown code `{code}`: it is not in the spine knowledge base"),
        PageError::UnknownLocality { locality, .. } => format!("unknown locality `{locality}`"),
        PageError::UnknownTerm { term, .. } => format!("unknown glossary term `{term}`"),
        PageError::UnknownYear { year, .. } => format!("no data for year {year}"),
    };
    let hint = match e {
        PageError::UnknownCode { suggestions, .. } if !suggestions.is_empty() => {
            format!("nearest codes: {}", suggestions.join(", "))
        }
        PageError::UnknownLocality { suggestions, .. } if !suggestions.is_empty() => {
            format!("did you mean {}?", suggestions.join(", "))
        }
        PageError::UnknownLocality { .. } => {
            "write MAC-LOCALITY, e.g. 10112-00; `interspace data list` names the GPCI table".into()
        }
        PageError::UnknownTerm { suggestions, .. } if !suggestions.is_empty() => {
            format!("did you mean {}?", suggestions.join(", "))
        }
        PageError::UnknownYear { years, .. } => format!(
            "loaded years: {}; import another with `interspace data import --year …`",
            years.iter().map(i16::to_string).collect::<Vec<_>>().join(", ")
        ),
        _ => "`interspace search WORDS` finds codes and terms".into(),
    };
    UserError::new(message).hint(hint).into()
}

pub(crate) fn run(r: &Reference, args: &CodeArgs) -> Result<Outcome> {
    let page = r.code_page(&args.code, args.pricing.year, args.pricing.locality.as_deref(), args.pricing.apm);
    // A deleted code has no page, but the knowledge base says what replaced it (as `price` does).
    if let Err(PageError::UnknownCode { .. }) = &page
        && let Some(del) = args.code.parse().ok().and_then(|c| r.knowledge.deleted(c))
    {
        return Err(UserError::new(format!("`{}` is a deleted code", args.code.trim()))
            .hint(format!(
                "use {} instead: {}",
                del.replaced_by.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                del.note
            ))
            .into());
    }
    let page = page.map_err(page_error)?;
    if args.json {
        json(&page)?;
    } else {
        text(&render(&page))?;
    }
    Ok(Outcome::Ok)
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

/// The page as plain text, in the order a coder reads it.
pub(crate) fn render(p: &CodePage) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}{}  {}", if p.add_on { "+" } else { "" }, p.code, p.name);
    let _ = writeln!(o, "   {} · {} · {} · {}", p.family, p.region, p.approach, p.unit);
    o.push('\n');
    o.push_str(&wrap(&p.summary, 0, 92));

    section(&mut o, &format!("Medicare physician fee schedule, {}", p.year));
    let _ = writeln!(o, "  Status      {}  {}", p.status, p.status_meaning);
    let _ = writeln!(o, "  Global      {}  {}", p.global_days, p.global_meaning);
    let _ = writeln!(
        o,
        "  RVUs        work {} · PE facility {} · PE non-facility {}{} · MP {}",
        p.work_rvu,
        p.pe_facility_rvu,
        p.pe_nonfacility_rvu,
        if p.nonfacility_na { " (NA: facility only)" } else { "" },
        p.mp_rvu
    );
    let _ = writeln!(o, "  Total RVUs  facility {} · non-facility {}", p.total_facility_rvu, p.total_nonfacility_rvu);
    let _ = writeln!(
        o,
        "  National    facility {} · non-facility {}   (CF {}{})",
        money(p.national_facility),
        money(p.national_nonfacility),
        p.conversion_factor,
        if p.apm { ", qualifying APM" } else { "" }
    );
    if let Some(n) = &p.payment_note {
        let _ = writeln!(o, "              not paid: {n}");
    }
    if let Some(l) = &p.locality {
        let _ = writeln!(
            o,
            "  {}  facility {} · non-facility {}   ({}, {})",
            l.locality,
            money(l.facility),
            money(l.nonfacility),
            l.name,
            l.state
        );
    }
    match (&p.opps, &p.asc) {
        (None, None) => {}
        (opps, asc) => {
            if let Some(x) = opps {
                let _ = writeln!(
                    o,
                    "  Hospital outpatient  SI {} APC {} · {}",
                    x.indicator,
                    x.apc.as_deref().unwrap_or("-"),
                    x.payment_rate.map_or("-".into(), money)
                );
            }
            if let Some(x) = asc {
                let _ = writeln!(
                    o,
                    "  ASC                  {} · {}",
                    x.indicator,
                    x.payment_rate.map_or("-".into(), money)
                );
            }
        }
    }
    if let Some(n) = &p.facility_payment_note {
        let _ = writeln!(o, "  Facility    {n}");
    }
    if let Some(m) = &p.mue {
        let _ = writeln!(
            o,
            "  MUE         {} per day · indicator {}: {}",
            m.units, m.adjudication_indicator, m.adjudication
        );
    }
    if !p.add_on_primaries.is_empty() || p.add_on_edit_type.is_some() {
        let kind = match p.add_on_edit_type {
            Some(1) => "only these primaries",
            Some(2) => "no list from CMS: the contractor decides",
            Some(3) => "these and others the contractor accepts",
            _ => "",
        };
        let _ = writeln!(
            o,
            "  Add-on to   {} ({kind})",
            if p.add_on_primaries.is_empty() { "-".to_string() } else { p.add_on_primaries.join(" ") }
        );
    }

    section(&mut o, "Payment-policy indicators");
    for i in &p.indicators {
        let _ = writeln!(o, "  {:<22} {}  {}", i.name, i.value, i.meaning);
    }
    section(&mut o, "Modifiers");
    for m in p.modifiers.iter().filter(|m| m.applies) {
        let _ = writeln!(o, "  {:<3} {} — {}", m.modifier, m.label, m.why);
    }
    let not: Vec<&str> = p.modifiers.iter().filter(|m| !m.applies).map(|m| m.modifier.as_str()).collect();
    if !not.is_empty() {
        let _ = writeln!(o, "  not applicable: {}", not.join(" "));
    }
    let lists = [("Includes", &p.includes), ("Not included (report separately or elsewhere)", &p.not_included)];
    for (title, items) in lists {
        if !items.is_empty() {
            section(&mut o, title);
            for i in items {
                o.push_str(&item(i, 2, 92));
            }
        }
    }
    if !p.documentation_elements.is_empty() {
        section(&mut o, "Documentation the operative note must show");
        for d in &p.documentation_elements {
            o.push_str(&item(&format!("{} ({})", d.label, d.id), 2, 92));
        }
    }
    if !p.denial_reasons.is_empty() {
        section(&mut o, "Common denial reasons");
        for d in &p.denial_reasons {
            o.push_str(&item(&format!("{} [{} {}]", d.reason, d.edit, d.edit_name), 2, 92));
        }
    }
    if !p.faq.is_empty() {
        section(&mut o, "FAQ");
        for f in &p.faq {
            o.push_str(&wrap(&format!("Q: {}", f.question), 2, 92));
            o.push_str(&wrap(&format!("A: {} [{}]", f.answer, f.sources.join(", ")), 2, 92));
        }
    }
    if !p.related.is_empty() {
        section(&mut o, "Related codes");
        for r in &p.related {
            o.push_str(&wrap(&format!("{}  {}", r.code, r.note), 2, 92));
        }
    }
    section(&mut o, &format!("Verified {} · {} sources", p.verified, p.sources.len()));
    for s in &p.sources {
        let _ =
            writeln!(o, "  [{}] {}{}", s.id, s.title, s.url.as_ref().map(|u| format!(" — {u}")).unwrap_or_default());
    }
    section(&mut o, "Data");
    for (kind, version) in &p.data_versions {
        let _ = writeln!(o, "  {kind:<18} {version}");
    }
    for c in &p.caveats {
        o.push_str(&item(c, 2, 92));
    }
    o
}
