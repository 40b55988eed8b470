//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document.

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use interspace_edits::Scrub;
use interspace_engine::necessity::NecessityPacket;
use interspace_engine::scribe::NoteCheck;
use interspace_engine::{Options, Report};
use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, LocalityId};
use interspace_reference::{CodePage, Hit as SearchHit, TermPage};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{AppError, ErrorBody, ErrorEnvelope};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/codes/{code}", get(code))
        .route("/terms/{slug}", get(term))
        .route("/search", get(search))
        .route("/analyze", post(analyze))
        .route("/price", post(price))
        .route("/scrub", post(scrub))
        .route("/prior-auth", post(prior_auth))
        .route("/notes/check", post(notes_check))
        .route("/ask", post(ask))
        .merge(crate::cases::api_routes())
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Interspace API",
        description = "Spine-surgery coding: reference pages, note analysis, pricing, claim scrub, coder work queue. Every error answers with the `ErrorEnvelope`. Authenticate with a session cookie or `Authorization: Bearer isk_…`."
    ),
    paths(
        code,
        term,
        search,
        analyze,
        price,
        scrub,
        prior_auth,
        notes_check,
        crate::cases::api_list,
        crate::cases::api_submit,
        crate::cases::api_case,
        crate::cases::api_assign,
        crate::cases::api_line,
        crate::cases::api_add_line,
        crate::cases::api_finalize,
        crate::cases::api_audit
    ),
    components(schemas(ErrorEnvelope, ErrorBody))
)]
pub struct ApiDoc;

pub(crate) async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct CodeQuery {
    /// Calendar year of service; the newest loaded year with its own RVU file when absent.
    year: Option<i16>,
    /// GPCI locality `MAC-LOCALITY`, e.g. `10112-00`.
    locality: Option<String>,
    /// Price as a qualifying APM participant.
    #[serde(default)]
    apm: bool,
}

/// A code's reference page: descriptions, RVUs, payment, indicators, rules, denial reasons, FAQ.
#[utoipa::path(get, path = "/api/v1/codes/{code}", params(("code" = String, Path, description = "CPT code, e.g. 22586"), CodeQuery),
    responses((status = 200, body = CodePage), (status = 404, body = ErrorEnvelope)))]
