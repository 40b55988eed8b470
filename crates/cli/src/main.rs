//! The `interspace` binary: argument parsing and glue around the library crates.
//!
//! This crate is the only one that prints. Exit codes: 0 success, 1 findings (a scrub with
//! error-severity edits, documentation gaps), 2 usage or input errors.

// Printing is this crate's job; the workspace denies it elsewhere.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod line;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// An error the user can fix: what went wrong, and hints.
#[derive(Debug)]
pub(crate) struct UserError {
    pub message: String,
    pub hints: Vec<String>,
}

impl UserError {
    pub(crate) fn new(message: impl Into<String>) -> UserError {
        UserError { message: message.into(), hints: Vec::new() }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> UserError {
        self.hints.push(hint.into());
        self
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// What a command reports back to `main`.
pub(crate) enum Outcome {
    Ok,
    /// The command ran and found problems (exit 1).
    Findings,
}

/// mimalloc: the analyzer makes many small, short-lived vectors per note, which it serves
/// faster than the system allocator (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            let kind = e
                .downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind)
                .or_else(|| e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind));
            if kind == Some(std::io::ErrorKind::BrokenPipe) {
                // `interspace … | head` closing the pipe is not an error.
                return ExitCode::SUCCESS;
            }
            let mut err = std::io::stderr().lock();
            match e.downcast_ref::<UserError>() {
                Some(u) => {
                    let _ = writeln!(err, "error: {}", u.message);
                    for h in &u.hints {
                        let _ = writeln!(err, "  hint: {h}");
                    }
                }
                None => {
                    let _ = writeln!(err, "error: {e:#}");
                }
            }
            ExitCode::from(2)
        }
    }
}
