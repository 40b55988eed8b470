//! Server-rendered pages: reference (codes, glossary, explainers, search), note analysis and
//! claim scrub. The work queue's pages are in `cases`.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Form, Router};
use interspace_engine::Options;
use interspace_knowledge::Explainer;
use interspace_knowledge::readability::flesch_kincaid_grade;
use interspace_reference::{CodePage, HitKind, PageError as RefError, TermPage};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, Viewer};
use crate::error::{AppError, PageError};
use crate::views::{ReportView, ScrubView, money, payment_chart};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/codes", get(codes))
        .route("/codes/{code}", get(code))
        .route("/terms", get(terms))
        .route("/terms/{slug}", get(term))
        .route("/search", get(search))
        .route("/explain", get(explainers))
        .route("/explain/{id}", get(explainer))
        .route("/analyze", get(analyze_page).post(analyze))
        .route("/scrub", get(scrub_page).post(scrub))
        .route("/check", get(check_page).post(check))
        .route("/ask", get(ask_page))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
}

fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError(AppError::internal(format!("page template: {e}"))))
}

/// The reference's error as a page error with its suggestions.
pub(crate) fn reference_error(e: RefError) -> AppError {
    let message = e.to_string();
    match e {
        RefError::UnknownCode { .. } | RefError::UnknownTerm { .. } => AppError::not_found(message),
        _ => AppError::bad_request(message),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    user: Option<String>,
    csrf: String,
    code_count: usize,
    term_count: usize,
    year: i16,
}

async fn home(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let k = s.engine.knowledge();
    render(&HomePage {
        user: v.label(),
        csrf: v.csrf.clone(),
        code_count: k.codes().count(),
        term_count: k.terms().count(),
        year: s.engine.data().default_year(),
    })
}

struct CodeRow {
    code: String,
    name: String,
    region: &'static str,
    unit: &'static str,
}

#[derive(Template)]
#[template(path = "codes.html")]
struct CodesPage {
    user: Option<String>,
    csrf: String,
    codes: Vec<CodeRow>,
}

async fn codes(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let codes = s
        .engine
        .knowledge()
        .codes()
        .map(|c| CodeRow {
            code: c.code.to_string(),
            name: c.name.clone(),
            region: c.region.label(),
            unit: c.unit.label(),
        })
        .collect();
    render(&CodesPage { user: v.label(), csrf: v.csrf.clone(), codes })
}

#[derive(Deserialize)]
pub(crate) struct CodeQuery {
    year: Option<i16>,
    locality: Option<String>,
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePageView {
    user: Option<String>,
    csrf: String,
    p: CodePage,
    national_facility: String,
    national_nonfacility: String,
    locality_facility: String,
    locality_nonfacility: String,
    chart: String,
    /// (id, label, selected)
    localities: Vec<(String, String, bool)>,
    years: Vec<i16>,
}

async fn code(
    State(s): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let locality = q.locality.as_deref().filter(|l| !l.is_empty());
    let p = s.engine.reference.code_page(&code, q.year, locality, false).map_err(reference_error)?;
    let data = s.engine.data().year(p.year).ok_or_else(|| AppError::not_found(format!("no data for {}", p.year)))?;
    let selected = p.locality.as_ref().map(|l| l.locality.clone());
    let localities = data
        .gpci
        .all()
        .iter()
        .map(|l| {
            let id = l.id.to_string();
            let selected = selected.as_deref() == Some(id.as_str());
            (id.clone(), format!("{} — {} ({id})", l.state, l.name), selected)
        })
        .collect();
    let (lf, ln) = p.locality.as_ref().map_or((None, None), |l| (Some(l.facility), Some(l.nonfacility)));
    let chart = payment_chart(&[
        ("Physician, facility", Some(lf.unwrap_or(p.national_facility))),
        ("Physician, office", (!p.nonfacility_na).then_some(ln.unwrap_or(p.national_nonfacility))),
        ("Hospital outpatient (OPPS)", p.opps.as_ref().and_then(|o| o.payment_rate)),
        ("Ambulatory surgical center", p.asc.as_ref().and_then(|a| a.payment_rate)),
    ]);
    render(&CodePageView {
        user: v.label(),
        csrf: v.csrf.clone(),
        national_facility: money(p.national_facility),
        national_nonfacility: if p.nonfacility_na { "not priced (NA)".into() } else { money(p.national_nonfacility) },
        locality_facility: lf.map(money).unwrap_or_default(),
        locality_nonfacility: if p.nonfacility_na {
            "not priced (NA)".into()
        } else {
            ln.map(money).unwrap_or_default()
        },
        chart,
        localities,
        years: s.engine.data().years().collect(),
        p,
    })
}

#[derive(Template)]
#[template(path = "terms.html")]
struct TermsPage {
    user: Option<String>,
    csrf: String,
    terms: Vec<(String, String, String)>,
}

async fn terms(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let mut terms: Vec<(String, String, String)> = s
        .engine
        .knowledge()
        .terms()
        .map(|t| (t.slug.clone(), t.term.clone(), t.expansion.clone().unwrap_or_default()))
        .collect();
    terms.sort_by_key(|t| t.1.to_ascii_lowercase());
    render(&TermsPage { user: v.label(), csrf: v.csrf.clone(), terms })
}

#[derive(Template)]
#[template(path = "term.html")]
struct TermPageView {
    user: Option<String>,
    csrf: String,
    t: TermPage,
}

async fn term(State(s): State<AppState>, v: Viewer, Path(slug): Path<String>) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let t = s.engine.reference.term_page(&slug).map_err(reference_error)?;
    render(&TermPageView { user: v.label(), csrf: v.csrf.clone(), t })
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    user: Option<String>,
    csrf: String,
    q: String,
    hits: Vec<(String, String, String)>,
}

async fn search(State(s): State<AppState>, v: Viewer, Query(q): Query<SearchQuery>) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let hits = s
        .engine
        .reference
        .search(&q.q, 20)
        .into_iter()
        .map(|h| {
            let href = match h.kind {
                HitKind::Code => format!("/codes/{}", h.id),
                HitKind::Term => format!("/terms/{}", h.id),
            };
            (href, h.title, h.snippet)
        })
        .collect();
    render(&SearchPage { user: v.label(), csrf: v.csrf.clone(), q: q.q, hits })
}

