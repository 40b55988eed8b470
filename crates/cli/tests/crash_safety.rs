//! Crash safety of the work queue, end to end: the real `interspace serve` is killed with
//! `kill -9` (SIGKILL) while clients write to the work queue, then restarted, in a loop, on SQLite
//! and on PostgreSQL.
//!
//! Clients submit notes from `corpus/notes`, take the cases, accept, adjust, remove and add lines
//! with reasons, and finalize, over plain HTTP/1.1. A write is *acknowledged* when its complete 2xx
//! answer arrived. After every restart:
//!
//! - every acknowledged change is there, with the values its answer showed;
//! - the audit trail of each case replays, entry by entry, to exactly the case as stored (so every
//!   change has its entry, with the right before and after values, and no case is half-written);
//!   change entries carry the versions 1, 2, … without gap; ids and times only grow;
//! - audit entries seen before a crash are still there, unchanged (append-only);
//! - a write in flight at the kill (no complete answer) is there entirely or not at all, and an
//!   unanswered submission that was not there after one restart never appears later;
//! - at the end, the whole audit trail names only cases that exist and counts one change entry per
//!   version of each, and SQLite's `PRAGMA integrity_check` passes (when the `sqlite3` tool is
//!   installed).
//!
//! Knobs: `INTERSPACE_CRASH_ITERATIONS` (kills per backend, default 5),
//! `INTERSPACE_CRASH_SEED` (replays the kill delays and the clients' choices; thread timing still
//! varies). PostgreSQL: a fresh database on the server of `INTERSPACE_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`), created and dropped with `psql`; when it is
//! unreachable the test fails, unless `INTERSPACE_SKIP_POSTGRES=1`.
//!
//! Operative notes are PHI: nothing here prints note text or case JSON, only ids, counts,
//! versions, codes, statuses and the test's own titles and reasons.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use interspace_store::{Store, Timestamp};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_interspace");
const DEFAULT_ITERATIONS: u64 = 5;
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD: &str = "crash-safety-passphrase-7";
/// Client threads writing at once; even ones act as the admin, odd ones as a coder.
const WORKERS: usize = 4;
/// After this many writes to one case, its client finalizes it.
const MAX_OPS_PER_CASE: u32 = 14;
/// The kill comes this long after the clients start: at least the first, less than the sum.
const KILL_AFTER_MS: (u64, u64) = (30, 1200);
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
const START_TIMEOUT: Duration = Duration::from_secs(180);
const REASON_ADJUST: &str = "crash test: units and modifiers per the operative note";
const REASON_REMOVE: &str = "crash test: not documented";
const REASON_ADD: &str = "crash test: documented but not proposed";

#[test]
fn sqlite_work_queue_survives_kill_9_loop() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let url = format!("sqlite://{}", path.display());
    crash_loop("sqlite", &url, dir.path());
    sqlite_integrity_check(&path);
}

#[test]
fn postgres_work_queue_survives_kill_9_loop() {
    let Some(database) = PostgresDatabase::create() else { return };
    let dir = tempfile::tempdir().unwrap();
    crash_loop("postgres", &database.url, dir.path());
}

// ---------------------------------------------------------------------------------------------
// The loop

fn crash_loop(backend: &str, url: &str, dir: &Path) {
    let iterations = env_u64("INTERSPACE_CRASH_ITERATIONS").unwrap_or(DEFAULT_ITERATIONS);
    let seed = env_u64("INTERSPACE_CRASH_SEED").unwrap_or_else(clock_seed);
    note(&format!(
        "crash safety ({backend}): {iterations} iterations, seed {seed} (INTERSPACE_CRASH_SEED={seed} replays it)"
    ));
    let notes = Arc::new(load_notes());
    let log = dir.join("server.log");
    let keys = setup_users(url);
    let mut rng = Rng::new(seed ^ fnv(backend));
    let mut records: Vec<Record> = Vec::new();
    let mut stats = Stats::default();
    let started = Instant::now();

    for iteration in 0..iterations {
        let server = Server::start(url, &log);
        check(verify(server.port, &keys[0], &mut records, &mut stats, false), backend, iteration, seed, &log);

        // Clients continue the open cases they own and submit new ones, until the server dies.
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for index in 0..WORKERS {
            let (mine, rest): (Vec<Record>, Vec<Record>) =
                records.drain(..).partition(|record| record.owner == index && record.resumable());
            records = rest;
            let worker = Worker {
                index,
                backend: backend.to_owned(),
                iteration,
                key: keys[index % 2].clone(),
                port: server.port,
                rng: Rng::new(rng.next()),
                notes: notes.clone(),
                stop: stop.clone(),
                records: mine,
                stats: Stats::default(),
                failures: Vec::new(),
                next_title: 0,
            };
            handles.push(std::thread::spawn(move || worker.run()));
        }
        std::thread::sleep(Duration::from_millis(KILL_AFTER_MS.0 + rng.below(KILL_AFTER_MS.1)));
        server.kill_9();
        stop.store(true, Ordering::SeqCst);
        stats.kills += 1;
        let mut failures = Vec::new();
        let in_doubt_before = stats.in_doubt;
        for handle in handles {
            let worker = handle.join().expect("a client thread panicked");
            records.extend(worker.records);
            stats.add(&worker.stats);
            failures.extend(worker.failures);
        }
        if stats.in_doubt > in_doubt_before {
            stats.kills_mid_write += 1;
        }
        check(Err(failures), backend, iteration, seed, &log);
        if iterations >= 20 && (iteration + 1) % 10 == 0 {
            note(&format!(
                "crash safety ({backend}): {} of {iterations} kills, {} writes acknowledged, {:.0?}",
                iteration + 1,
                stats.acked,
                started.elapsed()
            ));
        }
    }

    // The last restart: check every case, not only those touched since the previous restart.
    let server = Server::start(url, &log);
    check(verify(server.port, &keys[0], &mut records, &mut stats, true), backend, iterations, seed, &log);
    server.kill_9();
    check(whole_audit_trail(url, &records), backend, iterations, seed, &log);
    assert_eq!(stats.verified, stats.acked, "every acknowledged write must be verified at the end");

    let cases = records.iter().filter(|record| record.id.is_some()).count();
    let finalized = records.iter().filter(|r| r.state.as_ref().is_some_and(|s| s.status == "finalized")).count();
    note(&format!(
        "crash safety ({backend}): {iterations} iterations, {} kills ({} with writes in flight), {} writes sent, \
         {} acknowledged, {} verified after restart, {} in flight at a kill ({} applied whole, {} absent), \
         {} cases ({finalized} finalized), {} 5xx answers, seed {seed}, {:.1?}",
        stats.kills,
        stats.kills_mid_write,
        stats.sent,
        stats.acked,
        stats.verified,
        stats.in_doubt,
        stats.in_doubt_applied,
        stats.in_doubt_absent,
        cases,
        stats.server_errors,
        started.elapsed()
    ));
}