async fn code(
    State(s): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Result<Json<CodePage>, AppError> {
    v.may_read_reference(&s)?;
    s.engine
        .reference
        .code_page(&code, q.year, q.locality.as_deref(), q.apm)
        .map(Json)
        .map_err(crate::pages::reference_error)
}

/// A glossary entry by slug, abbreviation or synonym.
#[utoipa::path(get, path = "/api/v1/terms/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = TermPage), (status = 404, body = ErrorEnvelope)))]
async fn term(State(s): State<AppState>, v: Viewer, Path(slug): Path<String>) -> Result<Json<TermPage>, AppError> {
    v.may_read_reference(&s)?;
    s.engine.reference.term_page(&slug).map(Json).map_err(crate::pages::reference_error)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct SearchQuery {
    /// Words, a code or a code prefix.
    q: String,
    limit: Option<usize>,
}

/// Codes and glossary terms by number, word or synonym, best first.
#[utoipa::path(get, path = "/api/v1/search", params(SearchQuery), responses((status = 200, body = Vec<SearchHit>)))]
async fn search(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Vec<SearchHit>>, AppError> {
    v.may_read_reference(&s)?;
    Ok(Json(s.engine.reference.search(&q.q, q.limit.unwrap_or(10).min(100))))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct AnalyzeRequest {
    /// The operative note, as plain text.
    text: String,
    year: Option<i16>,
    locality: Option<String>,
    /// Price with office (non-facility) practice expense.
    #[serde(default)]
    nonfacility: bool,
    #[serde(default)]
    apm: bool,
}

/// Notes over the size the CLI accepts (`interspace_formats::note::MAX_NOTE_BYTES`) are refused here
/// too: far above any operative note, they would only hold the server.
pub(crate) fn note_within_limit(text: &str) -> Result<(), AppError> {
    let limit = interspace_formats::note::MAX_NOTE_BYTES;
    if text.len() > limit {
        return Err(AppError {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: format!("the note is {} bytes; notes are limited to {limit} bytes", text.len()),
            hint: Some("an operative note is a few kilobytes: check that this is the note".into()),
        });
    }
    Ok(())
}

fn locality(l: Option<&str>) -> Result<Option<LocalityId>, AppError> {
    l.filter(|l| !l.is_empty())
        .map(|l| {
            l.parse::<LocalityId>()
                .map_err(|e| AppError::bad_request(e.to_string()).hint("write MAC-LOCALITY, e.g. 10112-00"))
        })
        .transpose()
}

/// Codes an operative note: findings with evidence, CPT lines, ICD-10-PCS, documentation gaps, price.
#[utoipa::path(post, path = "/api/v1/analyze", request_body = AnalyzeRequest,
    responses((status = 200, body = Report), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
async fn analyze(
    State(s): State<AppState>,
    v: Viewer,
    Json(req): Json<AnalyzeRequest>,
) -> Result<Json<Report>, AppError> {
    v.user()?;
    if req.text.trim().is_empty() {
        return Err(AppError::bad_request("`text` is empty").hint("send the note text in the `text` field"));
    }
    note_within_limit(&req.text)?;
    let options = Options {
        year: req.year,
        locality: locality(req.locality.as_deref())?,
        nonfacility: req.nonfacility,
        apm: req.apm,
    };
    let engine = s.engine.clone();
    tokio::task::spawn_blocking(move || engine.analyze(&req.text, &options))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
        .map(Json)
        .map_err(|e| AppError::bad_request(e.to_string()))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct PriceRequestJson {
    /// Lines as `CODE[-MOD…][xUNITS]`, e.g. `22633`, `22558-62`, `63048x2`.
    lines: Vec<String>,
    year: Option<i16>,
    locality: Option<String>,
    #[serde(default)]
    nonfacility: bool,
    #[serde(default)]
    apm: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PricedLineJson {
    token: String,
    fee_schedule: Option<Decimal>,
    allowed: Decimal,
    not_paid: Option<String>,
    adjustments: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PriceResponse {
    year: i16,
    locality: Option<String>,
    setting: &'static str,
    conversion_factor: Decimal,
    lines: Vec<PricedLineJson>,
    total: Decimal,
    caveats: Vec<String>,
}

fn parse_token(t: &str) -> Result<ServiceLine, AppError> {
    let json = serde_json::json!({"claim_id": "x", "date_of_service": "2025-01-02", "lines": [t]});
    let claims = interspace_claim::from_json(&json.to_string()).map_err(|e| {
        AppError::bad_request(format!(
            "line `{t}`: {}",
            e.0.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join("; ")
        ))
    })?;
    let l = &claims[0].lines[0];
    Ok(ServiceLine { code: l.code, modifiers: l.modifiers.clone(), units: l.units })
}

/// Medicare physician fee schedule amounts for claim lines, with every adjustment.
#[utoipa::path(post, path = "/api/v1/price", request_body = PriceRequestJson,
    responses((status = 200, body = PriceResponse), (status = 400, body = ErrorEnvelope)))]
async fn price(
    State(s): State<AppState>,
    v: Viewer,
    Json(req): Json<PriceRequestJson>,
) -> Result<Json<PriceResponse>, AppError> {
    v.may_read_reference(&s)?;
    let year = req.year.unwrap_or_else(|| s.engine.data().default_year());
    let data = s.engine.data().year(year).ok_or_else(|| AppError::bad_request(format!("no data for year {year}")))?;
    let lines = req.lines.iter().map(|t| parse_token(t)).collect::<Result<Vec<_>, _>>()?;
    let request = PriceRequest {
        lines,
        locality: locality(req.locality.as_deref())?,
        setting: if req.nonfacility { Setting::NonFacility } else { Setting::Facility },
        apm: if req.apm { ApmStatus::Qualifying } else { ApmStatus::NonQualifying },
    };
    let p = interspace_pricing::price(data, &request).map_err(|e| AppError::bad_request(format!("{e:?}")))?;
    Ok(Json(PriceResponse {
        year: p.year,
        locality: p.locality.as_ref().map(|l| l.id.to_string()),
        setting: p.setting.name(),
        conversion_factor: p.conversion_factor,
        lines: p
            .lines
            .iter()
            .map(|l| PricedLineJson {
                token: l.line.to_string(),
                fee_schedule: l.fee_schedule,
                allowed: l.allowed,
                not_paid: l.not_paid.clone(),
                adjustments: l.adjustments.iter().map(|a| a.description.to_string()).collect(),
            })
            .collect(),
        total: p.total,
        caveats: p.caveats,
    }))
}

/// Reads claims in any supported format and scrubs each one.
pub(crate) async fn scrub_text(s: &AppState, text: &str) -> Result<Vec<Scrub>, AppError> {
    let text = text.trim_start_matches('\u{feff}');
    let claims = if interspace_formats::x12::looks_like_x12(text) {
        interspace_formats::x12::read_837p(text)
    } else if interspace_formats::fhir::looks_like_fhir_claim(text) {
        interspace_formats::fhir::read_claims(text)
    } else {
        interspace_claim::from_json(text)
    }
    .map_err(|e| {
        AppError::bad_request(e.to_string())
            .hint("claims are X12 837P, FHIR R4 Claim, or the JSON schema in docs/claim-schema.md")
    })?;
    let engine = s.engine.clone();
    tokio::task::spawn_blocking(move || {
        claims
            .iter()
            .map(|c| {
                interspace_edits::scrub(c, engine.data(), engine.knowledge(), ApmStatus::NonQualifying)
                    .map_err(|e| AppError::bad_request(e.to_string()))
            })
            .collect()
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))?
}

#[derive(Serialize, ToSchema)]
pub(crate) struct EditHit {
    /// Edit id of the catalogue, e.g. `PTP002`.
    edit: String,
    /// `error`, `warning` or `info`.
    severity: String,
    lines: Vec<usize>,
    subject: String,
    message: String,
    fix: String,
    sources: Vec<String>,
    /// What it does to payment: `none`, `deny_line`, `deny_units`.
    effect: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ScrubbedLine {
    token: String,
    paid_units: u32,
    edits: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ScrubResponse {
    claim_id: String,
    year: i16,
    has_errors: bool,
    hits: Vec<EditHit>,
    lines: Vec<ScrubbedLine>,
    /// Medicare allowed total after the edits.
    total: Decimal,
    caveats: Vec<String>,
}

/// Checks claims before submission: NCCI PTP/MUE/add-on edits, global periods, modifiers, spine
/// policy, diagnoses; then prices what survives. The body is the claim file: JSON schema, X12
/// 837P or FHIR R4 Claim.
#[utoipa::path(post, path = "/api/v1/scrub", request_body(content = String, description = "A claim file"),
    responses((status = 200, body = Vec<ScrubResponse>), (status = 400, body = ErrorEnvelope)))]
async fn scrub(State(s): State<AppState>, v: Viewer, body: String) -> Result<Json<Vec<ScrubResponse>>, AppError> {
    v.user()?;
    let scrubs = scrub_text(&s, &body).await?;
    Ok(Json(
        scrubs
            .iter()
            .map(|x| ScrubResponse {
                claim_id: x.claim_id.clone(),
                year: x.year,
                has_errors: x.has_errors(),
                hits: x
                    .hits
                    .iter()
                    .map(|h| EditHit {
                        edit: h.edit.into(),
                        severity: format!("{:?}", h.severity).to_ascii_lowercase(),
                        lines: h.lines.clone(),
                        subject: h.subject.clone(),
                        message: h.message.clone(),
                        fix: h.fix.clone(),
                        sources: h.sources.clone(),
                        effect: match h.effect {
                            interspace_edits::Effect::None => "none",
                            interspace_edits::Effect::DenyLine { .. } => "deny_line",
                            interspace_edits::Effect::DenyUnits { .. } => "deny_units",
                        }
                        .into(),
                    })
                    .collect(),
                lines: x
                    .lines
                    .iter()
                    .map(|l| ScrubbedLine {
                        token: l.token.clone(),
                        paid_units: l.paid_units,
                        edits: l.edits.iter().map(|e| (*e).to_string()).collect(),
                    })
                    .collect(),
                total: x.priced.as_ref().map_or(Decimal::ZERO, |p| p.total),
                caveats: x.caveats.clone(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct PriorAuthRequest {
    text: String,
    /// ICD-10-CM codes of the case.
    #[serde(default)]
    diagnoses: Vec<String>,
    year: Option<i16>,
}

/// The LCD L37848 medical-necessity packet of a lumbar fusion note.
#[utoipa::path(post, path = "/api/v1/prior-auth", request_body = PriorAuthRequest,
    responses((status = 200, body = NecessityPacket), (status = 400, body = ErrorEnvelope)))]
async fn prior_auth(
    State(s): State<AppState>,
    v: Viewer,
    Json(req): Json<PriorAuthRequest>,
) -> Result<Json<NecessityPacket>, AppError> {
    v.user()?;
    note_within_limit(&req.text)?;
    let engine = s.engine.clone();
    tokio::task::spawn_blocking(move || {
        engine.necessity(&req.text, &req.diagnoses, &Options { year: req.year, ..Default::default() })
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))?
    .map(Json)
    .map_err(|e| AppError::bad_request(e.to_string()))
}

#[derive(Deserialize, ToSchema)]
// A misspelt field must not pass silently (a `localty` would price nationally).
#[serde(deny_unknown_fields)]
pub(crate) struct CheckRequest {
    /// The draft note.
    text: String,
    year: Option<i16>,
}

pub(crate) async fn check_note(s: &AppState, text: String, year: Option<i16>) -> Result<NoteCheck, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::bad_request("the note is empty").hint("paste the draft note"));
    }
    note_within_limit(&text)?;
    let engine = s.engine.clone();
    tokio::task::spawn_blocking(move || engine.check_note(&text, &Options { year, ..Default::default() }))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
        .map_err(|e| AppError::bad_request(e.to_string()))
}

/// The scribe check: documentation elements the draft note's codes need and it lacks, and
/// contradictions, before the surgeon signs.
#[utoipa::path(post, path = "/api/v1/notes/check", request_body = CheckRequest,
    responses((status = 200, body = NoteCheck), (status = 400, body = ErrorEnvelope)))]
async fn notes_check(
    State(s): State<AppState>,
    v: Viewer,
    Json(req): Json<CheckRequest>,
) -> Result<Json<NoteCheck>, AppError> {
    v.user()?;
    check_note(&s, req.text, req.year).await.map(Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AskRequest {
    /// A spine-coding question in plain words.
    question: String,
}

/// The assistant's answer: `kind` (compare, bundling, price, which_code, modifier, code_facts,
/// retrieved, not_in_data), `text`, `citations` (kind, id, detail) and `confidence`.
#[derive(Serialize, ToSchema)]
pub(crate) struct AskResponse {
    #[schema(value_type = Object)]
    #[serde(flatten)]
    answer: serde_json::Value,
}

/// Answers a coding question offline from the knowledge base, rules and data, citing what it
/// used; says so when the data cannot answer.
#[utoipa::path(post, path = "/api/v1/ask", request_body = AskRequest,
    responses((status = 200, body = AskResponse), (status = 400, body = ErrorEnvelope)))]
async fn ask(
    State(s): State<AppState>,
    v: Viewer,
    Json(req): Json<AskRequest>,
) -> Result<Json<serde_json::Value>, AppError> {
    v.may_read_reference(&s)?;
    if req.question.trim().is_empty() {
        return Err(AppError::bad_request("the question is empty").hint("ask e.g. \"can I bill 22840 with 22586\""));
    }
    let assistant = s.assistant.clone();
    let answer = tokio::task::spawn_blocking(move || assistant.ask(&req.question))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    serde_json::to_value(answer).map(Json).map_err(|e| AppError::internal(e.to_string()))
}
