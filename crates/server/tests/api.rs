//! The HTTP API and pages, in process: authentication, the error envelope, analysis, scrub, the
//! work queue with its audit trail, and the OpenAPI document.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use interspace_server::{Config, router};
use serde_json::{Value, json};
use support::{NOTE, server};
use tower::ServiceExt;

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await.unwrap();
    let body =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body)
}

fn get(path: &str, key: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(k) = key {
        r = r.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    r.body(Body::empty()).unwrap()
}

fn post_json(path: &str, key: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn anonymous_requests_are_refused_unless_reference_is_public() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let (status, body) = call(&app, get("/api/v1/codes/22633", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = call(&app, get("/api/v1/codes/22633", Some("isk_not-a-key"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let public = server(Config { public_reference: true, ..Config::default() }).await;
    let app = router(public.state.clone());
    let (status, page) = call(&app, get("/api/v1/codes/22633", None)).await;
    assert_eq!(status, StatusCode::OK);
    // The page's national figure is the pricer's: 55.06 RVUs x 32.3465, rounded half-up.
    assert_eq!(page["national_facility"], "1781.00");
    // Analysis is never anonymous.
    let (status, _) = call(
        &app,
        Request::post("/api/v1/analyze")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"text":"x"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn errors_use_one_envelope_with_hints() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let (status, body) = call(&app, get("/api/v1/codes/2263", Some(&s.coder_key))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().unwrap().contains("2263"));
    let (status, body) = call(&app, post_json("/api/v1/analyze", &s.coder_key, json!({"text": "  "}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["hint"].is_string());
    let bad = Request::post("/api/v1/analyze")
        .header(header::AUTHORIZATION, format!("Bearer {}", s.coder_key))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (status, _) = call(&app, bad).await;
    assert!(status.is_client_error());
    let (status, body) =
        call(&app, post_json("/api/v1/price", &s.coder_key, json!({"lines": ["22633"], "locality": "nowhere"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn analyze_price_scrub_and_check() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let (status, report) = call(&app, post_json("/api/v1/analyze", &s.coder_key, json!({"text": NOTE}))).await;
    assert_eq!(status, StatusCode::OK);
    let tokens: Vec<&str> = report["lines"].as_array().unwrap().iter().map(|l| l["token"].as_str().unwrap()).collect();
    assert!(tokens.contains(&"22633") && tokens.contains(&"22853x2"), "{tokens:?}");
    assert_eq!(report["schema"], "interspace.report/1");

    let (_, priced) = call(&app, post_json("/api/v1/price", &s.coder_key, json!({"lines": ["22633", "22558"]}))).await;
    assert_eq!(priced["lines"][1]["allowed"], "748.82", "22558 ranked second is paid at 50%");

    let claim = json!({"claim_id": "A", "date_of_service": "2025-03-14", "diagnoses": ["M48.062"], "lines": ["22633", "63047"]});
    let req = Request::post("/api/v1/scrub")
        .header(header::AUTHORIZATION, format!("Bearer {}", s.coder_key))
        .body(Body::from(claim.to_string()))
        .unwrap();
    let (status, scrubbed) = call(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(scrubbed[0]["has_errors"], true);
    assert!(scrubbed[0]["hits"].as_array().unwrap().iter().any(|h| h["edit"] == "PTP002" && h["subject"] == "63047"));

    let draft = "PROCEDURE: L4-5 posterolateral fusion. DESCRIPTION: No instrumentation was used. Pedicle screws were placed at L4 and L5 and rods connected.";
    let (_, check) = call(&app, post_json("/api/v1/notes/check", &s.coder_key, json!({"text": draft}))).await;
    assert_eq!(check["ready_to_sign"], false);
    assert_eq!(check["conflicts"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_case_is_worked_to_final_with_its_audit_trail() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let key = &s.coder_key;
    let (status, case) =
        call(&app, post_json("/api/v1/cases", key, json!({"title": "OR 4 case 2", "text": NOTE}))).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let id = case["id"].as_str().unwrap().to_string();
    let n = case["lines"].as_array().unwrap().len();
    assert!(n >= 5);

    let (status, case) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/assign"), key, json!({"expected_version": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    // A stale version is refused.
    let (status, body) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/finalize"), key, json!({"expected_version": 1}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // Undecided lines block finalization.
    let version = case["version"].as_i64().unwrap();
    let (status, _) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/finalize"), key, json!({"expected_version": version}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/lines/1"), key, json!({"action": "remove"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "removing needs a reason");
    let mut last = Value::Null;
    for p in 1..=n {
        let body = if p == 1 {
            json!({"action": "adjust", "line": "22633-22", "reason": "extensive scar from prior surgery documented"})
        } else if p == 2 {
            json!({"action": "remove", "reason": "second interspace not fused per the surgeon"})
        } else {
            json!({"action": "accept"})
        };
        let (status, c) = call(&app, post_json(&format!("/api/v1/cases/{id}/lines/{p}"), key, body)).await;
        assert_eq!(status, StatusCode::OK, "line {p}: {c}");
        last = c;
    }
    let (status, _) = call(
        &app,
        post_json(
            &format!("/api/v1/cases/{id}/lines"),
            key,
            json!({"line": "69990", "reason": "microscope documented"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, c) = call(&app, get(&format!("/api/v1/cases/{id}"), Some(key))).await;
    let version = c["version"].as_i64().unwrap();
    assert!(version > last["version"].as_i64().unwrap());
    let (status, final_case) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/finalize"), key, json!({"expected_version": version}))).await;
    assert_eq!(status, StatusCode::OK, "{final_case}");
    assert_eq!(final_case["status"], "finalized");
    // Finalized cases are read-only.
    let (status, _) =
        call(&app, post_json(&format!("/api/v1/cases/{id}/lines/3"), key, json!({"action": "accept"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (_, audit) = call(&app, get(&format!("/api/v1/cases/{id}/audit"), Some(key))).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions.first(), Some(&"submit"));
    assert_eq!(actions.last(), Some(&"finalize"));
    assert!(actions.contains(&"adjust_line") && actions.contains(&"remove_line") && actions.contains(&"add_line"));
    assert!(actions.contains(&"read"), "opening the case is audited");
    let adjusted = audit.as_array().unwrap().iter().find(|a| a["action"] == "adjust_line").unwrap();
    assert!(adjusted["detail"].to_string().contains("22633"), "before/after values are kept");
    assert!(!audit.to_string().contains("Jackson table"), "no note text in the audit trail");
}

#[tokio::test]
async fn pages_need_a_session_and_forms_need_the_csrf_token() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let res = app.clone().oneshot(get("/codes/22633", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Sign in.
    let login = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=casey&password={}&next=%2Fcases", support::CODER_PASSWORD)))
        .unwrap();
    let res = app.clone().oneshot(login).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/cases");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(res.headers()[header::SET_COOKIE].to_str().unwrap().contains("HttpOnly"));
    // A form without the token is refused.
    let scrub = Request::post("/scrub")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("csrf=wrong&lines=22633&diagnoses=M43.16&date=2025-03-14"))
        .unwrap();
    let res = app.clone().oneshot(scrub).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A wrong password gets the form again, not a session.
    let bad = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=casey&password=nope"))
        .unwrap();
    let res = app.clone().oneshot(bad).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn openapi_document_is_stable() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let (status, doc) = call(&app, get("/api/openapi.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_assistant_answers_with_sources_or_says_it_cannot() {
    let s = server(Config::default()).await;
    let app = router(s.state.clone());
    let (status, a) =
        call(&app, post_json("/api/v1/ask", &s.coder_key, json!({"question": "can I bill 22840 with 22586"}))).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["kind"], "bundling");
    assert!(a["citations"].as_array().unwrap().iter().any(|c| c["id"] == "SPN001"), "{a}");
    let (_, a) = call(
        &app,
        post_json("/api/v1/ask", &s.coder_key, json!({"question": "what is the CPT code for an appendectomy"})),
    )
    .await;
    assert_eq!(a["kind"], "not_in_data");
}
