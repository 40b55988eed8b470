//! Bad HTTP requests, in process: every one gets a 4xx answer — the JSON error envelope
//! (`{"error": {"code", "message", "hint"}}`) on API routes — never a 500 or a panic, and none of
//! them changes the work queue (cases and audit trail).

mod support;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use interspace_server::{Config, MAX_BODY_BYTES, router};
use interspace_store::{AssigneeFilter, CaseFilter};
use serde_json::{Value, json};
use support::{NOTE, server};
use tower::ServiceExt;

/// What a bad request must get back.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// An API route: exactly this status, the JSON envelope with this `error.code`.
    Api(StatusCode, &'static str),
    /// A page route (HTML forms): a 4xx status, whatever the body.
    Page4xx,
}

struct Case {
    name: &'static str,
    request: Request<Body>,
    expect: Expect,
}

/// Builds a request; `auth` is an `Authorization` header value.
fn req(
    method: Method,
    path: &str,
    auth: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(path);
    if let Some(a) = auth {
        r = r.header(header::AUTHORIZATION, a);
    }
    if let Some(c) = content_type {
        r = r.header(header::CONTENT_TYPE, c);
    }
    r.body(body.into()).unwrap()
}

fn case(name: &'static str, request: Request<Body>, expect: Expect) -> Case {
    Case { name, request, expect }
}

fn with_cookie(mut r: Request<Body>, cookie: &str) -> Request<Body> {
    r.headers_mut().insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
    r
}

/// Signs the coder in and returns the session cookie (`name=value`).
async fn session_cookie(app: &axum::Router) -> String {
    let login = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=casey&password={}&next=%2Fcases", support::CODER_PASSWORD)))
        .unwrap();
    let res = app.clone().oneshot(login).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string()
}

/// Cases and audit entries in the store.
async fn store_counts(s: &support::TestServer) -> (u64, usize) {
    let filter = CaseFilter { status: None, assignee: AssigneeFilter::Any, newest_first: true };
    let cases = s.state.store.count_cases(&filter).await.unwrap();
    let audit = s.state.store.audit_all(100_000, None).await.unwrap().len();
    (cases, audit)
}