/// Panics with the failures, if any, and what replays the run.
fn check(result: Result<(), Vec<String>>, backend: &str, iteration: u64, seed: u64, log: &Path) {
    let failures = match result {
        Ok(()) => return,
        Err(failures) if failures.is_empty() => return,
        Err(failures) => failures,
    };
    let mut message = format!(
        "crash safety ({backend}) failed after kill {iteration} (seed {seed}): {} problem(s)\n",
        failures.len()
    );
    for failure in failures.iter().take(30) {
        let _ = writeln!(message, "  - {failure}");
    }
    let _ = writeln!(message, "server log (no note text):\n{}", tail(log, 30));
    panic!("{message}");
}

#[derive(Default)]
struct Stats {
    sent: u64,
    acked: u64,
    verified: u64,
    in_doubt: u64,
    in_doubt_applied: u64,
    in_doubt_absent: u64,
    kills: u64,
    kills_mid_write: u64,
    server_errors: u64,
}

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.sent += other.sent;
        self.acked += other.acked;
        self.in_doubt += other.in_doubt;
        self.server_errors += other.server_errors;
    }
}

// ---------------------------------------------------------------------------------------------
// What the clients know

/// A line as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line {
    position: u32,
    token: String,
    status: String,
    reason: Option<String>,
}

/// A case as the API shows it, without its note and report.
#[derive(Clone, Debug, PartialEq, Eq)]
struct State {
    version: i64,
    status: String,
    assignee: Option<i64>,
    lines: Vec<Line>,
}

impl State {
    /// For messages: versions, statuses and codes only.
    fn describe(&self) -> String {
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|l| {
                format!("{} {} {}{}", l.position, l.token, l.status, if l.reason.is_some() { " (reason)" } else { "" })
            })
            .collect();
        format!("v{} {} assignee {:?} [{}]", self.version, self.status, self.assignee, lines.join(", "))
    }
}

/// A case a client submitted (or tried to).
#[derive(Default)]
struct Record {
    title: String,
    owner: usize,
    id: Option<String>,
    /// The case as the server last acknowledged it, or as verified after a restart.
    state: Option<State>,
    /// Every acknowledged change: its version, its audit action and the case its answer showed.
    acked: Vec<(i64, &'static str, State)>,
    /// A write sent without a complete answer, not yet settled.
    in_doubt: Option<Op>,
    /// Not in the database: its submission was never sent, or never answered and not found after
    /// the next restart. It must never appear.
    absent: bool,
    /// Written to since the last verification.
    touched: bool,
    /// Refused with a 4xx during this run of the clients: left alone until the next restart.
    blocked: bool,
    /// The audit entries seen at the last verification: (id, action, detail), which must stay.
    audit_seen: Vec<(i64, String, String)>,
    ops: u32,
}

impl Record {
    fn resumable(&self) -> bool {
        self.id.is_some()
            && !self.absent
            && !self.blocked
            && self.in_doubt.is_none()
            && self.state.as_ref().is_some_and(|state| state.status != "finalized")
    }
}

#[derive(Clone, Debug)]
enum Op {
    Submit { note: usize },
    Assign,
    Accept(u32),
    Adjust(u32, String),
    Remove(u32),
    Add(String),
    Finalize,
}

impl Op {
    fn action(&self) -> &'static str {
        match self {
            Op::Submit { .. } => "submit",
            Op::Assign => "assign",
            Op::Accept(_) => "accept_line",
            Op::Adjust(..) => "adjust_line",
            Op::Remove(_) => "remove_line",
            Op::Add(_) => "add_line",
            Op::Finalize => "finalize",
        }
    }

    fn position(&self) -> Option<u32> {
        match self {
            Op::Accept(p) | Op::Adjust(p, _) | Op::Remove(p) => Some(*p),
            _ => None,
        }
    }
}

/// The API's spelling of a line: `CODE[-MOD…][xUNITS]`.
fn token(code: &str, modifiers: &str, units: u64) -> String {
    let mut token = code.to_owned();
    for modifier in modifiers.split_whitespace() {
        token.push('-');
        token.push_str(modifier);
    }
    if units != 1 {
        token.push_str(&format!("x{units}"));
    }
    token
}

fn code_of(token: &str) -> &str {
    token.split(['-', 'x']).next().unwrap_or(token)
}

