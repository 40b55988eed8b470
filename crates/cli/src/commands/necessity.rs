//! `interspace prior-auth`: the LCD L37848 medical-necessity packet of a lumbar fusion note.

use std::fmt::Write;

use anyhow::Result;
use interspace_engine::necessity::NecessityPacket;

use crate::args::PriorAuthArgs;
use crate::output::{item, json, text, wrap};
use crate::{Outcome, UserError};

pub(crate) fn run(engine: impl FnOnce() -> Result<interspace_engine::Engine>, args: &PriorAuthArgs) -> Result<Outcome> {
    let note = super::analyze::read_note(&args.note)?;
    let engine = engine()?;
    let options = interspace_engine::Options { year: args.year, ..Default::default() };
    let packet = engine.necessity(&note, &args.diagnosis, &options).map_err(|e| UserError::new(e.to_string()))?;
    if args.json {
        json(&packet)?;
    } else {
        text(&render(&packet))?;
    }
    Ok(if packet.supported.is_empty() { Outcome::Findings } else { Outcome::Ok })
}

fn render(p: &NecessityPacket) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "LCD {} \"{}\" v{} (effective {}; billing article {})\n",
        p.policy, p.title, p.version, p.effective, p.contractor_article
    );
    if p.fusion_codes.is_empty() {
        o.push_str(&wrap(
            "The note does not code to a lumbar fusion the policy lists; the checklist is shown for reference.",
            0,
            100,
        ));
    } else {
        let _ = writeln!(o, "Lumbar fusion proposed: {}", p.fusion_codes.join(" "));
    }
    if !p.diagnoses.is_empty() {
        let _ = writeln!(o, "\nDiagnoses");
        for d in &p.diagnoses {
            let supports = if d.indications.is_empty() {
                "supports no indication".into()
            } else {
                format!("supports {}", d.indications.join(", "))
            };
            o.push_str(&item(
                &format!("{} {} ({}; {supports})", d.code, d.title.as_deref().unwrap_or("not in the code set"), d.from),
                2,
                100,
            ));
        }
    }
    let _ = writeln!(o, "\nIndications");
    for i in &p.indications {
        let _ = writeln!(o, "  [{}] {}", i.status, i.title);
        for e in &i.note_evidence {
            o.push_str(&wrap(&format!("“{}”", e.text), 6, 100));
        }
        if i.status != "not documented" {
            // Criteria of indications the note does not point to are noise for the reader.
            for c in &i.criteria {
                o.push_str(&item(&format!("{} — {}", c.status, c.text), 4, 100));
            }
        }
    }
    let _ = writeln!(o, "\nGeneral requirements");
    for c in &p.general {
        o.push_str(&item(&format!("{} — {}", c.status, c.text), 2, 100));
    }
    if p.supported.is_empty() {
        let _ = writeln!(o, "\nNo indication is fully documented.");
    } else {
        let _ = writeln!(o, "\nSupported: {}", p.supported.join(", "));
    }
    if !p.missing.is_empty() {
        let _ = writeln!(o, "\nMissing");
        for m in &p.missing {
            o.push_str(&item(m, 2, 100));
        }
    }
    let _ =
        writeln!(o, "\nThis is a documentation checklist, not a coverage decision. Sources: {}", p.sources.join(", "));
    o
}