#[tokio::test]
async fn bad_requests_get_a_4xx_envelope_and_change_nothing() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let bearer = format!("Bearer {}", s.coder_key);
    let key = Some(bearer.as_str());
    const JSON: Option<&str> = Some("application/json");

    // One case in the queue, so that case routes have something to refuse changes to.
    let submit = req(Method::POST, "/api/v1/cases", key, JSON, json!({"title": "OR 1", "text": NOTE}).to_string());
    let res = app.clone().oneshot(submit).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let submitted: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap()).unwrap();
    let id = submitted["id"].as_str().unwrap().to_string();
    let version = submitted["version"].as_i64().unwrap();
    let cookie = session_cookie(&app).await;
    let before = store_counts(&s).await;

    let over_limit = "x".repeat(MAX_BODY_BYTES + 1024);
    let big_note = json!({"text": "L4-5 TLIF. ".repeat(3 * 1024 * 1024 / 11)}).to_string();
    assert!(big_note.len() < MAX_BODY_BYTES, "under the body limit, over the note limit");
    // Nested in a field the request type ignores, so that the JSON reader's depth limit is what refuses it.
    let deep = format!("{{\"text\": \"L4-5\", \"x\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let no_uuid = "0192f000-0000-7000-8000-000000000000";
    let case_path = |rest: &str| format!("/api/v1/cases/{id}{rest}");

    use Expect::{Api, Page4xx};
    let bad = StatusCode::BAD_REQUEST;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let not_found = StatusCode::NOT_FOUND;
    let method = StatusCode::METHOD_NOT_ALLOWED;
    let unauthorized = StatusCode::UNAUTHORIZED;
    let conflict = StatusCode::CONFLICT;
    let too_large = StatusCode::PAYLOAD_TOO_LARGE;
    let media = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    let mut cases = vec![
        // Wrong methods.
        case("GET analyze", req(Method::GET, "/api/v1/analyze", key, None, ""), Api(method, "bad_request")),
        case("PUT price", req(Method::PUT, "/api/v1/price", key, JSON, "{}"), Api(method, "bad_request")),
        case("DELETE cases", req(Method::DELETE, "/api/v1/cases", key, None, ""), Api(method, "bad_request")),
        case("GET scrub", req(Method::GET, "/api/v1/scrub", key, None, ""), Api(method, "bad_request")),
        case("POST code page", req(Method::POST, "/api/v1/codes/22633", key, JSON, "{}"), Api(method, "bad_request")),
        case("PATCH case", req(Method::PATCH, &case_path(""), key, JSON, "{}"), Api(method, "bad_request")),
        // Missing, invalid or wrongly typed JSON bodies.
        case("analyze without a body", req(Method::POST, "/api/v1/analyze", key, JSON, ""), Api(bad, "bad_request")),
        case(
            "analyze with broken JSON",
            req(Method::POST, "/api/v1/analyze", key, JSON, "{not json"),
            Api(bad, "bad_request"),
        ),
        case(
            "analyze with `text` a number",
            req(Method::POST, "/api/v1/analyze", key, JSON, r#"{"text": 5}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "analyze without `text`",
            req(Method::POST, "/api/v1/analyze", key, JSON, "{}"),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "analyze with an array body",
            req(Method::POST, "/api/v1/analyze", key, JSON, "[]"),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "analyze with blank text",
            req(Method::POST, "/api/v1/analyze", key, JSON, r#"{"text": "  "}"#),
            Api(bad, "bad_request"),
        ),
        Case {
            name: "analyze for an unloaded year",
            request: req(Method::POST, "/api/v1/analyze", key, JSON, json!({"text": NOTE, "year": 1999}).to_string()),
            expect: Api(bad, "bad_request"),
        },
        Case {
            name: "analyze with a year out of range",
            request: req(Method::POST, "/api/v1/analyze", key, JSON, json!({"text": NOTE, "year": 99999}).to_string()),
            expect: Api(unprocessable, "bad_request"),
        },
        Case {
            name: "analyze with a bad locality",
            request: req(
                Method::POST,
                "/api/v1/analyze",
                key,
                JSON,
                json!({"text": NOTE, "locality": "nowhere"}).to_string(),
            ),
            expect: Api(bad, "bad_request"),
        },
        case(
            "analyze with 100k nested arrays",
            req(Method::POST, "/api/v1/analyze", key, JSON, deep.clone()),
            Api(unprocessable, "bad_request"),
        ),
        Case {
            name: "analyze with a misspelt field",
            request: req(
                Method::POST,
                "/api/v1/analyze",
                key,
                JSON,
                json!({"text": NOTE, "localty": "10112-00"}).to_string(),
            ),
            expect: Api(unprocessable, "bad_request"),
        },
        case(
            "price with a misspelt field",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": ["22633"], "non_facility": true}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "analyze with invalid UTF-8",
            req(Method::POST, "/api/v1/analyze", key, JSON, b"{\"text\": \"\xff\xfe\"}".to_vec()),
            Api(bad, "bad_request"),
        ),
        // Wrong content types.
        Case {
            name: "analyze without a content type",
            request: req(Method::POST, "/api/v1/analyze", key, None, json!({"text": NOTE}).to_string()),
            expect: Api(media, "bad_request"),
        },
        case(
            "analyze as text/plain",
            req(Method::POST, "/api/v1/analyze", key, Some("text/plain"), NOTE),
            Api(media, "bad_request"),
        ),
        case(
            "cases as a form post",
            req(Method::POST, "/api/v1/cases", key, Some("application/x-www-form-urlencoded"), "title=x&text=y"),
            Api(media, "bad_request"),
        ),
        // Oversized bodies: over the 4 MB body limit, and a note over the note limit.
        case(
            "analyze over the body limit",
            req(Method::POST, "/api/v1/analyze", key, JSON, over_limit.clone()),
            Api(too_large, "too_large"),
        ),
        Case {
            name: "scrub over the body limit with Content-Length",
            request: {
                let mut r = req(Method::POST, "/api/v1/scrub", key, None, over_limit.clone());
                r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(over_limit.len()));
                r
            },
            expect: Api(too_large, "too_large"),
        },
        case(
            "a note over the note limit",
            req(Method::POST, "/api/v1/analyze", key, JSON, big_note.clone()),
            Api(too_large, "too_large"),
        ),
        Case {
            name: "a case note over the note limit",
            request: req(
                Method::POST,
                "/api/v1/cases",
                key,
                JSON,
                json!({"title": "big", "text": "L4-5 TLIF. ".repeat(3 * 1024 * 1024 / 11)}).to_string(),
            ),
            expect: Api(too_large, "too_large"),
        },
        // Pricing lines.
        case(
            "price a four-digit code",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": ["2263"]}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "price zero units",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": ["22853x0"]}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "price absurd units",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": ["22853x99999999999"]}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "price lines as a string",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": "22633"}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "price an unloaded year",
            req(Method::POST, "/api/v1/price", key, JSON, r#"{"lines": ["22633"], "year": 1999}"#),
            Api(bad, "bad_request"),
        ),
        // Claims to scrub.
        case("scrub an empty body", req(Method::POST, "/api/v1/scrub", key, None, ""), Api(bad, "bad_request")),
        case(
            "scrub a short ISA",
            req(Method::POST, "/api/v1/scrub", key, None, "ISA*00* *00~"),
            Api(bad, "bad_request"),
        ),
        case(
            "scrub an 837 without ISA",
            req(Method::POST, "/api/v1/scrub", key, None, "GS*HC*A*B*20250101*1200*1*X*005010X222A1~"),
            Api(bad, "bad_request"),
        ),
        case(
            "scrub a FHIR Patient",
            req(Method::POST, "/api/v1/scrub", key, JSON, r#"{"resourceType": "Patient"}"#),
            Api(bad, "bad_request"),
        ),
        case("scrub an empty claim list", req(Method::POST, "/api/v1/scrub", key, JSON, "[]"), Api(bad, "bad_request")),
        case(
            "scrub a claim with a wrong type",
            req(Method::POST, "/api/v1/scrub", key, JSON, r#"{"claim_id": 5, "lines": ["22633"]}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "scrub invalid UTF-8",
            req(Method::POST, "/api/v1/scrub", key, None, b"\xff\xfe\x00I\x00S\x00A".to_vec()),
            Api(bad, "bad_request"),
        ),
        case(
            "scrub 100k nested arrays",
            req(Method::POST, "/api/v1/scrub", key, JSON, format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
            Api(bad, "bad_request"),
        ),
        case(
            "prior-auth with `text` a number",
            req(Method::POST, "/api/v1/prior-auth", key, JSON, r#"{"text": 1}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "check an empty note",
            req(Method::POST, "/api/v1/notes/check", key, JSON, r#"{"text": ""}"#),
            Api(bad, "bad_request"),
        ),
        // Reference lookups and query parameters.
        case(
            "a four-digit code page",
            req(Method::GET, "/api/v1/codes/2263", key, None, ""),
            Api(not_found, "not_found"),
        ),
        case("an ABCDE code page", req(Method::GET, "/api/v1/codes/ABCDE", key, None, ""), Api(not_found, "not_found")),
        case(
            "a code page for year abc",
            req(Method::GET, "/api/v1/codes/22633?year=abc", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "a code page for an unloaded year",
            req(Method::GET, "/api/v1/codes/22633?year=1999", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "a code page with apm=maybe",
            req(Method::GET, "/api/v1/codes/22633?apm=maybe", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "an unknown glossary term",
            req(Method::GET, "/api/v1/terms/zzzz-not-a-term", key, None, ""),
            Api(not_found, "not_found"),
        ),
        case("search without q", req(Method::GET, "/api/v1/search", key, None, ""), Api(bad, "bad_request")),
        case(
            "search with a negative limit",
            req(Method::GET, "/api/v1/search?q=alif&limit=-1", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "cases with limit=abc",
            req(Method::GET, "/api/v1/cases?limit=abc", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "cases with an unknown status",
            req(Method::GET, "/api/v1/cases?status=bogus", key, None, ""),
            Api(bad, "bad_request"),
        ),
        case(
            "cases with an unknown assignee",
            req(Method::GET, "/api/v1/cases?assignee=bogus", key, None, ""),
            Api(bad, "bad_request"),
        ),
        // Invalid case ids, stale versions, bad line decisions.
        case(
            "a case id that is not a UUID",
            req(Method::GET, "/api/v1/cases/not-a-uuid", key, None, ""),
            Api(not_found, "not_found"),
        ),
        case(
            "a case that does not exist",
            req(Method::GET, &format!("/api/v1/cases/{no_uuid}"), key, None, ""),
            Api(not_found, "not_found"),
        ),
        case(
            "the audit of a bad id",
            req(Method::GET, "/api/v1/cases/../audit", key, None, ""),
            Api(not_found, "not_found"),
        ),
        Case {
            name: "assign with a stale version",
            request: req(
                Method::POST,
                &case_path("/assign"),
                key,
                JSON,
                json!({"expected_version": version + 7}).to_string(),
            ),
            expect: Api(conflict, "conflict"),
        },
        Case {
            name: "finalize with a stale version",
            request: req(
                Method::POST,
                &case_path("/finalize"),
                key,
                JSON,
                json!({"expected_version": version - 1}).to_string(),
            ),
            expect: Api(conflict, "conflict"),
        },
        case(
            "finalize with a version as text",
            req(Method::POST, &case_path("/finalize"), key, JSON, r#"{"expected_version": "1"}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "finalize a case that does not exist",
            req(Method::POST, &format!("/api/v1/cases/{no_uuid}/finalize"), key, JSON, r#"{"expected_version": 1}"#),
            Api(not_found, "not_found"),
        ),
        case(
            "a line position that is not a number",
            req(Method::POST, &case_path("/lines/abc"), key, JSON, r#"{"action": "accept"}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "a line position that does not exist",
            req(Method::POST, &case_path("/lines/999"), key, JSON, r#"{"action": "accept"}"#),
            Api(not_found, "not_found"),
        ),
        case(
            "an unknown line action",
            req(Method::POST, &case_path("/lines/1"), key, JSON, r#"{"action": "bogus"}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "remove a line without a reason",
            req(Method::POST, &case_path("/lines/1"), key, JSON, r#"{"action": "remove"}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "adjust a line without the line",
            req(Method::POST, &case_path("/lines/1"), key, JSON, r#"{"action": "adjust", "reason": "scar"}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "add an ABCDE line",
            req(Method::POST, &case_path("/lines"), key, JSON, r#"{"line": "2263", "reason": "x"}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "add a line of zero units",
            req(Method::POST, &case_path("/lines"), key, JSON, r#"{"line": "22853x0", "reason": "x"}"#),
            Api(bad, "bad_request"),
        ),
        case(
            "submit without text",
            req(Method::POST, "/api/v1/cases", key, JSON, r#"{"title": "x"}"#),
            Api(unprocessable, "bad_request"),
        ),
        case(
            "submit a blank note",
            req(Method::POST, "/api/v1/cases", key, JSON, r#"{"title": "x", "text": "   "}"#),
            Api(bad, "bad_request"),
        ),
        // Unknown routes.
        case("an unknown API route", req(Method::GET, "/api/v1/nope", key, None, ""), Api(not_found, "not_found")),
        case(
            "an unknown API version",
            req(Method::POST, "/api/v2/analyze", key, JSON, "{}"),
            Api(not_found, "not_found"),
        ),
        case(
            "an API route with a trailing slash",
            req(Method::GET, "/api/v1/codes/", key, None, ""),
            Api(not_found, "not_found"),
        ),
        // Malformed Authorization headers: anonymous, so refused.
        case(
            "Bearer without a key",
            req(Method::GET, "/api/v1/cases", Some("Bearer"), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        case(
            "Bearer and spaces",
            req(Method::GET, "/api/v1/cases", Some("Bearer "), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        case(
            "Basic credentials",
            req(Method::GET, "/api/v1/cases", Some("Basic Y2FzZXk6eA=="), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        case(
            "an unknown key",
            req(Method::GET, "/api/v1/cases", Some("Bearer isk_not-a-key"), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        case(
            "a lower-case scheme",
            req(Method::GET, "/api/v1/cases", Some(&format!("bearer {}", s.coder_key)), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        case(
            "a 16 kB key",
            req(Method::GET, "/api/v1/cases", Some(&format!("Bearer isk_{}", "a".repeat(16 * 1024))), None, ""),
            Api(unauthorized, "unauthorized"),
        ),
        Case {
            name: "a non-UTF-8 Authorization header",
            request: {
                let mut r = req(Method::GET, "/api/v1/cases", None, None, "");
                r.headers_mut().insert(header::AUTHORIZATION, HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap());
                r
            },
            expect: Api(unauthorized, "unauthorized"),
        },
        case(
            "a forged session cookie",
            with_cookie(req(Method::GET, "/api/v1/cases", None, None, ""), "interspace_session=forged"),
            Api(unauthorized, "unauthorized"),
        ),
        Case {
            name: "analyze anonymously",
            request: req(Method::POST, "/api/v1/analyze", None, JSON, json!({"text": NOTE}).to_string()),
            expect: Api(unauthorized, "unauthorized"),
        },
        Case {
            name: "submit a case anonymously",
            request: req(Method::POST, "/api/v1/cases", None, JSON, json!({"title": "x", "text": NOTE}).to_string()),
            expect: Api(unauthorized, "unauthorized"),
        },
        // Form posts of the pages without their CSRF token (signed in with the cookie).
        case(
            "scrub form without csrf",
            with_cookie(
                req(
                    Method::POST,
                    "/scrub",
                    None,
                    Some("application/x-www-form-urlencoded"),
                    "lines=22633&diagnoses=M43.16&date=2025-03-14",
                ),
                &cookie,
            ),
            Page4xx,
        ),
        case(
            "scrub form with a wrong csrf",
            with_cookie(
                req(
                    Method::POST,
                    "/scrub",
                    None,
                    Some("application/x-www-form-urlencoded"),
                    "csrf=wrong&lines=22633&diagnoses=M43.16&date=2025-03-14",
                ),
                &cookie,
            ),
            Page4xx,
        ),
        case(
            "finalize form without csrf",
            with_cookie(
                req(
                    Method::POST,
                    &format!("/cases/{id}/finalize"),
                    None,
                    Some("application/x-www-form-urlencoded"),
                    format!("expected_version={version}"),
                ),
                &cookie,
            ),
            Page4xx,
        ),
        case(
            "line form with a wrong csrf",
            with_cookie(
                req(
                    Method::POST,
                    &format!("/cases/{id}/lines/1"),
                    None,
                    Some("application/x-www-form-urlencoded"),
                    "csrf=x&action=remove&reason=y",
                ),
                &cookie,
            ),
            Page4xx,
        ),
        case(
            "add-line form with a wrong csrf",
            with_cookie(
                req(
                    Method::POST,
                    &format!("/cases/{id}/lines"),
                    None,
                    Some("application/x-www-form-urlencoded"),
                    "csrf=x&line=69990&reason=y",
                ),
                &cookie,
            ),
            Page4xx,
        ),
        case(
            "logout without csrf",
            with_cookie(req(Method::POST, "/logout", None, Some("application/x-www-form-urlencoded"), ""), &cookie),
            Page4xx,
        ),
        case("login as JSON", req(Method::POST, "/login", None, JSON, r#"{"username": "casey"}"#), Page4xx),
        case(
            "a page for a case id that is not a UUID",
            with_cookie(req(Method::GET, "/cases/not-a-uuid", None, None, ""), &cookie),
            Page4xx,
        ),
    ];
    assert!(cases.len() >= 80, "{} cases", cases.len());

    let mut failures = Vec::new();
    for case in cases.drain(..) {
        let res = app.clone().oneshot(case.request).await.unwrap();
        let status = res.status();
        let content_type =
            res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await.unwrap();
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
        let problem = match case.expect {
            _ if status.is_server_error() => Some(format!("server error {status}: {text}")),
            Expect::Api(want, code) => {
                let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let e = &body["error"];
                if status != want {
                    Some(format!("status {status}, expected {want}: {text}"))
                } else if !content_type.starts_with("application/json") {
                    Some(format!("content type `{content_type}`, not JSON: {text}"))
                } else if e["code"] != code {
                    Some(format!("error.code {}, expected {code}: {text}", e["code"]))
                } else if e["message"].as_str().is_none_or(|m| m.trim().is_empty()) {
                    Some(format!("no error.message: {text}"))
                } else if e.get("hint").is_none_or(|h| !(h.is_null() || h.is_string())) {
                    Some(format!("error.hint is neither null nor text: {text}"))
                } else {
                    None
                }
            }
            Expect::Page4xx => (!status.is_client_error()).then(|| format!("status {status}, expected a 4xx: {text}")),
        };
        if let Some(p) = problem {
            failures.push(format!("{}: {p}", case.name));
        }
    }
    assert!(failures.is_empty(), "{} bad request(s) answered wrongly:\n{}", failures.len(), failures.join("\n"));

    // Nothing of the above reached the work queue.
    assert_eq!(store_counts(&s).await, before, "(cases, audit entries) changed");
    let res = app.clone().oneshot(req(Method::GET, &case_path(""), key, None, "")).await.unwrap();
    let after: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!(after["version"], version, "the case was not changed");
    assert!(after["lines"].as_array().unwrap().iter().all(|l| l["status"] == "proposed"), "{after}");
}