/// The id and state of a case from the API's case JSON (its note and report are not kept).
fn state_of(case: &Value) -> Result<(String, State), String> {
    let id = case["id"].as_str().ok_or("case JSON without id")?.to_owned();
    let lines = case["lines"]
        .as_array()
        .ok_or("case JSON without lines")?
        .iter()
        .map(|line| {
            Ok(Line {
                position: line["position"]
                    .as_u64()
                    .and_then(|p| u32::try_from(p).ok())
                    .ok_or("line without position")?,
                token: line["token"].as_str().ok_or("line without token")?.to_owned(),
                status: line["status"].as_str().ok_or("line without status")?.to_owned(),
                reason: line["reason"].as_str().map(str::to_owned),
            })
        })
        .collect::<Result<Vec<Line>, &str>>()?;
    let state = State {
        version: case["version"].as_i64().ok_or("case JSON without version")?,
        status: case["status"].as_str().ok_or("case JSON without status")?.to_owned(),
        assignee: case["assignee"].as_i64(),
        lines,
    };
    Ok((id, state))
}

/// Whether the answer to `op` shows `op` applied to `before`, and nothing else.
fn check_answer(op: &Op, before: Option<&State>, after: &State) -> Result<(), String> {
    let expected_version = before.map_or(1, |state| state.version + 1);
    if after.version != expected_version {
        return Err(format!("answered version {}, expected {expected_version}", after.version));
    }
    let line = |position: u32| after.lines.iter().find(|line| line.position == position);
    let ok = match (op, before) {
        (Op::Submit { .. }, _) => {
            after.status == "queued"
                && after.assignee.is_none()
                && after.lines.iter().zip(1..).all(|(line, position)| line.position == position)
                && after.lines.iter().all(|line| line.status == "proposed")
        }
        (Op::Assign, Some(before)) => {
            after.status == "in_progress" && after.assignee.is_some() && after.lines == before.lines
        }
        (Op::Accept(p), Some(_)) => line(*p).is_some_and(|line| line.status == "accepted" && line.reason.is_none()),
        (Op::Adjust(p, token), Some(_)) => line(*p).is_some_and(|line| {
            &line.token == token
                && (line.status == "adjusted" || line.status == "added")
                && line.reason.as_deref() == Some(REASON_ADJUST)
        }),
        (Op::Remove(p), Some(_)) => {
            line(*p).is_some_and(|line| line.status == "removed" && line.reason.as_deref() == Some(REASON_REMOVE))
        }
        (Op::Add(token), Some(before)) => {
            after.lines.len() == before.lines.len() + 1
                && after.lines.last().is_some_and(|line| {
                    &line.token == token
                        && line.status == "added"
                        && line.position as usize == after.lines.len()
                        && line.reason.as_deref() == Some(REASON_ADD)
                })
        }
        (Op::Finalize, Some(before)) => after.status == "finalized" && after.lines == before.lines,
        (_, None) => false,
    };
    let others_unchanged = match (op.position(), before) {
        (Some(p), Some(before)) => {
            after.status == "in_progress"
                && after.lines.len() == before.lines.len()
                && after.lines.iter().zip(&before.lines).all(|(a, b)| a.position == p || a == b)
        }
        _ => true,
    };
    if ok && others_unchanged {
        Ok(())
    } else {
        Err(format!("the answer does not show the change: {}", after.describe()))
    }
}

// ---------------------------------------------------------------------------------------------
// The clients

struct Worker {
    index: usize,
    backend: String,
    iteration: u64,
    key: String,
    port: u16,
    rng: Rng,
    notes: Arc<Vec<String>>,
    stop: Arc<AtomicBool>,
    records: Vec<Record>,
    stats: Stats,
    failures: Vec<String>,
    next_title: u32,
}

impl Worker {
    fn run(mut self) -> Worker {
        while !self.stop.load(Ordering::SeqCst) {
            let at = match self.records.iter().position(Record::resumable) {
                Some(at) => at,
                None => {
                    let title = format!("crash-{}-{}-{}-{}", self.backend, self.iteration, self.index, self.next_title);
                    self.next_title += 1;
                    self.records.push(Record { title, owner: self.index, ..Record::default() });
                    self.records.len() - 1
                }
            };
            let op = match &self.records[at].state {
                None => Op::Submit { note: self.rng.below(self.notes.len() as u64) as usize },
                Some(state) => next_op(state, self.records[at].ops, &mut self.rng),
            };
            if !self.write(at, op) {
                break;
            }
        }
        self
    }

