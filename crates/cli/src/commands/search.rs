//! `interspace term` and `interspace search`.

use std::fmt::Write;

use anyhow::Result;
use interspace_reference::{HitKind, Reference};

use crate::Outcome;
use crate::args::{SearchArgs, TermArgs};
use crate::commands::code::page_error;
use crate::output::{item, json, text, wrap};

pub(crate) fn term(r: &Reference, args: &TermArgs) -> Result<Outcome> {
    let t = r.term_page(&args.term).map_err(page_error)?;
    if args.json {
        json(&t)?;
        return Ok(Outcome::Ok);
    }
    let mut o = String::new();
    let _ = writeln!(o, "{}{}", t.term, t.expansion.as_ref().map(|e| format!(" — {e}")).unwrap_or_default());
    if !t.aliases.is_empty() {
        let _ = writeln!(o, "  also: {}", t.aliases.join(", "));
    }
    o.push('\n');
    o.push_str(&wrap(&t.definition, 0, 92));
    let _ = writeln!(o, "\nWhy it matters");
    o.push_str(&wrap(&t.why_it_matters, 2, 92));
    if !t.common_mistakes.is_empty() {
        let _ = writeln!(o, "\nCommon mistakes");
        for m in &t.common_mistakes {
            o.push_str(&item(m, 2, 92));
        }
    }
    if !t.related_codes.is_empty() {
        let _ = writeln!(o, "\nRelated codes");
        for c in &t.related_codes {
            let _ = writeln!(o, "  {}  {}", c.code, c.name.as_deref().unwrap_or(""));
        }
    }
    if !t.related_terms.is_empty() {
        let _ = writeln!(
            o,
            "\nSee also: {}",
            t.related_terms.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    let _ = writeln!(o, "\nVerified {} · {} sources", t.verified, t.sources.len());
    for s in &t.sources {
        let _ = writeln!(o, "  [{}] {}", s.id, s.title);
    }
    text(&o)?;
    Ok(Outcome::Ok)
}

pub(crate) fn search(r: &Reference, args: &SearchArgs) -> Result<Outcome> {
    let hits = r.search(&args.query, args.limit);
    if args.json {
        json(&hits)?;
        return Ok(Outcome::Ok);
    }
    if hits.is_empty() {
        text(&format!("no code or term matches `{}`\n", args.query))?;
        return Ok(Outcome::Ok);
    }
    let mut o = String::new();
    for h in &hits {
        let kind = match h.kind {
            HitKind::Code => "code",
            HitKind::Term => "term",
        };
        let _ = writeln!(o, "{kind}  {:<10} {}", h.id, h.title);
        o.push_str(&wrap(&h.snippet, 16, 96));
    }
    text(&o)?;
    Ok(Outcome::Ok)
}
