/*!
The Interspace web application and JSON API.

# Brief overview

[`router`] builds the axum [`Router`] over an [`AppState`]: the [`Engine`] (reference data,
knowledge base, analyzer, pricer), the work-queue [`Store`] and the [`Config`]. Pages are
server-rendered with askama templates (`templates/`), styled by one embedded stylesheet and one
small script; nothing is fetched from outside. The JSON API lives under `/api/v1`, answers every
error with one envelope (`{"error": {"code", "message", "hint"}}`) and is described by the
OpenAPI document at `/api/openapi.json` ([`api::ApiDoc`]).

Handlers are thin: they parse, call the library crates, and render. Note text is protected
health information: the trace layer logs method, path, status and latency only, never bodies.
*/

pub mod api;
mod auth;
mod cases;
mod error;
mod pages;
mod views;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use interspace_engine::Engine;
use interspace_store::Store;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Let anonymous visitors read the reference pages (codes, glossary, explainers, search).
    pub public_reference: bool,
    /// Set the `Secure` flag on cookies (when serving TLS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// PEM certificate chain and private key: serve HTTPS with rustls.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// A folder watched for `.txt` notes to submit as cases.
    pub watch: Option<PathBuf>,
    /// Requests handled at once; more are refused with 503 at once rather than queued.
    pub max_in_flight: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_reference: false,
            secure_cookies: false,
            tls: None,
            watch: None,
            max_in_flight: 256,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub assistant: Arc<interspace_ask::Assistant>,
    pub store: Store,
    pub config: Arc<Config>,
}

/// The largest request body accepted (a note or a claim file).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The application: pages, API, static files, with limits and tracing.
pub fn router(state: AppState) -> Router {
    let max_in_flight = state.config.max_in_flight;
    Router::new()
        .merge(pages::routes())
        .merge(cases::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(api::openapi))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
        // The extractors' own limit (2 MB by default) would otherwise undercut the documented one.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(max_in_flight)
                .layer(TraceLayer::new_for_http().make_span_with(|r: &axum::http::Request<_>| {
                    // Method and path only: query strings and bodies may carry note text.
                    tracing::info_span!("request", method = %r.method(), path = %r.uri().path())
                }))
                .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
                .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES)),
        )
        // Outermost, so that it also sees the body limit's 413 and the timeout's 503.
        .layer(axum::middleware::from_fn(api_error_envelope))
}

/// Every error of the API answers with the JSON envelope, including those axum and tower answer
/// themselves in plain text or with no body: a malformed JSON body or query, a wrong content type,
/// a body over the limit, an unknown route or a wrong method.
async fn api_error_envelope(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    let json = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let (code, message, hint) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such API route", Some("the routes are listed in /api/openapi.json")),
        StatusCode::METHOD_NOT_ALLOWED => (
            "bad_request",
            "this route does not take this method",
            Some("the `Allow` header names the methods it takes; /api/openapi.json lists them"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is too large", None),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("bad_request", "wrong content type", Some("send `Content-Type: application/json` with a JSON body"))
        }
        StatusCode::UNAUTHORIZED => ("unauthorized", "sign in, or send an API key", None),
        StatusCode::FORBIDDEN => ("forbidden", "not allowed", None),
        StatusCode::CONFLICT => ("conflict", "the resource changed meanwhile", None),
        StatusCode::SERVICE_UNAVAILABLE => ("overloaded", "the server is busy or the request took too long", None),
        s if s.is_client_error() => {
            ("bad_request", "the request cannot be read", Some("/api/openapi.json describes every request body"))
        }
        _ => ("internal", "the request failed", None),
    };
    let hint = match status {
        StatusCode::PAYLOAD_TOO_LARGE => Some(format!("request bodies are limited to {MAX_BODY_BYTES} bytes")),
        _ => hint.map(str::to_string),
    };
    // axum's rejections quote serde's message, which quotes the value at fault: keep the place only.
    let message = if text.is_empty() { message.to_string() } else { interspace_formats::without_values(&text) };
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = axum::Json(serde_json::json!({"error": {"code": code, "message": message, "hint": hint}}));
    (parts, body).into_response()
}

async fn overloaded(_: tower::BoxError) -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
        axum::Json(
            serde_json::json!({"error": {"code": "overloaded", "message": "the server is at capacity; retry shortly", "hint": null}}),
        ),
    )
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../static/app.css"))
}

async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../static/app.js"))
}

/// Serves until Ctrl-C or SIGTERM, over HTTPS when a certificate is configured.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let config = state.config.clone();
    if let Some(dir) = config.watch.clone() {
        tokio::spawn(cases::watch_folder(state.clone(), dir));
    }
    let app = router(state).into_make_service();
    match &config.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await?;
            let handle = axum_server::Handle::new();
            tokio::spawn(shutdown_on_signal(handle.clone()));
            axum_server::bind_rustls(config.addr, tls).handle(handle).serve(app).await
        }
        None => {
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            axum::serve(listener, app).with_graceful_shutdown(signal()).await
        }
    }
}

async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

async fn shutdown_on_signal(handle: axum_server::Handle<SocketAddr>) {
    signal().await;
    handle.graceful_shutdown(Some(Duration::from_secs(10)));
}