#[derive(Template)]
#[template(path = "explainers.html")]
struct ExplainersPage {
    user: Option<String>,
    csrf: String,
    items: Vec<(String, String)>,
}

async fn explainers(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let items = s.engine.knowledge().explainers().map(|x| (x.id.clone(), x.title.clone())).collect();
    render(&ExplainersPage { user: v.label(), csrf: v.csrf.clone(), items })
}

#[derive(Template)]
#[template(path = "explainer.html")]
struct ExplainerPage {
    user: Option<String>,
    csrf: String,
    x: Explainer,
    codes: Vec<(String, String)>,
    grade: String,
}

async fn explainer(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let k = s.engine.knowledge();
    let x = k
        .explainer(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found(format!("no explainer `{id}`")).hint("see /explain for the list"))?;
    let codes =
        x.codes.iter().map(|c| (c.to_string(), k.code(*c).map(|p| p.name.clone()).unwrap_or_default())).collect();
    let grade = format!("{:.1}", flesch_kincaid_grade(x.patient_text()));
    render(&ExplainerPage { user: v.label(), csrf: v.csrf.clone(), x, codes, grade })
}

#[derive(Template)]
#[template(path = "analyze.html")]
struct AnalyzePage {
    user: Option<String>,
    csrf: String,
    note: String,
    years: Vec<i16>,
    year: i16,
    error: Option<String>,
    result: Option<ReportView>,
}