    /// Sends one write and records what came of it; false once the server is gone.
    fn write(&mut self, at: usize, op: Op) -> bool {
        let record = &self.records[at];
        let (path, body) = match (&op, &record.id) {
            (Op::Submit { note }, _) => {
                ("/api/v1/cases".to_owned(), json!({ "title": record.title, "text": self.notes[*note] }))
            }
            (_, None) => unreachable!("only a submission has no case id"),
            (Op::Assign, Some(id)) => (
                format!("/api/v1/cases/{id}/assign"),
                json!({ "expected_version": record.state.as_ref().map(|s| s.version) }),
            ),
            (Op::Accept(p), Some(id)) => (format!("/api/v1/cases/{id}/lines/{p}"), json!({ "action": "accept" })),
            (Op::Adjust(p, token), Some(id)) => (
                format!("/api/v1/cases/{id}/lines/{p}"),
                json!({ "action": "adjust", "line": token, "reason": REASON_ADJUST }),
            ),
            (Op::Remove(p), Some(id)) => {
                (format!("/api/v1/cases/{id}/lines/{p}"), json!({ "action": "remove", "reason": REASON_REMOVE }))
            }
            (Op::Add(token), Some(id)) => {
                (format!("/api/v1/cases/{id}/lines"), json!({ "line": token, "reason": REASON_ADD }))
            }
            (Op::Finalize, Some(id)) => (
                format!("/api/v1/cases/{id}/finalize"),
                json!({ "expected_version": record.state.as_ref().map(|s| s.version) }),
            ),
        };
        let reply = call(self.port, "POST", &path, Some(&self.key), Some(&body));
        let record = &mut self.records[at];
        if matches!(reply, Reply::NotSent) {
            // Nothing reached the server: nothing may have changed.
            if record.id.is_none() {
                record.absent = true;
            }
            return false;
        }
        self.stats.sent += 1;
        record.touched = true;
        record.ops += 1;
        let what = format!("{} of {}", op.action(), record.id.as_deref().unwrap_or(&record.title));
        match reply {
            Reply::Ack(answer) => {
                let checked = state_of(&answer).and_then(|(id, state)| {
                    if record.id.as_ref().is_some_and(|known| *known != id) {
                        return Err(format!("answered for case {id}"));
                    }
                    check_answer(&op, record.state.as_ref(), &state)?;
                    Ok((id, state))
                });
                drop(answer);
                match checked {
                    Ok((id, state)) => {
                        self.stats.acked += 1;
                        record.id = Some(id);
                        record.acked.push((state.version, op.action(), state.clone()));
                        record.state = Some(state);
                    }
                    Err(problem) => {
                        self.failures.push(format!("{what}: {problem}"));
                        record.blocked = true;
                    }
                }
                true
            }
            Reply::Refused(status, code) => {
                self.failures.push(format!("{what}: refused with HTTP {status} {code}"));
                record.blocked = true;
                true
            }
            Reply::InDoubt(why) => {
                self.stats.in_doubt += 1;
                record.in_doubt = Some(op);
                // A 5xx came from a live server: go on with another case. A cut connection means
                // the server died (or is dying, its port still taking connections): stop here.
                let live = why.starts_with("HTTP ");
                if live {
                    self.stats.server_errors += 1;
                }
                live
            }
            Reply::NotSent => unreachable!("handled above"),
        }
    }
}

/// The next write a coder would make on an open case.
fn next_op(state: &State, ops: u32, rng: &mut Rng) -> Op {
    if state.assignee.is_none() {
        return Op::Assign;
    }
    if let Some(line) = state.lines.iter().find(|line| line.status == "proposed") {
        return match rng.below(10) {
            0..=4 => Op::Accept(line.position),
            5..=7 => Op::Adjust(line.position, adjusted(&line.token, rng)),
            _ => Op::Remove(line.position),
        };
    }
    if ops < MAX_OPS_PER_CASE {
        if state.lines.is_empty() || (state.lines.len() < 12 && rng.below(5) == 0) {
            let codes = ["20936", "22853", "63048x2", "22840"];
            return Op::Add(codes[rng.below(codes.len() as u64) as usize].to_owned());
        }
        if rng.below(5) == 0 {
            let line = &state.lines[rng.below(state.lines.len() as u64) as usize];
            return Op::Adjust(line.position, adjusted(&line.token, rng));
        }
    }
    Op::Finalize
}

fn adjusted(token: &str, rng: &mut Rng) -> String {
    let suffixes = ["x2", "-XS", "-59", "-XSx3"];
    format!("{}{}", code_of(token), suffixes[rng.below(suffixes.len() as u64) as usize])
}

// ---------------------------------------------------------------------------------------------
// Checking after a restart

