/*!
An open-loop, constant-rate HTTP/1.1 load generator.

Closed-loop tools such as `wrk` send the next request on a connection when the previous answer
arrives, so a slow server is offered less load and its stalls go unmeasured ("coordinated
omission"). Here request `i` is *scheduled* at `start + i / rate`, whatever the server does; a
pool of keep-alive connections takes the scheduled requests in order, and each request's latency
is measured from its scheduled time, so time spent waiting for a free connection counts. The
service time (from the moment the request was actually written) is reported beside it: the two
part ways when the server, or the generator, falls behind.

The timer has millisecond granularity, so a request may leave up to a millisecond before its
scheduled time; its latency is then counted from when it left (never from a time before it was
sent), and a request that leaves late is counted from its scheduled time.

[`run`] executes a [`Config`] and returns a [`Report`]; the `interspace-loadgen` binary wraps it.
*/

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What to send, how fast and for how long.
#[derive(Clone, Debug)]
pub struct Config {
    /// `http://HOST:PORT/PATH?QUERY` (plain HTTP only).
    pub url: Uri,
    pub method: Method,
    /// Request bodies, cycled: request `i` carries `bodies[i % len]`. None: an empty body.
    pub bodies: Vec<Bytes>,
    /// Extra headers; `Host` and `Content-Length` are set from the URL and the body.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Requests per second, held whatever the server's response time.
    pub rate: f64,
    pub duration: Duration,
    /// Keep-alive connections, opened before the start; each carries one request at a time.
    pub connections: usize,
    /// Longest wait for a whole response once sent; the connection is then dropped and reopened.
    pub timeout: Duration,
}

/// Requests scheduled in a run: one every `1 / rate` seconds, in `[0, duration)`.
pub fn planned_requests(rate: f64, duration: Duration) -> u64 {
    // The epsilon keeps e.g. 0.1 req/s × 30 s at 3 despite rounding.
    (rate * duration.as_secs_f64() + 1e-9).floor() as u64
}

/// When request `slot` is due, counted from the start of the run.
pub fn scheduled_offset(slot: u64, rate: f64) -> Duration {
    Duration::from_secs_f64(slot as f64 / rate)
}

/// The nearest-rank percentile `p` (0–100) of ascending `sorted` samples; `None` when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    // The epsilon keeps 99.9 % of 1,000 at rank 999 despite rounding (999.0000000000001).
    let rank = (p / 100.0 * sorted.len() as f64 - 1e-9).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// Percentiles of a set of durations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub p999: Duration,
    pub max: Duration,
}

impl Summary {
    /// Summarizes `samples` (in any order); all zero when empty.
    pub fn of(mut samples: Vec<Duration>) -> Summary {
        samples.sort_unstable();
        let at = |p| percentile(&samples, p).unwrap_or_default();
        Summary {
            count: samples.len(),
            p50: at(50.0),
            p90: at(90.0),
            p99: at(99.0),
            p999: at(99.9),
            max: samples.last().copied().unwrap_or_default(),
        }
    }

    fn to_json(self) -> serde_json::Value {
        serde_json::json!({
            "count": self.count,
            "p50": ms(self.p50),
            "p90": ms(self.p90),
            "p99": ms(self.p99),
            "p99_9": ms(self.p999),
            "max": ms(self.max),
        })
    }
}

/// Milliseconds, rounded to the microsecond.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The outcome of a run.
#[derive(Clone, Debug)]
pub struct Report {
    pub method: Method,
    pub url: Uri,
    pub bodies: usize,
    pub rate: f64,
    pub duration: Duration,
    pub connections: usize,
    /// Requests scheduled.
    pub planned: u64,
    /// Requests written (or attempted: a failed connect counts).
    pub sent: u64,
    /// Scheduled requests no connection was free to send before the end of the run.
    pub not_sent: u64,
    /// Complete responses by status code.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests with no complete response within the timeout.
    pub timeouts: u64,
    /// Connection and protocol errors (refused, reset, closed mid-response).
    pub errors: u64,
    /// The first error's message, if any.
    pub first_error: Option<String>,
    /// From the start to the last response.
    pub elapsed: Duration,
    /// From each request's scheduled time (or its send, when that was earlier) to its complete
    /// response; responses of any status.
    pub latency: Summary,
    /// From each request's actual send to its complete response.
    pub service: Summary,
}

