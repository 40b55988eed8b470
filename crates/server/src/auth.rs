//! Who is asking: a signed-in user (session cookie, with a CSRF token for forms) or a machine
//! client (API key as a bearer token), and the sign-in and sign-out pages.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use interspace_store::{Role, User};
use serde::Deserialize;

use crate::AppState;
use crate::error::{AppError, PageError};

const COOKIE_NAME: &str = "interspace_session";
/// How long a sign-in lasts.
const SESSION_HOURS: u64 = 12;

/// The requester.
#[derive(Clone, Debug, Default)]
pub(crate) struct Viewer {
    pub user: Option<User>,
    /// The session's CSRF token; empty for API-key and anonymous requests.
    pub csrf: String,
    /// Signed in with a session cookie (forms must then carry the CSRF token).
    pub by_cookie: bool,
}

impl Viewer {
    /// The signed-in user, or 401.
    pub(crate) fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or_else(AppError::unauthorized)
    }

    /// The user, who must hold one of `roles`.
    pub(crate) fn with_role(&self, roles: &[Role]) -> Result<&User, AppError> {
        let u = self.user()?;
        if roles.contains(&u.role) {
            Ok(u)
        } else {
            Err(AppError::forbidden(format!(
                "this needs the role {}",
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" or ")
            )))
        }
    }

    /// Reference pages: any signed-in user, or anyone when the operator opened them.
    pub(crate) fn may_read_reference(&self, state: &AppState) -> Result<(), AppError> {
        if self.user.is_some() || state.config.public_reference { Ok(()) } else { Err(AppError::unauthorized()) }
    }

    /// A form posted with the session cookie must carry the session's CSRF token.
    pub(crate) fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if !self.by_cookie {
            return Ok(());
        }
        if !self.csrf.is_empty() && constant_time_eq(self.csrf.as_bytes(), sent.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::forbidden("the form expired or did not come from this site")
                .hint("reload the page and submit again"))
        }
    }

    /// The name shown in the header.
    pub(crate) fn label(&self) -> Option<String> {
        self.user.as_ref().map(|u| format!("{} ({})", u.display_name, u.role.as_str()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == COOKIE_NAME && !v.is_empty()).then(|| v.to_string())
    })
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, AppError> {
        if let Some(key) =
            parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
        {
            return match state.store.authenticate_api_key(key.trim()).await? {
                Some(user) => Ok(Viewer { user: Some(user), csrf: String::new(), by_cookie: false }),
                None => Err(AppError::unauthorized().hint("the API key is unknown or revoked")),
            };
        }
        if let Some(token) = cookie_token(&parts.headers)
            && let Some(session) = state.store.session(&token).await?
        {
            return Ok(Viewer { user: Some(session.user), csrf: session.csrf_token, by_cookie: true });
        }
        Ok(Viewer::default())
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    user: Option<String>,
    csrf: String,
    error: Option<String>,
    next: String,
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// Only local paths: never redirect off the site after sign-in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") => n.to_string(),
        _ => "/".to_string(),
    }
}

pub(crate) async fn login_page(
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Html<String>, PageError> {
    let page = LoginPage { user: None, csrf: String::new(), error: None, next: safe_next(q.next.as_deref()) };
    Ok(Html(page.render().map_err(|e| AppError::internal(e.to_string()))?))
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn login(State(state): State<AppState>, Form(f): Form<LoginForm>) -> Result<Response, PageError> {
    match state.store.verify_password(f.username.trim(), &f.password).await? {
        Some(user) => {
            let session =
                state.store.create_session(user.id, std::time::Duration::from_secs(SESSION_HOURS * 3600)).await?;
            let token = session.token;
            let secure = if state.config.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{COOKIE_NAME}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
                SESSION_HOURS * 3600
            );
            let mut r = Redirect::to(&safe_next(f.next.as_deref())).into_response();
            r.headers_mut()
                .insert(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::internal(e.to_string()))?);
            Ok(r)
        }
        None => {
            let page = LoginPage {
                user: None,
                csrf: String::new(),
                error: Some("The user name or password is not right.".into()),
                next: safe_next(f.next.as_deref()),
            };
            let html = page.render().map_err(|e| AppError::internal(e.to_string()))?;
            Ok((axum::http::StatusCode::UNAUTHORIZED, Html(html)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    viewer.check_csrf(&f.csrf)?;
    if let Some(token) = cookie_token(&headers) {
        state.store.delete_session(&token).await?;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_static("interspace_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(r)
}