/// Checks the cases written since the last restart (all cases when `all`) against what the
/// clients were told, and settles the writes left in doubt.
fn verify(port: u16, key: &str, records: &mut [Record], stats: &mut Stats, all: bool) -> Result<(), Vec<String>> {
    let mut failures = Vec::new();
    let listed = list_cases(port, key).map_err(|problem| vec![problem])?;
    let mut by_title: HashMap<&str, &Value> = HashMap::new();
    for summary in &listed {
        let title = summary["title"].as_str().unwrap_or_default();
        if by_title.insert(title, summary).is_some() {
            failures.push(format!("two cases are titled {title}"));
        }
    }
    let known: HashMap<&str, &Record> = records.iter().map(|record| (record.title.as_str(), record)).collect();
    for (title, summary) in &by_title {
        let id = summary["id"].as_str().unwrap_or_default();
        match known.get(title) {
            None => failures.push(format!("case {id} ({title}) is in the database, but no client submitted it")),
            Some(record) if record.absent => failures.push(format!(
                "case {id} ({title}) appeared, but its unanswered submission was absent after an earlier restart"
            )),
            Some(_) => {}
        }
    }
    for record in records.iter_mut().filter(|record| (all || record.touched) && !record.absent) {
        let summary = by_title.get(record.title.as_str()).copied();
        match (&record.id, summary) {
            (None, None) => {
                // An unanswered submission that did not happen.
                if record.in_doubt.take().is_some() {
                    stats.in_doubt_absent += 1;
                }
                record.absent = true;
                record.touched = false;
            }
            (Some(id), None) => failures.push(format!("acknowledged case {id} ({}) is lost", record.title)),
            (_, Some(summary)) => {
                if let Err(problem) = verify_case(port, key, record, summary, stats, all) {
                    failures.push(format!(
                        "case {} ({}): {problem}",
                        record.id.as_deref().unwrap_or("?"),
                        record.title
                    ));
                }
            }
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(failures) }
}

fn verify_case(
    port: u16,
    key: &str,
    record: &mut Record,
    summary: &Value,
    stats: &mut Stats,
    count_verified: bool,
) -> Result<(), String> {
    let id = summary["id"].as_str().ok_or("listed without id")?.to_owned();
    if record.id.as_ref().is_some_and(|known| *known != id) {
        return Err(format!("listed under another id, {id}"));
    }
    let case = match call(port, "GET", &format!("/api/v1/cases/{id}"), Some(key), None) {
        Reply::Ack(case) => case,
        _ => return Err("cannot be opened".to_owned()),
    };
    let (_, actual) = state_of(&case)?;
    drop(case);
    let entries = match call(port, "GET", &format!("/api/v1/cases/{id}/audit"), Some(key), None) {
        Reply::Ack(Value::Array(entries)) => entries,
        _ => return Err("its audit trail cannot be read".to_owned()),
    };
    // The listing agrees with the case.
    if summary["version"].as_i64() != Some(actual.version)
        || summary["lines_total"].as_u64() != Some(actual.lines.len() as u64)
        || summary["status"].as_str() != Some(actual.status.as_str())
    {
        return Err(format!("the listing disagrees with the case {}", actual.describe()));
    }
    // Append-only: what was seen before is still there, unchanged.
    let seen: Vec<(i64, String, String)> = entries
        .iter()
        .map(|e| {
            (e["id"].as_i64().unwrap_or(-1), e["action"].as_str().unwrap_or("").to_owned(), e["detail"].to_string())
        })
        .collect();
    if !seen.starts_with(&record.audit_seen) {
        return Err(format!(
            "audit entries seen before the crash changed or vanished ({} seen then, {} now)",
            record.audit_seen.len(),
            seen.len()
        ));
    }
    // The trail replays to the case as stored.
    let (states, change_actions) = replay(&id, &entries)?;
    let Some(replayed) = states.last() else { return Err("no submit entry".to_owned()) };
    if *replayed != actual {
        return Err(format!("the audit trail replays to {}, the case is {}", replayed.describe(), actual.describe()));
    }
    // Every acknowledged change is there, with the values its answer showed.
    for (version, action, answered) in &record.acked {
        let at = usize::try_from(*version - 1).map_err(|_| "bad version")?;
        match (states.get(at), change_actions.get(at)) {
            (Some(state), Some(logged)) if state == answered && logged == action => {}
            (Some(state), Some(logged)) => {
                return Err(format!(
                    "acknowledged {action} at version {version} ({}) is now {logged} ({})",
                    answered.describe(),
                    state.describe()
                ));
            }
            _ => return Err(format!("acknowledged {action} at version {version} is lost")),
        }
        if count_verified {
            stats.verified += 1;
        }
    }
    // Nothing changed without an answer, except the one write in doubt, whole or not at all.
    let last_acked = record.state.as_ref().map_or(0, |state| state.version);
    match record.in_doubt.take() {
        None if actual.version == last_acked => {}
        None => return Err(format!("at version {}, but the last acknowledged is {last_acked}", actual.version)),
        Some(op) if actual.version == last_acked => {
            let _ = op;
            stats.in_doubt_absent += 1;
        }
        Some(op) if actual.version == last_acked + 1 && change_actions.last().copied() == Some(op.action()) => {
            stats.in_doubt_applied += 1;
        }
        Some(op) => {
            return Err(format!(
                "the unanswered {} left it at version {} ({}), after acknowledged version {last_acked}",
                op.action(),
                actual.version,
                change_actions.last().copied().unwrap_or("?")
            ));
        }
    }
    record.id = Some(id);
    record.state = Some(actual);
    record.audit_seen = seen;
    record.touched = false;
    record.blocked = false;
    Ok(())
}

/// Replays a case's audit trail: the case after each version, and each version's action.
fn replay(case_id: &str, entries: &[Value]) -> Result<(Vec<State>, Vec<&'static str>), String> {
    let mut states: Vec<State> = Vec::new();
    let mut actions: Vec<&'static str> = Vec::new();
    let mut last: Option<(i64, Timestamp)> = None;
    for entry in entries {
        let id = entry["id"].as_i64().ok_or("an audit entry without id")?;
        let at: Timestamp = entry["at"].as_str().and_then(|at| at.parse().ok()).ok_or("an audit entry without time")?;
        if let Some((last_id, last_at)) = last {
            if id <= last_id {
                return Err(format!("audit entry {id} comes after {last_id}"));
            }
            if at < last_at {
                return Err(format!("audit entry {id} is older than entry {last_id} before it"));
            }
        }
        last = Some((id, at));
        if entry["case_id"].as_str() != Some(case_id) {
            return Err(format!("audit entry {id} names another case"));
        }
        let action = entry["action"].as_str().ok_or("an audit entry without action")?;
        let detail = &entry["detail"];
        let version = detail["version"].as_i64().ok_or_else(|| format!("audit entry {id} has no version"))?;
        let bad = |what: &str| format!("audit entry {id} ({action}, version {version}): {what}");
        if action == "read" {
            if states.last().map(|state| state.version) != Some(version) {
                return Err(bad("a read of another version than the case had"));
            }
            continue;
        }
        let next = if action == "submit" {
            if !states.is_empty() || version != 1 {
                return Err(bad("a submission must come first, at version 1"));
            }
            let lines = detail["lines"]
                .as_array()
                .ok_or_else(|| bad("no lines"))?
                .iter()
                .zip(1..)
                .map(|(line, position)| audit_line(position, line, Some("proposed")))
                .collect::<Option<Vec<Line>>>()
                .ok_or_else(|| bad("a line cannot be read"))?;
            State { version: 1, status: "queued".to_owned(), assignee: None, lines }
        } else {
            let mut state = states.last().cloned().ok_or_else(|| bad("a change before the submission"))?;
            if version != state.version + 1 {
                return Err(bad(&format!("expected version {}", state.version + 1)));
            }
            state.version = version;
            let (before, after) = (&detail["before"], &detail["after"]);
            match action {
                "assign" | "finalize" => {
                    if before["status"].as_str() != Some(state.status.as_str())
                        || (action == "assign" && before["assignee"].as_i64() != state.assignee)
                    {
                        return Err(bad("its `before` is not the case as it was"));
                    }
                    state.status = after["status"].as_str().ok_or_else(|| bad("no status after"))?.to_owned();
                    if action == "assign" {
                        state.assignee = after["assignee"].as_i64();
                    }
                }
                "accept_line" | "adjust_line" | "remove_line" | "add_line" => {
                    let position = detail["position"].as_u64().and_then(|p| u32::try_from(p).ok());
                    let position = position.ok_or_else(|| bad("no position"))?;
                    let after = audit_line(position, after, None).ok_or_else(|| bad("no line after"))?;
                    if action == "add_line" {
                        if !before.is_null() || position as usize != state.lines.len() + 1 {
                            return Err(bad("an added line must come next, from nothing"));
                        }
                        state.lines.push(after);
                    } else {
                        let index = state
                            .lines
                            .iter()
                            .position(|line| line.position == position)
                            .ok_or_else(|| bad("no such line"))?;
                        if audit_line(position, before, None).as_ref() != Some(&state.lines[index]) {
                            return Err(bad("its `before` is not the line as it was"));
                        }
                        state.lines[index] = after;
                    }
                    if state.status == "queued" {
                        state.status = "in_progress".to_owned();
                    }
                }
                _ => return Err(bad("an action the clients never take")),
            }
            state
        };
        states.push(next);
        actions.push(match action {
            "submit" => "submit",
            "assign" => "assign",
            "accept_line" => "accept_line",
            "adjust_line" => "adjust_line",
            "remove_line" => "remove_line",
            "add_line" => "add_line",
            _ => "finalize",
        });
    }
    Ok((states, actions))
}

/// A line as an audit entry records it.
fn audit_line(position: u32, line: &Value, status: Option<&str>) -> Option<Line> {
    Some(Line {
        position,
        token: token(line["code"].as_str()?, line["modifiers"].as_str()?, line["units"].as_u64()?),
        status: status.or(line["status"].as_str())?.to_owned(),
        reason: line["reason"].as_str().map(str::to_owned),
    })
}

/// Every case, through the API's listing (no note text).
fn list_cases(port: u16, key: &str) -> Result<Vec<Value>, String> {
    let mut all = Vec::new();
    loop {
        let path = format!("/api/v1/cases?limit=500&offset={}", all.len());
        match call(port, "GET", &path, Some(key), None) {
            Reply::Ack(Value::Array(page)) => {
                let done = page.len() < 500;
                all.extend(page);
                if done {
                    return Ok(all);
                }
            }
            _ => return Err("the case listing failed after the restart".to_owned()),
        }
    }
}

/// The whole audit trail, read with the store itself after the last kill: ids only grow, case
/// entries name only cases that exist, and each case has one change entry per version.
fn whole_audit_trail(url: &str, records: &[Record]) -> Result<(), Vec<String>> {
    let versions: HashMap<String, i64> =
        records.iter().filter_map(|record| Some((record.id.clone()?, record.state.as_ref()?.version))).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = Store::open(url).await.map_err(|e| vec![format!("reopening the store: {e}")])?;
        let mut failures = Vec::new();
        let mut changes: HashMap<String, i64> = HashMap::new();
        let mut after = None;
        loop {
            let page = store.audit_all(1000, after).await.map_err(|e| vec![format!("reading the audit trail: {e}")])?;
            for entry in &page {
                if after.is_some_and(|last| entry.id <= last) {
                    failures.push(format!("audit entry {} comes after {}", entry.id, after.unwrap_or_default()));
                }
                after = Some(entry.id);
                let Some(case) = entry.case_id else { continue };
                let case = case.to_string();
                if !versions.contains_key(&case) {
                    failures.push(format!("audit entry {} names case {case}, which does not exist", entry.id));
                } else if entry.action.as_str() != "read" {
                    *changes.entry(case).or_default() += 1;
                }
            }
            if page.len() < 1000 {
                break;
            }
        }
        store.close().await;
        for (case, version) in &versions {
            let logged = changes.get(case).copied().unwrap_or_default();
            if logged != *version {
                failures.push(format!("case {case} is at version {version} with {logged} change entries"));
            }
        }
        if failures.is_empty() { Ok(()) } else { Err(failures) }
    })
}

