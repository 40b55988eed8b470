//! The coder work queue: submit notes (form, API or a watched folder), list, open, decide each
//! proposed line with a reason, finalize, export; every read and change is in the audit trail.

use std::path::PathBuf;
use std::time::Duration;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use interspace_engine::Options;
use interspace_store::{
    AssigneeFilter, AuditEntry, CaseDetail, CaseFilter, CaseId, CaseSource, CaseStatus, CaseSummary, LineValues,
    NewCase, NewLine, Role, Store, Timestamp, User, UserId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{AppError, ErrorEnvelope, PageError};
use crate::views::ReportView;

const WORKERS: &[Role] = &[Role::Coder, Role::Reviewer, Role::Admin];

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list_page).post(submit_page))
        .route("/cases/export.csv", get(export_csv))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/assign", post(assign_page))
        .route("/cases/{id}/lines", post(add_line_page))
        .route("/cases/{id}/lines/{position}", post(line_page))
        .route("/cases/{id}/finalize", post(finalize_page))
        .route("/cases/{id}/claim.json", get(claim_json))
        .route("/audit", get(audit_page))
}

pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(api_list).post(api_submit))
        .route("/cases/{id}", get(api_case))
        .route("/cases/{id}/assign", post(api_assign))
        .route("/cases/{id}/lines", post(api_add_line))
        .route("/cases/{id}/lines/{position}", post(api_line))
        .route("/cases/{id}/finalize", post(api_finalize))
        .route("/cases/{id}/audit", get(api_audit))
}

fn case_id(id: &str) -> Result<CaseId, AppError> {
    id.parse().map_err(|_| AppError::not_found(format!("no case `{id}`")).hint("case ids look like 0192…-…"))
}

/// Analyzes the note and submits it with the proposed lines.
pub(crate) async fn submit(
    s: &AppState,
    title: &str,
    note: String,
    source: CaseSource,
    year: Option<i16>,
    by: UserId,
) -> Result<CaseDetail, AppError> {
    if note.trim().is_empty() {
        return Err(AppError::bad_request("the note is empty").hint("paste the note text or upload a file"));
    }
    crate::api::note_within_limit(&note)?;
    let engine = s.engine.clone();
    let text = note.clone();
    let report = tokio::task::spawn_blocking(move || engine.analyze(&text, &Options { year, ..Default::default() }))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    let new = NewCase {
        title: title.trim().to_string(),
        note_text: note,
        source,
        year: report.year,
        report_json: serde_json::to_string(&report).map_err(|e| AppError::internal(e.to_string()))?,
        proposed_lines: report
            .lines
            .iter()
            .map(|l| NewLine {
                code: l.code.clone(),
                modifiers: l.modifiers.join(" "),
                units: l.units,
                rule_id: Some(l.rule.to_string()),
            })
            .collect(),
    };
    Ok(s.store.submit_case(&new, by).await?)
}

/// Parses `CODE[-MOD…][xUNITS]` into line values.
fn line_values(token: &str) -> Result<LineValues, AppError> {
    let json = serde_json::json!({"claim_id": "x", "date_of_service": "2025-01-02", "lines": [token.trim()]});
    let claims = interspace_claim::from_json(&json.to_string()).map_err(|e| {
        AppError::bad_request(format!(
            "line `{token}`: {}",
            e.0.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join("; ")
        ))
        .hint("write CODE[-MOD…][xUNITS], e.g. 63047-XS or 22853x2")
    })?;
    let l = &claims[0].lines[0];
    Ok(LineValues {
        code: l.code.to_string(),
        modifiers: l.modifiers.iter().map(|m| m.as_str().to_string()).collect::<Vec<_>>().join(" "),
        units: l.units,
    })
}

/// A decision on one line.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LineAction {
    Accept,
    Adjust,
    Remove,
}

