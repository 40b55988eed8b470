//! One module per subcommand.

mod analyze;
mod ask;
mod bench;
mod check;
mod code;
mod data;
mod eval;
mod explain;
mod inspect;
mod necessity;
mod price;
mod scrub;
mod search;
mod serve;

use std::sync::Arc;

use anyhow::Result;
use interspace_knowledge::Knowledge;
use interspace_refdata::{RefData, Source};
use interspace_reference::Reference;

use crate::args::{Cli, Command, DataCommand};
use crate::{Outcome, UserError};

/// Loads the built-in data, overlaid by `--data` when given.
pub(crate) fn load_data(cli_data: Option<&std::path::Path>) -> Result<RefData> {
    let mut sources = vec![Source::Embedded];
    if let Some(dir) = cli_data {
        if !dir.is_dir() {
            let what = if dir.exists() { "is not a folder" } else { "does not exist" };
            return Err(UserError::new(format!("data folder `{}` {what}", dir.display()))
                .hint("create it with `interspace data import --out DIR …`, or drop --data / INTERSPACE_DATA")
                .into());
        }
        let has_year = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).any(|e| e.path().join("manifest.toml").is_file()))
            .unwrap_or(false);
        if !has_year {
            return Err(UserError::new(format!(
                "data folder `{}` holds no year folder (`<year>/manifest.toml`)",
                dir.display()
            ))
            .hint("give the folder that holds the year folders (what `interspace data import --out DIR` wrote), not a year folder itself")
            .into());
        }
        sources.push(Source::Dir(dir.to_path_buf()));
    }
    RefData::load(&sources).map_err(|e| data_errors("the reference data does not load", &e).into())
}

/// A data error for the user: the first problem on the `error:` line (file, line, column), any
/// others below it.
pub(crate) fn data_errors(what: &str, e: &interspace_refdata::DataErrors) -> UserError {
    let mut message = match e.0.first() {
        Some(first) => format!("{what}: {first}"),
        None => what.to_string(),
    };
    if e.0.len() > 1 {
        message.push_str(&format!("\n  and {} more problem(s):", e.0.len() - 1));
        for p in &e.0[1..] {
            message.push_str(&format!("\n  {p}"));
        }
    }
    UserError::new(message)
}

pub(crate) fn load_knowledge() -> Result<Knowledge> {
    Knowledge::load_embedded().map_err(|errors| {
        let text = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        UserError::new(format!("the knowledge base does not load:\n{text}")).into()
    })
}

pub(crate) fn reference(cli_data: Option<&std::path::Path>) -> Result<Reference> {
    Ok(Reference::new(Arc::new(load_data(cli_data)?), Arc::new(load_knowledge()?)))
}

pub(crate) fn engine(cli_data: Option<&std::path::Path>) -> Result<interspace_engine::Engine> {
    Ok(interspace_engine::Engine::new(Arc::new(load_data(cli_data)?), Arc::new(load_knowledge()?)))
}

pub(crate) fn run(cli: Cli) -> Result<Outcome> {
    let data = cli.data.as_deref();
    match cli.command {
        Command::Code(args) => code::run(&reference(data)?, &args),
        Command::Price(args) => price::run(&reference(data)?, &args),
        // Commands over input files read them first: a file that cannot be read is refused before
        // the reference data is loaded.
        Command::Analyze(args) => analyze::run(|| engine(data), &args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Eval(args) => eval::run(|| engine(data), &args),
        Command::Term(args) => search::term(&reference(data)?, &args),
        Command::Search(args) => search::search(&reference(data)?, &args),
        Command::Scrub(args) => scrub::run(|| engine(data), &args),
        Command::PriorAuth(args) => necessity::run(|| engine(data), &args),
        Command::Ask(args) => ask::run(&reference(data)?, &args),
        Command::Check(args) => check::run(|| engine(data), &args),
        Command::Explain(args) => explain::run(&reference(data)?, &args),
        Command::Bench(args) => bench::run(&args),
        Command::Serve(args) => serve::serve(engine(data)?, &args),
        Command::User(cmd) => serve::user(&cmd),
        Command::Data(DataCommand::List) => data::list(data),
        Command::Data(DataCommand::Check) => data::check(data),
        Command::Data(DataCommand::Import(args)) => data::import(data, &args),
    }
}