fn sqlite_integrity_check(path: &Path) {
    let output = Command::new("sqlite3").arg(path).arg("PRAGMA integrity_check; PRAGMA foreign_key_check;").output();
    match output {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            assert_eq!(text.trim(), "ok", "PRAGMA integrity_check / foreign_key_check of the SQLite file");
            note("crash safety (sqlite): PRAGMA integrity_check ok, foreign_key_check clean");
        }
        Ok(output) => panic!("sqlite3 failed: {}", String::from_utf8_lossy(&output.stderr).trim()),
        Err(_) => note("note: the sqlite3 tool is not installed; PRAGMA integrity_check skipped"),
    }
}

// ---------------------------------------------------------------------------------------------
// The server process and HTTP

struct Server {
    child: Option<Child>,
    port: u16,
}

impl Server {
    /// Starts `interspace serve` on a free port and waits until it answers.
    fn start(url: &str, log: &Path) -> Server {
        for _ in 0..5 {
            let port = free_port();
            let log_file = std::fs::File::options().create(true).append(true).open(log).unwrap();
            let child = Command::new(BIN)
                .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db", url])
                .env("RUST_LOG", "warn")
                .env_remove("INTERSPACE_DB")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log_file)
                .spawn()
                .expect("start interspace serve");
            let mut server = Server { child: Some(child), port };
            let deadline = Instant::now() + START_TIMEOUT;
            loop {
                if server.child.as_mut().unwrap().try_wait().unwrap().is_some() {
                    break; // The port was taken meanwhile, or the database refused: try again.
                }
                if healthy(port) {
                    return server;
                }
                assert!(Instant::now() < deadline, "interspace serve did not answer; its log:\n{}", tail(log, 30));
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("interspace serve did not start; its log:\n{}", tail(log, 30));
    }

    /// SIGKILL: no shutdown code runs.
    fn kill_9(mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill -9 the server");
            child.wait().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

enum Reply {
    /// A complete 2xx answer with a JSON body: acknowledged.
    Ack(Value),
    /// A complete 4xx answer: refused, nothing changed. (Status and error code.)
    Refused(u16, String),
    /// Sent, but no complete answer, or a 5xx: it may or may not have happened.
    InDoubt(String),
    /// No connection: nothing was sent.
    NotSent,
}

enum Exchange {
    NotSent,
    Broken(String),
    Complete(u16, Vec<u8>),
}

fn call(port: u16, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> Reply {
    let body = body.map(Value::to_string);
    match exchange(port, method, path, key, body.as_deref()) {
        Exchange::NotSent => Reply::NotSent,
        Exchange::Broken(why) => Reply::InDoubt(why),
        Exchange::Complete(status, body) if (200..300).contains(&status) => match serde_json::from_slice(&body) {
            Ok(value) => Reply::Ack(value),
            Err(_) => Reply::InDoubt(format!("HTTP {status} without a JSON body")),
        },
        Exchange::Complete(status, body) if (400..500).contains(&status) => {
            let code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|error| error["error"]["code"].as_str().map(str::to_owned))
                .unwrap_or_default();
            Reply::Refused(status, code)
        }
        Exchange::Complete(status, _) => Reply::InDoubt(format!("HTTP {status}")),
    }
}

fn healthy(port: u16) -> bool {
    matches!(exchange(port, "GET", "/healthz", None, None), Exchange::Complete(200, _))
}

/// One HTTP/1.1 request on a fresh connection; the answer is complete when its whole body (by
/// `Content-Length`, or chunked) arrived.
fn exchange(port: u16, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> Exchange {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(5)) else {
        return Exchange::NotSent;
    };
    let _ = stream.set_read_timeout(Some(HTTP_TIMEOUT));
    let _ = stream.set_write_timeout(Some(HTTP_TIMEOUT));
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(key) = key {
        let _ = write!(request, "Authorization: Bearer {key}\r\n");
    }
    let body = body.unwrap_or_default();
    if method == "POST" {
        request.push_str("Content-Type: application/json\r\n");
    }
    let _ = write!(request, "Content-Length: {}\r\n\r\n{body}", body.len());
    if let Err(error) = stream.write_all(request.as_bytes()) {
        return Exchange::Broken(format!("sending: {}", error.kind()));
    }
    let mut raw = Vec::new();
    let mut buffer = [0_u8; 16 * 1024];
    loop {
        if let Some((status, body)) = complete_response(&raw, false) {
            return Exchange::Complete(status, body);
        }
        match stream.read(&mut buffer) {
            Ok(0) => {
                return match complete_response(&raw, true) {
                    Some((status, body)) => Exchange::Complete(status, body),
                    None => Exchange::Broken("connection closed before the whole answer".to_owned()),
                };
            }
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Exchange::Broken(format!("reading: {}", error.kind())),
        }
    }
}

/// The status and body of a whole HTTP/1.1 response in `raw`, or `None` while incomplete.
fn complete_response(raw: &[u8], closed: bool) -> Option<(u16, Vec<u8>)> {
    let end = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let body = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().ok()?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked") {
            chunked = true;
        }
    }
    if chunked {
        return dechunk(body).map(|body| (status, body));
    }
    match length {
        Some(length) if body.len() >= length => Some((status, body[..length].to_vec())),
        Some(_) => None,
        None if closed => Some((status, body.to_vec())),
        None => None,
    }
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let end = raw.windows(2).position(|window| window == b"\r\n")?;
        let size = std::str::from_utf8(&raw[..end]).ok()?.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        raw = &raw[end + 2..];
        if size == 0 {
            return raw.starts_with(b"\r\n").then_some(body);
        }
        if raw.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

// ---------------------------------------------------------------------------------------------
// Setup

/// Creates the admin and a coder with the CLI; returns their API keys (admin first).
fn setup_users(url: &str) -> [String; 2] {
    let run = |args: &[&str]| -> String {
        let output = Command::new(BIN)
            .args(args)
            .args(["--db", url])
            .env("INTERSPACE_PASSWORD", PASSWORD)
            .env_remove("INTERSPACE_DB")
            .stdin(Stdio::null())
            .output()
            .expect("run interspace");
        assert!(
            output.status.success(),
            "interspace {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    run(&["user", "admin", "admin"]);
    run(&["user", "add", "casey", "--role", "coder"]);
    let admin = run(&["user", "key", "admin", "--label", "crash-admin"]);
    let coder = run(&["user", "key", "casey", "--label", "crash-coder"]);
    assert!(admin.starts_with("isk_") && coder.starts_with("isk_"), "`interspace user key` printed no key");
    [admin, coder]
}

fn load_notes() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/notes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus/notes")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    paths.sort();
    let notes: Vec<String> = paths.iter().map(|path| std::fs::read_to_string(path).unwrap()).collect();
    assert!(!notes.is_empty(), "no notes in corpus/notes");
    notes
}

/// A fresh PostgreSQL database for one run, dropped at the end (also after a panic).
struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    fn create() -> Option<PostgresDatabase> {
        let base = std::env::var("INTERSPACE_TEST_POSTGRES")
            .ok()
            .filter(|url| !url.is_empty())
            .unwrap_or(DEFAULT_POSTGRES.to_owned());
        // psql does not read sqlx's `?options[…]`; the database is ours, so none are needed.
        let admin_url = base.split('?').next().unwrap_or(&base).to_owned();
        if let Err(error) = psql(&admin_url, "SELECT 1") {
            if std::env::var("INTERSPACE_SKIP_POSTGRES").is_ok_and(|value| value == "1") {
                note(&format!(
                    "note: skipping the PostgreSQL crash test (INTERSPACE_SKIP_POSTGRES=1); PostgreSQL is not \
                     reachable with psql: {error}"
                ));
                return None;
            }
            panic!(
                "PostgreSQL is not reachable with psql: {error}\n\
                 The crash test runs against PostgreSQL too. Start the local cluster with\n    \
                 pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
                 (trust auth on 127.0.0.1:5432, user postgres), point INTERSPACE_TEST_POSTGRES at another \
                 server, or set INTERSPACE_SKIP_POSTGRES=1 to skip this test."
            );
        }
        let name = format!("interspace_crash_{}_{}", std::process::id(), clock_seed() % 1_000_000);
        psql(&admin_url, &format!("CREATE DATABASE {name}")).expect("create the crash-test database");
        let authority_end = admin_url.find("://").map_or(0, |at| at + 3);
        let prefix = match admin_url[authority_end..].find('/') {
            Some(slash) => &admin_url[..authority_end + slash],
            None => &admin_url,
        };
        let url = format!("{prefix}/{name}");
        Some(PostgresDatabase { admin_url, name, url })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Err(error) = psql(&self.admin_url, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)) {
            note(&format!("note: could not drop the crash-test database {}: {error}", self.name));
        }
    }
}

fn psql(url: &str, sql: &str) -> Result<String, String> {
    let output = Command::new("psql")
        .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .env("PGCONNECT_TIMEOUT", "5")
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run psql: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Small things

/// SplitMix64: small, seeded, good enough to pick delays and actions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01B3))
}

fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not `{value}`")))
}