async fn analyze_page(State(s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.user()?;
    render(&AnalyzePage {
        user: v.label(),
        csrf: v.csrf.clone(),
        note: String::new(),
        years: s.engine.data().years().collect(),
        year: s.engine.data().default_year(),
        error: None,
        result: None,
    })
}

/// Reads the analyze form: pasted text or an uploaded file (text, FHIR, HL7v2), year, CSRF.
async fn read_note_form(mut form: Multipart) -> Result<(String, String, Option<i16>), AppError> {
    let (mut note, mut csrf, mut year) = (String::new(), String::new(), None);
    while let Some(field) =
        form.next_field().await.map_err(|e| AppError::bad_request(format!("the form could not be read: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes =
            field.bytes().await.map_err(|e| AppError::bad_request(format!("the form could not be read: {e}")))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "year" => year = String::from_utf8_lossy(&bytes).trim().parse().ok(),
            "note" if note.is_empty() => note = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => {
                let input = interspace_formats::note::read(&bytes)
                    .map_err(|e| AppError::bad_request(format!("the uploaded file: {e}")))?;
                note = input.text;
            }
            _ => {}
        }
    }
    Ok((note, csrf, year))
}

async fn analyze(State(s): State<AppState>, v: Viewer, form: Multipart) -> Result<Html<String>, PageError> {
    v.user()?;
    let (note, csrf, year) = read_note_form(form).await?;
    v.check_csrf(&csrf)?;
    let years: Vec<i16> = s.engine.data().years().collect();
    let year = year.unwrap_or_else(|| s.engine.data().default_year());
    let mut page = AnalyzePage {
        user: v.label(),
        csrf: v.csrf.clone(),
        note: String::new(),
        years,
        year,
        error: None,
        result: None,
    };
    if note.trim().is_empty() {
        page.error = Some("Paste a note or choose a file to analyze.".into());
        return render(&page);
    }
    crate::api::note_within_limit(&note)?;
    let engine = s.engine.clone();
    let text = note.clone();
    let report =
        tokio::task::spawn_blocking(move || engine.analyze(&text, &Options { year: Some(year), ..Default::default() }))
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
    match report {
        Ok(r) => page.result = Some(ReportView::new(&note, &r)),
        Err(e) => page.error = Some(e.to_string()),
    }
    page.note = note;
    render(&page)
}

#[derive(Template)]
#[template(path = "scrub.html")]
struct ScrubPage {
    user: Option<String>,
    csrf: String,
    claim: String,
    lines: String,
    diagnoses: String,
    date: String,
    error: Option<String>,
    results: Vec<ScrubView>,
}

async fn scrub_page(State(_s): State<AppState>, v: Viewer) -> Result<Html<String>, PageError> {
    v.user()?;
    render(&ScrubPage {
        user: v.label(),
        csrf: v.csrf.clone(),
        claim: String::new(),
        lines: String::new(),
        diagnoses: String::new(),
        date: String::new(),
        error: None,
        results: Vec::new(),
    })
}

#[derive(Deserialize)]
pub(crate) struct ScrubForm {
    csrf: String,
    #[serde(default)]
    claim: String,
    #[serde(default)]
    lines: String,
    #[serde(default)]
    diagnoses: String,
    #[serde(default)]
    date: String,
}

async fn scrub(State(s): State<AppState>, v: Viewer, Form(f): Form<ScrubForm>) -> Result<Html<String>, PageError> {
    v.user()?;
    v.check_csrf(&f.csrf)?;
    let text = if f.claim.trim().is_empty() {
        let date =
            if f.date.trim().is_empty() { jiff::Zoned::now().date().to_string() } else { f.date.trim().to_string() };
        serde_json::json!({
            "claim_id": "form",
            "date_of_service": date,
            "diagnoses": f.diagnoses.split_whitespace().collect::<Vec<_>>(),
            "lines": f.lines.split_whitespace().collect::<Vec<_>>(),
        })
        .to_string()
    } else {
        f.claim.clone()
    };
    let mut page = ScrubPage {
        user: v.label(),
        csrf: v.csrf.clone(),
        claim: f.claim,
        lines: f.lines,
        diagnoses: f.diagnoses,
        date: f.date,
        error: None,
        results: Vec::new(),
    };
    match crate::api::scrub_text(&s, &text).await {
        Ok(scrubs) => page.results = scrubs.iter().map(ScrubView::new).collect(),
        Err(e) => page.error = Some(format!("{}{}", e.message, e.hint.map(|h| format!("\n{h}")).unwrap_or_default())),
    }
    render(&page)
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    user: Option<String>,
    csrf: String,
    note: String,
    result: Option<interspace_engine::scribe::NoteCheck>,
}

async fn check_page(v: Viewer) -> Result<Html<String>, PageError> {
    v.user()?;
    render(&CheckPage { user: v.label(), csrf: v.csrf.clone(), note: String::new(), result: None })
}

#[derive(Deserialize)]
pub(crate) struct CheckForm {
    csrf: String,
    note: String,
}

async fn check(State(s): State<AppState>, v: Viewer, Form(f): Form<CheckForm>) -> Result<Html<String>, PageError> {
    v.user()?;
    v.check_csrf(&f.csrf)?;
    let result = crate::api::check_note(&s, f.note.clone(), None).await?;
    render(&CheckPage { user: v.label(), csrf: v.csrf.clone(), note: f.note, result: Some(result) })
}

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    user: Option<String>,
    csrf: String,
    q: String,
    answer: Option<AnswerView>,
}

/// An assistant answer flattened for the template.
struct AnswerView {
    text: String,
    /// Answer kind and confidence, e.g. "computed · confidence high".
    kind: String,
    citations: Vec<CitationView>,
}

struct CitationView {
    kind: String,
    id: String,
    detail: String,
}

async fn ask_page(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<SearchQuery>,
) -> Result<Html<String>, PageError> {
    v.may_read_reference(&s)?;
    let answer = if q.q.trim().is_empty() {
        None
    } else {
        let assistant = s.assistant.clone();
        let question = q.q.clone();
        let a = tokio::task::spawn_blocking(move || assistant.ask(&question))
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
        Some(AnswerView {
            text: a.text.clone(),
            kind: format!("{:?} · confidence {:?}", a.kind, a.confidence).to_lowercase(),
            citations: a
                .citations
                .iter()
                .map(|c| CitationView { kind: format!("{:?}", c.kind), id: c.id.clone(), detail: c.detail.clone() })
                .collect(),
        })
    };
    render(&AskPage { user: v.label(), csrf: v.csrf.clone(), q: q.q, answer })
}
