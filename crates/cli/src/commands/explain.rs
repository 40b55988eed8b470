//! `interspace explain`: a patient-facing procedure explainer, or the list of them.

use std::fmt::Write;

use anyhow::Result;
use interspace_knowledge::readability::flesch_kincaid_grade;
use interspace_reference::Reference;

use crate::args::ExplainArgs;
use crate::output::{item, json, text, wrap};
use crate::{Outcome, UserError};

pub(crate) fn run(r: &Reference, args: &ExplainArgs) -> Result<Outcome> {
    let k = &r.knowledge;
    let Some(id) = &args.procedure else {
        let mut o = String::new();
        for x in k.explainers() {
            let grade = flesch_kincaid_grade(x.patient_text());
            let _ = writeln!(o, "  {:<28} {} (reading grade {grade:.1})", x.id, x.title);
        }
        text(&o)?;
        return Ok(Outcome::Ok);
    };
    let wanted = id.to_ascii_lowercase();
    let found = k
        .explainer(&wanted)
        .or_else(|| k.explainers().find(|x| x.also_called.iter().any(|a| a.eq_ignore_ascii_case(&wanted))));
    let Some(x) = found else {
        let ids: Vec<&str> = k.explainers().map(|x| x.id.as_str()).collect();
        return Err(UserError::new(format!("no explainer for `{id}`"))
            .hint(format!("choose one of: {}", ids.join(", ")))
            .into());
    };
    if args.json {
        json(x)?;
        return Ok(Outcome::Ok);
    }
    let mut o = String::new();
    let _ = writeln!(o, "{}\n", x.title);
    if !x.also_called.is_empty() {
        let _ = writeln!(o, "Also called: {}\n", x.also_called.join(", "));
    }
    o.push_str(&wrap(&x.summary, 0, 90));
    for (title, list) in [
        ("Why it is done", &x.why),
        ("What happens", &x.what_happens),
        ("Getting ready", &x.preparation),
        ("Recovery", &x.recovery),
        ("Risks", &x.risks),
        ("Questions to ask your surgeon", &x.questions),
    ] {
        let _ = writeln!(o, "\n{title}");
        for s in list {
            o.push_str(&item(s, 2, 90));
        }
    }
    let codes: Vec<String> =
        x.codes.iter().map(|c| format!("{} {}", c, k.code(*c).map_or("", |p| p.name.as_str()))).collect();
    let _ = writeln!(o, "\nFor billing staff");
    for c in codes {
        o.push_str(&item(&c, 2, 90));
    }
    o.push_str(&wrap(&x.code_notes, 2, 90));
    let grade = flesch_kincaid_grade(x.patient_text());
    let _ = writeln!(
        o,
        "\nReviewed {} · reading grade {grade:.1} (Flesch-Kincaid) · sources {}",
        x.reviewed,
        x.sources.join(", ")
    );
    text(&o)?;
    Ok(Outcome::Ok)
}
