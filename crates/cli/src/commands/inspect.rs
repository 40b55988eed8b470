//! `interspace inspect`: how the text layer read a note, sentence by sentence.

use std::fmt::Write;

use anyhow::Result;
use interspace_notes::{Document, Lexicon};

use crate::Outcome;
use crate::args::InspectArgs;
use crate::output::text;

pub(crate) fn run(args: &InspectArgs) -> Result<Outcome> {
    let note = crate::commands::analyze::read_note(&args.note)?;
    let doc = Document::parse(&note, Lexicon::embedded());
    let mut o = String::new();
    let _ = writeln!(o, "region: {:?}", doc.region);
    for (i, s) in doc.sentences.iter().enumerate() {
        let span = doc.sentence_span(i);
        let sentence: String = note[span.start..span.end].split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(o, "\n[{i} {}] {sentence}", doc.section_of(i).name());
        for l in doc.levels.iter().filter(|l| l.sentence == i) {
            let _ = writeln!(o, "    level   {}", l.level);
        }
        for c in doc.concepts.iter().filter(|c| c.sentence == i) {
            let sp = doc.concept_span(c);
            let ctx = c.context.names();
            let _ = writeln!(
                o,
                "    concept {:<22} “{}”{}",
                c.concept.id(),
                &note[sp.start..sp.end],
                if ctx.is_empty() { String::new() } else { format!("  [{}]", ctx.join(", ")) }
            );
        }
        let _ = s;
    }
    text(&o)?;
    Ok(Outcome::Ok)
}
