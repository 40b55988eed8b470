//! `interspace ask`: coding questions answered offline from the knowledge base, rules and data.

use std::fmt::Write;

use anyhow::Result;
use interspace_ask::{AnswerKind, Assistant};
use interspace_reference::Reference;

use crate::args::AskArgs;
use crate::output::{item, json, text, wrap};
use crate::{Outcome, UserError};

pub(crate) fn run(r: &Reference, args: &AskArgs) -> Result<Outcome> {
    let question = args.question.join(" ");
    if question.trim().is_empty() {
        return Err(UserError::new("no question given").hint("interspace ask \"can I bill 22840 with 22586\"").into());
    }
    let assistant = Assistant::new(r).map_err(|e| UserError::new(e.to_string()))?;
    let answer = assistant.ask(&question);
    if args.json {
        json(&answer)?;
    } else {
        let mut o = wrap(&answer.text, 0, 100);
        if !answer.citations.is_empty() {
            let _ = writeln!(o, "\nSources");
            for c in &answer.citations {
                o.push_str(&item(&format!("{:?} {} — {}", c.kind, c.id, c.detail), 2, 100));
            }
        }
        text(&o)?;
    }
    Ok(if answer.kind == AnswerKind::NotInData { Outcome::Findings } else { Outcome::Ok })
}
