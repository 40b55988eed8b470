//! One error type for handlers, rendered as the API's JSON envelope or as an HTML page.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong, for whom it can be fixed, and how.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

/// The API's error envelope: `{"error": {...}}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// Stable machine-readable code: `bad_request`, `not_found`, `unauthorized`, `forbidden`,
    /// `conflict`, `too_large`, `overloaded`, `internal`.
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into(), hint: None }
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into(), hint: None }
    }

    pub fn unauthorized() -> AppError {
        AppError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "sign in, or send an API key as `Authorization: Bearer isk_…`".into(),
            hint: None,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError { status: StatusCode::FORBIDDEN, code: "forbidden", message: message.into(), hint: None }
    }

    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError { status: StatusCode::CONFLICT, code: "conflict", message: message.into(), hint: None }
    }

    pub fn internal(message: impl Into<String>) -> AppError {
        AppError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> AppError {
        self.hint = Some(hint.into());
        self
    }
}

impl From<interspace_store::StoreError> for AppError {
    fn from(e: interspace_store::StoreError) -> AppError {
        use interspace_store::StoreError as E;
        match e {
            E::NotFound { .. } => AppError::not_found(e.to_string()),
            E::Conflict { .. } => AppError::conflict(e.to_string()).hint("reload the case and try again"),
            E::Invalid { .. } => AppError::bad_request(e.to_string()),
            E::Forbidden { .. } => AppError::forbidden(e.to_string()),
            _ => {
                tracing::error!(error = %e, "store error");
                AppError::internal(
                    "the work queue is unavailable; try again, and tell the administrator if it persists",
                )
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body =
            ErrorEnvelope { error: ErrorBody { code: self.code.into(), message: self.message, hint: self.hint } };
        (self.status, Json(body)).into_response()
    }
}

/// An error on a page: the same error as HTML, or a redirect to sign in.
pub(crate) struct PageError(pub(crate) AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> PageError {
        PageError(e)
    }
}

impl From<interspace_store::StoreError> for PageError {
    fn from(e: interspace_store::StoreError) -> PageError {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
    hint: Option<String>,
    user: Option<String>,
    csrf: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let title = match e.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::CONFLICT => "Changed meanwhile",
            StatusCode::BAD_REQUEST => "Cannot read the input",
            _ => "Something went wrong",
        };
        let page = ErrorPage { title: title.into(), message: e.message, hint: e.hint, user: None, csrf: String::new() };
        match page.render() {
            Ok(html) => (e.status, Html(html)).into_response(),
            Err(_) => (e.status, "error").into_response(),
        }
    }
}