async fn decide(
    s: &AppState,
    id: CaseId,
    position: u32,
    action: &LineAction,
    line: Option<&str>,
    reason: &str,
    by: UserId,
) -> Result<CaseDetail, AppError> {
    Ok(match action {
        LineAction::Accept => s.store.accept_line(id, position, by).await?,
        LineAction::Adjust => {
            let values = line_values(line.ok_or_else(|| AppError::bad_request("`line` is required to adjust"))?)?;
            s.store.adjust_line(id, position, &values, reason, by).await?
        }
        LineAction::Remove => s.store.remove_line(id, position, reason, by).await?,
    })
}

fn token(code: &str, modifiers: &str, units: u32) -> String {
    let mut t = code.to_string();
    for m in modifiers.split_whitespace() {
        t.push('-');
        t.push_str(m);
    }
    if units != 1 {
        t.push_str(&format!("x{units}"));
    }
    t
}

fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

// ---------------------------------------------------------------------------------------------
// Pages

struct CaseRow {
    id: String,
    short_id: String,
    title: String,
    status: String,
    assignee: String,
    source: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    user: Option<String>,
    csrf: String,
    cases: Vec<CaseRow>,
    status: String,
    can_audit: bool,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    status: Option<String>,
}

async fn names(store: &Store) -> Result<std::collections::HashMap<UserId, String>, AppError> {
    Ok(store.list_users().await?.into_iter().map(|u| (u.id, u.username)).collect())
}

fn short(id: CaseId) -> String {
    id.to_string().chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect()
}

fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError(AppError::internal(format!("page template: {e}"))))
}

