//! The one error type of the store.

/// What went wrong in a store call.
///
/// Messages say what happened and, where there is one, how to fix it. They never contain note
/// text, report JSON, passwords, tokens or API keys, so they may be logged and shown to users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named thing does not exist (`what` is e.g. `case 0190…` or `line 3 of case 0190…`).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The change conflicts with the current state: the case was changed since the caller read it
    /// (stale `expected_version`), the case is finalized or rejected and so read-only, or a unique
    /// name is taken. The caller should reload and decide again.
    #[error("{message}")]
    Conflict {
        /// What conflicts and what to do.
        message: String,
        /// The case's version now, when the conflict is about a case.
        current_version: Option<i64>,
    },
    /// The input is not acceptable (empty reason, malformed code or modifier, lines still
    /// proposed at finalize, …). Retrying the same call fails the same way.
    #[error("{message}")]
    Invalid {
        /// What is wrong with the input.
        message: String,
    },
    /// The acting user may not do this (disabled, unknown, or lacking the role).
    #[error("forbidden: {message}")]
    Forbidden {
        /// Why the call was refused.
        message: String,
    },
    /// The database failed or could not be reached; the message names the cause.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    pub(crate) fn not_found(what: impl Into<String>) -> StoreError {
        StoreError::NotFound { what: what.into() }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> StoreError {
        StoreError::Invalid { message: message.into() }
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> StoreError {
        StoreError::Forbidden { message: message.into() }
    }

    pub(crate) fn conflict(message: impl Into<String>, current_version: Option<i64>) -> StoreError {
        StoreError::Conflict { message: message.into(), current_version }
    }

    pub(crate) fn corrupt(message: impl Into<String>) -> StoreError {
        StoreError::Database(format!("unexpected value in the database: {}", message.into()))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        StoreError::Database(describe_sqlx(&error))
    }
}

/// A description of a database error without bound values: only the server's message (which for
/// constraint failures names the constraint, never the row) and its code.
pub(crate) fn describe_sqlx(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => format!("{} (code {code})", db.message()),
            None => db.message().to_owned(),
        },
        sqlx::Error::Io(io) => format!("cannot reach the database: {io}"),
        sqlx::Error::PoolTimedOut => {
            "timed out waiting for a database connection: the database is busy or unreachable".to_owned()
        }
        sqlx::Error::PoolClosed => "the store was closed".to_owned(),
        sqlx::Error::Migrate(error) => format!("migration failed: {error}"),
        other => other.to_string(),
    }
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
