//! `interspace-loadgen`: sends HTTP/1.1 requests at a constant rate and prints the latency
//! percentiles, measured from each request's scheduled send time (see the library's docs).

// Printing the report is this binary's job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::{Parser, ValueEnum};
use hyper::Uri;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use interspace_loadgen::{Config, run};

/// Open-loop, constant-rate HTTP/1.1 load generator: latency from each request's scheduled time.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Bodies ending in .json are sent with `Content-Type: application/json` unless a --header sets it.\n\nExamples:\n  interspace-loadgen --url http://127.0.0.1:8080/codes/22633 --rate 1000 --duration 30\n  interspace-loadgen --url http://127.0.0.1:8080/api/v1/analyze --method POST --body a.json --body b.json \\\n      --header 'Authorization: Bearer isk_…' --rate 500 --duration 30 --connections 64 --json"
)]
struct Args {
    /// The URL to request: http://HOST:PORT/PATH
    #[arg(long)]
    url: Uri,
    #[arg(long, value_enum, ignore_case = true, default_value = "GET")]
    method: HttpMethod,
    /// A request body file; repeat to cycle through several
    #[arg(long = "body", value_name = "FILE")]
    bodies: Vec<PathBuf>,
    /// A request header; repeatable
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Requests per second
    #[arg(long, default_value_t = 100.0, value_name = "REQ/S")]
    rate: f64,
    /// Length of the run in seconds
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    duration: f64,
    /// Keep-alive connections (each carries one request at a time)
    #[arg(long, default_value_t = 32, value_name = "N")]
    connections: usize,
    /// Response timeout in milliseconds; the connection is then replaced
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    timeout: u64,
    /// Runtime threads of the generator
    #[arg(long, default_value_t = 1, value_name = "N")]
    threads: usize,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Also write the report as JSON to this file
    #[arg(long, value_name = "FILE")]
    json_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "UPPER")]
enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match start(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn start(args: Args) -> Result<()> {
    let (json, json_file) = (args.json, args.json_file.clone());
    let threads = args.threads.max(1);
    let config = config(args)?;
    let runtime = if threads == 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()?
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build()?
    };
    let report = runtime.block_on(run(config))?;
    if let Some(path) = json_file {
        std::fs::write(&path, format!("{}\n", report.to_json()))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(())
}

fn config(args: Args) -> Result<Config> {
    if !(args.duration.is_finite() && args.duration > 0.0) {
        bail!("--duration must be a positive number of seconds");
    }
    let bodies = args
        .bodies
        .iter()
        .map(|path| std::fs::read(path).map(Bytes::from).with_context(|| format!("cannot read {}", path.display())))
        .collect::<Result<Vec<_>>>()?;
    let mut headers = args.headers.iter().map(|h| header(h)).collect::<Result<Vec<_>>>()?;
    let all_json = !args.bodies.is_empty() && args.bodies.iter().all(|p| p.extension().is_some_and(|e| e == "json"));
    if all_json && !headers.iter().any(|(name, _)| name == CONTENT_TYPE) {
        headers.push((CONTENT_TYPE, HeaderValue::from_static("application/json")));
    }
    let method = match args.method {
        HttpMethod::Get => hyper::Method::GET,
        HttpMethod::Post => hyper::Method::POST,
        HttpMethod::Put => hyper::Method::PUT,
        HttpMethod::Delete => hyper::Method::DELETE,
    };
    Ok(Config {
        url: args.url,
        method,
        bodies,
        headers,
        rate: args.rate,
        duration: Duration::from_secs_f64(args.duration),
        connections: args.connections,
        timeout: Duration::from_millis(args.timeout),
    })
}

/// `Name: value`.
fn header(text: &str) -> Result<(HeaderName, HeaderValue)> {
    let (name, value) = text.split_once(':').with_context(|| "a --header is written `Name: value`".to_string())?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).context("bad header name")?;
    let value = HeaderValue::from_str(value.trim()).context("bad header value")?;
    Ok((name, value))
}