impl Report {
    /// Complete responses, any status.
    pub fn responses(&self) -> u64 {
        self.statuses.values().sum()
    }

    /// Responses per second over the run.
    pub fn achieved_rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.responses() as f64 / secs } else { 0.0 }
    }

    /// The report as one JSON object (durations in milliseconds).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "method": self.method.as_str(),
            "url": self.url.to_string(),
            "bodies": self.bodies,
            "rate": self.rate,
            "duration_s": self.duration.as_secs_f64(),
            "connections": self.connections,
            "planned": self.planned,
            "sent": self.sent,
            "not_sent": self.not_sent,
            "responses": self.responses(),
            "statuses": self.statuses.iter().map(|(s, n)| (s.to_string(), *n)).collect::<BTreeMap<_, _>>(),
            "timeouts": self.timeouts,
            "errors": self.errors,
            "first_error": self.first_error,
            "elapsed_s": self.elapsed.as_secs_f64(),
            "achieved_rate": (self.achieved_rate() * 10.0).round() / 10.0,
            "latency_ms": self.latency.to_json(),
            "service_ms": self.service.to_json(),
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bodies = match self.bodies {
            0 => String::new(),
            1 => ", 1 body".to_string(),
            n => format!(", {n} bodies cycled"),
        };
        writeln!(f, "{} {}{bodies}", self.method, self.url)?;
        writeln!(
            f,
            "  schedule   {} req/s for {:.1} s over {} connections (open loop)",
            self.rate,
            self.duration.as_secs_f64(),
            self.connections
        )?;
        writeln!(
            f,
            "  sent       {} of {} planned, {} not sent by the end (connections busy or generator saturated); {:.1} responses/s",
            self.sent,
            self.planned,
            self.not_sent,
            self.achieved_rate()
        )?;
        let statuses: Vec<String> = self.statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        writeln!(
            f,
            "  responses  {} ({})",
            self.responses(),
            if statuses.is_empty() { "none".into() } else { statuses.join(", ") }
        )?;
        write!(f, "  errors     {} timeouts, {} connection errors", self.timeouts, self.errors)?;
        match &self.first_error {
            Some(e) => writeln!(f, " (first: {e})")?,
            None => writeln!(f)?,
        }
        for (label, s, note) in
            [("latency", self.latency, "from scheduled send"), ("service", self.service, "from actual send")]
        {
            writeln!(
                f,
                "  {label:<10} p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2} ms  ({note})",
                ms(s.p50),
                ms(s.p90),
                ms(s.p99),
                ms(s.p999),
                ms(s.max)
            )?;
        }
        Ok(())
    }
}

/// Where to connect and what to put in the request line.
#[derive(Debug)]
struct Target {
    host: HeaderValue,
    path: Uri,
    addr: SocketAddr,
}

impl Target {
    async fn resolve(url: &Uri) -> Result<Target> {
        match url.scheme_str() {
            Some("http") => {}
            Some(other) => bail!("only http:// URLs are supported, not {other}://"),
            None => bail!("the URL needs a scheme and a host, e.g. http://127.0.0.1:8080/"),
        }
        let authority = url.authority().context("the URL has no host")?;
        let port = authority.port_u16().unwrap_or(80);
        let addr = tokio::net::lookup_host((authority.host(), port))
            .await
            .with_context(|| format!("cannot resolve {}", authority.host()))?
            .next()
            .with_context(|| format!("{} has no address", authority.host()))?;
        let path = url.path_and_query().map_or("/", |p| p.as_str()).parse()?;
        Ok(Target { host: HeaderValue::from_str(authority.as_str())?, path, addr })
    }
}