async fn list_page(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, PageError> {
    let me = v.with_role(WORKERS)?;
    let status = q.status.as_deref().filter(|x| !x.is_empty()).map(str::parse::<CaseStatus>).transpose()?;
    let filter = CaseFilter { status, assignee: AssigneeFilter::Any, newest_first: true };
    let cases = s.store.list_cases(&filter, 200, 0).await?;
    let names = names(&s.store).await?;
    let rows = cases
        .iter()
        .map(|c: &CaseSummary| CaseRow {
            id: c.id.to_string(),
            short_id: short(c.id),
            title: c.title.clone(),
            status: c.status.as_str().into(),
            assignee: c.assignee.and_then(|a| names.get(&a).cloned()).unwrap_or_else(|| "—".into()),
            source: c.source.as_str().into(),
            updated: when(c.updated_at),
        })
        .collect();
    render(&CasesPage {
        user: v.label(),
        csrf: v.csrf.clone(),
        cases: rows,
        status: q.status.unwrap_or_default(),
        can_audit: matches!(me.role, Role::Reviewer | Role::Admin),
    })
}

async fn submit_page(State(s): State<AppState>, v: Viewer, mut form: Multipart) -> Result<Response, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    let (mut title, mut note, mut csrf) = (String::new(), String::new(), String::new());
    while let Some(field) =
        form.next_field().await.map_err(|e| AppError::bad_request(format!("the form could not be read: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes =
            field.bytes().await.map_err(|e| AppError::bad_request(format!("the form could not be read: {e}")))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "title" => title = String::from_utf8_lossy(&bytes).into_owned(),
            "note" if note.trim().is_empty() => note = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => {
                note = interspace_formats::note::read(&bytes)
                    .map_err(|e| AppError::bad_request(format!("the uploaded file: {e}")))?
                    .text;
            }
            _ => {}
        }
    }
    v.check_csrf(&csrf)?;
    let detail = submit(&s, &title, note, CaseSource::Upload, None, me.id).await?;
    Ok(Redirect::to(&format!("/cases/{}", detail.case.id)).into_response())
}

struct LineRow {
    position: u32,
    token: String,
    rule: String,
    status: String,
    reason: String,
    evidence_index: String,
}

struct CaseView {
    id: String,
    short_id: String,
    title: String,
    status: String,
    assignee: String,
    created: String,
    created_by: String,
    version: i64,
    finalized: bool,
    note: String,
    lines: Vec<LineRow>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    user: Option<String>,
    csrf: String,
    c: CaseView,
    report: Option<ReportView>,
    /// (when, who, what, detail)
    audit: Vec<(String, String, String, String)>,
}

async fn case_page(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    let detail = s.store.case(id, me.id).await?.ok_or_else(|| AppError::not_found(format!("no case {id}")))?;
    let names = names(&s.store).await?;
    let audit = s.store.audit(id).await?;
    let report_value: Option<serde_json::Value> = serde_json::from_str(&detail.case.report_json).ok();
    let proposed = report_value.as_ref().and_then(|r| r["lines"].as_array()).map_or(0, Vec::len);
    let c = &detail.case;
    let view = CaseView {
        id: c.id.to_string(),
        short_id: short(c.id),
        title: c.title.clone(),
        status: c.status.as_str().into(),
        assignee: c.assignee.and_then(|a| names.get(&a).cloned()).unwrap_or_else(|| "nobody".into()),
        created: when(c.created_at),
        created_by: names.get(&c.created_by).cloned().unwrap_or_default(),
        version: c.version,
        finalized: !c.status.is_open(),
        note: c.note_text.clone(),
        lines: detail
            .lines
            .iter()
            .map(|l| LineRow {
                position: l.position,
                token: token(&l.code, &l.modifiers, l.units),
                rule: l.rule_id.clone().unwrap_or_default(),
                status: l.status.as_str().into(),
                reason: l.reason.clone().unwrap_or_default(),
                evidence_index: if (l.position as usize) <= proposed {
                    (l.position - 1).to_string()
                } else {
                    String::new()
                },
            })
            .collect(),
    };
    let report = report_value.map(|r| ReportView::from_json(&c.note_text, &r));
    let audit = audit
        .iter()
        .map(|a: &AuditEntry| {
            (
                when(a.at),
                a.user_id.and_then(|u| names.get(&u).cloned()).unwrap_or_else(|| "system".into()),
                a.action.as_str().to_string(),
                a.detail.to_string(),
            )
        })
        .collect();
    render(&CasePage { user: v.label(), csrf: v.csrf.clone(), c: view, report, audit })
}

#[derive(Deserialize)]
pub(crate) struct VersionForm {
    csrf: String,
    version: i64,
}

async fn assign_page(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    v.check_csrf(&f.csrf)?;
    let id = case_id(&id)?;
    s.store.assign(id, Some(me.id), me.id, f.version).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct LineForm {
    csrf: String,
    action: LineAction,
    #[serde(default)]
    line: String,
    #[serde(default)]
    reason: String,
}

async fn line_page(
    State(s): State<AppState>,
    v: Viewer,
    Path((id, position)): Path<(String, u32)>,
    Form(f): Form<LineForm>,
) -> Result<Response, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    v.check_csrf(&f.csrf)?;
    let id = case_id(&id)?;
    decide(&s, id, position, &f.action, Some(&f.line), &f.reason, me.id).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct AddLineForm {
    csrf: String,
    line: String,
    reason: String,
}

async fn add_line_page(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AddLineForm>,
) -> Result<Response, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    v.check_csrf(&f.csrf)?;
    let id = case_id(&id)?;
    s.store.add_line(id, &line_values(&f.line)?, &f.reason, me.id).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

async fn finalize_page(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    let me = v.with_role(WORKERS)?.clone();
    v.check_csrf(&f.csrf)?;
    let id = case_id(&id)?;
    s.store.finalize(id, me.id, f.version).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    user: Option<String>,
    csrf: String,
    /// (id, when, who, what, case, detail)
    entries: Vec<(i64, String, String, String, String, String)>,
}

async fn audit_page(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.with_role(&[Role::Reviewer, Role::Admin])?;
    let names = names(&s.store).await?;
    let entries = s
        .store
        .audit_all(500, None)
        .await?
        .iter()
        .map(|a| {
            (
                a.id,
                when(a.at),
                a.user_id.and_then(|u| names.get(&u).cloned()).unwrap_or_else(|| "system".into()),
                a.action.as_str().to_string(),
                a.case_id.map(|c| c.to_string()).unwrap_or_default(),
                a.detail.to_string(),
            )
        })
        .collect();
    render(&AuditPage { user: v.label(), csrf: v.csrf.clone(), entries })
}

/// Finalized cases as CSV: one row per case with the billed lines.
async fn export_csv(State(s): State<AppState>, v: Viewer) -> Result<Response, PageError> {
    v.with_role(WORKERS)?;
    let cases = s.store.finalized_cases(Timestamp::UNIX_EPOCH).await?;
    let names = names(&s.store).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["case_id", "title", "year", "finalized_at", "finalized_by", "cpt_codes"]);
    for c in &cases {
        let billed: Vec<String> =
            c.lines.iter().filter(|l| l.status.is_billed()).map(|l| token(&l.code, &l.modifiers, l.units)).collect();
        let _ = w.write_record([
            c.id.to_string(),
            c.title.clone(),
            c.year.to_string(),
            c.finalized_at.to_string(),
            names.get(&c.finalized_by).cloned().unwrap_or_default(),
            billed.join(" "),
        ]);
    }
    let body = w.into_inner().map_err(|e| AppError::internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"finalized-cases.csv\""),
        ],
        body,
    )
        .into_response())
}

