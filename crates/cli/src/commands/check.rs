//! `interspace check`: the scribe check of a draft note before the surgeon signs it.

use std::fmt::Write;

use anyhow::Result;

use crate::args::CheckArgs;
use crate::output::{item, json, text, wrap};
use crate::{Outcome, UserError};

pub(crate) fn run(engine: impl FnOnce() -> Result<interspace_engine::Engine>, args: &CheckArgs) -> Result<Outcome> {
    let note = super::analyze::read_note(&args.note)?;
    let engine = engine()?;
    let check = engine
        .check_note(&note, &interspace_engine::Options { year: args.year, ..Default::default() })
        .map_err(|e| UserError::new(e.to_string()))?;
    if args.json {
        json(&check)?;
    } else {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Supports: {}",
            if check.codes.is_empty() { "no code yet".into() } else { check.codes.join(" ") }
        );
        if check.ready_to_sign {
            let _ = writeln!(o, "\nReady to sign: every documentation element of these codes is met.");
        }
        if !check.missing.is_empty() {
            let _ = writeln!(o, "\nMissing or ambiguous");
            for g in &check.missing {
                let codes = if g.codes.is_empty() { String::new() } else { format!(" [{}]", g.codes.join(" ")) };
                o.push_str(&item(&format!("{}{codes}", g.label), 2, 100));
                o.push_str(&wrap(&format!("add: {}", g.template), 4, 100));
            }
        }
        if !check.conflicts.is_empty() {
            let _ = writeln!(o, "\nContradictions");
            for c in &check.conflicts {
                o.push_str(&item(&c.what, 2, 100));
                for e in &c.evidence {
                    o.push_str(&wrap(&format!("“{}”", e.text), 4, 100));
                }
                o.push_str(&wrap(&c.suggestion, 4, 100));
            }
        }
        text(&o)?;
    }
    Ok(if check.ready_to_sign { Outcome::Ok } else { Outcome::Findings })
}