/// The granularity of Tokio's timer.
const TIMER_TICK: Duration = Duration::from_millis(1);

/// What the workers share.
struct Shared {
    config: Config,
    target: Target,
    planned: u64,
    /// The next slot to take.
    next: AtomicU64,
    start: Instant,
}

impl Shared {
    fn request(&self, slot: u64) -> Request<Full<Bytes>> {
        let body = match self.config.bodies.len() {
            0 => Bytes::new(),
            n => self.config.bodies[(slot % n as u64) as usize].clone(),
        };
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = self.config.method.clone();
        *request.uri_mut() = self.target.path.clone();
        let headers = request.headers_mut();
        headers.insert(HOST, self.target.host.clone());
        for (name, value) in &self.config.headers {
            headers.append(name.clone(), value.clone());
        }
        request
    }
}

/// One worker's tallies.
#[derive(Default)]
struct Tally {
    sent: u64,
    statuses: BTreeMap<u16, u64>,
    timeouts: u64,
    errors: u64,
    first_error: Option<(Instant, String)>,
    latency: Vec<Duration>,
    service: Vec<Duration>,
    last: Option<Instant>,
}

/// Runs the load: opens the connections, then sends `rate × duration` requests on schedule.
pub async fn run(config: Config) -> Result<Report> {
    if !(config.rate.is_finite() && config.rate > 0.0) {
        bail!("the rate must be a positive number of requests per second");
    }
    if config.connections == 0 {
        bail!("at least one connection is needed");
    }
    let target = Target::resolve(&config.url).await?;
    let mut pool = Vec::with_capacity(config.connections);
    for _ in 0..config.connections {
        pool.push(connect(target.addr).await.with_context(|| format!("cannot connect to {}", target.addr))?);
    }
    let planned = planned_requests(config.rate, config.duration);
    let shared = Arc::new(Shared { config, target, planned, next: AtomicU64::new(0), start: Instant::now() });
    let mut workers = tokio::task::JoinSet::new();
    for conn in pool {
        workers.spawn(worker(shared.clone(), conn));
    }
    let mut total = Tally::default();
    while let Some(tally) = workers.join_next().await {
        let tally = tally.context("a worker panicked")?;
        total.sent += tally.sent;
        for (status, n) in tally.statuses {
            *total.statuses.entry(status).or_default() += n;
        }
        total.timeouts += tally.timeouts;
        total.errors += tally.errors;
        if let Some((at, e)) = tally.first_error
            && total.first_error.as_ref().is_none_or(|(first, _)| at < *first)
        {
            total.first_error = Some((at, e));
        }
        total.latency.extend(tally.latency);
        total.service.extend(tally.service);
        total.last = total.last.max(tally.last);
    }
    let config = &shared.config;
    Ok(Report {
        method: config.method.clone(),
        url: config.url.clone(),
        bodies: config.bodies.len(),
        rate: config.rate,
        duration: config.duration,
        connections: config.connections,
        planned,
        sent: total.sent,
        not_sent: planned - total.sent,
        statuses: total.statuses,
        timeouts: total.timeouts,
        errors: total.errors,
        first_error: total.first_error.map(|(_, e)| e),
        elapsed: total.last.map_or(Duration::ZERO, |last| last - shared.start),
        latency: Summary::of(total.latency),
        service: Summary::of(total.service),
    })
}

