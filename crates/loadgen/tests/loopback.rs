//! Runs the generator against a small in-process axum server on loopback, at low rates.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use interspace_loadgen::{Config, run};

/// Body lengths the `/echo` route received.
type Seen = Arc<Mutex<Vec<usize>>>;

async fn server() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/page", get(|| async { "a page" }))
        .route(
            "/echo",
            post(|State(seen): State<Seen>, body: Bytes| async move {
                seen.lock().unwrap().push(body.len());
                body
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                "late"
            }),
        )
        .route("/busy", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn config(url: String, rate: f64, duration: Duration, connections: usize) -> Config {
    Config {
        url: url.parse().unwrap(),
        method: axum::http::Method::GET,
        bodies: Vec::new(),
        headers: Vec::new(),
        rate,
        duration,
        connections,
        timeout: Duration::from_secs(2),
    }
}

#[tokio::test]
async fn holds_the_rate_and_cycles_the_bodies() {
    let (base, seen) = server().await;
    let mut c = config(format!("{base}/echo"), 200.0, Duration::from_secs(1), 4);
    c.method = axum::http::Method::POST;
    c.bodies = vec![Bytes::from_static(b"one"), Bytes::from_static(b"three")];
    let report = run(c).await.unwrap();
    assert_eq!((report.planned, report.sent, report.not_sent), (200, 200, 0));
    assert_eq!(report.statuses.get(&200), Some(&200));
    assert_eq!((report.timeouts, report.errors), (0, 0), "{:?}", report.first_error);
    // The last request is due at 995 ms (and may leave a timer tick early).
    assert!(report.elapsed >= Duration::from_millis(990) && report.elapsed < Duration::from_millis(1500));
    assert!((report.achieved_rate() - 200.0).abs() < 20.0, "{}", report.achieved_rate());
    assert_eq!(report.latency.count, 200);
    assert!(report.latency.p50 <= report.latency.p99 && report.latency.p99 <= report.latency.max);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.iter().filter(|&&n| n == 3).count(), 100);
    assert_eq!(seen.iter().filter(|&&n| n == 5).count(), 100);
    let json = report.to_json();
    assert_eq!(json["statuses"]["200"], 200);
    assert_eq!(json["latency_ms"]["count"], 200);
}

#[tokio::test]
async fn counts_statuses_and_timeouts() {
    let (base, _) = server().await;
    let busy = run(config(format!("{base}/busy"), 50.0, Duration::from_millis(400), 2)).await.unwrap();
    assert_eq!(busy.statuses.get(&503), Some(&20));
    let mut slow = config(format!("{base}/slow"), 50.0, Duration::from_millis(400), 20);
    slow.timeout = Duration::from_millis(10);
    let slow = run(slow).await.unwrap();
    assert_eq!((slow.sent, slow.timeouts, slow.responses()), (20, 20, 0));
}

/// One connection to a route that takes 50 ms can answer 20 requests a second; offered 100, the
/// requests wait for the connection, and that wait counts in the latency but not the service time.
#[tokio::test]
async fn latency_counts_the_wait_for_a_connection() {
    let (base, _) = server().await;
    let report = run(config(format!("{base}/slow"), 100.0, Duration::from_secs(1), 1)).await.unwrap();
    assert!(report.sent < 40 && report.not_sent > 60, "{report}");
    assert_eq!(report.sent, report.responses() + report.timeouts + report.errors);
    assert!(report.service.max < Duration::from_millis(400), "{report}");
    assert!(report.latency.max > Duration::from_millis(500), "{report}");
}