/// A finalized case as a FHIR R4 Bundle holding a draft professional Claim.
async fn claim_json(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> Result<Response, PageError> {
    v.with_role(WORKERS)?;
    let id = case_id(&id)?;
    let case =
        s.store.finalized_case(id).await?.ok_or_else(|| {
            AppError::not_found(format!("case {id} is not finalized")).hint("finalize the case first")
        })?;
    let report: serde_json::Value = serde_json::from_str(&case.report_json).unwrap_or_default();
    let pcs = report["pcs"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["code"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    let bundle = interspace_formats::fhir::claim_bundle(&interspace_formats::fhir::ClaimOut {
        id: case.id.to_string(),
        created: case.finalized_at.strftime("%Y-%m-%d").to_string(),
        lines: case
            .lines
            .iter()
            .filter(|l| l.status.is_billed())
            .map(|l| interspace_formats::fhir::LineOut {
                code: l.code.clone(),
                modifiers: l.modifiers.split_whitespace().map(String::from).collect(),
                units: l.units,
                amount: None,
            })
            .collect(),
        diagnoses: Vec::new(),
        pcs,
        total: None,
    });
    Ok(([(header::CONTENT_TYPE, "application/fhir+json")], bundle.to_string()).into_response())
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Serialize, ToSchema)]
pub(crate) struct CaseSummaryJson {
    id: String,
    title: String,
    status: String,
    source: String,
    assignee: Option<i64>,
    version: i64,
    created_at: String,
    updated_at: String,
    lines_total: u32,
    lines_undecided: u32,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CaseLineJson {
    position: u32,
    /// `CODE[-MOD…][xUNITS]`
    token: String,
    status: String,
    reason: Option<String>,
    rule_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CaseJson {
    id: String,
    title: String,
    status: String,
    source: String,
    assignee: Option<i64>,
    version: i64,
    year: i16,
    note_text: String,
    lines: Vec<CaseLineJson>,
    /// The engine's report when the case was submitted.
    #[schema(value_type = Object)]
    report: serde_json::Value,
}

fn case_json(d: &CaseDetail) -> CaseJson {
    let c = &d.case;
    CaseJson {
        id: c.id.to_string(),
        title: c.title.clone(),
        status: c.status.as_str().into(),
        source: c.source.as_str().into(),
        assignee: c.assignee,
        version: c.version,
        year: c.year,
        note_text: c.note_text.clone(),
        lines: d
            .lines
            .iter()
            .map(|l| CaseLineJson {
                position: l.position,
                token: token(&l.code, &l.modifiers, l.units),
                status: l.status.as_str().into(),
                reason: l.reason.clone(),
                rule_id: l.rule_id.clone(),
            })
            .collect(),
        report: serde_json::from_str(&c.report_json).unwrap_or_default(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct ApiListQuery {
    /// `queued`, `in_progress`, `finalized` or `rejected`.
    status: Option<String>,
    /// `me`, `unassigned`, or a user id.
    assignee: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

/// Cases of the work queue, newest first (no note text).
#[utoipa::path(get, path = "/api/v1/cases", params(ApiListQuery), responses((status = 200, body = Vec<CaseSummaryJson>), (status = 401, body = ErrorEnvelope)))]
pub(crate) async fn api_list(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<ApiListQuery>,
) -> Result<Json<Vec<CaseSummaryJson>>, AppError> {
    let me = v.with_role(WORKERS)?;
    let status = q.status.as_deref().map(str::parse::<CaseStatus>).transpose()?;
    let assignee = match q.assignee.as_deref() {
        None => AssigneeFilter::Any,
        Some("me") => AssigneeFilter::User(me.id),
        Some("unassigned") => AssigneeFilter::Unassigned,
        Some(n) => AssigneeFilter::User(
            n.parse().map_err(|_| AppError::bad_request(format!("assignee `{n}`: use me, unassigned or a user id")))?,
        ),
    };
    let cases = s
        .store
        .list_cases(&CaseFilter { status, assignee, newest_first: true }, q.limit.unwrap_or(100), q.offset.unwrap_or(0))
        .await?;
    Ok(Json(
        cases
            .iter()
            .map(|c| CaseSummaryJson {
                id: c.id.to_string(),
                title: c.title.clone(),
                status: c.status.as_str().into(),
                source: c.source.as_str().into(),
                assignee: c.assignee,
                version: c.version,
                created_at: c.created_at.to_string(),
                updated_at: c.updated_at.to_string(),
                lines_total: c.lines_total,
                lines_undecided: c.lines_undecided,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct SubmitRequest {
    /// A label for the queue, without patient identity.
    title: String,
    /// The operative note.
    text: String,
    year: Option<i16>,
}

/// Submits a note: it is analyzed and queued with the proposed lines.
#[utoipa::path(post, path = "/api/v1/cases", request_body = SubmitRequest, responses((status = 200, body = CaseJson), (status = 400, body = ErrorEnvelope)))]
pub(crate) async fn api_submit(
    State(s): State<AppState>,
    v: Viewer,
    Json(r): Json<SubmitRequest>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let d = submit(&s, &r.title, r.text, CaseSource::Api, r.year, me.id).await?;
    Ok(Json(case_json(&d)))
}

/// Opens a case with its note (audited as a read).
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = String, Path)), responses((status = 200, body = CaseJson), (status = 404, body = ErrorEnvelope)))]
pub(crate) async fn api_case(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    let d = s.store.case(id, me.id).await?.ok_or_else(|| AppError::not_found(format!("no case {id}")))?;
    Ok(Json(case_json(&d)))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct AssignRequest {
    /// User id to assign; `null` to put the case back in the queue. Absent: the caller.
    #[serde(default)]
    assignee: Option<Option<i64>>,
    expected_version: i64,
}

/// Assigns a case (a coder may take an unassigned case or release their own).
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", params(("id" = String, Path)), request_body = AssignRequest, responses((status = 200, body = CaseJson), (status = 409, body = ErrorEnvelope)))]
pub(crate) async fn api_assign(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Json(r): Json<AssignRequest>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    let assignee = r.assignee.unwrap_or(Some(me.id));
    Ok(Json(case_json(&s.store.assign(id, assignee, me.id, r.expected_version).await?)))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct LineRequest {
    action: LineAction,
    /// The corrected line for `adjust`, e.g. `63047-XS`.
    line: Option<String>,
    /// Required for `adjust` and `remove`.
    #[serde(default)]
    reason: String,
}

/// Accepts, adjusts or removes one proposed line.
#[utoipa::path(post, path = "/api/v1/cases/{id}/lines/{position}", params(("id" = String, Path), ("position" = u32, Path)), request_body = LineRequest, responses((status = 200, body = CaseJson), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub(crate) async fn api_line(
    State(s): State<AppState>,
    v: Viewer,
    Path((id, position)): Path<(String, u32)>,
    Json(r): Json<LineRequest>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    Ok(Json(case_json(&decide(&s, id, position, &r.action, r.line.as_deref(), &r.reason, me.id).await?)))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct AddLineRequest {
    line: String,
    reason: String,
}

/// Adds a line the engine did not propose, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/lines", params(("id" = String, Path)), request_body = AddLineRequest, responses((status = 200, body = CaseJson), (status = 400, body = ErrorEnvelope)))]
pub(crate) async fn api_add_line(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Json(r): Json<AddLineRequest>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    Ok(Json(case_json(&s.store.add_line(id, &line_values(&r.line)?, &r.reason, me.id).await?)))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct FinalizeRequest {
    expected_version: i64,
}

/// Finalizes a case whose lines are all decided; it becomes read-only.
#[utoipa::path(post, path = "/api/v1/cases/{id}/finalize", params(("id" = String, Path)), request_body = FinalizeRequest, responses((status = 200, body = CaseJson), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub(crate) async fn api_finalize(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Json(r): Json<FinalizeRequest>,
) -> Result<Json<CaseJson>, AppError> {
    let me = v.with_role(WORKERS)?.clone();
    let id = case_id(&id)?;
    Ok(Json(case_json(&s.store.finalize(id, me.id, r.expected_version).await?)))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AuditJson {
    id: i64,
    at: String,
    user_id: Option<i64>,
    action: String,
    case_id: Option<String>,
    #[schema(value_type = Object)]
    detail: serde_json::Value,
}

/// The audit trail of a case, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/audit", params(("id" = String, Path)), responses((status = 200, body = Vec<AuditJson>)))]
pub(crate) async fn api_audit(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Vec<AuditJson>>, AppError> {
    v.with_role(WORKERS)?;
    let id = case_id(&id)?;
    Ok(Json(
        s.store
            .audit(id)
            .await?
            .into_iter()
            .map(|a| AuditJson {
                id: a.id,
                at: a.at.to_string(),
                user_id: a.user_id,
                action: a.action.as_str().into(),
                case_id: a.case_id.map(|c| c.to_string()),
                detail: a.detail,
            })
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Watched folder

/// Submits every `.txt` note that appears in `dir` as a case (source `folder`, submitted by the
/// first admin), then moves it to `dir/submitted/` (or `dir/failed/` with a `.error` file).
pub(crate) async fn watch_folder(s: AppState, dir: PathBuf) {
    let submitted = dir.join("submitted");
    let failed = dir.join("failed");
    let _ = tokio::fs::create_dir_all(&submitted).await;
    let _ = tokio::fs::create_dir_all(&failed).await;
    loop {
        if let Err(e) = watch_once(&s, &dir, &submitted, &failed).await {
            tracing::warn!(error = %e.message, "watched folder");
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn watch_once(
    s: &AppState,
    dir: &std::path::Path,
    submitted: &std::path::Path,
    failed: &std::path::Path,
) -> Result<(), AppError> {
    let by = s.store.list_users().await?.into_iter().find(|u: &User| u.role == Role::Admin && !u.disabled);
    let Some(by) = by else { return Err(AppError::internal("no admin user to submit watched notes as")) };
    let mut entries = tokio::fs::read_dir(dir).await.map_err(|e| AppError::internal(e.to_string()))?;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let result = match tokio::fs::read(&path).await {
            Ok(bytes) => match interspace_formats::note::read(&bytes) {
                Ok(input) => submit(s, &name, input.text, CaseSource::Folder, None, by.id).await.map(|d| d.case.id),
                Err(e) => Err(AppError::bad_request(e.to_string())),
            },
            Err(e) => Err(AppError::internal(e.to_string())),
        };
        match result {
            // Not the file's name: practices name notes after the patient. Errors give places only.
            Ok(case) => {
                let _ = tokio::fs::rename(&path, submitted.join(&name)).await;
                tracing::info!(%case, "watched note submitted");
            }
            Err(e) => {
                let _ = tokio::fs::rename(&path, failed.join(&name)).await;
                let _ = tokio::fs::write(failed.join(format!("{name}.error")), e.message.as_bytes()).await;
                tracing::warn!(error = %e.message, "watched note refused: see the .error file next to it in failed/");
            }
        }
    }
    Ok(())
}