/// The last lines of the server log (method, path, status and errors only; never note text).
fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Writes straight to the process's stderr, past the test harness's capture, so it is seen.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

#[test]
fn responses_are_complete_only_with_their_whole_body() {
    let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
    assert_eq!(complete_response(ok, false), Some((200, b"{}".to_vec())));
    assert_eq!(complete_response(&ok[..ok.len() - 1], false), None);
    assert_eq!(complete_response(&ok[..ok.len() - 1], true), None);
    let chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    assert_eq!(complete_response(chunked, false), Some((200, b"{}".to_vec())));
    assert_eq!(complete_response(&chunked[..chunked.len() - 2], true), None);
    assert_eq!(token("63047", "XS 59", 2), "63047-XS-59x2");
    assert_eq!(code_of("63047-XSx2"), "63047");
    let seen: HashSet<u64> = (0..100).map(|_| Rng::new(7).next()).collect();
    assert_eq!(seen.len(), 1, "the generator is seeded");
}

/// The checker is not vacuous: a gap in the versions, a change without its entry, or a trail
/// that does not match the case is reported.
#[test]
fn replay_finds_gaps_and_disagreements() {
    let case = "0192f0e0-0000-7000-8000-000000000001";
    let entry = |id: i64, at: &str, action: &str, detail: Value| json!({ "id": id, "at": at, "action": action, "case_id": case, "detail": detail });
    let line = |status: &str, reason: Value| json!({ "code": "22633", "modifiers": "", "units": 1, "status": status, "reason": reason });
    let submit = entry(
        1,
        "2026-01-02T10:00:00Z",
        "submit",
        json!({ "version": 1, "lines": [{ "code": "22633", "modifiers": "", "units": 1, "rule_id": "ARTH001" }] }),
    );
    let assign = entry(
        2,
        "2026-01-02T10:00:01Z",
        "assign",
        json!({ "version": 2, "before": { "assignee": null, "status": "queued" },
                "after": { "assignee": 1, "status": "in_progress" } }),
    );
    let accept = |id: i64, version: i64| {
        entry(
            id,
            "2026-01-02T10:00:02Z",
            "accept_line",
            json!({ "version": version, "position": 1, "before": line("proposed", Value::Null),
                    "after": line("accepted", Value::Null), "reason": null }),
        )
    };
    let (states, actions) = replay(case, &[submit.clone(), assign.clone(), accept(3, 3)]).unwrap();
    assert_eq!(actions, ["submit", "assign", "accept_line"]);
    let last = states.last().unwrap();
    assert_eq!((last.version, last.status.as_str(), last.assignee), (3, "in_progress", Some(1)));
    assert_eq!(last.lines[0].status, "accepted");

    // A missing entry (version 3 skipped), ids out of order, a change before the submission.
    assert!(replay(case, &[submit.clone(), assign.clone(), accept(3, 4)]).unwrap_err().contains("expected version 3"));
    assert!(replay(case, &[submit.clone(), accept(3, 3), assign.clone()]).is_err());
    assert!(replay(case, &[assign.clone(), submit.clone()]).is_err());
    // A `before` that is not the line as it was: the change was applied twice, or to another line.
    let twice = [submit.clone(), assign.clone(), accept(3, 3), accept(4, 4)];
    assert!(replay(case, &twice).unwrap_err().contains("before"));
    // A read of a version the case never had at that point.
    let read = entry(5, "2026-01-02T10:00:03Z", "read", json!({ "version": 4 }));
    assert!(replay(case, &[submit, assign, accept(3, 3), read]).unwrap_err().contains("read"));
}