type Connection = SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Connection> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        // Ends when the sender is dropped or the peer closes; errors surface on the sender.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Takes the next slot, waits for its time, sends, and reads the whole response; until the slots
/// run out or the run's time is up (a slot taken late then is left unsent).
async fn worker(shared: Arc<Shared>, conn: Connection) -> Tally {
    let mut conn = Some(conn);
    let mut tally = Tally::default();
    let end = shared.start + shared.config.duration;
    loop {
        let slot = shared.next.fetch_add(1, Ordering::Relaxed);
        if slot >= shared.planned || Instant::now() >= end {
            return tally;
        }
        let scheduled = shared.start + scheduled_offset(slot, shared.config.rate);
        // Tokio's timer fires on the millisecond tick after its deadline: aim a tick early, so that
        // the timer's own lateness does not count as the server's.
        tokio::time::sleep_until(scheduled.checked_sub(TIMER_TICK).unwrap_or(scheduled).into()).await;
        let request = shared.request(slot);
        let sent = Instant::now();
        tally.sent += 1;
        let outcome =
            tokio::time::timeout(shared.config.timeout, exchange(&mut conn, shared.target.addr, request)).await;
        let done = Instant::now();
        tally.last = Some(done);
        match outcome {
            Ok(Ok(status)) => {
                *tally.statuses.entry(status.as_u16()).or_default() += 1;
                tally.latency.push(done - scheduled.min(sent));
                tally.service.push(done - sent);
            }
            Ok(Err(e)) => {
                conn = None;
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| (done, format!("{e:#}")));
            }
            Err(_) => {
                // The response may still arrive on this connection: start afresh.
                conn = None;
                tally.timeouts += 1;
            }
        }
    }
}

/// One request and its whole response, (re)connecting first if the connection is gone.
async fn exchange(
    conn: &mut Option<Connection>,
    addr: SocketAddr,
    request: Request<Full<Bytes>>,
) -> Result<StatusCode> {
    let sender = match conn.take().filter(|c| !c.is_closed()) {
        Some(open) => open,
        None => connect(addr).await.context("reconnect")?,
    };
    let sender = conn.insert(sender);
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    response.into_body().collect().await?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_list(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let samples = ms_list(1..=100);
        let at = |p| percentile(&samples, p).unwrap().as_millis();
        assert_eq!(at(0.0), 1);
        assert_eq!(at(50.0), 50);
        assert_eq!(at(90.0), 90);
        assert_eq!(at(99.0), 99);
        assert_eq!(at(99.9), 100);
        assert_eq!(at(100.0), 100);
        assert_eq!(percentile(&ms_list([7]), 99.0), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50.0), None);
        // 1,000 samples: p99.9 is the 999th, not the maximum.
        let samples = ms_list(1..=1000);
        assert_eq!(percentile(&samples, 99.9), Some(Duration::from_millis(999)));
    }

    #[test]
    fn summary_sorts_its_samples() {
        let s = Summary::of(ms_list([30, 10, 20, 40]));
        assert_eq!(s.count, 4);
        assert_eq!(s.p50, Duration::from_millis(20));
        assert_eq!(s.p99, Duration::from_millis(40));
        assert_eq!(s.max, Duration::from_millis(40));
        assert_eq!(Summary::of(Vec::new()), Summary::default());
    }

    #[test]
    fn requests_are_evenly_spaced_from_the_start() {
        assert_eq!(scheduled_offset(0, 1000.0), Duration::ZERO);
        assert_eq!(scheduled_offset(1, 1000.0), Duration::from_millis(1));
        assert_eq!(scheduled_offset(1000, 1000.0), Duration::from_secs(1));
        assert_eq!(scheduled_offset(3, 4.0), Duration::from_millis(750));
        // The schedule does not drift over a long run.
        assert_eq!(scheduled_offset(29_999, 1000.0), Duration::from_millis(29_999));
        let offsets: Vec<Duration> = (0..10_000).map(|i| scheduled_offset(i, 333.0)).collect();
        assert!(offsets.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn planned_requests_fill_the_duration() {
        assert_eq!(planned_requests(1000.0, Duration::from_secs(30)), 30_000);
        assert_eq!(planned_requests(0.1, Duration::from_secs(30)), 3);
        assert_eq!(planned_requests(2.5, Duration::from_millis(1_999)), 4);
        assert_eq!(planned_requests(1.0, Duration::from_millis(999)), 0);
        // Every planned request is due before the end.
        let (rate, duration) = (7.0, Duration::from_secs(3));
        let last = planned_requests(rate, duration) - 1;
        assert!(scheduled_offset(last, rate) < duration);
    }
}
